// Requests per minute per client: per API key when the request carries one, per IP address otherwise.
// Admin keys and the health probes are exempt. A client over its limit gets a 429 problem with
// Retry-After and the RateLimit-* headers of the IETF draft (sent on every limited response).
// The limiter runs as a route hook after the auth plugin's onRequest hook, so `request.apiKey` is known, and
// before the auth plugin refuses anything: a request with a wrong or missing key is counted against its
// address like any other (guessing keys costs the guesser its budget).
import fp from 'fastify-plugin'
import rateLimit from '@fastify/rate-limit'
import createError from '@fastify/error'
import type { FastifyInstance, FastifyRequest } from 'fastify'

export interface RateLimitOptions {
  /** requests per minute per client; 0 or undefined: no limit */
  max?: number
}

const TooManyRequests = createError<[string]>('NIANBAO_TOO_MANY_REQUESTS', '%s', 429)
const EXEMPT_PREFIXES = ['/healthz', '/readyz']

/** The bucket a request counts against. */
export function clientOf(request: FastifyRequest): string {
  return request.apiKey ? `key:${request.apiKey.id}` : `ip:${request.ip}`
}

export default fp(
  async function limits(app: FastifyInstance, opts: RateLimitOptions) {
    const max = opts.max ?? 0
    if (max <= 0) return
    await app.register(rateLimit, {
      global: true,
      hook: 'onRequest',
      max,
      timeWindow: 60_000,
      enableDraftSpec: true,
      keyGenerator: clientOf,
      allowList: (request) => request.apiKey?.role === 'admin' || EXEMPT_PREFIXES.some((p) => request.url.startsWith(p)),
      errorResponseBuilder: (request, context) =>
        new TooManyRequests(
          `Too many requests: at most ${context.max} a minute for this ${request.apiKey ? 'API key' : 'address'}. Retry in ${Math.max(1, Math.ceil(context.ttl / 1000))} s.`
        )
    })
  },
  { name: 'rate-limit', dependencies: ['auth'] }
)
