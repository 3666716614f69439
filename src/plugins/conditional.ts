// Conditional GETs for everything a client polls: lists, aggregates, statistics, findings, coverage,
// regions and the metric catalog. A route declares it with `config: { pollable: … }`; nothing else in the
// route changes.
//
// The ETag is derived, before the handler runs, from what the answer depends on:
// - the database's data version (`dataVersion()` of the storage engine: it moves with every committed
//   write, by this process or any other), for answers read from stored data; nothing for `static` ones;
// - the request: its URL (path and query), its Accept header (JSON or CSV), and the scope of its API key;
// - this process's epoch (random at start): a data version is only comparable within one process (SQLite
//   counts per connection), and a new start may run new code. A client moving to another instance, or
//   polling across a restart, gets one full answer, never a wrong 304.
// So an If-None-Match holding the current tag is answered 304 at once, without reading anything; and
// after any write the tag changes, so no client is ever told that a stale answer is still good.
//
// `cache: true` also keeps the serialized answer in memory under its tag (a bounded LRU, emptied when the
// data version moves): a repeated question is answered without running the handler. The aggregates,
// coverage and findings summary use it; lists keep their first pages (`cache: 'first-page'`: asked without a
// cursor), the ones dashboards poll, and read every later page afresh.
//
// Every pollable answer carries `Cache-Control: no-cache`: caches may keep it, but must ask again.
import { createHash, randomUUID } from 'node:crypto'
import fp from 'fastify-plugin'
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify'
import type { ApiKey } from '../auth/keys.js'

export interface Pollable {
  /** `data`: the answer is read from stored data (the default); `static`: it depends only on the URL */
  source?: 'data' | 'static'
  /**
   * keep the serialized answer in memory until the data version moves: `true` for every answer, `first-page`
   * for the pages of a list asked without a cursor (the pages dashboards poll; a mirror paging through the
   * whole list asks each later page once, and those would only push the aggregates out)
   */
  cache?: boolean | 'first-page'
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** the route may be polled: ETag, 304 on If-None-Match, Cache-Control; see plugins/conditional.ts */
    pollable?: true | Pollable
  }
  interface FastifyRequest {
    /** the ETag of this request's answer, when its route is pollable */
    pollTag: string | null
  }
}

export interface ConditionalOptions {
  /** the storage engine's data version (a string when known at once: no promise is made per request) */
  dataVersion: () => Promise<string> | string
  /** bytes of serialized answers kept in memory (default 32 MiB); an answer larger than an eighth of it is not kept */
  cacheBytes?: number
}

export const CACHE_CONTROL = 'no-cache'
const NOT_MODIFIED =
  'Not modified: If-None-Match holds the current ETag (every 200 of this operation carries one, with Cache-Control: no-cache; the tag changes with any write)'
/** response headers a cached answer keeps (the others are set again for each request) */
const KEPT_HEADERS = ['content-type', 'content-disposition', 'link', 'vary'] as const
/** questions whose tags are remembered until the data version moves */
const MAX_TAGS = 4096

interface Cached {
  /** the answer as bytes: encoded once, not again for every request it answers */
  body: Buffer
  headers: Array<[string, string]>
  bytes: number
}

/** Whether an If-None-Match header lists this tag (weak comparison, RFC 9110 §13.1.2), or is `*`. */
export function ifNoneMatch(header: string | undefined, tag: string): boolean {
  if (header === undefined) return false
  const opaque = tag.startsWith('W/') ? tag.slice(2) : tag
  if (header === tag || header === opaque) return true
  for (const part of header.split(',')) {
    const t = part.trim()
    if (t === '*' || t === opaque || t === `W/${opaque}`) return true
  }
  return false
}

/** The Accept headers that all mean JSON share their tags; any other names its own representation. */
function representationOf(accept: string | undefined): string {
  return accept === undefined || accept === '' || accept === '*/*' || accept === 'application/json' ? '' : accept
}

/** What of the key can change an answer: its role and its scope, not which key of that scope it is. */
function scopeOf(key: ApiKey | null): string {
  if (!key) return ''
  return `${key.role}|${(key.regions ?? []).join(',')}|${(key.agencies ?? []).join(',')}`
}

export default fp(
  async function conditional(app: FastifyInstance, opts: ConditionalOptions) {
    const epoch = randomUUID()
    const budget = opts.cacheBytes ?? 32 * 2 ** 20
    const cache = new Map<string, Cached>()
    let cachedVersion = ''
    let used = 0

    // the tags of the questions asked since the data version last moved: a poller asks the same one again and
    // again, and a map lookup costs a tenth of a hash (bounded: a client may vary its URLs without end)
    const tags = new Map<string, string>()
    let taggedVersion = ''
    const tagOf = (request: FastifyRequest, version: string) => {
      const question = `${request.url}\n${representationOf(request.headers.accept)}\n${scopeOf(request.apiKey)}`
      if (version !== taggedVersion || tags.size >= MAX_TAGS) {
        tags.clear()
        taggedVersion = version
      }
      let tag = tags.get(question)
      if (tag === undefined) {
        const hash = createHash('sha1').update(`${epoch}\n${version}\n${question}`).digest('base64url')
        tag = `W/"${hash.slice(0, 22)}"`
        tags.set(question, tag)
      }
      return tag
    }

    const remember = (tag: string, version: string, text: string, reply: FastifyReply) => {
      // n UTF-16 units are at least n bytes of UTF-8: a string that long is not encoded to be thrown away
      if (text.length > budget / 8) return
      const body = Buffer.from(text)
      const bytes = body.length
      if (bytes > budget / 8) return
      if (version !== cachedVersion) {
        cache.clear()
        used = 0
        cachedVersion = version
      }
      const headers: Array<[string, string]> = []
      for (const name of KEPT_HEADERS) {
        const value = reply.getHeader(name)
        if (value !== undefined) headers.push([name, String(value)])
      }
      while (used + bytes > budget && cache.size > 0) {
        const [oldest, entry] = cache.entries().next().value!
        cache.delete(oldest)
        used -= entry.bytes
      }
      cache.set(tag, { body, headers, bytes })
      used += bytes
    }

    app.decorateRequest('pollTag', null)

    app.addHook('onRoute', (route: RouteOptions) => {
      const declared = route.config?.pollable
      if (declared === undefined) return
      const { source = 'data', cache: keep = false }: Pollable = declared === true ? {} : declared
      // the OpenAPI document says so
      if (route.schema?.response && typeof route.schema.response === 'object') {
        const response = route.schema.response as Record<string, unknown>
        response[304] ??= { type: 'null', description: NOT_MODIFIED }
      }
      const versions = new WeakMap<FastifyRequest, string>()

      /** Answers 304, or 200 from the cache, or lets the route run (false). */
      const answer = (request: FastifyRequest, reply: FastifyReply, version: string): boolean => {
        const tag = tagOf(request, version)
        request.pollTag = tag
        reply.header('etag', tag).header('cache-control', CACHE_CONTROL)
        if (ifNoneMatch(request.headers['if-none-match'], tag)) {
          reply.code(304).send()
          return true
        }
        if (!keep || (keep === 'first-page' && (request.query as Record<string, unknown> | undefined)?.cursor !== undefined)) return false
        const hit = version === cachedVersion ? cache.get(tag) : undefined
        if (hit !== undefined) {
          // most recently used last
          cache.delete(tag)
          cache.set(tag, hit)
          for (const [name, value] of hit.headers) reply.header(name, value)
          reply.code(200).send(hit.body)
          return true
        }
        versions.set(request, version)
        return false
      }
      // a callback hook, not an async one: when the engine knows its data version at once (SQLite on a
      // file), a 304 or a cached answer is given without a promise or a turn of the microtask queue
      const onRequest = (request: FastifyRequest, reply: FastifyReply, done: (err?: Error) => void) => {
        const version = source === 'static' ? 'static' : opts.dataVersion()
        if (typeof version === 'string') {
          if (!answer(request, reply, version)) done()
          return
        }
        version.then(
          (v) => {
            let answered: boolean
            try {
              answered = answer(request, reply, v)
            } catch (err) {
              return done(err as Error)
            }
            if (!answered) done()
          },
          (err: Error) => done(err)
        )
      }
      const onSend = (
        request: FastifyRequest,
        reply: FastifyReply,
        payload: unknown,
        done: (err: Error | null, payload?: unknown) => void
      ) => {
        const version = versions.get(request)
        if (version !== undefined && reply.statusCode === 200 && typeof payload === 'string' && request.pollTag !== null) {
          remember(request.pollTag, version, payload, reply)
        }
        done(null, payload)
      }
      route.onRequest = [...toArray(route.onRequest), onRequest]
      if (keep) route.onSend = [...toArray(route.onSend), onSend]
    })
  },
  { name: 'conditional', dependencies: ['auth'] }
)

const toArray = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value])
