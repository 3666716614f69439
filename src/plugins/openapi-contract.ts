// What the OpenAPI document says beyond each route's own schema: the statuses every operation can send
// because of the plugins it passes through (auth, rate limits, body parsing, idempotency, conditional
// GETs, the error handler), the response headers they set, who may call it, and examples. Routes declare
// only what is theirs (their 404, 409, 412…); this adds the rest from the route's config, so that the
// document cannot forget a plugin's answer. test/contract/statuses.test.ts checks the result against
// what the server really sends.
import type { RouteOptions } from 'fastify'
import type { Access } from './auth.js'

/** What an operation is, as far as the cross-cutting plugins are concerned. */
export interface OperationFacts {
  method: string
  access: Access
  pollable: boolean
  /** a POST whose answers Idempotency-Key replays */
  idempotent: boolean
  /** counted by the rate limiter (when RATE_LIMIT_MAX is set) */
  rateLimited: boolean
  hasPathParams: boolean
  hasQuery: boolean
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])
/** methods whose body Fastify reads (and so may refuse: 400, 413, 415) */
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])
const PUBLIC_PREFIXES = ['/docs', '/openapi.json', '/healthz', '/readyz']
const RATE_EXEMPT = ['/healthz', '/readyz']

export function factsOf(route: RouteOptions): OperationFacts[] {
  const methods = Array.isArray(route.method) ? route.method : [route.method]
  const config = (route.config ?? {}) as { access?: Access; pollable?: unknown; idempotency?: unknown }
  const schema = (route.schema ?? {}) as { params?: unknown; querystring?: unknown }
  return methods.map((method) => ({
    method,
    access:
      config.access ?? (PUBLIC_PREFIXES.some((p) => route.url.startsWith(p)) ? 'public' : WRITE_METHODS.has(method) ? 'write' : 'read'),
    pollable: config.pollable !== undefined,
    idempotent: method === 'POST' && config.access !== 'public' && config.idempotency !== 'none' && config.idempotency !== 'secret',
    rateLimited: !RATE_EXEMPT.some((p) => route.url.startsWith(p)),
    hasPathParams: route.url.includes(':'),
    hasQuery: schema.querystring !== undefined
  }))
}

/** `/v1/reports/:reportId` → `/v1/reports/{reportId}` */
export const openapiPath = (url: string) => url.replace(/:([A-Za-z0-9_]+)/g, '{$1}')

const PROBLEM = 'application/problem+json'
const ref = (kind: string, name: string) => ({ $ref: `#/components/${kind}/${name}` })

/** Reusable response headers (components.headers). */
export const HEADERS: Record<string, { description: string; schema: Record<string, unknown> }> = {
  'X-Request-Id': {
    description:
      'The request’s id: the caller’s own X-Request-Id when it is 1–128 of `A-Za-z0-9._:@/+=-`, otherwise a new UUID. It is in the log line of the request and in every 5xx problem’s detail.',
    schema: { type: 'string', maxLength: 128 }
  },
  ETag: {
    description:
      'The representation’s tag: send it back in If-None-Match (a 304 when nothing changed) or, for a resource with a revision (`"3"`), in If-Match to write only over that revision.',
    schema: { type: 'string', maxLength: 64 }
  },
  'Cache-Control': {
    description: '`no-cache`: a cache may keep the answer but must revalidate it (If-None-Match) before using it again.',
    schema: { type: 'string', enum: ['no-cache'] }
  },
  Location: {
    description: 'The URL of the resource created (or, on a 303, of the resource the replayed request wrote).',
    schema: { type: 'string', format: 'uri-reference', maxLength: 2000 }
  },
  Link: {
    description: 'On a CSV or XLSX page that has a next one: `<URL of the next page>; rel="next"` (a JSON page says it in `next`).',
    schema: { type: 'string', maxLength: 10000 }
  },
  'Content-Disposition': {
    description: 'For a representation other than JSON: `attachment` (CSV, XLSX) or `inline` (HTML, Markdown), with an ASCII file name.',
    schema: { type: 'string', maxLength: 500 }
  },
  'Idempotent-Replayed': {
    description:
      '`true` when this is the stored first answer to an earlier request with the same Idempotency-Key, replayed: nothing was written this time.',
    schema: { type: 'string', enum: ['true'] }
  },
  'Retry-After': {
    description:
      'Seconds to wait before retrying: until the next request is counted again (429), or until an import worker is likely free (503 from POST /v1/imports).',
    schema: { type: 'integer', minimum: 0, maximum: 86400 }
  },
  'RateLimit-Limit': {
    description:
      'Requests allowed a minute for this client (its API key, or its address without one); sent when the server limits rates (RATE_LIMIT_MAX, on by default; admin keys exempt).',
    schema: { type: 'integer', minimum: 0, maximum: 1000000 }
  },
  'RateLimit-Remaining': { description: 'Requests left in the current minute.', schema: { type: 'integer', minimum: 0, maximum: 1000000 } },
  'RateLimit-Reset': {
    description: 'Seconds until the current minute’s count starts again.',
    schema: { type: 'integer', minimum: 0, maximum: 86400 }
  },
  'WWW-Authenticate': {
    description: 'The Bearer challenge (`error="invalid_token"` for a key that is wrong or revoked).',
    schema: { type: 'string', maxLength: 200 }
  },
  'Content-Language': {
    description:
      'The language of the problem’s title and detail (and of an import’s warnings): `zh-CN` by default, `en` when Accept-Language prefers English.',
    schema: { type: 'string', enum: ['zh-CN', 'en'] }
  }
}

/** Standard problem responses an operation may get from the plugins, by status. */
const STANDARD: Record<string, string> = {
  400: 'Bad request: an invalid query, path or header parameter (`errors` names it), a body that is not valid JSON, or a URL Node cannot parse',
  401: 'No valid API key: a key that is wrong or revoked (on any operation), or none where one is needed (every write; reads too when the server sets READ_REQUIRES_KEY)',
  403: 'The key may not do this: a reader key writing, a non-admin key on keys, or a submitter outside its scope',
  404: 'Not found',
  406: 'None of the media types in Accept can be served',
  409: 'Conflict with the current state (or a request with the same Idempotency-Key still being answered)',
  412: 'The If-Match precondition failed: `currentRevision` says what to re-read',
  413: 'The body is larger than BODY_LIMIT, nested deeper than JSON_MAX_DEPTH, or holds a longer string than JSON_MAX_STRING_LENGTH',
  414: 'A path parameter is too long',
  415: 'Unsupported media type: the detail lists what the operation reads',
  422: 'The body is well-formed but invalid: `errors` points at each field (or an Idempotency-Key reused for another request)',
  429: 'Too many requests this minute for this client (RATE_LIMIT_MAX): wait Retry-After seconds',
  500: 'Internal error: the detail quotes the request id (also in X-Request-Id) to report it by',
  503: 'The database does not answer'
}

/** The statuses an operation can send because of what it passes through. */
export function crossCuttingStatuses(f: OperationFacts): string[] {
  const s = new Set(['400', '500'])
  if (f.access !== 'public') s.add('401')
  if (f.access === 'write' || f.access === 'admin') s.add('403')
  if (f.hasPathParams) s.add('414')
  if (BODY_METHODS.has(f.method)) {
    s.add('413')
    s.add('415')
  }
  if (f.method === 'POST' || f.method === 'PUT' || f.method === 'PATCH') s.add('422')
  if (f.idempotent) {
    s.add('409')
    s.add('422')
  }
  if (f.rateLimited) s.add('429')
  return [...s]
}

type Json = Record<string, unknown>
type Responses = Record<string, Json>

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v)

/** The document, completed; `facts` maps `METHOD path` (OpenAPI form) to the operation's facts. */
export function completeDocument(doc: Json, facts: Map<string, OperationFacts>, examples: Examples): Json {
  const components = (doc.components ??= {}) as Json
  components.headers = { ...(components.headers as Json | undefined), ...HEADERS }
  const paths = doc.paths as Record<string, Record<string, Json>>
  for (const [path, item] of Object.entries(paths)) {
    for (const [method, op] of Object.entries(item)) {
      const f = facts.get(`${method.toUpperCase()} ${path}`)
      if (!f) continue
      completeOperation(op, f)
    }
  }
  addExamples(paths, examples)
  literalUnionsToEnums(doc)
  integerFormats(doc)
  delete doc.security
  return doc
}

const ACCESS: Record<Access, string> = {
  public: 'Access: open to anyone, whatever Authorization says; not rate-limited.',
  read: 'Access: open to anyone unless the server sets READ_REQUIRES_KEY (then any valid API key); a key sent must be valid.',
  key: 'Access: any valid API key, whatever its role.',
  write: 'Access: an API key that may write (admin, or a submitter within its scope); a reader or reviewer key gets a 403.',
  review:
    'Access: an admin, submitter or reviewer API key, each for the acts its role allows within its scope (README: The life of a report); a reader key gets a 403.',
  admin: 'Access: an admin API key.'
}

function completeOperation(op: Json, f: OperationFacts) {
  op.security = f.access === 'public' ? [] : f.access === 'read' ? [{}, { bearerAuth: [] }] : [{ bearerAuth: [] }]
  op.description = `${typeof op.description === 'string' && op.description ? `${op.description}\n\n` : ''}${ACCESS[f.access]}`
  const responses = op.responses as Responses
  for (const status of crossCuttingStatuses(f)) {
    responses[status] ??= { description: STANDARD[status] }
  }
  for (const [status, response] of Object.entries(responses)) {
    const code = Number(status)
    const headers: Json = { 'X-Request-Id': ref('headers', 'X-Request-Id') }
    if (code >= 400) {
      response.description =
        STANDARD[status] && response.description === genericDescription(status) ? STANDARD[status] : response.description
      response.content = { [PROBLEM]: { schema: ref('schemas', 'Problem') } }
      headers['Content-Language'] = ref('headers', 'Content-Language')
      if (code === 401) headers['WWW-Authenticate'] = ref('headers', 'WWW-Authenticate')
      if (code === 429 || (code === 503 && String(response.description).includes('Retry-After')))
        headers['Retry-After'] = ref('headers', 'Retry-After')
    } else {
      const content = response.content as Json | undefined
      const types = content ? Object.keys(content) : []
      const conditionalGet = f.method === 'GET' && (f.pollable || f.hasPathParams) && (code === 200 || code === 304)
      const write =
        (code === 200 || code === 201) && (f.access === 'write' || f.access === 'review' || f.access === 'admin') && hasRevision(response)
      if (conditionalGet || write) headers.ETag = ref('headers', 'ETag')
      if (conditionalGet) headers['Cache-Control'] = ref('headers', 'Cache-Control')
      if (code === 201 || code === 303) headers.Location = ref('headers', 'Location')
      if (types.some((t) => t !== 'application/json')) headers['Content-Disposition'] = ref('headers', 'Content-Disposition')
      if (f.hasQuery && code === 200 && types.some((t) => t === 'text/csv')) headers.Link = ref('headers', 'Link')
      if (op.operationId === 'importReport' && code < 300) headers['Content-Language'] = ref('headers', 'Content-Language')
      if (f.idempotent && code >= 200 && code < 400 && code !== 304) headers['Idempotent-Replayed'] = ref('headers', 'Idempotent-Replayed')
    }
    if (f.rateLimited) {
      headers['RateLimit-Limit'] = ref('headers', 'RateLimit-Limit')
      headers['RateLimit-Remaining'] = ref('headers', 'RateLimit-Remaining')
      headers['RateLimit-Reset'] = ref('headers', 'RateLimit-Reset')
    }
    response.headers = { ...(response.headers as Json | undefined), ...headers }
  }
  op.responses = Object.fromEntries(Object.entries(responses).sort(([a], [b]) => a.localeCompare(b)))
}

/** A write's JSON answer carries its resource's revision, and so its ETag. */
function hasRevision(response: Json): boolean {
  const schema = ((response.content as Json | undefined)?.['application/json'] as Json | undefined)?.schema as Json | undefined
  const target = typeof schema?.$ref === 'string' ? schema.$ref : ''
  return /\/(Agency|Report)$/.test(target)
}

const genericDescription = (status: string) =>
  ({
    400: 'Bad request: a malformed body or an invalid query or path parameter',
    401: 'No valid API key',
    403: 'The key may not do this',
    413: 'The body is too large',
    415: 'Unsupported media type',
    429: 'Too many requests',
    500: 'Internal error'
  })[status]

// ---------------------------------------------------------------- examples

export interface Examples {
  agencyCreate: Json
  agency: Json
  report: Json
  importText: string
}

function addExamples(paths: Record<string, Record<string, Json>>, ex: Examples) {
  const media = (path: string, method: string, where: 'request' | string, type: string): Json | undefined => {
    const op = paths[path]?.[method]
    if (!op) return undefined
    const holder = where === 'request' ? (op.requestBody as Json | undefined) : ((op.responses as Responses)[where] as Json | undefined)
    return (holder?.content as Json | undefined)?.[type] as Json | undefined
  }
  const set = (m: Json | undefined, summary: string, value: unknown) => {
    if (m) m.examples = { sample: { summary, value } }
  }
  set(media('/v1/agencies', 'post', 'request', 'application/json'), 'The sample report’s agency', ex.agencyCreate)
  set(media('/v1/agencies', 'post', '201', 'application/json'), 'The agency created', ex.agency)
  set(media('/v1/agencies/{agencyId}', 'get', '200', 'application/json'), 'The sample report’s agency', ex.agency)
  for (const [path, method, status] of [
    ['/v1/reports', 'post', '201'],
    ['/v1/reports/{reportId}', 'get', '200'],
    ['/v1/reports/{reportId}', 'put', '200'],
    ['/v1/agencies/{agencyId}/reports/{year}', 'get', '200'],
    ['/v1/agencies/{agencyId}/reports/{year}', 'put', '200'],
    ['/v1/agencies/{agencyId}/reports/{year}', 'put', '201']
  ] as const) {
    set(media(path, method, status, 'application/json'), '互助县城市管理综合行政执法局 2025', ex.report)
  }
  set(media('/v1/imports', 'post', 'request', 'text/plain'), 'The opening of a report as copied from its web page', ex.importText)
}

// ---------------------------------------------------------------- enums

/** keys whose contents are values, not schemas: never rewritten */
const VALUES = new Set(['example', 'examples', 'default', 'enum', 'const'])

/**
 * TypeBox writes a union of literals as `anyOf: [{ const }, …]` (and one literal as `const`); Swagger UI
 * offers a drop-down only for `enum`. Each is rewritten as `{ type, enum }`, keeping its description and
 * default. The validators still use the schemas as written: the same values are accepted.
 */
export function literalUnionsToEnums(node: unknown): void {
  if (Array.isArray(node)) {
    for (const item of node) literalUnionsToEnums(item)
    return
  }
  if (!isObject(node)) return
  const branches = node.anyOf ?? node.oneOf
  if (Array.isArray(branches) && branches.length > 0 && branches.every((b) => literalOf(b) !== undefined)) {
    const values = branches.map((b) => literalOf(b)!.value)
    const types = new Set(branches.map((b) => literalOf(b)!.type))
    if (types.size === 1) {
      delete node.anyOf
      delete node.oneOf
      node.type = [...types][0]
      node.enum = values
    }
  } else if ('const' in node && !('enum' in node) && (typeof node.const === 'string' || typeof node.const === 'number')) {
    node.type ??= typeof node.const === 'number' ? 'number' : 'string'
    node.enum = [node.const]
    delete node.const
  }
  for (const [key, value] of Object.entries(node)) if (!VALUES.has(key)) literalUnionsToEnums(value)
}

/** A branch that allows one string or number: `{ const }` or `{ enum: [one] }`, with its type at most. */
function literalOf(b: unknown): { type: string; value: string | number } | undefined {
  if (!isObject(b)) return undefined
  const keys = Object.keys(b).filter((k) => k !== 'type')
  let value: unknown
  if (keys.length === 1 && keys[0] === 'const') value = b.const
  else if (keys.length === 1 && keys[0] === 'enum' && Array.isArray(b.enum) && b.enum.length === 1) value = b.enum[0]
  else return undefined
  if (typeof value === 'string') return { type: 'string', value }
  if (typeof value === 'number') return { type: Number.isInteger(value) && b.type !== 'number' ? 'integer' : 'number', value }
  return undefined
}

/** An integer's format, for generators: int32 when its bounds fit, int64 otherwise (JSON numbers are exact to 2^53). */
function integerFormats(node: unknown): void {
  if (Array.isArray(node)) {
    for (const item of node) integerFormats(item)
    return
  }
  if (!isObject(node)) return
  const type = node.type
  if ((type === 'integer' || (Array.isArray(type) && type.includes('integer'))) && node.format === undefined) {
    const fits = (v: unknown) => typeof v === 'number' && Math.abs(v) <= 2 ** 31 - 1
    node.format = fits(node.minimum) && fits(node.maximum) ? 'int32' : 'int64'
  }
  for (const [key, value] of Object.entries(node)) if (!VALUES.has(key)) integerFormats(value)
}
