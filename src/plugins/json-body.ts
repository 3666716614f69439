// The JSON body parser. Besides the body size limit (BODY_LIMIT, 413), a body may nest arrays and objects
// only so deep and hold no huge string: both are checked on the raw text before it is parsed, because
// V8 takes seconds to parse a few megabytes of `[[[[…` and a 16 MB string is a cheap way to make every
// later step (validation, logs, storage) costly. Keys that could pollute prototypes (`__proto__`,
// `constructor.prototype`) are refused. The raw text is kept on the request for Idempotency-Key hashing, only
// when the request carries that header: a 1 000-report batch is some 11 MB of text that would otherwise stay on
// the heap for as long as the batch is written.
import fp from 'fastify-plugin'
import sjson from 'secure-json-parse'
import createError from '@fastify/error'
import { errorCodes, type FastifyInstance, type FastifyRequest } from 'fastify'
import { badParameters } from '../errors.js'

declare module 'fastify' {
  interface FastifyRequest {
    /** the JSON body as received, kept until it is hashed when the request carries Idempotency-Key (else null) */
    rawBody: string | null
  }
}

export interface JsonLimits {
  /** deepest nesting of arrays and objects */
  maxDepth: number
  /** longest string (keys included), in UTF-16 code units as sent, escapes included */
  maxStringLength: number
}

export const DEFAULT_JSON_LIMITS: JsonLimits = { maxDepth: 32, maxStringLength: 1024 * 1024 }

const TooLarge = createError<[string]>('NIANBAO_TOO_LARGE', '%s', 413)

/**
 * The first limit the JSON text breaks, or null. One pass over the text; strings are skipped with
 * indexOf. Malformed text is not judged here: JSON.parse rejects it next.
 */
export function scanJson(text: string, limits: JsonLimits): 'depth' | 'string' | null {
  let depth = 0
  const n = text.length
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i)
    if (c === 0x22) {
      let end = i + 1
      for (;;) {
        end = text.indexOf('"', end)
        if (end === -1) return null
        let backslashes = 0
        for (let k = end - 1; text.charCodeAt(k) === 0x5c; k--) backslashes++
        if (backslashes % 2 === 0) break
        end++
      }
      if (end - i - 1 > limits.maxStringLength) return 'string'
      i = end
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > limits.maxDepth) return 'depth'
    } else if (c === 0x5d || c === 0x7d) depth--
  }
  return null
}

/** Parses a JSON body under the limits; throws the 400 or 413 to answer with. */
export function parseJsonBody(text: string, limits: JsonLimits): unknown {
  if (text.length === 0) throw new errorCodes.FST_ERR_CTP_EMPTY_JSON_BODY()
  const breach = scanJson(text, limits)
  if (breach === 'depth') {
    throw badParameters(`The body nests arrays and objects deeper than ${limits.maxDepth} levels (JSON_MAX_DEPTH).`, [
      { pointer: '', message: `nests deeper than ${limits.maxDepth} levels` }
    ])
  }
  if (breach === 'string') {
    throw new TooLarge(`A string in the body is longer than ${limits.maxStringLength} characters (JSON_MAX_STRING_LENGTH).`)
  }
  try {
    return sjson.parse(text, null, { protoAction: 'error', constructorAction: 'error' })
  } catch (err) {
    if (err instanceof SyntaxError && /forbidden prototype property/.test(err.message)) {
      throw badParameters('The body holds a key that is never accepted (`__proto__`, or `constructor` with `prototype`).', [
        { pointer: '', message: 'holds a forbidden key' }
      ])
    }
    throw new errorCodes.FST_ERR_CTP_INVALID_JSON_BODY()
  }
}

export default fp(
  async function jsonBody(app: FastifyInstance, opts: Partial<JsonLimits>) {
    const limits: JsonLimits = {
      maxDepth: opts.maxDepth ?? DEFAULT_JSON_LIMITS.maxDepth,
      maxStringLength: opts.maxStringLength ?? DEFAULT_JSON_LIMITS.maxStringLength
    }
    app.decorateRequest('rawBody', null)
    app.addContentTypeParser('application/json', { parseAs: 'string' }, async (request: FastifyRequest, body: string | Buffer) => {
      const text = typeof body === 'string' ? body : body.toString('utf8')
      if (request.headers['idempotency-key'] !== undefined) request.rawBody = text
      return parseJsonBody(text, limits)
    })
  },
  { name: 'json-body' }
)
