// POST /v1/imports with { url }: against a local server, with the guard's loopback exception (tests only).
import t from 'tap'
import { createServer, type Server } from 'node:http'
import { readFileSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { buildTestApp, countRows, json } from '../helper.js'
import { cellsOf } from '../../src/format/registry.js'
import { getCell } from '../../src/format/document.js'

const file = (path: string) => readFileSync(new URL(`../fixtures/${path}`, import.meta.url))
const huzhu = JSON.parse(file('reports/huzhu-urban-management-2025.expected.json').toString('utf8'))

/** A small site: a notice linking its report as a PDF, a page with the report inline, redirects, a big and a slow answer. */
async function site(t: { teardown: (fn: () => void) => void }): Promise<string> {
  const hits: string[] = []
  const server: Server = createServer((req, res) => {
    hits.push(req.url ?? '')
    const url = req.url ?? ''
    if (url === '/notice.html') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      res.end(
        '<html><head><title>年度报告</title></head><body><h1>通知</h1><p>附件：<a href="/files/report.pdf">互助县城市管理综合行政执法局2025年度政府信息公开工作年度报告.pdf</a></p></body></html>'
      )
    } else if (url === '/files/report.pdf') {
      res.writeHead(200, { 'content-type': 'application/pdf' })
      res.end(file('documents/huzhu-urban-management-2025.landscape.pdf'))
    } else if (url === '/page.html') {
      res.writeHead(200, { 'content-type': 'text/html' })
      res.end(file('reports/pingtan-2021-page.html'))
    } else if (url === '/moved') {
      res.writeHead(302, { location: '/page.html' })
      res.end()
    } else if (url === '/to-private') {
      res.writeHead(302, { location: 'http://10.0.0.1/report.pdf' })
      res.end()
    } else if (url === '/loop') {
      res.writeHead(302, { location: '/loop' })
      res.end()
    } else if (url === '/big') {
      res.writeHead(200, { 'content-type': 'text/html' })
      res.end('x'.repeat(5000))
    } else if (url === '/slow') {
      setTimeout(() => res.end('late'), 3000)
    } else {
      res.writeHead(404)
      res.end()
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => server.close())
  return `http://localhost:${(server.address() as AddressInfo).port}`
}

const post = (app: Awaited<ReturnType<typeof buildTestApp>>, url: string, query = '', headers: Record<string, string> = {}) =>
  app.inject({
    method: 'POST',
    url: `/v1/imports${query}`,
    headers: { 'content-type': 'application/json', ...headers },
    payload: JSON.stringify({ url })
  })

t.test('a notice page: the report is read from the file it links (附件), and committed', async (t) => {
  const base = await site(t)
  const app = await buildTestApp({ importUrl: { hosts: ['localhost'], maxBytes: 2_000_000, timeoutMs: 20_000, allowLoopback: true } })
  t.teardown(() => app.close())
  const res = await post(app, `${base}/notice.html`, '?commit=true')
  t.equal(res.statusCode, 201)
  const body = json(res)
  t.same(body.fetched, { page: `${base}/notice.html`, file: `${base}/files/report.pdf` })
  for (const cell of cellsOf('2021')) t.equal(getCell(body.report, cell), getCell(huzhu, cell), cell.code)
  t.equal(body.report.sourceUrl, `${base}/notice.html`)
  t.match(body.committed, { status: 'created', agencyCreated: true })

  // a page with the report inline, reached through a redirect: read from the page itself
  const page = json(await post(app, `${base}/moved`))
  t.same(page.fetched, { page: `${base}/page.html`, file: null })
  t.equal(page.report.proactive.fees.amountWanYuan, 24252.311082)
  t.equal(page.report.sourceUrl, `${base}/page.html`)
})

t.test('the guard: redirects to private addresses, sizes, time, redirect loops, hosts off the list', async (t) => {
  const base = await site(t)
  // 10.0.0.1 is on the list: a redirect there is refused for its address, before any connection
  const app = await buildTestApp({ importUrl: { hosts: ['localhost', '10.0.0.1'], maxBytes: 4096, timeoutMs: 1000, allowLoopback: true } })
  t.teardown(() => app.close())
  const refusal = async (url: string, headers: Record<string, string> = {}) => {
    const res = await post(app, url, '?commit=true', headers)
    t.equal(res.statusCode, 422, url)
    t.equal(json(res).errors[0].pointer, '/url')
    return json(res).errors[0].message as string
  }
  t.equal(await refusal(`${base}/to-private`, { 'accept-language': 'en' }), 'the address 10.0.0.1 is not a public address')
  t.equal(await refusal(`${base}/to-private`), '地址 10.0.0.1 不是公网地址')
  t.equal(await refusal(`${base}/big`, { 'accept-language': 'en' }), 'the response is larger than 4096 bytes (IMPORT_URL_MAX_BYTES)')
  t.equal(await refusal(`${base}/slow`, { 'accept-language': 'en' }), 'the fetch did not finish within 1000 ms (IMPORT_URL_TIMEOUT_MS)')
  t.equal(await refusal(`${base}/loop`, { 'accept-language': 'en' }), 'more than 5 redirects')
  t.equal(await refusal(`${base}/missing`, { 'accept-language': 'en' }), `${base}/missing answered HTTP 404`)
  t.equal(
    await refusal(`${base.replace('localhost', '127.0.0.1')}/page.html`, { 'accept-language': 'en' }),
    'the host 127.0.0.1 is not among the hosts imports may be fetched from (IMPORT_URL_HOSTS)'
  )
  t.equal(await refusal('file:///etc/passwd', { 'accept-language': 'en' }), 'only http and https URLs are fetched, not file:')
  const unknown = await app.inject({
    method: 'POST',
    url: '/v1/imports',
    headers: { 'content-type': 'application/json' },
    payload: { url: `${base}/page.html`, extra: 1 }
  })
  t.equal(unknown.statusCode, 422)
  t.same(json(unknown).errors, [{ pointer: '/extra', message: '不是已知的字段' }])
  t.equal(await countRows(app, 'reports'), 0, 'nothing stored')
})

t.test('without the loopback exception a local server is refused after DNS; without IMPORT_URL_HOSTS import by URL is off', async (t) => {
  const base = await site(t)
  const guarded = await buildTestApp({ importUrl: { hosts: ['localhost'], maxBytes: 2_000_000, timeoutMs: 5000 } })
  t.teardown(() => guarded.close())
  const res = await post(guarded, `${base}/page.html`, '', { 'accept-language': 'en' })
  t.equal(res.statusCode, 422)
  t.equal(json(res).errors[0].message, 'localhost resolves to 127.0.0.1, which is not a public address')

  const off = await buildTestApp()
  t.teardown(() => off.close())
  const refused = await post(off, `${base}/page.html`, '', { 'accept-language': 'en' })
  t.equal(refused.statusCode, 403)
  t.equal(json(refused).detail, 'Import by URL is off on this server: its operator turns it on with IMPORT_URL_HOSTS.')
})
