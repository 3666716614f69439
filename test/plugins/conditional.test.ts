import t, { type Test } from 'tap'
import { execFileSync } from 'node:child_process'
import { projectFile } from '../../src/paths.js'
import Fastify from 'fastify'
import fp from 'fastify-plugin'
import conditional, { ifNoneMatch } from '../../src/plugins/conditional.js'
import { getCell, setCell, type ReportInput } from '../../src/format/document.js'
import { ADMIN_KEY, buildTestApp, correctReport, createAgency, json, sampleReport, sharedDatabase, type TestApp } from '../helper.js'

const TAG = /^W\/"[A-Za-z0-9_-]{22}"$/

t.test('If-None-Match: weak comparison, lists, *', async (t) => {
  const tag = 'W/"abc"'
  t.ok(ifNoneMatch('W/"abc"', tag))
  t.ok(ifNoneMatch('"abc"', tag), 'the strong form of the same tag matches (weak comparison)')
  t.ok(ifNoneMatch('"x", W/"abc" ,"y"', tag))
  t.ok(ifNoneMatch('*', tag))
  t.notOk(ifNoneMatch(undefined, tag))
  t.notOk(ifNoneMatch('W/"abcd"', tag))
  t.notOk(ifNoneMatch('W/"ab"', tag))
  t.notOk(ifNoneMatch('', tag))
})

/** A bare app with the plugin, a counting handler and a data version the test moves. */
async function bareApp(t: Test, cacheBytes?: number) {
  let version = 1
  const calls = { data: 0, cached: 0, static: 0, big: 0, list: 0 }
  const app = Fastify()
  // the plugin reads request.apiKey, set by the auth plugin
  await app.register(fp(async (a) => void a.decorateRequest('apiKey', null), { name: 'auth' }))
  await app.register(conditional, { dataVersion: async () => String(version), cacheBytes })
  app.get('/data', { config: { pollable: true } }, async () => ({ n: ++calls.data }))
  app.get('/cached', { config: { pollable: { cache: true } } }, async (request, reply) => {
    calls.cached++
    if ((request.query as { csv?: string }).csv)
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="x.csv"')
        .send(`n\r\n${calls.cached}\r\n`)
    return { n: calls.cached }
  })
  app.get('/big', { config: { pollable: { cache: true } } }, async () => ({ n: ++calls.big, text: 'x'.repeat(100) }))
  app.get('/static', { config: { pollable: { source: 'static' } } }, async () => ({ n: ++calls.static }))
  app.get('/list', { config: { pollable: { cache: 'first-page' } } }, async (request) => ({
    n: ++calls.list,
    cursor: (request.query as { cursor?: string }).cursor ?? null
  }))
  app.get('/fails', { config: { pollable: { cache: true } } }, async (_request, reply) => reply.code(404).send({ gone: true }))
  await app.ready()
  t.teardown(() => app.close())
  return { app, calls, write: () => void version++ }
}

t.test('a pollable answer has an ETag and Cache-Control; a matching If-None-Match is a 304 before the handler runs', async (t) => {
  const { app, calls, write } = await bareApp(t)
  const first = await app.inject('/data')
  t.equal(first.statusCode, 200)
  t.same(json(first), { n: 1 })
  const tag = first.headers.etag as string
  t.match(tag, TAG)
  t.equal(first.headers['cache-control'], 'no-cache')

  const again = await app.inject({ url: '/data', headers: { 'if-none-match': tag } })
  t.equal(again.statusCode, 304)
  t.equal(again.body, '')
  t.equal(again.headers.etag, tag)
  t.equal(again.headers['cache-control'], 'no-cache')
  t.equal(calls.data, 1, 'the handler did not run')

  const other = await app.inject({ url: '/data?x=1', headers: { 'if-none-match': tag } })
  t.equal(other.statusCode, 200, 'another URL has another tag')
  t.not(other.headers.etag, tag)

  write()
  const after = await app.inject({ url: '/data', headers: { 'if-none-match': tag } })
  t.equal(after.statusCode, 200, 'after a write the old tag no longer matches')
  t.same(json(after), { n: 3 })
  t.not(after.headers.etag, tag)
  const stable = await app.inject({ url: '/data', headers: { 'if-none-match': after.headers.etag as string } })
  t.equal(stable.statusCode, 304)
})

t.test('the representation is part of the tag', async (t) => {
  const { app } = await bareApp(t)
  const asJson = await app.inject({ url: '/data', headers: { accept: 'application/json' } })
  const asCsv = await app.inject({ url: '/data', headers: { accept: 'text/csv', 'if-none-match': asJson.headers.etag as string } })
  t.equal(asCsv.statusCode, 200, 'a JSON tag does not validate the CSV answer')
  t.not(asCsv.headers.etag, asJson.headers.etag)
})

t.test('cache: the serialized answer is kept under its tag until the data moves', async (t) => {
  const { app, calls, write } = await bareApp(t)
  const first = await app.inject('/cached')
  const second = await app.inject('/cached')
  t.same(json(first), { n: 1 })
  t.equal(second.statusCode, 200)
  t.equal(second.body, first.body, 'the same answer')
  t.equal(second.headers['content-type'], 'application/json; charset=utf-8')
  t.equal(second.headers.etag, first.headers.etag)
  t.equal(calls.cached, 1, 'without running the handler')

  const csv = await app.inject('/cached?csv=1')
  const csvAgain = await app.inject('/cached?csv=1')
  t.equal(csvAgain.body, csv.body)
  t.equal(csvAgain.headers['content-type'], 'text/csv; charset=utf-8', 'a cached answer keeps its media type')
  t.equal(csvAgain.headers['content-disposition'], 'attachment; filename="x.csv"')
  t.equal(calls.cached, 2)

  write()
  const fresh = await app.inject('/cached')
  t.same(json(fresh), { n: 3 }, 'a write: computed again')
  t.not(fresh.headers.etag, first.headers.etag)
  t.equal((await app.inject('/cached')).body, fresh.body)
  t.equal(calls.cached, 3)

  t.equal((await app.inject('/fails')).statusCode, 404)
  t.equal((await app.inject('/fails')).statusCode, 404, 'errors are not kept')
})

t.test('first-page: a list’s pages asked without a cursor are kept until the data moves; later pages are read afresh', async (t) => {
  const { app, calls, write } = await bareApp(t)
  const first = await app.inject('/list?limit=2')
  t.same(json(first), { n: 1, cursor: null })
  const again = await app.inject('/list?limit=2')
  t.equal(again.body, first.body, 'the same page, from memory')
  t.equal(again.headers.etag, first.headers.etag)
  t.equal(calls.list, 1, 'the handler ran once')
  t.same(json(await app.inject('/list?limit=2&cursor=abc')), { n: 2, cursor: 'abc' })
  t.same(json(await app.inject('/list?limit=2&cursor=abc')), { n: 3, cursor: 'abc' }, 'a page after a cursor is not kept')
  t.equal(
    (await app.inject({ url: '/list?limit=2&cursor=abc', headers: { 'if-none-match': first.headers.etag as string } })).statusCode,
    200
  )
  write()
  const after = await app.inject('/list?limit=2')
  t.same(json(after), { n: 5, cursor: null }, 'after a write the first page is read again')
  t.not(after.headers.etag, first.headers.etag)
})

t.test('the cache stays within its budget', async (t) => {
  const { app, calls } = await bareApp(t, 8 * 2 * 8)
  // budget 128 bytes, an answer may take an eighth: 16 bytes of UTF-8; {"n":1} is 7
  await app.inject('/cached')
  await app.inject('/cached')
  t.equal(calls.cached, 1, 'small: kept')
  await app.inject('/big')
  await app.inject('/big')
  t.equal(calls.big, 2, 'an answer over an eighth of the budget is not kept')
})

t.test('static answers keep their tag across writes', async (t) => {
  const { app, write } = await bareApp(t)
  const first = await app.inject('/static')
  write()
  const again = await app.inject({ url: '/static', headers: { 'if-none-match': first.headers.etag as string } })
  t.equal(again.statusCode, 304)
})

const REPORT_ID = 1
/** Every pollable route of the API, with a query that answers 200 on the test data. */
const DATA_URLS = [
  '/v1/agencies',
  '/v1/reports?limit=50',
  '/v1/reports?limit=50&regionCode=63&year=2025',
  '/v1/agencies/1/reports',
  `/v1/reports/${REPORT_ID}/findings`,
  `/v1/reports/${REPORT_ID}/revisions`,
  '/v1/findings',
  '/v1/findings/summary?groupBy=rule',
  '/v1/coverage?year=2025&regionCode=63',
  '/v1/aggregates?metrics=applications.newReceived.total,reports&groupBy=year',
  '/v1/statistics?item=applications.newReceived.total'
]
const STATIC_URLS = ['/v1/aggregates/metrics', '/v1/regions', '/v1/regions/630223']

const NEW_RECEIVED = 'applications.newReceived.total'
const tree = (report: ReportInput) => report as unknown as Record<string, unknown>
const newReceived = (report: ReportInput) => getCell(tree(report), NEW_RECEIVED) as number
/** the report with `applications.newReceived.total` raised by `more` (the other totals left as they were) */
function withNewReceived(report: ReportInput, more: number): ReportInput {
  setCell(tree(report), NEW_RECEIVED, newReceived(report) + more)
  return report
}

async function withReport(app: TestApp) {
  const agencyId = await createAgency(app)
  const res = await app.inject({ method: 'PUT', url: `/v1/agencies/${agencyId}/reports/2025`, payload: sampleReport(agencyId) })
  if (res.statusCode !== 201) throw new Error(res.body)
  return { agencyId, reportId: json(res).id as number }
}

t.test('every polled resource of the API: ETag, 304, and never stale after a write', async (t) => {
  const app = await buildTestApp()
  t.teardown(() => app.close())
  const { agencyId, reportId } = await withReport(app)
  t.equal(reportId, REPORT_ID)
  const tags = new Map<string, { etag: string; body: string }>()
  for (const url of [...DATA_URLS, ...STATIC_URLS]) {
    const res = await app.injectAs(null, url)
    t.equal(res.statusCode, 200, url)
    t.match(res.headers.etag, TAG, `${url}: ETag`)
    t.equal(res.headers['cache-control'], 'no-cache', `${url}: Cache-Control`)
    const again = await app.injectAs(null, { url, headers: { 'if-none-match': res.headers.etag as string } })
    t.equal(again.statusCode, 304, `${url}: 304`)
    t.equal(again.body, '')
    t.equal(again.headers['content-length'], undefined, `${url}: a 304 has no length`)
    t.ok(again.headers['x-request-id'], `${url}: the 304 carries the request id`)
    for (const accept of ['*/*', 'application/json']) {
      const same = await app.injectAs(null, { url, headers: { accept, 'if-none-match': res.headers.etag as string } })
      t.equal(same.statusCode, 304, `${url}: Accept ${accept} means JSON too: the same tag`)
    }
    tags.set(url, { etag: res.headers.etag as string, body: res.body })
  }

  // a write that changes what every data route answers: a new value in the report, another report
  const changed = withNewReceived(sampleReport(agencyId), 7)
  t.equal((await correctReport(app, reportId, changed)).statusCode, 200, 'the accepted report corrected')
  const other = await createAgency(app, { regionCode: '630202' })
  t.equal((await app.inject({ method: 'PUT', url: `/v1/agencies/${other}/reports/2025`, payload: sampleReport(other) })).statusCode, 201)

  for (const url of DATA_URLS) {
    const before = tags.get(url)!
    const res = await app.injectAs(null, { url, headers: { 'if-none-match': before.etag } })
    t.equal(res.statusCode, 200, `${url}: the tag from before the write does not match`)
    t.not(res.headers.etag, before.etag)
    t.not(res.body, before.body, `${url}: the answer is the new one`)
  }
  for (const url of STATIC_URLS) {
    const res = await app.injectAs(null, { url, headers: { 'if-none-match': tags.get(url)!.etag } })
    t.equal(res.statusCode, 304, `${url}: a static answer does not move with the data`)
  }
  const total = json(await app.injectAs(null, '/v1/aggregates?metrics=applications.newReceived.total&year=2025'))
  const expected = 2 * newReceived(sampleReport(1)) + 7
  t.equal(total.groups[0].values['applications.newReceived.total'], expected, 'the cached aggregate was not served after the write')
})

t.test('documents: their revision ETag, Cache-Control, 304', async (t) => {
  const app = await buildTestApp()
  t.teardown(() => app.close())
  const { agencyId, reportId } = await withReport(app)
  for (const url of [`/v1/reports/${reportId}`, `/v1/agencies/${agencyId}/reports/2025`, `/v1/agencies/${agencyId}`]) {
    const res = await app.injectAs(null, url)
    t.equal(res.headers.etag, '"1"', url)
    t.equal(res.headers['cache-control'], 'no-cache', url)
    const notModified = await app.injectAs(null, { url, headers: { 'if-none-match': '"1"' } })
    t.equal(notModified.statusCode, 304, url)
    t.equal(notModified.body, '', `${url}: a 304 has no body`)
    t.equal(notModified.headers['content-length'], undefined, `${url}: nor a length a client would wait for`)
  }
})

t.test('another process writing to the same database: never stale; tags of another instance never match', async (t) => {
  const shared = await sharedDatabase(t)
  const a = await buildTestApp(shared)
  t.teardown(() => a.close())
  const { agencyId, reportId } = await withReport(a)
  const b = await buildTestApp({ ...shared, bootstrapAdminKey: ADMIN_KEY })
  t.teardown(() => b.close())

  const url = '/v1/aggregates?metrics=applications.newReceived.total&year=2025'
  const first = await a.injectAs(null, url)
  const tag = first.headers.etag as string
  t.equal((await a.injectAs(null, { url, headers: { 'if-none-match': tag } })).statusCode, 304)
  const fromB = await b.injectAs(null, { url, headers: { 'if-none-match': tag } })
  t.equal(fromB.statusCode, 200, 'another instance does not trust this one’s tag')
  t.equal(fromB.body, first.body, 'and answers the same data')

  const changed = withNewReceived(sampleReport(agencyId), 1)
  t.equal((await correctReport(b, reportId, changed)).statusCode, 200, 'written by the other instance')
  const after = await a.injectAs(null, { url, headers: { 'if-none-match': tag } })
  t.equal(after.statusCode, 200, 'the first instance sees the other’s commit')
  t.equal(json(after).groups[0].values['applications.newReceived.total'], newReceived(changed))
})

t.test(
  'SQLite file: a commit by another OS process turns the next 304 into a 200',
  { skip: process.env.TEST_DATABASE_URL ? 'SQLite only: on PostgreSQL test/db/multi-instance.test.ts writes from other processes' : false },
  async (t) => {
    const shared = await sharedDatabase(t)
    const app = await buildTestApp(shared)
    t.teardown(() => app.close())
    for (const url of ['/v1/agencies', '/v1/coverage?year=2025&regionCode=63']) {
      const first = await app.injectAs(null, url)
      t.equal(first.statusCode, 200, url)
      const tag = first.headers.etag as string
      t.equal((await app.injectAs(null, { url, headers: { 'if-none-match': tag } })).statusCode, 304, `${url}: 304 before`)
      // what `npm run import` or `npm run keys` do while the service runs: another process, its own connection
      const script = `const D = require('better-sqlite3'); const db = new D(process.argv[1]); db.pragma('busy_timeout = 5000');
      db.prepare("INSERT INTO agencies (name, region_code, level, kind, created_at, updated_at) VALUES (?, '630223', 'county', 'department', ?, ?)")
        .run(process.argv[2], '2025-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z'); db.close()`
      execFileSync(process.execPath, ['-e', script, shared.databaseFile!, `外部写入 ${url}`], { cwd: projectFile('.'), stdio: 'pipe' })
      const after = await app.injectAs(null, { url, headers: { 'if-none-match': tag } })
      t.equal(after.statusCode, 200, `${url}: the old tag no longer matches`)
      t.not(after.headers.etag, tag)
      t.not(after.body, first.body, `${url}: the answer is the new one`)
    }
  }
)
