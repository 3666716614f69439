import t from 'tap'
const tap = t
import { setTimeout as sleep } from 'node:timers/promises'
import { readFileSync } from 'node:fs'
import { buildApp } from '../../src/app.js'
import { IDEMPOTENCY_MAX_RESPONSE_BYTES } from '../../src/plugins/idempotency.js'
import { ADMIN_KEY, buildTestApp, createAgency, dropAfterClose, json, sampleReport, countRows, testDatabase } from '../helper.js'

// one app for the file (building one takes seconds); each test counts rows before and after
const app = await buildTestApp()
t.teardown(() => app.close())

const count = (table: string) => countRows(app, table)
/** How many rows each table gained since the call. */
async function since(...tables: string[]) {
  const before: Record<string, number> = {}
  for (const table of tables) before[table] = await count(table)
  return async (table: string) => (await count(table)) - before[table]
}
const agencyBody = (name: string) => ({ name, regionCode: '630223', level: 'county', kind: 'department' })

function problemOf(
  t: Pick<typeof tap, 'equal' | 'match'>,
  res: { statusCode: number; headers: Record<string, unknown>; body: string },
  status: number
) {
  t.equal(res.statusCode, status)
  t.match(res.headers['content-type'], /^application\/problem\+json/)
  return json(res)
}

t.test('a retry with the same key and body returns the first response and writes nothing', async (t) => {
  const added = await since('agencies', 'idempotency_keys', 'api_keys')
  const send = () =>
    app.inject({ method: 'POST', url: '/v1/agencies', headers: { 'idempotency-key': 'agency-1' }, payload: agencyBody('海东市某局') })
  const first = await send()
  t.equal(first.statusCode, 201)
  t.notOk(first.headers['idempotent-replayed'], 'the first answer is not a replay')
  const again = await send()
  t.equal(again.statusCode, 201)
  t.equal(again.headers['idempotent-replayed'], 'true')
  t.equal(again.body, first.body, 'same body')
  t.equal(again.headers.location, first.headers.location)
  t.equal(again.headers.etag, first.headers.etag)
  t.match(again.headers['content-type'], /^application\/json/)
  t.equal(await added('agencies'), 1, 'one agency')
  t.equal(await added('idempotency_keys'), 1)

  const other = await app.inject({
    method: 'POST',
    url: '/v1/agencies',
    headers: { 'idempotency-key': 'agency-1' },
    payload: agencyBody('西宁市某局')
  })
  const problem = problemOf(t, other, 422)
  t.match(problem.errors, [{ parameter: 'Idempotency-Key', message: /^已于 \S+ 用于另一个请求（POST \/v1\/agencies，请求体不同）$/ }])
  const agencyId = json(first).id
  const elsewhere = await app.inject({
    method: 'POST',
    url: '/v1/reports/batch',
    headers: { 'idempotency-key': 'agency-1' },
    payload: { reports: [sampleReport(agencyId)] }
  })
  t.equal(problemOf(t, elsewhere, 422).errors[0].parameter, 'Idempotency-Key', 'the same key on another endpoint is another request')
  t.equal(await added('agencies'), 1, 'nothing written by the refused requests')
  t.equal(await count('reports'), 0)

  const plain = await app.inject({ method: 'POST', url: '/v1/agencies', payload: agencyBody('海东市某局二') })
  t.equal(plain.statusCode, 201, 'the header is optional')
  t.equal(await added('idempotency_keys'), 1, 'nothing kept without it')
})

t.test('keys belong to their API key', async (t) => {
  const added = await since('agencies')
  const submitter = json(
    await app.inject({ method: 'POST', url: '/v1/keys', payload: { name: '海东', role: 'submitter', regions: ['6302'] } })
  ).key
  const a = await app.inject({ method: 'POST', url: '/v1/agencies', headers: { 'idempotency-key': 'k' }, payload: agencyBody('甲') })
  const b = await app.injectAs(submitter, {
    method: 'POST',
    url: '/v1/agencies',
    headers: { 'idempotency-key': 'k' },
    payload: agencyBody('乙')
  })
  t.equal(a.statusCode, 201)
  t.equal(b.statusCode, 201, 'another key may use the same Idempotency-Key')
  t.not(json(a).id, json(b).id)
  t.equal(await added('agencies'), 2)
})

t.test('a refused request is not remembered: it can be retried, corrected', async (t) => {
  const agencyId = await createAgency(app)
  const bad = { ...sampleReport(agencyId), year: 1999 }
  const headers = { 'idempotency-key': 'report-2025' }
  const added = await since('idempotency_keys')
  t.equal((await app.inject({ method: 'POST', url: '/v1/reports', headers, payload: bad })).statusCode, 422)
  t.equal((await app.inject({ method: 'POST', url: '/v1/reports', headers, payload: bad })).statusCode, 422, 'not replayed: judged again')
  t.equal(await added('idempotency_keys'), 0)
  const good = await app.inject({ method: 'POST', url: '/v1/reports', headers, payload: sampleReport(agencyId) })
  t.equal(good.statusCode, 201, 'the corrected request goes through under the same key')
  const replay = await app.inject({ method: 'POST', url: '/v1/reports', headers, payload: sampleReport(agencyId) })
  t.equal(replay.statusCode, 201, 'and its retry is the first answer, not a 409')
  t.equal(replay.headers['idempotent-replayed'], 'true')
  t.equal(replay.headers.location, `/v1/reports/${json(good).id}`)
})

t.test('a batch retried is not written twice: no new revision', async (t) => {
  const agencyId = await createAgency(app)
  const payload = { reports: [sampleReport(agencyId, { year: 2024 }), sampleReport(agencyId, { year: 2025 })] }
  const headers = { 'idempotency-key': '7f9c2ba4-e88f-11ed-a05b-0242ac120003' }
  const first = await app.inject({ method: 'POST', url: '/v1/reports/batch', headers, payload })
  t.equal(first.statusCode, 200)
  const retry = await app.inject({ method: 'POST', url: '/v1/reports/batch', headers, payload })
  t.same(json(retry), json(first))
  t.same(
    json(retry).items.map((i: { status: string }) => i.status),
    ['created', 'created'],
    'still the first answer'
  )
  const revisions = await countRows(app, 'report_revisions r JOIN reports p ON p.id = r.report_id', 'p.agency_id = ?', [agencyId])
  t.equal(revisions, 2, 'one revision per report')
  const plainRetry = await app.inject({ method: 'POST', url: '/v1/reports/batch', payload })
  t.same(
    json(plainRetry).items.map((i: { status: string }) => i.status),
    ['unchanged', 'unchanged'],
    'without the key, the batch is checked again and, being the same, writes nothing'
  )
  // the admin's reports are accepted: a changed batch corrects them, with its reason
  const edited = { reports: payload.reports.map((r) => ({ ...r, title: `${r.year}年度报告（修订）` })), reason: '更正标题' }
  const changed = await app.inject({ method: 'POST', url: '/v1/reports/batch', payload: edited })
  t.same(
    json(changed).items.map((i: { status: string }) => i.status),
    ['replaced', 'replaced'],
    'a changed batch is written again'
  )
  t.equal(await countRows(app, 'report_revisions r JOIN reports p ON p.id = r.report_id', 'p.agency_id = ?', [agencyId]), 4)
})

t.test('key creation refuses Idempotency-Key: its answer holds a secret, which is never stored', async (t) => {
  const added = await since('api_keys', 'idempotency_keys')
  const res = await app.inject({
    method: 'POST',
    url: '/v1/keys',
    headers: { 'idempotency-key': 'key-1' },
    payload: { name: '看板', role: 'reader' }
  })
  const problem = problemOf(t, res, 400)
  t.same(problem.errors, [
    {
      parameter: 'Idempotency-Key',
      message: '此处不接受：应答中含有新生成的密钥，nianbao 从不保存它；请不带此头发送请求'
    }
  ])
  t.equal(await added('api_keys'), 0, 'no key made')
  t.equal((await app.inject({ method: 'POST', url: '/v1/keys', payload: { name: '看板', role: 'reader' } })).statusCode, 201)
  t.equal(await added('idempotency_keys'), 0)
  const stored = (await app.engine.all<{ body: string }>('SELECT body FROM idempotency_keys')).map((r) => r.body)
  t.notOk(
    stored.some((b) => b.includes('nbk_')),
    'no secret in the store'
  )
})

t.test('only writes are remembered: not /v1/validate, not an import preview', async (t) => {
  const reader = json(await app.inject({ method: 'POST', url: '/v1/keys', payload: { name: '读者', role: 'reader' } })).key
  const agencyId = await createAgency(app)
  const text = readFileSync(new URL('../fixtures/reports/huzhu-urban-management-2025.txt', import.meta.url))
  const added = await since('idempotency_keys', 'reports')
  for (let i = 0; i < 3; i++) {
    const validate = await app.injectAs(reader, {
      method: 'POST',
      url: '/v1/validate',
      headers: { 'idempotency-key': 'same' },
      payload: sampleReport(agencyId)
    })
    t.equal(validate.statusCode, 200)
    t.notOk(validate.headers['idempotent-replayed'], 'checked again each time')
    const preview = await app.injectAs(reader, {
      method: 'POST',
      url: '/v1/imports',
      headers: { 'idempotency-key': 'same', 'content-type': 'text/plain; charset=utf-8' },
      payload: text
    })
    t.equal(preview.statusCode, 200)
    t.notOk(preview.headers['idempotent-replayed'], 'read again each time')
  }
  t.equal(await added('idempotency_keys'), 0, 'nothing kept for requests that write nothing')

  const commit = () =>
    app.inject({
      method: 'POST',
      url: '/v1/imports?commit=true',
      headers: { 'idempotency-key': 'import-1', 'content-type': 'text/plain; charset=utf-8' },
      payload: text
    })
  const first = await commit()
  t.equal(first.statusCode, 201)
  const again = await commit()
  t.equal(again.headers['idempotent-replayed'], 'true', 'a commit writes: it is remembered')
  t.equal(again.body, first.body)
  t.equal(await added('idempotency_keys'), 1)
  t.equal(await added('reports'), 1)
})

t.test('a first answer larger than the cap is kept as a 303 to its Location', async (t) => {
  const agencyId = await createAgency(app)
  const big = sampleReport(agencyId, { year: 2023 })
  big.sections = { overview: '公'.repeat(150_000), problems: '开'.repeat(150_000), otherMatters: '无'.repeat(150_000) }
  const headers = { 'idempotency-key': 'big-report' }
  const first = await app.inject({ method: 'POST', url: '/v1/reports', headers, payload: big })
  t.equal(first.statusCode, 201)
  t.ok(Buffer.byteLength(first.body) > IDEMPOTENCY_MAX_RESPONSE_BYTES, `the answer is ${Buffer.byteLength(first.body)} bytes`)
  const row = (await app.engine.get<{ status: number; headers: string; size: number }>(
    'SELECT status, headers, length(body) AS size FROM idempotency_keys WHERE key = ?',
    ['big-report']
  ))!
  t.same(
    { ...row, headers: JSON.parse(row.headers) },
    { status: 303, headers: { location: first.headers.location }, size: 0 },
    'only what the replay needs'
  )
  const replay = await app.inject({ method: 'POST', url: '/v1/reports', headers, payload: big })
  t.equal(replay.statusCode, 303)
  t.equal(replay.headers.location, first.headers.location)
  t.equal(replay.headers['idempotent-replayed'], 'true')
  t.equal(replay.body, '')
  const followed = await app.inject(String(replay.headers.location))
  t.equal(followed.body, first.body, 'the Location holds what the first answer said')
  const other = await app.inject({ method: 'POST', url: '/v1/reports', headers, payload: { ...big, year: 2022 } })
  t.equal(other.statusCode, 422, 'still one request per key')

  const small = await app.inject({
    method: 'POST',
    url: '/v1/reports/batch',
    headers: { 'idempotency-key': 'batch-under-cap' },
    payload: { reports: [sampleReport(agencyId, { year: 2021 })] }
  })
  t.equal(small.statusCode, 200)
  t.equal(
    (await app.engine.get<{ n: number }>('SELECT length(body) AS n FROM idempotency_keys WHERE key = ?', ['batch-under-cap']))!.n,
    Buffer.byteLength(small.body),
    'an answer under the cap is kept whole'
  )
})

t.test('the key must be 1–255 visible ASCII characters', async (t) => {
  const added = await since('agencies')
  for (const key of ['', 'two words', 'x'.repeat(256), 'tab\there']) {
    const res = await app.inject({ method: 'POST', url: '/v1/agencies', headers: { 'idempotency-key': key }, payload: agencyBody('某局') })
    const problem = problemOf(t, res, 400)
    t.equal(problem.errors[0].parameter, 'Idempotency-Key', JSON.stringify(key))
  }
  t.equal(await added('agencies'), 0)
  const longest = await app.inject({
    method: 'POST',
    url: '/v1/agencies',
    headers: { 'idempotency-key': '~'.repeat(255) },
    payload: agencyBody('某局')
  })
  t.equal(longest.statusCode, 201)
})

t.test('keys expire after 24 hours, and old ones are pruned', async (t) => {
  const added = await since('agencies', 'idempotency_keys')
  const headers = { 'idempotency-key': 'old' }
  t.equal((await app.inject({ method: 'POST', url: '/v1/agencies', headers, payload: agencyBody('甲') })).statusCode, 201)
  const dayAgo = new Date(Date.now() - 24 * 3600 * 1000 - 60_000).toISOString()
  await app.engine.run('UPDATE idempotency_keys SET created_at = ? WHERE key = ?', [dayAgo, 'old'])
  const reused = await app.inject({ method: 'POST', url: '/v1/agencies', headers, payload: agencyBody('乙') })
  t.equal(reused.statusCode, 201, 'an expired key is a new request, even with another body')
  t.equal(await added('agencies'), 2)
  t.equal(await added('idempotency_keys'), 1, 'the expired entry was replaced')

  t.equal(
    (await app.inject({ method: 'POST', url: '/v1/agencies', headers: { 'idempotency-key': 'fresh' }, payload: agencyBody('丙') }))
      .statusCode,
    201
  )
  await app.engine.run('UPDATE idempotency_keys SET created_at = ? WHERE key = ?', [dayAgo, 'old'])
  const keys = async () =>
    (await app.engine.all<{ key: string }>("SELECT key FROM idempotency_keys WHERE key IN ('old', 'fresh') ORDER BY key")).map((r) => r.key)
  t.same(await keys(), ['fresh', 'old'])
  t.equal(await app.pruneIdempotencyKeys(), 1)
  t.same(await keys(), ['fresh'])
})

t.test('two concurrent requests with one key write once', async (t) => {
  const added = await since('agencies')
  const send = () => app.inject({ method: 'POST', url: '/v1/agencies', headers: { 'idempotency-key': 'race' }, payload: agencyBody('甲') })
  const results = await Promise.all([send(), send(), send()])
  const statuses = results.map((r) => r.statusCode)
  t.ok(
    statuses.every((s) => s === 201 || s === 409),
    `201 or 409 (in progress): ${statuses.join(', ')}`
  )
  t.equal(results.filter((r) => r.statusCode === 201 && !r.headers['idempotent-replayed']).length, 1, 'one of them ran')
  t.equal(await added('agencies'), 1, 'one agency')
  const after = await send()
  t.equal(after.statusCode, 201)
  t.equal(after.headers['idempotent-replayed'], 'true')
})

t.test('while the first request is still running, a retry is told to wait (409)', async (t) => {
  const db = await testDatabase()
  const slowApp = await buildApp({ ...db.options, logger: false, bootstrapAdminKey: ADMIN_KEY })
  dropAfterClose(slowApp, db.drop)
  let runs = 0
  slowApp.post('/v1/slow-write', async () => {
    runs++
    await sleep(100)
    return { runs }
  })
  await slowApp.ready()
  t.teardown(() => slowApp.close())
  const send = () =>
    slowApp.inject({
      method: 'POST',
      url: '/v1/slow-write',
      headers: { authorization: `Bearer ${ADMIN_KEY}`, 'idempotency-key': 'slow' },
      payload: { a: 1 }
    })
  const first = send()
  await sleep(30)
  const second = await send()
  t.equal(second.statusCode, 409)
  t.match(json(second).detail, /仍在处理中/)
  t.equal((await first).statusCode, 200)
  const third = await send()
  t.equal(third.headers['idempotent-replayed'], 'true')
  t.same(json(third), { runs: 1 })
  t.equal(runs, 1, 'the handler ran once')
})

t.test('the header is documented on the POSTs and on no other method', async (t) => {
  const doc = app.swagger() as { paths: Record<string, Record<string, { parameters?: Array<{ in: string; name: string }> }>> }
  const has = (path: string, method: string) =>
    (doc.paths[path]?.[method]?.parameters ?? []).some((p) => p.in === 'header' && p.name === 'idempotency-key')
  for (const path of ['/v1/agencies', '/v1/reports', '/v1/reports/batch', '/v1/imports']) t.ok(has(path, 'post'), `POST ${path}`)
  for (const path of ['/v1/keys', '/v1/validate']) t.notOk(has(path, 'post'), `not on POST ${path}`)
  t.notOk(has('/v1/reports/{reportId}', 'put'))
  t.notOk(has('/v1/agencies', 'get'))
})
