// The OpenAPI document against the server: every response the requests below get (a status, a media type,
// the headers the contract names) must be documented for its operation, and every status the document
// lists for an operation must be triggered here — unless a waiver below says why it cannot be in a test.
import t from 'tap'
import { readFileSync } from 'node:fs'
import type { InjectOptions, LightMyRequestResponse } from 'fastify'
import { ADMIN_KEY, buildTestApp, createAgency, json, sampleReport, type TestApp } from '../helper.js'

type Json = Record<string, any>
const doc: Json = JSON.parse(readFileSync(new URL('../../openapi/openapi.json', import.meta.url), 'utf8'))

interface Operation {
  id: string
  method: string
  path: string
  pattern: RegExp
  op: Json
}
const operations: Operation[] = []
for (const [path, item] of Object.entries<Json>(doc.paths)) {
  for (const [method, op] of Object.entries<Json>(item)) {
    const pattern = new RegExp(`^${path.replace(/\{[^}]+\}/g, '[^/?]+')}(\\?.*)?$`)
    operations.push({ id: op.operationId, method: method.toUpperCase(), path, pattern, op })
  }
}
const operationOf = (method: string, url: string) => operations.find((o) => o.method === method && o.pattern.test(url))

/** the response headers the contract documents, wherever a response carries them */
const CONTRACT_HEADERS = [
  'x-request-id',
  'etag',
  'cache-control',
  'location',
  'link',
  'content-disposition',
  'idempotent-replayed',
  'retry-after',
  'ratelimit-limit',
  'ratelimit-remaining',
  'ratelimit-reset',
  'www-authenticate',
  'content-language'
]

/** documented statuses a test cannot reach, each with its reason */
const WAIVERS: Array<[RegExp, string, string]> = [
  [/ 303$/, '*', 'a replay of a first answer over 1 MiB (IDEMPOTENCY_MAX_RESPONSE_BYTES): test/plugins/idempotency.test.ts writes one'],
  [
    /^(batchReports|createReport|createAgency|importReport) 409$/,
    '*',
    'a retry while the first request with its Idempotency-Key is still running: test/plugins/idempotency.test.ts'
  ],
  [
    /^(getHealth|listAggregateMetrics|validateReport|getReadiness) 500$/,
    '*',
    'reads no stored data, so a failing database cannot fail it; a 500 is still possible for any bug'
  ],
  [/^importReport 503$/, '*', 'every import worker busy and the queue full: the import tests fill the pool']
]

const seen = new Set<string>()
const violations: string[] = []

function check(method: string, url: string, res: LightMyRequestResponse) {
  const found = operationOf(method, url)
  if (!found) return violations.push(`${method} ${url}: no operation in the document`)
  const status = String(res.statusCode)
  seen.add(`${found.id} ${status}`)
  const documented = found.op.responses[status]
  if (!documented) return violations.push(`${found.id}: status ${status} is not documented (${res.body.slice(0, 160)})`)
  const type = String(res.headers['content-type'] ?? '')
    .split(';')[0]
    .trim()
  if (res.body.length > 0 && status !== '304' && !(type in (documented.content ?? {}))) {
    violations.push(`${found.id} ${status}: content type ${type} is not documented`)
  }
  const headers = new Set(Object.keys(documented.headers ?? {}).map((h) => h.toLowerCase()))
  for (const name of CONTRACT_HEADERS) {
    if (res.headers[name] !== undefined && !headers.has(name)) violations.push(`${found.id} ${status}: header ${name} is not documented`)
  }
  if (Number(status) >= 400) {
    const body = json(res)
    if (body.status !== res.statusCode || typeof body.title !== 'string' || typeof body.detail !== 'string')
      violations.push(`${found.id} ${status}: not a problem`)
  }
}

/** inject, then check the answer against the document */
async function call(app: TestApp, key: string | null, opts: InjectOptions): Promise<LightMyRequestResponse> {
  const res = await app.injectAs(key, opts)
  check(opts.method ?? 'GET', opts.url as string, res)
  return res
}

const READER_WRONG = 'nbk_this-key-does-not-exist-000000'

t.test('every documented status is sent, and every answer is documented', async (t) => {
  const bodyLimit = 64 * 1024
  const app = await buildTestApp({ rateLimitMax: 100000, bodyLimit })
  t.teardown(() => app.close())
  const reader = json(await app.inject({ method: 'POST', url: '/v1/keys', payload: { name: '看板', role: 'reader' } }))
  const spare = json(await app.inject({ method: 'POST', url: '/v1/keys', payload: { name: '备用', role: 'reader' } }))
  const agencyId = await createAgency(app, { name: '互助县城市管理综合行政执法局' })
  const other = await createAgency(app, { name: '互助县另一局', uscc: '11630223MB0000004D' })
  const created = await call(app, ADMIN_KEY, { method: 'POST', url: '/v1/reports', payload: sampleReport(agencyId) })
  t.equal(created.statusCode, 201)
  const reportId = json(created).id
  await call(app, ADMIN_KEY, { method: 'PUT', url: `/v1/agencies/${other}/reports/2024`, payload: sampleReport(other, { year: 2024 }) })
  const params: Record<string, string> = {
    agencyId: String(agencyId),
    reportId: String(reportId),
    year: '2025',
    revision: '1',
    keyId: String(spare.id),
    code: '630223',
    findingId: '1'
  }
  const urlOf = (o: Operation, values: Record<string, string> = params) =>
    o.path.replace(/\{([^}]+)\}/g, (_m, name: string) => values[name])
  const secured = (o: Operation) => o.op.security.length > 0
  const open = (o: Operation) => o.op.security.some((s: Json) => Object.keys(s).length === 0)
  const bodyMethod = (o: Operation) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(o.method)

  // the key flows: each operation answered as it should
  const queries: Record<string, string> = {
    getStatistics: '?item=applications.newReceived.total',
    summarizeFindings: '?groupBy=rule',
    getCoverage: '?year=2025&regionCode=63'
  }
  for (const o of operations) {
    if (o.method === 'GET') {
      const res = await call(app, o.id === 'listKeys' ? ADMIN_KEY : null, { method: 'GET', url: urlOf(o) + (queries[o.id] ?? '') })
      const tag = res.headers.etag
      if (tag) await call(app, null, { method: 'GET', url: urlOf(o) + (queries[o.id] ?? ''), headers: { 'if-none-match': String(tag) } })
    }
  }
  await call(app, ADMIN_KEY, {
    method: 'POST',
    url: '/v1/agencies',
    payload: { name: '新建局', regionCode: '630223', level: 'county', kind: 'department' }
  })
  const made = json(await call(app, ADMIN_KEY, { method: 'POST', url: '/v1/keys', payload: { name: '临时', role: 'reader' } }))
  await call(app, ADMIN_KEY, { method: 'DELETE', url: `/v1/keys/${made.id}` })
  const unused = await createAgency(app)
  await call(app, ADMIN_KEY, { method: 'DELETE', url: `/v1/agencies/${unused}` })
  await call(app, ADMIN_KEY, {
    method: 'PUT',
    url: `/v1/agencies/${agencyId}/reports/2024`,
    payload: sampleReport(agencyId, { year: 2024 })
  })
  await call(app, ADMIN_KEY, { method: 'PUT', url: `/v1/reports/${reportId}`, payload: sampleReport(agencyId, { year: 2024 }) })
  await call(app, ADMIN_KEY, { method: 'POST', url: '/v1/reports/batch', payload: { reports: [sampleReport(agencyId)] } })
  await call(app, ADMIN_KEY, { method: 'PATCH', url: `/v1/agencies/${agencyId}`, payload: { name: '互助县城管局' } })
  await call(app, ADMIN_KEY, { method: 'PUT', url: `/v1/reports/${reportId}`, payload: sampleReport(agencyId) })
  await call(app, ADMIN_KEY, { method: 'PUT', url: `/v1/agencies/${agencyId}/reports/2025`, payload: sampleReport(agencyId) })
  await call(app, null, { method: 'POST', url: '/v1/validate', payload: sampleReport(agencyId) })
  // the life of a report: a submitter's draft submitted, an accepted report corrected, a finding reviewed
  const filer = json(
    await call(app, ADMIN_KEY, { method: 'POST', url: '/v1/keys', payload: { name: '报送', role: 'submitter', regions: ['630223'] } })
  ).key
  const draft = json(
    await call(app, filer, { method: 'PUT', url: `/v1/agencies/${agencyId}/reports/2021`, payload: sampleReport(agencyId, { year: 2021 }) })
  ).id
  await call(app, filer, {
    method: 'POST',
    url: `/v1/reports/${draft}/transitions`,
    headers: { 'if-match': '"9"' },
    payload: { to: 'submitted' }
  })
  await call(app, filer, { method: 'POST', url: `/v1/reports/${draft}/transitions`, payload: { to: 'submitted' } })
  await call(app, ADMIN_KEY, { method: 'POST', url: `/v1/reports/${draft}/transitions`, payload: { to: 'submitted' } })
  await call(app, ADMIN_KEY, { method: 'POST', url: '/v1/reports/999999/transitions', payload: { to: 'submitted' } })
  const { agencyId: _a, year: _y, ...body } = sampleReport(agencyId)
  await call(app, ADMIN_KEY, { method: 'POST', url: `/v1/reports/${draft}/corrections`, payload: { reason: '更正', report: body } })
  await call(app, ADMIN_KEY, { method: 'POST', url: '/v1/reports/999999/corrections', payload: { reason: '更正', report: body } })
  await call(app, ADMIN_KEY, {
    method: 'POST',
    url: `/v1/reports/${reportId}/corrections`,
    headers: { 'if-match': '"999"' },
    payload: { reason: '更正', report: body }
  })
  await call(app, ADMIN_KEY, {
    method: 'POST',
    url: `/v1/reports/${reportId}/corrections`,
    payload: { reason: '更正：标题', report: { ...body, title: '更正后的标题' } }
  })
  const finding = json(await call(app, null, { method: 'GET', url: '/v1/findings?limit=1' })).items[0].id
  await call(app, ADMIN_KEY, { method: 'PATCH', url: `/v1/findings/${finding}`, payload: { status: 'confirmed' } })
  await call(app, ADMIN_KEY, { method: 'PATCH', url: `/v1/findings/${finding}`, payload: { status: 'dismissed' } })
  await call(app, ADMIN_KEY, { method: 'PATCH', url: '/v1/findings/999999', payload: { status: 'confirmed' } })
  await call(app, ADMIN_KEY, {
    method: 'POST',
    url: '/v1/imports',
    headers: { 'content-type': 'text/plain; charset=utf-8' },
    payload: doc.paths['/v1/imports'].post.requestBody.content['text/plain'].examples.sample.value
  })
  const committed = await call(app, ADMIN_KEY, {
    method: 'POST',
    url: `/v1/imports?commit=true&agencyId=${agencyId}&year=2023`,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'idempotency-key': 'import-1' },
    payload: doc.paths['/v1/imports'].post.requestBody.content['text/plain'].examples.sample.value
  })
  t.equal(committed.statusCode, 201)
  const replayed = await call(app, ADMIN_KEY, {
    method: 'POST',
    url: `/v1/imports?commit=true&agencyId=${agencyId}&year=2023`,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'idempotency-key': 'import-1' },
    payload: doc.paths['/v1/imports'].post.requestBody.content['text/plain'].examples.sample.value
  })
  t.equal(replayed.headers['idempotent-replayed'], 'true')
  for (const output of ['csv', 'html', 'md', 'xlsx'])
    await call(app, null, { method: 'GET', url: `/v1/reports/${reportId}?output=${output}` })
  for (const output of ['csv', 'xlsx']) {
    await call(app, null, { method: 'GET', url: `/v1/aggregates?groupBy=year&output=${output}` })
    await call(app, null, { method: 'GET', url: `/v1/statistics?item=applications.newReceived.total&output=${output}&limit=1` })
  }
  // figures of drafts, asked without a key: 403
  t.equal((await call(app, null, { method: 'GET', url: '/v1/aggregates?state=draft' })).statusCode, 403)
  t.equal((await call(app, null, { method: 'GET', url: '/v1/statistics?item=applications.newReceived.total&state=draft' })).statusCode, 403)
  await call(app, null, { method: 'GET', url: '/v1/reports?output=csv&limit=1' })
  await call(app, null, { method: 'GET', url: '/v1/findings?output=csv&limit=1' })

  // the cross-cutting refusals, for every operation
  for (const o of operations) {
    const url = urlOf(o)
    if (bodyMethod(o)) {
      await call(app, ADMIN_KEY, { method: o.method as 'POST', url, headers: { 'content-type': 'application/json' }, payload: '{' })
      await call(app, ADMIN_KEY, {
        method: o.method as 'POST',
        url,
        headers: { 'content-type': 'application/json' },
        payload: `{"x":"${'x'.repeat(bodyLimit)}"}`
      })
      await call(app, ADMIN_KEY, { method: o.method as 'POST', url, headers: { 'content-type': 'application/xml' }, payload: '<x/>' })
      if (o.method !== 'DELETE') await call(app, ADMIN_KEY, { method: o.method as 'POST', url, payload: { notAField: 1 } })
    } else {
      await call(app, ADMIN_KEY, { method: 'GET', url: `${url}?notAParameter=1` })
    }
    if (secured(o)) await call(app, READER_WRONG, { method: o.method as 'GET', url })
    if (secured(o) && !open(o))
      await call(app, reader.key, { method: o.method as 'POST', url, ...(o.method !== 'DELETE' ? { payload: {} } : {}) })
    if (o.path.includes('{')) {
      await call(app, ADMIN_KEY, {
        method: o.method as 'GET',
        url: urlOf(o, Object.fromEntries(Object.keys(params).map((k) => [k, 'abc'])))
      })
      await call(app, ADMIN_KEY, {
        method: o.method as 'GET',
        url: urlOf(o, Object.fromEntries(Object.keys(params).map((k) => [k, 'x'.repeat(200)])))
      })
      const missing = { ...params, agencyId: '999999', reportId: '999999', keyId: '999999', code: '630299', revision: '99' }
      await call(app, ADMIN_KEY, {
        method: o.method as 'GET',
        url: urlOf(o, missing),
        ...(bodyMethod(o) && o.method !== 'DELETE' ? { payload: o.method === 'PATCH' ? { name: '某局' } : sampleReport(999999) } : {})
      })
    }
  }

  // what particular operations refuse
  const stale = { 'if-match': '"999"' }
  await call(app, ADMIN_KEY, { method: 'PATCH', url: `/v1/agencies/${agencyId}`, headers: stale, payload: { name: '某局' } })
  await call(app, ADMIN_KEY, { method: 'DELETE', url: `/v1/agencies/${agencyId}`, headers: stale })
  await call(app, ADMIN_KEY, { method: 'PUT', url: `/v1/reports/${reportId}`, headers: stale, payload: sampleReport(agencyId) })
  await call(app, ADMIN_KEY, { method: 'DELETE', url: `/v1/reports/${reportId}`, headers: stale })
  await call(app, ADMIN_KEY, {
    method: 'PUT',
    url: `/v1/agencies/${agencyId}/reports/2025`,
    headers: stale,
    payload: sampleReport(agencyId)
  })
  await call(app, ADMIN_KEY, { method: 'POST', url: '/v1/reports', payload: sampleReport(agencyId) })
  // an accepted report changes only by a correction: a PUT or a batch item that would change it is a 409
  const retitled = sampleReport(agencyId, { title: '改动的标题' })
  await call(app, ADMIN_KEY, {
    method: 'PUT',
    url: `/v1/reports/${reportId}`,
    payload: { ...retitled, agencyId: undefined, year: undefined }
  })
  await call(app, ADMIN_KEY, { method: 'PUT', url: `/v1/agencies/${agencyId}/reports/2025`, payload: retitled })
  await call(app, ADMIN_KEY, { method: 'POST', url: '/v1/reports/batch', payload: { reports: [retitled] } })
  await call(app, ADMIN_KEY, {
    method: 'POST',
    url: '/v1/agencies',
    payload: { name: '重复局', regionCode: '630223', level: 'county', kind: 'department', uscc: '11630223MB0000004D' }
  })
  await call(app, ADMIN_KEY, { method: 'PATCH', url: `/v1/agencies/${agencyId}`, payload: { uscc: '11630223MB0000004D' } })
  await call(app, ADMIN_KEY, { method: 'DELETE', url: `/v1/agencies/${agencyId}` })
  await call(app, null, { method: 'GET', url: `/v1/reports/${reportId}`, headers: { accept: 'image/png' } })
  await call(app, null, { method: 'GET', url: `/v1/agencies/${agencyId}/reports/2025`, headers: { accept: 'image/png' } })
  await call(app, null, { method: 'GET', url: '/v1/regions?parent=6302999' })
  await call(app, null, { method: 'GET', url: '/v1/regions?parent=630299' })
  await call(app, reader.key, {
    method: 'POST',
    url: '/v1/imports?commit=true',
    headers: { 'content-type': 'text/plain' },
    payload: '2025年度政府信息公开工作年度报告'
  })
  await call(app, ADMIN_KEY, {
    method: 'POST',
    url: `/v1/imports?commit=true&agencyId=999999`,
    headers: { 'content-type': 'text/plain; charset=utf-8' },
    payload: doc.paths['/v1/imports'].post.requestBody.content['text/plain'].examples.sample.value
  })
  await call(app, ADMIN_KEY, { method: 'DELETE', url: `/v1/reports/${reportId}` })
  await call(app, null, { method: 'GET', url: `/v1/reports/${reportId}/revisions/2` })

  // reads behind READ_REQUIRES_KEY, and rate limits
  const keyed = await buildTestApp({ readRequiresKey: true, rateLimitMax: 1 })
  t.teardown(() => keyed.close())
  let address = 0
  for (const o of operations) {
    const url = urlOf(o, { ...params, agencyId: '1', reportId: '1', keyId: '1' })
    if (secured(o)) await call(keyed, null, { method: o.method as 'GET', url, remoteAddress: `10.0.0.${++address}` })
    const remoteAddress = `10.0.1.${++address}`
    await call(keyed, null, { method: o.method as 'GET', url, remoteAddress })
    await call(keyed, null, { method: o.method as 'GET', url, remoteAddress })
  }

  // a database that fails: 500 (503 for the readiness probe), the request id in the detail
  const broken = await buildTestApp()
  t.teardown(() => broken.close())
  const engine = broken.engine as unknown as Record<string, unknown>
  for (const name of ['get', 'all', 'run', 'transaction', 'dataVersion']) {
    engine[name] = () => {
      throw new Error('the database is gone')
    }
  }
  for (const o of operations) {
    const res = await call(broken, ADMIN_KEY, {
      method: o.method as 'GET',
      url: urlOf(o),
      headers: { 'x-request-id': `req-${o.id}` },
      ...(bodyMethod(o) && o.method !== 'DELETE'
        ? {
            payload:
              o.id === 'batchReports'
                ? { reports: [sampleReport(1)] }
                : o.id === 'createKey'
                  ? { name: 'x', role: 'reader' }
                  : o.id === 'patchAgency'
                    ? { name: '某局' }
                    : o.id === 'createAgency'
                      ? { name: '新局', regionCode: '630223', level: 'county', kind: 'department' }
                      : sampleReport(1)
          }
        : {})
    })
    if (res.statusCode >= 500) t.match(json(res).detail, `req-${o.id}`, `${o.id}: the ${res.statusCode} quotes the request id`)
  }

  t.same(violations, [], 'every answer is documented')
  const unseen: string[] = []
  for (const o of operations) {
    for (const status of Object.keys(o.op.responses)) {
      const key = `${o.id} ${status}`
      if (!seen.has(key) && !WAIVERS.some(([p]) => p.test(key))) unseen.push(key)
    }
  }
  t.same(unseen, [], 'every documented status was sent')
})
