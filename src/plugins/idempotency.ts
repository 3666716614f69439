// Idempotency-Key on POSTs that write: a client that lost the answer to a POST retries it with the same
// key and body and gets the first answer back, while nothing is written twice. Only a 2xx is kept (a
// refused request may be retried as is); a key is remembered 24 hours per API key; the same key with
// another request is a 422. The response is stored just after the write commits, not inside its
// transaction: a crash between the two makes a retry run again (a create then answers 409, a batch
// upserts the same rows again).
//
// Several instances on one database share the keys: a request first claims its key with a row of status 0
// (an INSERT that only one of them can make), so the same key arriving at two instances at once runs once —
// the other gets a 409 "still being processed" — and any instance replays the stored answer afterwards. A
// claim whose instance died is taken over after IN_FLIGHT_MS.
//
// Only what a replay needs is stored, and no more than IDEMPOTENCY_MAX_RESPONSE_BYTES of it:
// - a route that writes nothing (/v1/validate, an import preview) keeps nothing: it can be asked again;
// - a first answer larger than the cap is kept as a 303 See Other to its Location (the resource written),
//   or, without one, not kept at all (a retry then runs again);
// - an answer that holds a secret (a new API key) is never stored: that route refuses the header.
// Each route says which it is in `config.idempotency`.
import { createHash } from 'node:crypto'
import fp from 'fastify-plugin'
import { Type, type TSchema } from 'typebox'
import type {
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  RouteOptions,
  onSendHookHandler,
  preHandlerHookHandler,
  preValidationHookHandler
} from 'fastify'
import { ConflictError, badParameters, unprocessable } from '../errors.js'

export const IDEMPOTENCY_HEADER = 'idempotency-key'
/** How long a key is remembered */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000
/** The largest first answer kept whole; a larger one is kept as a 303 to its Location */
export const IDEMPOTENCY_MAX_RESPONSE_BYTES = 1024 * 1024
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
    'marked `Idempotent-Replayed: true`, and writes nothing again; with a different request it is a 422. Honoured for requests with an API key that write. ' +
    `A first response larger than ${IDEMPOTENCY_MAX_RESPONSE_BYTES / 1024 / 1024} MiB is replayed as a 303 See Other to its Location. 1–255 visible ASCII characters, e.g. a UUID.`
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
  /** the created_at of this request's claim (the row with status 0), which only it may answer or drop */
  claimedAt: string
}

/**
 * How a POST takes Idempotency-Key: `write` (the default) remembers its answers; `none`: it writes nothing,
 * the header is neither documented nor used; `secret`: its answer holds a secret, the header is refused;
 * a function: the request writes (and is remembered) only when it says so, e.g. an import with commit=true.
 */
export type IdempotencyMode = 'write' | 'none' | 'secret' | ((request: FastifyRequest) => boolean)

declare module 'fastify' {
  interface FastifyInstance {
    /** deletes remembered keys older than 24 h; returns how many */
    pruneIdempotencyKeys(): Promise<number>
  }
  interface FastifyContextConfig {
    idempotency?: IdempotencyMode
  }
}

/** How a route takes Idempotency-Key, or null when it does not (not a POST, a public one, or one that writes nothing). */
function modeOf(route: RouteOptions): IdempotencyMode | null {
  const methods = Array.isArray(route.method) ? route.method : [route.method]
  const config = route.config as { access?: string; idempotency?: IdempotencyMode } | undefined
  if (!methods.includes('POST') || config?.access === 'public') return null
  const mode = config?.idempotency ?? 'write'
  return mode === 'none' ? null : mode
}

/** What a retry must repeat: method, path with query, and the body as sent. */
function requestHash(request: FastifyRequest): string {
  const body = request.rawBody ?? (Buffer.isBuffer(request.body) ? request.body : JSON.stringify(request.body ?? null))
  return createHash('sha256').update(`${request.method} ${request.url}\n`).update(body).digest('hex')
}

/**
 * The route's schema with the optional header added (the route's own header schema, if any, kept), and the
 * 303 a replay of a too-large answer is.
 */
function withHeader(schema: RouteOptions['schema']): RouteOptions['schema'] {
  if (!schema || (schema as { hide?: boolean }).hide) return schema
  const headers = schema.headers as { type?: unknown; properties?: Record<string, TSchema> } | undefined
  if (headers && headers.type !== 'object') return schema
  const merged = headers
    ? { ...headers, properties: { ...headers.properties, [IDEMPOTENCY_HEADER]: IdempotencyKeyHeaderSchema } }
    : Type.Object({ [IDEMPOTENCY_HEADER]: Type.Optional(IdempotencyKeyHeaderSchema) })
  const response = schema.response as Record<string, unknown> | undefined
  const seeOther = Type.Null({
    description: `A replay (Idempotency-Key) of a write whose first answer was larger than ${IDEMPOTENCY_MAX_RESPONSE_BYTES / 1024 / 1024} MiB: the resource written is at Location`
  })
  return { ...schema, headers: merged, ...(response ? { response: { ...response, 303: seeOther } } : {}) }
}

export default fp(
  async function idempotency(app: FastifyInstance) {
    const engine = app.engine
    const SQL = {
      find: `SELECT method, path, body_hash AS "bodyHash", status, headers, body, created_at AS "createdAt"
         FROM idempotency_keys WHERE owner = ? AND key = ?`,
      forget: 'DELETE FROM idempotency_keys WHERE owner = ? AND key = ? AND created_at = ?',
      // status 0 marks a request under way: claimed by whichever instance inserts it first
      claim: `INSERT INTO idempotency_keys (owner, key, method, path, body_hash, status, headers, body, created_at)
       VALUES (?, ?, ?, ?, ?, 0, '{}', '', ?) ON CONFLICT (owner, key) DO NOTHING`,
      // a marker left by an instance that stopped while answering: taken over by one request only
      takeOver: `UPDATE idempotency_keys SET method = ?, path = ?, body_hash = ?, created_at = ?
       WHERE owner = ? AND key = ? AND status = 0 AND created_at = ?`,
      answer: `UPDATE idempotency_keys SET status = ?, headers = ?, body = ?, created_at = ?
       WHERE owner = ? AND key = ? AND status = 0 AND created_at = ?`,
      unclaim: 'DELETE FROM idempotency_keys WHERE owner = ? AND key = ? AND status = 0 AND created_at = ?',
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

    const pending = new WeakMap<FastifyRequest, Pending>()
    const replayed = new WeakSet<FastifyRequest>()

    // the header's form first, with a message of its own (before the schema's)
    const checkHeader: preValidationHookHandler = async (request: FastifyRequest) => {
      const key = request.headers[IDEMPOTENCY_HEADER]
      if (key !== undefined && (typeof key !== 'string' || !KEY_PATTERN.test(key))) {
        throw badParameters('The Idempotency-Key header must be 1–255 visible ASCII characters.', [
          { parameter: 'Idempotency-Key', message: 'must be 1–255 visible ASCII characters (no spaces)' }
        ])
      }
    }

    // after validation: a route's mode may read the coerced query (commit=true)
    const lookup: preHandlerHookHandler = async (request: FastifyRequest, reply: FastifyReply) => {
      const key = request.headers[IDEMPOTENCY_HEADER] as string | undefined
      if (key === undefined) return
      const mode = request.routeOptions.config.idempotency ?? 'write'
      if (mode === 'secret') {
        throw badParameters('This request takes no Idempotency-Key.', [
          {
            parameter: 'Idempotency-Key',
            message: 'is not taken here: the answer holds a new secret, which nianbao never stores; send the request without it'
          }
        ])
      }
      if (typeof mode === 'function' && !mode(request)) return
      // only a request with an API key can write; anonymous requests share no key space
      if (!request.apiKey) return
      const owner = request.apiKey.id
      const bodyHash = requestHash(request)
      // hashed: the text is not needed any more (a batch's is some 11 MB)
      request.rawBody = null
      // Two tries: the key is new (claimed here, or by another instance a moment earlier: then read again),
      // or it is stored (replayed, refused as another request's, or still under way elsewhere).
      for (let attempt = 0; attempt < 2; attempt++) {
        const now = new Date().toISOString()
        let stored = await engine.get<Stored>(SQL.find, [owner, key])
        if (stored && stored.createdAt < cutoff()) {
          await engine.run(SQL.forget, [owner, key, stored.createdAt])
          stored = undefined
        }
        if (!stored) {
          if ((await engine.run(SQL.claim, [owner, key, request.method, request.url, bodyHash, now])).changes === 1) {
            pending.set(request, { owner, key, bodyHash, claimedAt: now })
            return
          }
          continue
        }
        if (stored.bodyHash !== bodyHash) {
          throw unprocessable('This Idempotency-Key was already used for a different request; use a new key for a new request.', [
            {
              parameter: 'Idempotency-Key',
              message: `was first used ${stored.createdAt} for another request (${stored.method} ${stored.path.split('?')[0]} with another body)`
            }
          ])
        }
        if (stored.status === 0) {
          // under way on this instance or another; a marker older than IN_FLIGHT_MS lost its request
          const stale = Date.now() - Date.parse(stored.createdAt) >= IN_FLIGHT_MS
          if (
            stale &&
            (await engine.run(SQL.takeOver, [request.method, request.url, bodyHash, now, owner, key, stored.createdAt])).changes === 1
          ) {
            pending.set(request, { owner, key, bodyHash, claimedAt: now })
            return
          }
          throw new ConflictError('A request with this Idempotency-Key is still being processed; retry when it has been answered.')
        }
        replayed.add(request)
        const headers = JSON.parse(stored.headers) as Record<string, string>
        reply.code(stored.status).headers(headers).header('idempotent-replayed', 'true')
        return reply.send(stored.body)
      }
      throw new ConflictError('A request with this Idempotency-Key is still being processed; retry when it has been answered.')
    }

    const remember: onSendHookHandler = async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
      const p = pending.get(request)
      if (!p || replayed.has(request)) return payload
      pending.delete(request)
      const replay = replayOf(reply, payload)
      if (replay) {
        await engine.run(SQL.answer, [
          replay.status,
          JSON.stringify(replay.headers),
          replay.body,
          new Date().toISOString(),
          p.owner,
          p.key,
          p.claimedAt
        ])
        if (Date.now() - lastPrune > PRUNE_EVERY_MS) await prune()
      } else {
        // not kept (refused, or too large without a Location): the key is free for a retry
        await engine.run(SQL.unclaim, [p.owner, p.key, p.claimedAt])
      }
      return payload
    }

    // an answer that was never sent (the client went away, a hook failed): the claim goes, a retry runs again
    const release = async (request: FastifyRequest) => {
      const p = pending.get(request)
      if (!p) return
      pending.delete(request)
      await engine.run(SQL.unclaim, [p.owner, p.key, p.claimedAt])
    }

    app.addHook('onRoute', (route) => {
      const mode = modeOf(route)
      if (mode === null) return
      if (mode !== 'secret') route.schema = withHeader(route.schema)
      route.preValidation = [...hooksOf(route.preValidation), checkHeader]
      route.preHandler = [...hooksOf(route.preHandler), lookup]
      route.onSend = [...hooksOf(route.onSend), remember]
      route.onResponse = [...hooksOf(route.onResponse), release]
    })
  },
  { name: 'idempotency', dependencies: ['database', 'auth', 'json-body'] }
)

/**
 * What to store to replay a 2xx answer, or null when it cannot be kept: the answer itself while it fits
 * the cap; past it, a 303 See Other to the resource the request wrote.
 */
function replayOf(reply: FastifyReply, payload: unknown): { status: number; headers: Record<string, string>; body: string } | null {
  const status = reply.statusCode
  const body = typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : null
  if (status < 200 || status >= 300 || body === null) return null
  const location = reply.getHeader('location')
  if (Buffer.byteLength(body) > IDEMPOTENCY_MAX_RESPONSE_BYTES) {
    return location === undefined ? null : { status: 303, headers: { location: String(location) }, body: '' }
  }
  const headers: Record<string, string> = {}
  for (const name of KEPT_HEADERS) {
    const value = reply.getHeader(name)
    if (value !== undefined) headers[name] = String(value)
  }
  return { status, headers, body }
}

function hooksOf<T>(hooks: T | T[] | undefined): T[] {
  return hooks === undefined ? [] : Array.isArray(hooks) ? hooks : [hooks]
}
