import t, { type Test } from 'tap'
import { buildTestApp, createAgency, type TestApp } from '../helper.js'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

/** An app logging at `level` into memory; `lines()` are the JSON lines written so far. */
async function loggingApp(t: Test, level = 'info'): Promise<{ app: TestApp; lines: () => Array<Record<string, unknown>> }> {
  const written: string[] = []
  const app = await buildTestApp({ logger: true, logLevel: level, logStream: { write: (line: string) => void written.push(line) } })
  t.teardown(() => app.close())
  const lines = () => written.map((l) => JSON.parse(l) as Record<string, unknown>)
  return { app, lines }
}

/** the line is written when the response has gone: a turn of the event loop after inject resolves */
const settle = () => new Promise((resolve) => setImmediate(resolve))
const requestLines = (lines: Array<Record<string, unknown>>) => lines.filter((l) => l.msg === 'request')

t.test('one line per request, with the caller’s request id, echoed back', async (t) => {
  const { app, lines } = await loggingApp(t)
  const before = lines().length
  const res = await app.injectAs(null, { url: '/v1/reports?limit=0', headers: { 'x-request-id': 'gw-2025.07/abc:42' } })
  await settle()
  t.equal(res.statusCode, 400, 'an invalid query parameter')
  t.equal(res.headers['x-request-id'], 'gw-2025.07/abc:42')
  const ok = await app.injectAs(null, { url: '/v1/regions/630223', headers: { 'x-request-id': 'gw-2' } })
  await settle()
  t.equal(ok.statusCode, 200)
  const written = lines().slice(before)
  t.equal(written.length, 2, 'two requests, two lines: nothing else')
  const [first, second] = written
  t.match(first, {
    level: 30,
    msg: 'request',
    reqId: 'gw-2025.07/abc:42',
    method: 'GET',
    url: '/v1/reports?limit=0',
    route: '/v1/reports',
    status: 400,
    ip: '127.0.0.1'
  })
  t.type(first.ms, 'number')
  t.ok((first.ms as number) >= 0)
  t.notOk('keyId' in first, 'no key, no key fields')
  t.match(second, { reqId: 'gw-2', status: 200, route: '/v1/regions/:code' })
})

t.test('an id that does not look like one is replaced by a fresh UUID', async (t) => {
  const { app, lines } = await loggingApp(t)
  for (const given of ['has space', 'x'.repeat(129), 'quote"d', 'new%0Aline', '']) {
    const before = lines().length
    const res = await app.injectAs(null, { url: '/healthz', headers: { 'x-request-id': given } })
    await settle()
    const id = res.headers['x-request-id'] as string
    t.match(id, UUID, `${JSON.stringify(given.slice(0, 20))} replaced`)
    t.equal(requestLines(lines().slice(before))[0].reqId, id, 'the log names the id sent back')
  }
  const a = await app.injectAs(null, '/healthz')
  const b = await app.injectAs(null, '/healthz')
  t.match(a.headers['x-request-id'], UUID, 'without a header: a UUID')
  t.not(a.headers['x-request-id'], b.headers['x-request-id'], 'a new one each time')
})

t.test('the key that wrote, and the id on errors, 404s and refused URLs', async (t) => {
  const { app, lines } = await loggingApp(t)
  const agencyId = await createAgency(app)
  await settle()
  const write = requestLines(lines()).at(-1)!
  t.match(write, { method: 'POST', route: '/v1/agencies', status: 201, keyName: 'bootstrap admin' })
  t.type(write.keyId, 'number')
  t.ok(agencyId > 0)

  const cases: Array<[string, Parameters<TestApp['injectAs']>, number]> = [
    ['a bad key', ['not-a-key-at-all-0000000000', { url: '/v1/agencies' }], 401],
    ['no key for a write', [null, { method: 'POST', url: '/v1/agencies', payload: {} }], 401],
    ['no route', [null, { url: '/v1/nothing-here' }], 404],
    ['a broken URL', [null, { url: '/v1/agencies/%E0%A4%A' }], 400]
  ]
  for (const [what, [key, opts], status] of cases) {
    const before = lines().length
    const res = await app.injectAs(key, { ...(opts as object), headers: { 'x-request-id': `case-${status}` } })
    await settle()
    t.equal(res.statusCode, status, what)
    t.equal(res.headers['x-request-id'], `case-${status}`, `${what}: the id is echoed`)
    const written = requestLines(lines().slice(before))
    t.equal(written.length, 1, `${what}: one line`)
    t.match(written[0], { reqId: `case-${status}`, status }, what)
  }
})

t.test('no access lines above info', async (t) => {
  const { app, lines } = await loggingApp(t, 'warn')
  const res = await app.injectAs(null, '/healthz')
  await settle()
  t.equal(res.statusCode, 200)
  t.match(res.headers['x-request-id'], UUID, 'the id is still echoed')
  t.same(requestLines(lines()), [])
})
