// Thousands of malformed and hostile requests at every write endpoint (and the reads): never a 5xx, every
// error is problem+json without internals, and a request that must be refused changes not one byte of the
// database (a digest of every row of every table, before and after).
//
// Each write request carries at least one fault that must get it refused, whatever else is random in it:
// a missing, unknown, revoked or reader key; a hostile body; a wrong content type; a stale or junk If-Match;
// a bad path parameter; an unknown query parameter; a bad or reused Idempotency-Key.
import { getTableName, is, Table } from 'drizzle-orm'
import * as schema from '../../db/schema.js'
import t from 'tap'
import fc from 'fast-check'
import { createHash } from 'node:crypto'
import { ADMIN_KEY, buildTestApp, createAgency, json, sampleReport } from '../helper.js'

const app = await buildTestApp()
t.teardown(() => app.close())

// --- the state the requests aim at -------------------------------------------------------------------
const agencyId = await createAgency(app, { name: '模糊测试局', regionCode: '630223' })
const emptyAgencyId = await createAgency(app, { name: '无报告局', regionCode: '630223' })
const report = json(await app.inject({ method: 'PUT', url: `/v1/agencies/${agencyId}/reports/2025`, payload: sampleReport(agencyId) }))
const makeKey = async (body: object) => json(await app.inject({ method: 'POST', url: '/v1/keys', payload: body }))
const reader = await makeKey({ name: '只读', role: 'reader' })
// the workflow's writes: a submitter's draft (which may be submitted), and a finding of the stored report
const submitter = await makeKey({ name: '填报', role: 'submitter', regions: ['630223'] })
const draft = json(
  await app.injectAs(submitter.key, {
    method: 'PUT',
    url: `/v1/agencies/${agencyId}/reports/2024`,
    payload: sampleReport(agencyId, { year: 2024 })
  })
)
const finding = json(await app.inject(`/v1/findings?reportId=${report.id}&limit=1`)).items[0] as { id: number } | undefined
const revoked = await makeKey({ name: '已吊销', role: 'submitter', regions: ['6302'] })
await app.inject({ method: 'DELETE', url: `/v1/keys/${revoked.id}` })
const agencyBody = () => ({ name: '新局', regionCode: '630223', level: 'county', kind: 'department' })
const SEEDED_IDEMPOTENCY_KEY = 'seeded-key-0001'
await app.inject({
  method: 'POST',
  url: '/v1/agencies',
  headers: { 'idempotency-key': SEEDED_IDEMPOTENCY_KEY },
  payload: { ...agencyBody(), name: '幂等局' }
})

/** Every table nianbao keeps, in a fingerprint: each table's rows, in a fixed order whatever the engine. */
const TABLES = Object.values(schema)
  .filter((v) => is(v, Table))
  .map((table) => getTableName(table as Table))
async function digest(): Promise<string> {
  const hash = createHash('sha256')
  for (const table of TABLES) {
    hash.update(`\n#${table}\n`)
    const rows = (await app.engine.all(`SELECT * FROM ${table}`)).map((row) => JSON.stringify(row)).sort()
    for (const row of rows) hash.update(row)
  }
  return hash.digest('hex')
}

// --- the endpoints -----------------------------------------------------------------------------------
interface Endpoint {
  method: 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  path: string
  params?: Record<string, string | number>
  /** a body that would be accepted: the fault alone must get the request refused */
  body?: () => unknown
  /** takes `?strict` (and refuses unknown query parameters) */
  strictQuery?: boolean
  /** honours If-Match */
  ifMatch?: boolean
}

const { agencyId: _a, year: _y, ...replaceBody } = sampleReport(agencyId)
const WRITES: Endpoint[] = [
  { method: 'POST', path: '/v1/agencies', body: agencyBody },
  { method: 'PATCH', path: '/v1/agencies/{agencyId}', params: { agencyId }, body: () => ({ name: '改名局' }), ifMatch: true },
  { method: 'DELETE', path: '/v1/agencies/{agencyId}', params: { agencyId: emptyAgencyId }, ifMatch: true },
  { method: 'POST', path: '/v1/reports', body: () => sampleReport(agencyId, { year: 2024 }), strictQuery: true },
  { method: 'POST', path: '/v1/reports/batch', body: () => ({ reports: [sampleReport(agencyId, { year: 2023 })] }), strictQuery: true },
  {
    method: 'PUT',
    path: '/v1/reports/{reportId}',
    params: { reportId: report.id },
    body: () => structuredClone(replaceBody),
    strictQuery: true,
    ifMatch: true
  },
  { method: 'DELETE', path: '/v1/reports/{reportId}', params: { reportId: report.id }, ifMatch: true },
  {
    method: 'PUT',
    path: '/v1/agencies/{agencyId}/reports/{year}',
    params: { agencyId, year: 2025 },
    body: () => sampleReport(agencyId),
    strictQuery: true,
    ifMatch: true
  },
  {
    method: 'POST',
    path: '/v1/reports/{reportId}/transitions',
    params: { reportId: draft.id },
    body: () => ({ to: 'submitted' }),
    ifMatch: true
  },
  {
    method: 'POST',
    path: '/v1/reports/{reportId}/corrections',
    params: { reportId: report.id },
    body: () => ({ reason: '更正表三新收申请数。', report: structuredClone(replaceBody) }),
    ifMatch: true
  },
  { method: 'PATCH', path: '/v1/findings/{findingId}', params: { findingId: finding?.id ?? 1 }, body: () => ({ status: 'confirmed' }) },
  { method: 'POST', path: '/v1/keys', body: () => ({ name: '新钥', role: 'reader' }) },
  { method: 'DELETE', path: '/v1/keys/{keyId}', params: { keyId: reader.id } }
]
/** POSTs open to readers that store nothing (an import stores only with `commit=true` and a writer's key) */
const READ_POSTS: Endpoint[] = [
  { method: 'POST', path: '/v1/validate', body: () => sampleReport(agencyId) },
  { method: 'POST', path: '/v1/imports', body: () => '2025年政府信息公开工作年度报告' }
]

t.test('every write operation of the API is fuzzed here', async (t) => {
  const doc = app.swagger() as { paths: Record<string, Record<string, unknown>> }
  const documented = Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.keys(item)
      .filter((m) => m !== 'get')
      .map((m) => `${m.toUpperCase()} ${path}`)
  )
  const fuzzed = [...WRITES, ...READ_POSTS].map((e) => `${e.method} ${e.path}`)
  t.same(
    documented.filter((op) => !fuzzed.includes(op)),
    [],
    'a new write endpoint must be added to WRITES'
  )
})

// --- hostile pieces ----------------------------------------------------------------------------------
const NOT_AN_ID = [
  '0',
  '-1',
  'abc',
  '1.5',
  '1e400',
  '9007199254740993',
  '99999999',
  '%E4%B8%AD',
  '%00',
  '%',
  '%zz',
  'x'.repeat(150),
  '..%2F..%2Fetc',
  '%20',
  'null',
  'true',
  '[]',
  ''
]
const NOT_A_YEAR = ['1999', '2101', 'abc', '2025.5', '%00', '-2025', '1e400']
const textArb = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary-ascii', maxLength: 40 })
)
const asciiArb = fc.string({ unit: 'binary-ascii', maxLength: 60 })
/** header values a client could send (no CR/LF) */
const headerTextArb = fc.oneof(
  asciiArb,
  fc.string({ unit: fc.integer({ min: 0x20, max: 0xff }).map((c) => String.fromCharCode(c)), maxLength: 60 })
)

const authFaultArb: fc.Arbitrary<string | undefined> = fc.oneof(
  fc.constant(undefined),
  fc.constantFrom(
    '',
    'Bearer',
    'Bearer ',
    `Bearer ${reader.key}`,
    `Bearer ${revoked.key}`,
    `bearer  ${ADMIN_KEY} extra`,
    ADMIN_KEY,
    `Basic ${Buffer.from(`admin:${ADMIN_KEY}`).toString('base64')}`,
    `Bearer ${ADMIN_KEY.toUpperCase()}`,
    `Bearer ${ADMIN_KEY}\u0000`,
    `Bearer ${'x'.repeat(600)}`,
    'Bearer nbk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
    `Bearer ${ADMIN_KEY.slice(0, -1)}`
  ),
  headerTextArb,
  headerTextArb.map((s) => `Bearer ${s}`)
)

/** JSON tokens that are never a valid value for a number (or null) field, raw text included */
const NOT_A_NUMBER = [
  '1e400',
  '-1e400',
  'NaN',
  'Infinity',
  '-Infinity',
  '01',
  '0x10',
  '.5',
  '+1',
  '"NaN"',
  '"Infinity"',
  '"1"',
  '"１２"',
  '"-0"',
  '{}',
  '[]',
  'true',
  'false',
  '"\\ud800"',
  '"\\u0000"',
  '9'.repeat(400),
  '[1]',
  '{"__proto__":1}',
  '{"constructor":{"prototype":{"x":1}}}'
]
/** …and for a string field */
const NOT_A_STRING = [
  '0',
  '-1',
  '1e400',
  'true',
  '{}',
  '[]',
  '[["x"]]',
  '{"a":"b"}',
  'NaN',
  '"unterminated',
  '"\\x41"',
  '{"__proto__":{"x":1}}'
]
/** …and for a field that is null (a blank cell, or a text that may be a string too) */
const NOT_A_NULLABLE = ['{}', '[]', 'true', 'false', '[null]', '{"a":null}', 'NaN', 'Infinity', '"\\ud800', '{"__proto__":null}']

interface Leaf {
  path: Array<string | number>
  value: unknown
}
function leaves(value: unknown, path: Array<string | number> = [], out: Leaf[] = []): Leaf[] {
  if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) leaves(v, [...path, Array.isArray(value) ? Number(k) : k], out)
  } else out.push({ path, value })
  return out
}
const PLACEHOLDER = '\u0000fuzz-placeholder\u0000'
/** The body's JSON with one field replaced by a raw token. */
function withToken(body: unknown, path: Array<string | number>, token: string): string {
  const copy = structuredClone(body) as Record<string | number, unknown>
  let node = copy
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>
  node[path[path.length - 1]] = PLACEHOLDER
  return JSON.stringify(copy).replace(JSON.stringify(PLACEHOLDER), token)
}

/** A body, as text, that no write endpoint accepts. */
function hostileBodyArb(valid: unknown): fc.Arbitrary<string> {
  const fields = typeof valid === 'object' && valid !== null ? leaves(valid) : []
  const mutated = fields.length
    ? fc
        .constantFrom(...fields)
        .chain((leaf) =>
          fc
            .constantFrom(...(typeof leaf.value === 'string' ? NOT_A_STRING : leaf.value === null ? NOT_A_NULLABLE : NOT_A_NUMBER))
            .map((token) => withToken(valid, leaf.path, token))
        )
    : fc.constant('{"x":')
  const objectWith = (key: string, value: string) => JSON.stringify(valid).replace(/^\{/, `{${JSON.stringify(key)}:${value},`)
  return fc.oneof(
    { weight: 6, arbitrary: mutated },
    {
      weight: 2,
      arbitrary: fc
        .constantFrom('__proto__', 'constructor')
        .chain((key) =>
          fc
            .constantFrom('{"prototype":{"isAdmin":true}}', '{"isAdmin":true}', 'null')
            .map((v) =>
              key === 'constructor' && v !== '{"prototype":{"isAdmin":true}}' ? objectWith(key, '{"prototype":{}}') : objectWith(key, v)
            )
        )
    },
    {
      weight: 2,
      arbitrary: fc.tuple(textArb, fc.jsonValue()).map(([key, value]) => objectWith(`x-${key}`, JSON.stringify(value) ?? 'null'))
    },
    { weight: 2, arbitrary: fc.integer({ min: 33, max: 20_000 }).map((depth) => `{"name":${'['.repeat(depth)}${']'.repeat(depth)}}`) },
    { weight: 2, arbitrary: textArb },
    { weight: 2, arbitrary: fc.json().filter((text) => !text.startsWith('{')) },
    {
      weight: 1,
      arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify({ [`unknown\u202e${String(Math.random()).slice(2, 5)}`]: v }))
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '',
        ' ',
        '{',
        '{"a":1,}',
        '[1,2',
        '{"name":"\\x"}',
        "{'name':'x'}",
        '\u0000',
        '\ufeff{}',
        'null',
        '{}',
        '[]',
        `{"name":"${'长'.repeat(1024 * 1024 + 1)}"}`
      )
    }
  )
}

const CONTENT_TYPES_JSON = ['application/json', 'application/json; charset=utf-8', 'Application/JSON']
const WRONG_CONTENT_TYPES = [
  'text/xml',
  'application/xml',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/octet-stream',
  'application/jsonx',
  'image/png',
  'json',
  '*/*'
]

const expandPath = (e: Endpoint, override: Record<string, string> = {}) =>
  e.path.replace(/\{(\w+)\}/g, (_, name: string) => override[name] ?? String(e.params?.[name]))

interface Fuzzed {
  fault: string
  method: string
  url: string
  headers: Record<string, string>
  payload?: string
}

function request(e: Endpoint, fault: string, parts: Partial<Fuzzed> & { authorization?: string | null }): Fuzzed {
  const headers: Record<string, string> = { ...(parts.headers ?? {}) }
  if (parts.authorization !== null) headers.authorization = parts.authorization ?? `Bearer ${ADMIN_KEY}`
  let payload = parts.payload
  if (payload === undefined && e.body && e.method !== 'DELETE') {
    const body = e.body()
    payload = typeof body === 'string' ? body : JSON.stringify(body)
    headers['content-type'] ??= typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json'
  }
  return { fault, method: e.method, url: parts.url ?? expandPath(e), headers, payload }
}

function faultyWriteArb(e: Endpoint): fc.Arbitrary<Fuzzed> {
  const valid = e.body?.()
  const faults: Array<fc.Arbitrary<Fuzzed>> = [
    authFaultArb.map((authorization) => request(e, 'auth', { authorization: authorization ?? null }))
  ]
  if (e.body && e.method !== 'DELETE' && typeof valid !== 'string') {
    faults.push(
      fc
        .tuple(hostileBodyArb(valid), fc.constantFrom(...CONTENT_TYPES_JSON))
        .map(([payload, type]) => request(e, 'body', { payload, headers: { 'content-type': type } })),
      fc
        .tuple(fc.constantFrom(...WRONG_CONTENT_TYPES, null))
        .map(([type]) =>
          request(e, 'content-type', { payload: JSON.stringify(valid), headers: type === null ? {} : { 'content-type': type } })
        )
    )
  }
  if (e.params) {
    faults.push(
      fc
        .constantFrom(...Object.keys(e.params))
        .chain((name) =>
          fc
            .constantFrom(...(name === 'year' ? NOT_A_YEAR : NOT_AN_ID))
            .map((bad) => request(e, 'path', { url: expandPath(e, { [name]: bad }) }))
        )
    )
  }
  if (e.ifMatch) {
    const junk = headerTextArb.filter((s) => s.trim() !== '*' && !/"0*1"/.test(s))
    const stale = fc.constantFrom(
      '"999"',
      '"0"',
      '"2"',
      'W/"1"',
      '"1 "',
      '1',
      '"1"x',
      '"-1"',
      `"${'9'.repeat(16)}"`,
      '"abc"',
      '"999", "998"'
    )
    faults.push(fc.oneof(junk, stale).map((ifMatch) => request(e, 'if-match', { headers: { 'if-match': ifMatch } })))
    if (e.path.endsWith('/reports/{year}')) faults.push(fc.constant(request(e, 'if-none-match', { headers: { 'if-none-match': '*' } })))
  }
  if (e.strictQuery) {
    const unknown = fc.tuple(textArb, textArb).map(([k, v]) => `x${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    const badStrict = fc.constantFrom(
      'strict=maybe',
      'strict=2',
      'strict=yes',
      'strict=%',
      'strict=true&strict=false',
      '__proto__=1',
      'constructor=x',
      'strict[]=true',
      'strict=tru%00e'
    )
    faults.push(fc.oneof(unknown, badStrict).map((query) => request(e, 'query', { url: `${expandPath(e)}?${query}` })))
  }
  if (e.method === 'POST') {
    const badKey = fc.oneof(
      fc.constantFrom('', ' ', 'two words', 'x'.repeat(256), 'é', 'tab\tkey', '\u0000'),
      headerTextArb.filter((s) => !/^[\x21-\x7e]{1,255}$/.test(s.trim()))
    )
    faults.push(badKey.map((key) => request(e, 'idempotency-key', { headers: { 'idempotency-key': key } })))
    if (e.path === '/v1/agencies') {
      faults.push(fc.constant(request(e, 'idempotency-reuse', { headers: { 'idempotency-key': SEEDED_IDEMPOTENCY_KEY } })))
    }
  }
  return fc.oneof(...faults)
}

/** Requests to the POSTs that store nothing: anything but a writer's key with commit=true. */
function readPostArb(e: Endpoint): fc.Arbitrary<Fuzzed> {
  const valid = e.body?.()
  const body = typeof valid === 'string' ? fc.oneof(textArb, fc.constant(valid)) : hostileBodyArb(valid)
  return fc
    .tuple(
      body,
      fc.constantFrom(...CONTENT_TYPES_JSON, ...WRONG_CONTENT_TYPES, 'text/plain', 'text/html; charset=gbk'),
      fc.oneof(authFaultArb, fc.constant(`Bearer ${ADMIN_KEY}`))
    )
    .map(([payload, type, authorization]) => {
      const commit = e.path === '/v1/imports' && authorization !== `Bearer ${ADMIN_KEY}` ? '?commit=true' : ''
      return request(e, 'read-post', {
        url: expandPath(e) + commit,
        payload,
        headers: { 'content-type': type },
        authorization: authorization ?? null
      })
    })
}

// --- the checks --------------------------------------------------------------------------------------
const LEAKS = /node_modules|SqliteError|SQLITE_|sqlite_master|\bat [\w.<>]+ \(|\/work\/|\.ts:\d+/

async function send(r: Fuzzed) {
  // injectAs(null): the request's own Authorization, or none
  return app.injectAs(null, { method: r.method as 'POST', url: r.url, headers: r.headers, payload: r.payload })
}

function checkProblem(res: Awaited<ReturnType<typeof send>>): string | null {
  if (res.statusCode >= 500) return `${res.statusCode}: ${res.body.slice(0, 300)}`
  if (res.statusCode < 400) return null
  if (!String(res.headers['content-type']).startsWith('application/problem+json'))
    return `${res.statusCode} is not problem+json: ${res.headers['content-type']}`
  const problem = JSON.parse(res.body) as { status?: number; title?: string; detail?: string }
  if (problem.status !== res.statusCode || typeof problem.title !== 'string' || typeof problem.detail !== 'string')
    return `malformed problem ${res.body.slice(0, 200)}`
  if (LEAKS.test(res.body)) return `the problem shows internals: ${res.body.slice(0, 300)}`
  return null
}

/** a failure prints its seed: FUZZ_SEED=<seed> replays it */
const FUZZ = { seed: process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined, endOnFailure: true }

const describe = (r: Fuzzed) =>
  `${r.fault}: ${r.method} ${r.url.slice(0, 120)} ${JSON.stringify(r.headers).slice(0, 200)} ${String(r.payload ?? '').slice(0, 200)}`

t.test('hostile writes are refused with a problem, and change nothing', async (t) => {
  const before = await digest()
  const statuses = new Map<number, number>()
  const faults = new Map<string, number>()
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...WRITES).chain(faultyWriteArb), async (r) => {
      const res = await send(r)
      statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1)
      faults.set(r.fault, (faults.get(r.fault) ?? 0) + 1)
      const problem = checkProblem(res)
      if (problem) throw new Error(`${problem}\n${describe(r)}`)
      if (res.statusCode < 400 || res.statusCode >= 500)
        throw new Error(`not refused (${res.statusCode} ${res.body.slice(0, 200)})\n${describe(r)}`)
      if ((await digest()) !== before) throw new Error(`the database changed (${res.statusCode})\n${describe(r)}`)
    }),
    // 1 000 cases: each of the ~20 write operations meets each kind of fault several times over (the counts
    // below are asserted); 2 500 found nothing more and cost a minute of the suite
    { ...FUZZ, numRuns: 1000 }
  )
  t.equal(await digest(), before, 'not a byte changed')
  t.ok(faults.size >= 8, `every kind of fault was tried: ${[...faults].map(([k, n]) => `${k} ${n}`).join(', ')}`)
  t.ok(
    [400, 401, 403, 404, 412, 415, 422].every((s) => statuses.has(s)),
    `statuses seen: ${[...statuses]
      .sort()
      .map(([k, n]) => `${k}×${n}`)
      .join(', ')}`
  )
})

t.test('the POSTs that only read never write and never fail', async (t) => {
  const before = await digest()
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...READ_POSTS).chain(readPostArb), async (r) => {
      const res = await send(r)
      const problem = checkProblem(res)
      if (problem) throw new Error(`${problem}\n${describe(r)}`)
      if ((await digest()) !== before) throw new Error(`the database changed (${res.statusCode})\n${describe(r)}`)
    }),
    { ...FUZZ, numRuns: 400 }
  )
  t.equal(await digest(), before)
})

t.test('hostile reads never fail and never write', async (t) => {
  const doc = app.swagger() as { paths: Record<string, Record<string, { parameters?: Array<{ in: string; name: string }> }>> }
  const reads = Object.entries(doc.paths).flatMap(([path, item]) => (item.get ? [{ path, params: item.get.parameters ?? [] }] : []))
  const real: Record<string, string> = {
    agencyId: String(agencyId),
    reportId: String(report.id),
    year: '2025',
    revision: '1',
    code: '630223',
    keyId: String(reader.id)
  }
  const valueArb = fc.oneof(
    textArb,
    fc.constantFrom(...NOT_AN_ID, ...NOT_A_YEAR, '2025', '630223', '63', 'csv', 'json', 'true', '-1', '1e400', 'id', 'name')
  )
  const readArb = fc.constantFrom(...reads).chain((read) => {
    const pathNames = read.params.filter((p) => p.in === 'path').map((p) => p.name)
    const queryNames = read.params.filter((p) => p.in === 'query').map((p) => p.name)
    return fc
      .tuple(
        fc.tuple(...pathNames.map((name) => fc.oneof(fc.constant(real[name] ?? '1'), fc.constantFrom(...NOT_AN_ID)))),
        fc.array(fc.tuple(queryNames.length ? fc.oneof(fc.constantFrom(...queryNames), textArb) : textArb, valueArb), { maxLength: 4 }),
        fc.record(
          {
            accept: fc.constantFrom(
              'application/json',
              'text/csv',
              'text/html',
              'text/markdown',
              '*/*',
              'application/xml',
              'text/csv;q=0, */*;q=0',
              'x'
            ),
            'if-none-match': fc.oneof(fc.constant('"1"'), fc.constant('*'), headerTextArb),
            authorization: fc.oneof(
              fc.constant(`Bearer ${ADMIN_KEY}`),
              authFaultArb.map((a) => a ?? '')
            )
          },
          { requiredKeys: [] }
        )
      )
      .map(([pathValues, query, headers]): Fuzzed => {
        let i = 0
        const path = read.path.replace(/\{\w+\}/g, () => pathValues[i++])
        const qs = query.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')
        return { fault: 'read', method: 'GET', url: qs ? `${path}?${qs}` : path, headers: headers as Record<string, string> }
      })
  })
  const before = await digest()
  await fc.assert(
    fc.asyncProperty(readArb, async (r) => {
      const res = await send(r)
      const problem = checkProblem(res)
      if (problem) throw new Error(`${problem}\n${describe(r)}`)
      if ((await digest()) !== before) throw new Error(`the database changed (${res.statusCode})\n${describe(r)}`)
    }),
    { ...FUZZ, numRuns: 800 }
  )
  t.equal(await digest(), before)
})

t.test('URLs Fastify cannot route are problems too', async (t) => {
  for (const url of ['/v1/agencies/%', '/v1/agencies/%zz', `/v1/agencies/${'9'.repeat(200)}`]) {
    const res = await app.inject({ method: 'PATCH', url, payload: { name: 'x' } })
    t.ok(res.statusCode === 400 || res.statusCode === 414, `${url.slice(0, 40)}: ${res.statusCode}`)
    t.match(res.headers['content-type'], /^application\/problem\+json/)
    t.equal(json(res).status, res.statusCode)
  }
})
