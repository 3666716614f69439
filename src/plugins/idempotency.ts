// Idempotency-Key on POSTs: a client that lost the answer to a POST retries it with the same
// key and body and gets the first answer back, while nothing is written twice. Only a 2xx is kept (a
// refused request may be retried as is); a key is remembered 24 hours per API key; the same key with
// another request is a 422. The response is stored just after the write commits, not inside its
// transaction: a crash between the two makes a retry run again (a create then answers 409, a batch
// upserts the same rows again).
import { createHash } from 'node:crypto'
import fp from 'fastify-plugin'
import { Type, type TSchema } from 'typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions, onSendHookHandler, preValidationHookHandler } from 'fastify'
import { ConflictError, badParameters, unprocessable } from '../errors.js'

export const IDEMPOTENCY_HEADER = 'idempotency-key'
/** How long a key is remembered */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000
/** Response headers kept and replayed with the body */
const KEPT_HEADERS = ['content-type', 'location', 'etag', 'link'] as const
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/
/** An in-flight marker older than this belongs to a request whose answer was lost: ignore it. */
const IN_FLIGHT_MS = 5 * 60 * 1000
const PRUNE_EVERY_MS = 10 * 60 * 1000

export const IdempotencyKeyHeaderSchema = Type.String({
  minLength: 1,
  maxLength: 255,
  pattern: '^[\\x21-\\x7e]+$',
  description:
    'Makes a retry safe: the same key (per API key, for 24 h) with the same request returns the first 2xx response, ' +
    'marked `Idempotent-Replayed: true`, and writes nothing again; with a different request it is a 422. Honoured for requests with an API key. 1–255 visible ASCII characters, e.g. a UUID.'
})

interface Stored {
  method: string
  path: string
  bodyHash: string
  status: number
  headers: string
  body: string
  createdAt: string
}

interface Pending {
  owner: number
  key: string
  bodyHash: string
}

declare module 'fastify' {
  interface FastifyInstance {
    /** deletes remembered keys older than 24 h; returns how many */
    pruneIdempotencyKeys(): Promise<number>
  }
}

/**
 * Whether a route takes Idempotency-Key: every POST but the public ones. Some POSTs that are open to
 * readers may write (an import with `commit=true`), so the route's access does not tell.
 */
function isPost(route: RouteOptions): boolean {
  const methods = Array.isArray(route.method) ? route.method : [route.method]
  return methods.includes('POST') && (route.config as { access?: string } | undefined)?.access !== 'public'
}

/** What a retry must repeat: method, path with query, and the body as sent. */
function requestHash(request: FastifyRequest): string {
  const body = request.rawBody ?? (Buffer.isBuffer(request.body) ? request.body : JSON.stringify(request.body ?? null))
  return createHash('sha256').update(`${request.method} ${request.url}\n`).update(body).digest('hex')
}

/** The route's schema with the optional header added (the route's own header schema, if any, kept). */
function withHeader(schema: RouteOptions['schema']): RouteOptions['schema'] {
  if (!schema || (schema as { hide?: boolean }).hide) return schema
  const headers = schema.headers as { type?: unknown; properties?: Record<string, TSchema> } | undefined
  if (headers && headers.type !== 'object') return schema
  const merged = headers
    ? { ...headers, properties: { ...headers.properties, [IDEMPOTENCY_HEADER]: IdempotencyKeyHeaderSchema } }
    : Type.Object({ [IDEMPOTENCY_HEADER]: Type.Optional(IdempotencyKeyHeaderSchema) })
  return { ...schema, headers: merged }
}

export default fp(
  async function idempotency(app: FastifyInstance) {
    const engine = app.engine
    const SQL = {
      find: `SELECT method, path, body_hash AS "bodyHash", status, headers, body, created_at AS "createdAt"
         FROM idempotency_keys WHERE owner = ? AND key = ?`,
      forget: 'DELETE FROM idempotency_keys WHERE owner = ? AND key = ?',
      insert: `INSERT INTO idempotency_keys (owner, key, method, path, body_hash, status, headers, body, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (owner, key) DO NOTHING`,
      prune: 'DELETE FROM idempotency_keys WHERE created_at < ?'
    }
    const cutoff = () => new Date(Date.now() - IDEMPOTENCY_TTL_MS).toISOString()
    let lastPrune = 0
    const prune = async () => {
      lastPrune = Date.now()
      return (await engine.run(SQL.prune, [cutoff()])).changes
    }
    app.decorate('pruneIdempotencyKeys', prune)
    await prune()

    const inFlight = new Map<string, number>()
    const pending = new WeakMap<FastifyRequest, Pending>()
    const replayed = new WeakSet<FastifyRequest>()
    const slot = (p: { owner: number; key: string }) => `${p.owner}\u0000${p.key}`

    const lookup: preValidationHookHandler = async function (request: FastifyRequest, reply: FastifyReply) {
      const key = request.headers[IDEMPOTENCY_HEADER]
      if (key === undefined) return
      if (typeof key !== 'string' || !KEY_PATTERN.test(key)) {
        throw badParameters('The Idempotency-Key header must be 1–255 visible ASCII characters.', [
          { parameter: 'Idempotency-Key', message: 'must be 1–255 visible ASCII characters (no spaces)' }
        ])
      }
      // only a request with an API key can write; anonymous requests share no key space
      if (!request.apiKey) return
      const owner = request.apiKey.id
      const bodyHash = requestHash(request)
      let stored = await engine.get<Stored>(SQL.find, [owner, key])
      if (stored && stored.createdAt < cutoff()) {
        await engine.run(SQL.forget, [owner, key])
        stored = undefined
      }
      if (stored) {
        if (stored.bodyHash !== bodyHash) {
          throw unprocessable('This Idempotency-Key was already used for a different request; use a new key for a new request.', [
            { parameter: 'Idempotency-Key', message: `was first used ${stored.createdAt} for another request (${stored.method} ${stored.path.split('?')[0]} with another body)` }
          ])
        }
        replayed.add(request)
        const headers = JSON.parse(stored.headers) as Record<string, string>
        reply.code(stored.status).headers(headers).header('idempotent-replayed', 'true')
        return reply.send(stored.body)
      }
      const started = inFlight.get(slot({ owner, key }))
      if (started !== undefined && Date.now() - started < IN_FLIGHT_MS) {
        throw new ConflictError('A request with this Idempotency-Key is still being processed; retry when it has been answered.')
      }
      inFlight.set(slot({ owner, key }), Date.now())
      pending.set(request, { owner, key, bodyHash })
    }

    const remember: onSendHookHandler = async function (request: FastifyRequest, reply: FastifyReply, payload: unknown) {
      const p = pending.get(request)
      if (!p || replayed.has(request)) return payload
      pending.delete(request)
      try {
        const status = reply.statusCode
        const body = typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : null
        if (status >= 200 && status < 300 && body !== null) {
          const headers: Record<string, string> = {}
          for (const name of KEPT_HEADERS) {
            const value = reply.getHeader(name)
            if (value !== undefined) headers[name] = String(value)
          }
          await engine.run(SQL.insert, [p.owner, p.key, request.method, request.url, p.bodyHash, status, JSON.stringify(headers), body, new Date().toISOString()])
          if (Date.now() - lastPrune > PRUNE_EVERY_MS) await prune()
        }
      } finally {
        inFlight.delete(slot(p))
      }
      return payload
    }

    const release = async (request: FastifyRequest) => {
      const p = pending.get(request)
      if (p) inFlight.delete(slot(p))
    }

    app.addHook('onRoute', (route) => {
      if (!isPost(route)) return
      route.schema = withHeader(route.schema)
      route.preValidation = [...hooksOf(route.preValidation), lookup]
      route.onSend = [...hooksOf(route.onSend), remember]
      route.onResponse = [...hooksOf(route.onResponse), release]
    })
  },
  { name: 'idempotency', dependencies: ['database', 'auth', 'json-body'] }
)

function hooksOf<T>(hooks: T | T[] | undefined): T[] {
  return hooks === undefined ? [] : Array.isArray(hooks) ? hooks : [hooks]
}
