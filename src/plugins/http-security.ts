// Security headers on every response (helmet), and CORS for the dashboards of the origins in CORS_ORIGINS.
// Registered before the auth plugin: a CORS preflight carries no key and is answered here, even when
// reads need a key.
import fp from 'fastify-plugin'
import helmet from '@fastify/helmet'
import cors from '@fastify/cors'
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
  'WWW-Authenticate'
]
const ALLOWED_HEADERS = ['Authorization', 'Content-Type', 'Accept', 'If-Match', 'If-None-Match', 'Idempotency-Key', 'X-Request-Id']

export default fp(
  async function httpSecurity(app: FastifyInstance, opts: HttpSecurityOptions) {
    await app.register(helmet, {
      // helmet's default policy suits both the JSON API and Swagger UI at /docs (scripts and styles from
      // 'self', inline styles allowed); but a service reached over plain HTTP inside a government network
      // must not have its pages' requests upgraded to HTTPS
      contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } }
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
