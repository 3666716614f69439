// Security headers on every response (helmet's), and CORS for the dashboards of the origins in CORS_ORIGINS.
// Registered before the auth plugin: a CORS preflight carries no key and is answered here, even when
// reads need a key.
//
// helmet's headers do not depend on the request, so they are computed once, at start, by running
// helmet's own middleware against a recording response, and set on every reply by one hook. (The
// @fastify/helmet plugin builds the middleware again, policy parsing included, on every request: ~7 % of
// a document read.)
import fp from 'fastify-plugin'
import helmet, { type HelmetOptions } from 'helmet'
import cors from '@fastify/cors'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { FastifyInstance } from 'fastify'

export interface HttpSecurityOptions {
  /** origins allowed to call the API from a browser, e.g. `https://dashboard.example.gov.cn`; `*` for any */
  corsOrigins?: string[]
}

/** Response headers a browser script may read. */
export const EXPOSED_HEADERS = [
  'ETag',
  'Location',
  'Link',
  'Content-Disposition',
  'Retry-After',
  'RateLimit-Limit',
  'RateLimit-Remaining',
  'RateLimit-Reset',
  'Idempotent-Replayed',
  'Report-Unchanged',
  'WWW-Authenticate',
  'X-Request-Id'
]
const ALLOWED_HEADERS = ['Authorization', 'Content-Type', 'Accept', 'If-Match', 'If-None-Match', 'Idempotency-Key', 'X-Request-Id']

/** The headers helmet's middleware sets with these options (it sets the same ones on every response). */
export function securityHeaders(options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {}
  const recorder = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value)
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()]
    }
  }
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, (err?: unknown) => {
    if (err) throw err
  })
  return Object.freeze(headers) as Record<string, string>
}

export default fp(
  async function httpSecurity(app: FastifyInstance, opts: HttpSecurityOptions) {
    const headers = securityHeaders({
      // helmet's default policy suits both the JSON API and Swagger UI at /docs (scripts and styles from
      // 'self', inline styles allowed); but a service reached over plain HTTP inside a government network
      // must not have its pages' requests upgraded to HTTPS
      contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } }
    })
    app.addHook('onRequest', (_request, reply, done) => {
      reply.headers(headers)
      done()
    })
    const origins = (opts.corsOrigins ?? []).filter((o) => o.length > 0)
    if (origins.length === 0) return
    await app.register(cors, {
      origin: origins.includes('*') ? '*' : origins,
      methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
      allowedHeaders: ALLOWED_HEADERS,
      exposedHeaders: EXPOSED_HEADERS,
      // keys travel in the Authorization header, never in cookies
      credentials: false,
      maxAge: 600
    })
  },
  { name: 'http-security' }
)
