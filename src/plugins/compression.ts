// Compression of large answers (JSON, CSV, HTML, Markdown) for clients that accept it: Brotli or gzip, as
// Accept-Encoding prefers (Brotli when both are equally welcome). Small answers are sent as they are: below
// `threshold` bytes compressing costs more CPU than the bytes it saves (a 304, a problem, a single agency).
//
// - `Vary: Accept-Encoding` on every answer that could have been compressed (compressible type, over the
//   threshold), compressed or not, so that a shared cache keeps the variants apart.
// - ETags: a weak tag (`W/"…"`, the pollable routes') names the content whatever its encoding and is kept;
//   a strong tag (`"3"`, a document's revision) gets the encoding appended (`"3+br"`, `"3+gzip"`), since the
//   bytes differ. Those tags name the same revision for If-None-Match and If-Match (src/preconditions.ts).
// - A weak tag names one answer exactly, so the compressed bytes are kept under it (a bounded LRU): a
//   dashboard that polls the same aggregate with gzip gets it compressed once per data version.
// - Runs as the last onSend hook of each route, after the conditional plugin has kept the plain answer.
// Streams and answers already encoded are left alone.
import { brotliCompressSync, constants, gzipSync, brotliCompress, gzip } from 'node:zlib'
import { promisify } from 'node:util'
import fp from 'fastify-plugin'
import { Negotiator } from '@fastify/accept-negotiator'
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify'

export type Encoding = 'br' | 'gzip'

export interface CompressionOptions {
  /** bytes under which an answer is sent as it is (default 1 KiB) */
  threshold?: number
  /** bytes of compressed answers kept by their weak ETag (default 8 MiB) */
  cacheBytes?: number
}

export const DEFAULT_THRESHOLD = 1024
/** above this, compression runs on the thread pool instead of the event loop */
const ASYNC_FROM = 128 * 1024
const COMPRESSIBLE = /^(?:application\/(?:json|problem\+json|xml)|text\/(?:csv|html|markdown|plain|css|javascript))\b/
// Brotli at quality 4 compresses JSON better than gzip -6, and faster; 11 (zlib's default) is for files
const BROTLI = { params: { [constants.BROTLI_PARAM_QUALITY]: 4, [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT } }
const GZIP = { level: 6 }
const brotliAsync = promisify(brotliCompress)
const gzipAsync = promisify(gzip)

function compressSync(encoding: Encoding, data: Buffer): Buffer {
  return encoding === 'br' ? brotliCompressSync(data, BROTLI) : gzipSync(data, GZIP)
}
function compressAsync(encoding: Encoding, data: Buffer): Promise<Buffer> {
  return encoding === 'br' ? brotliAsync(data, BROTLI) : gzipAsync(data, GZIP)
}

/** The encoding to send, by the client's Accept-Encoding (q-values honoured; identity when none fits). */
export function createEncodingNegotiator() {
  const negotiator = new Negotiator({ supportedValues: ['br', 'gzip'] })
  // headers come from clients: remember a bounded number of them
  const seen = new Map<string, Encoding | null>()
  return (header: string | undefined): Encoding | null => {
    if (header === undefined || header === '' || header === 'identity') return null
    let choice = seen.get(header)
    if (choice === undefined) {
      choice = negotiator.negotiate(header) as Encoding | null
      if (seen.size < 256) seen.set(header, choice)
    }
    return choice
  }
}

/** `Vary` with `Accept-Encoding` added to what it already names. */
function addVary(reply: FastifyReply) {
  const current = reply.getHeader('vary')
  if (current === undefined || current === '') return void reply.header('vary', 'Accept-Encoding')
  const text = String(current)
  if (text === '*' || /(?:^|,)\s*accept-encoding\s*(?:,|$)/i.test(text)) return
  reply.header('vary', `${text}, Accept-Encoding`)
}

/** The tag of the encoded representation: weak tags stay, strong ones get `+encoding`. */
export function encodedTag(tag: string, encoding: Encoding): string {
  return tag.startsWith('W/') || !tag.endsWith('"') ? tag : `${tag.slice(0, -1)}+${encoding}"`
}

export default fp(
  async function compression(app: FastifyInstance, opts: CompressionOptions) {
    const threshold = opts.threshold ?? DEFAULT_THRESHOLD
    const budget = opts.cacheBytes ?? 8 * 2 ** 20
    const negotiate = createEncodingNegotiator()
    const kept = new Map<string, Buffer>()
    let used = 0

    const keep = (key: string, data: Buffer) => {
      if (data.length > budget / 8) return
      while (used + data.length > budget && kept.size > 0) {
        const [oldest, entry] = kept.entries().next().value!
        kept.delete(oldest)
        used -= entry.length
      }
      kept.set(key, data)
      used += data.length
    }

    /**
     * The answer to send: the payload as it is, or compressed (synchronously below ASYNC_FROM bytes, else a promise).
     * A callback hook around it (below) so that the answers sent as they are — most of them — need no promise.
     */
    const encode = (request: FastifyRequest, reply: FastifyReply, payload: unknown): unknown => {
      const status = reply.statusCode
      if (status === 304) {
        // the tag the client holds for its variant is the one to confirm
        const tag = reply.getHeader('etag')
        const encoding = typeof tag === 'string' && !tag.startsWith('W/') ? negotiate(request.headers['accept-encoding']) : null
        if (encoding !== null && request.headers['if-none-match']?.includes(encodedTag(tag as string, encoding))) {
          reply.header('etag', encodedTag(tag as string, encoding))
        }
        return payload
      }
      if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return payload
      // string length counts UTF-16 units: at least as many bytes when encoded
      if (payload.length < threshold || reply.hasHeader('content-encoding')) return payload
      const type = reply.getHeader('content-type')
      if (typeof type !== 'string' || !COMPRESSIBLE.test(type)) return payload
      addVary(reply)
      const encoding = negotiate(request.headers['accept-encoding'])
      if (encoding === null) return payload
      const tag = reply.getHeader('etag')
      const weak = typeof tag === 'string' && tag.startsWith('W/')
      const key = weak ? `${encoding} ${tag}` : ''
      const encoded = (data: Buffer) => {
        reply.header('content-encoding', encoding)
        if (typeof tag === 'string') reply.header('etag', encodedTag(tag, encoding))
        return data
      }
      const hit = weak ? kept.get(key) : undefined
      if (hit !== undefined) {
        kept.delete(key)
        kept.set(key, hit)
        return encoded(hit)
      }
      const plain = typeof payload === 'string' ? Buffer.from(payload) : payload
      if (plain.length < threshold) return payload
      const remember = (data: Buffer) => {
        if (weak && status === 200) keep(key, data)
        return encoded(data)
      }
      return plain.length >= ASYNC_FROM ? compressAsync(encoding, plain).then(remember) : remember(compressSync(encoding, plain))
    }
    const onSend = (
      request: FastifyRequest,
      reply: FastifyReply,
      payload: unknown,
      done: (err: Error | null, payload?: unknown) => void
    ) => {
      const answer = encode(request, reply, payload)
      if (answer instanceof Promise) answer.then((data) => done(null, data), done)
      else done(null, answer)
    }

    // the last onSend hook of every route declared after this plugin (see the top of this file)
    app.addHook('onRoute', (route: RouteOptions) => {
      route.onSend = [...toArray(route.onSend), onSend]
    })
  },
  { name: 'compression', dependencies: ['conditional'] }
)

const toArray = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value])
