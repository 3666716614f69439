// Imports run in worker threads with a time budget and a bounded queue: a long or hostile import never
// holds up other requests, ends in a 422 at its budget (the worker replaced), and an import past the
// queue is a 503 with Retry-After. No assertion here depends on how fast the machine is: the hostile
// table takes many seconds to read, the budget is one second.
import t from 'tap'
import { readFileSync } from 'node:fs'
import { buildTestApp, json, countRows } from '../helper.js'
import { HOSTILE } from '../fixtures/hostile.js'

const bigTable = () => HOSTILE['large table'](6_500_000)

const fixture = (name: string) => readFileSync(new URL(`../fixtures/reports/${name}`, import.meta.url))

/** Resolves once the pool holds `n` imports, running or waiting. */
async function poolHolds(app: { importPool: { stats(): { busy: number; queued: number } } }, n: number) {
  for (;;) {
    const { busy, queued } = app.importPool.stats()
    if (busy + queued >= n) return
    await new Promise((r) => setImmediate(r))
  }
}

t.test('/healthz and reads answer while a hostile import runs; the import ends in a 422 at its budget', async (t) => {
  const app = await buildTestApp({ imports: { workers: 1, timeoutMs: 1000 } })
  t.teardown(() => app.close())
  const hostile = bigTable()
  let settled = false
  const importing = app
    .injectAs(null, { method: 'POST', url: '/v1/imports', headers: { 'content-type': hostile.contentType }, payload: hostile.body })
    .finally(() => (settled = true))
  await poolHolds(app, 1)

  const health = await app.inject('/healthz')
  t.equal(health.statusCode, 200)
  const read = await app.inject('/v1/agencies')
  t.equal(read.statusCode, 200)
  t.notOk(settled, 'both answered while the import was still being read')

  const res = await importing
  t.equal(res.statusCode, 422)
  const problem = json(res)
  t.match(problem.detail, /时限（1 秒，IMPORT_TIME_LIMIT_MS）/)
  t.same(
    problem.errors.map((e: { pointer: string }) => e.pointer),
    ['/']
  )
  t.equal(app.importPool.stats().recycled, 1, 'its worker was ended')

  // in English too, and the next import is read by a fresh worker
  const en = await app.injectAs(null, {
    method: 'POST',
    url: '/v1/imports',
    headers: { 'content-type': hostile.contentType, 'accept-language': 'en' },
    payload: hostile.body
  })
  t.equal(en.statusCode, 422)
  t.match(json(en).detail, /longer than an import may \(1 s, IMPORT_TIME_LIMIT_MS\)/)
  const ok = await app.injectAs(null, {
    method: 'POST',
    url: '/v1/imports',
    headers: { 'content-type': 'text/plain; charset=utf-8' },
    payload: fixture('huzhu-urban-management-2025.txt')
  })
  t.equal(ok.statusCode, 200)
  t.equal(json(ok).report.proactive.licensing.decisions, 78)
  t.equal(await countRows(app, 'reports'), 0, 'nothing stored')
})

t.test('past the queue an import is a 503 with Retry-After; the others are read', async (t) => {
  const app = await buildTestApp({ imports: { workers: 1, queue: 1, timeoutMs: 1000 } })
  t.teardown(() => app.close())
  const hostile = bigTable()
  const send = () =>
    app.injectAs(null, { method: 'POST', url: '/v1/imports', headers: { 'content-type': hostile.contentType }, payload: hostile.body })
  const first = send()
  await poolHolds(app, 1)
  const second = send()
  await poolHolds(app, 2)
  const third = await send()
  t.equal(third.statusCode, 503)
  t.equal(third.headers['retry-after'], '1')
  t.equal(third.headers['content-type'], 'application/problem+json; charset=utf-8')
  t.match(json(third), { status: 503, detail: /导入繁忙/ })
  t.equal((await first).statusCode, 422, 'the running one ends at its budget')
  t.equal((await second).statusCode, 422, 'the waiting one ran next, with its own budget')
  t.same(app.importPool.stats(), { workers: 0, busy: 0, queued: 0, recycled: 2 })
})

t.test('commit=true through the pool: the report read in a worker is stored', async (t) => {
  const app = await buildTestApp({ imports: { workers: 2 } })
  t.teardown(() => app.close())
  const body = fixture('huzhu-urban-management-2025.txt')
  const [a, b] = await Promise.all([
    app.inject({ method: 'POST', url: '/v1/imports?commit=true', headers: { 'content-type': 'text/plain' }, payload: body }),
    app.injectAs(null, { method: 'POST', url: '/v1/imports', headers: { 'content-type': 'text/plain' }, payload: body })
  ])
  t.equal(a.statusCode, 201)
  t.equal(b.statusCode, 200)
  t.equal(json(a).report.proactive.licensing.decisions, 78)
  t.equal(await countRows(app, 'reports'), 1)
})

t.test('an import that needs more memory than a worker may have is a 413; a fresh worker reads the next', async (t) => {
  // 32 MiB of heap (the server allows no less than 64): 8 MiB of text on one line needs several times that
  const app = await buildTestApp({ imports: { workers: 1, timeoutMs: 120_000, memoryMb: 32 } })
  t.teardown(() => app.close())
  const hostile = HOSTILE['single line'](8 * 1024 * 1024)
  const res = await app.injectAs(null, {
    method: 'POST',
    url: '/v1/imports',
    headers: { 'content-type': hostile.contentType, 'accept-language': 'en' },
    payload: hostile.body
  })
  t.equal(res.statusCode, 413)
  t.match(json(res), { status: 413, detail: /more memory than an import may use \(32 MiB, IMPORT_MEMORY_MB\)/ })
  t.equal(app.importPool.stats().recycled, 1)
  const ok = await app.injectAs(null, {
    method: 'POST',
    url: '/v1/imports',
    headers: { 'content-type': 'text/plain; charset=utf-8' },
    payload: fixture('huzhu-urban-management-2025.txt')
  })
  t.equal(ok.statusCode, 200)
})
