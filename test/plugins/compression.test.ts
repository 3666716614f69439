import t from 'tap'
import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import { createEncodingNegotiator, encodedTag } from '../../src/plugins/compression.js'
import { buildTestApp, createAgency, json, sampleReport, type TestApp } from '../helper.js'

const decode = (encoding: string | undefined, raw: Buffer) =>
  (encoding === 'br' ? brotliDecompressSync(raw) : encoding === 'gzip' ? gunzipSync(raw) : raw).toString('utf8')

t.test('Accept-Encoding: Brotli or gzip by the client’s preference, q=0 refuses', async (t) => {
  const negotiate = createEncodingNegotiator()
  t.equal(negotiate(undefined), null)
  t.equal(negotiate(''), null)
  t.equal(negotiate('identity'), null)
  t.equal(negotiate('gzip, deflate'), 'gzip')
  t.equal(negotiate('gzip, deflate, br'), 'br', 'equally welcome: Brotli')
  t.equal(negotiate('br;q=0.5, gzip'), 'gzip')
  t.equal(negotiate('br;q=0, gzip;q=0'), null)
  t.equal(negotiate('deflate'), null, 'nothing we have')
  t.equal(negotiate('*'), 'br')
  t.equal(encodedTag('"3"', 'gzip'), '"3+gzip"')
  t.equal(encodedTag('W/"abc"', 'br'), 'W/"abc"', 'a weak tag names the content whatever its encoding')
})

async function withReports(app: TestApp) {
  const agencyId = await createAgency(app)
  const res = await app.inject({ method: 'PUT', url: `/v1/agencies/${agencyId}/reports/2025`, payload: sampleReport(agencyId) })
  if (res.statusCode !== 201) throw new Error(res.body)
  for (let i = 0; i < 5; i++) await createAgency(app)
  return { agencyId, reportId: json(res).id as number }
}

t.test('large JSON and CSV: compressed when accepted, the same content once decoded, Vary either way', async (t) => {
  const app = await buildTestApp()
  t.teardown(() => app.close())
  const { reportId } = await withReports(app)
  // an aggregate of many metrics: answered from the conditional plugin's cache when asked again
  const catalog = json(await app.injectAs(null, '/v1/aggregates/metrics'))
  const metrics = catalog.metrics
    .slice(0, 40)
    .map((m: { code: string }) => m.code)
    .join(',')
  const urls = [
    `/v1/reports/${reportId}`,
    '/v1/agencies',
    `/v1/reports/${reportId}?output=csv`,
    `/v1/aggregates?metrics=${metrics}&groupBy=year`,
    '/v1/aggregates/metrics'
  ]
  for (const url of urls) {
    const plain = await app.injectAs(null, url)
    t.equal(plain.statusCode, 200, url)
    t.ok(plain.rawPayload.length >= 1024, `${url}: large enough to compress (${plain.rawPayload.length} bytes)`)
    t.equal(plain.headers['content-encoding'], undefined, `${url}: not compressed unless asked`)
    t.match(plain.headers.vary, /Accept-Encoding/, `${url}: Vary names Accept-Encoding`)
    for (const encoding of ['gzip', 'br']) {
      const res = await app.injectAs(null, { url, headers: { 'accept-encoding': encoding } })
      t.equal(res.statusCode, 200)
      t.equal(res.headers['content-encoding'], encoding, `${url}: ${encoding}`)
      t.match(res.headers.vary, /Accept-Encoding/)
      t.ok(
        res.rawPayload.length < plain.rawPayload.length / 2,
        `${url}: ${encoding} at most half the size (${res.rawPayload.length} of ${plain.rawPayload.length})`
      )
      t.equal(Number(res.headers['content-length']), res.rawPayload.length, 'Content-Length counts the compressed bytes')
      t.equal(decode(encoding, res.rawPayload), plain.body, `${url}: ${encoding} decodes to the same content`)
      t.equal(res.headers['content-type'], plain.headers['content-type'])
      // asked again: the same bytes (a weak-tagged answer is compressed once)
      const again = await app.injectAs(null, { url, headers: { 'accept-encoding': encoding } })
      t.same(again.rawPayload, res.rawPayload, `${url}: ${encoding} again, the same bytes`)
    }
  }
})

t.test('small answers are sent as they are, without Vary', async (t) => {
  const app = await buildTestApp()
  t.teardown(() => app.close())
  const agencyId = await createAgency(app)
  for (const url of [`/v1/agencies/${agencyId}`, '/healthz', '/v1/reports/999']) {
    const res = await app.injectAs(null, { url, headers: { 'accept-encoding': 'gzip, br' } })
    t.ok(res.rawPayload.length < 1024, url)
    t.equal(res.headers['content-encoding'], undefined, url)
    t.notMatch(res.headers.vary ?? '', /Accept-Encoding/, url)
  }
})

t.test('ETags with encodings: a document’s strong tag per encoding, names the same revision; weak tags shared', async (t) => {
  const app = await buildTestApp()
  t.teardown(() => app.close())
  const { agencyId, reportId } = await withReports(app)
  const url = `/v1/reports/${reportId}`

  const plain = await app.injectAs(null, url)
  t.equal(plain.headers.etag, '"1"')
  const gz = await app.injectAs(null, { url, headers: { 'accept-encoding': 'gzip' } })
  t.equal(gz.headers.etag, '"1+gzip"', 'the gzip bytes have their own strong tag')
  const br = await app.injectAs(null, { url, headers: { 'accept-encoding': 'br' } })
  t.equal(br.headers.etag, '"1+br"')

  const notModified = await app.injectAs(null, { url, headers: { 'accept-encoding': 'gzip', 'if-none-match': '"1+gzip"' } })
  t.equal(notModified.statusCode, 304)
  t.equal(notModified.headers.etag, '"1+gzip"', 'the 304 confirms the variant the client holds')
  t.equal((await app.injectAs(null, { url, headers: { 'if-none-match': '"1+br"' } })).statusCode, 304, 'any variant’s tag names revision 1')
  t.equal((await app.injectAs(null, { url, headers: { 'if-none-match': '"2+gzip"' } })).statusCode, 200)

  // If-Match with the compressed variant's tag: the correction (the report is accepted) is to revision 1
  // (a changed document: an identical one is no new revision and keeps its tag)
  const { agencyId: _a, year: _y, ...changed } = { ...sampleReport(agencyId), title: 'a corrected title' }
  const correct = (tag: string, report: object) =>
    app.inject({ method: 'POST', url: `${url}/corrections`, headers: { 'if-match': tag }, payload: { reason: '更正标题', report } })
  const replaced = await correct('"1+gzip"', changed)
  t.equal(replaced.statusCode, 200)
  t.equal(replaced.headers.etag, '"2"')
  const stale = await correct('"1+br"', { ...changed, title: 'another title' })
  t.equal(stale.statusCode, 412, 'an old variant’s tag is stale like the plain one')
  const after = await app.injectAs(null, { url, headers: { 'accept-encoding': 'gzip', 'if-none-match': '"1+gzip"' } })
  t.equal(after.statusCode, 200, 'never a 304 after the write')
  t.equal(after.headers.etag, '"2+gzip"')

  // a polled list: the same weak tag whatever the encoding, and a 304 for either
  const list = '/v1/agencies'
  const listPlain = await app.injectAs(null, list)
  const listGz = await app.injectAs(null, { url: list, headers: { 'accept-encoding': 'gzip' } })
  t.match(listPlain.headers.etag, /^W\//)
  t.equal(listGz.headers.etag, listPlain.headers.etag)
  const list304 = await app.injectAs(null, {
    url: list,
    headers: { 'accept-encoding': 'gzip', 'if-none-match': listPlain.headers.etag as string }
  })
  t.equal(list304.statusCode, 304)
  t.equal(list304.body, '')
})

t.test('a compressed cached answer is never stale after a write', async (t) => {
  const app = await buildTestApp()
  t.teardown(() => app.close())
  await withReports(app)
  const url = '/v1/agencies?limit=100'
  const headers = { 'accept-encoding': 'br' }
  const before = await app.injectAs(null, { url, headers })
  const count = JSON.parse(decode('br', before.rawPayload)).items.length
  await createAgency(app)
  const after = await app.injectAs(null, { url, headers })
  t.not(after.headers.etag, before.headers.etag)
  t.equal(JSON.parse(decode('br', after.rawPayload)).items.length, count + 1, 'the new agency is in the compressed answer')
})
