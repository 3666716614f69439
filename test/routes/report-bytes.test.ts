// A JSON read of a report sends the stored document's bytes as the database holds them (no string made of them):
// they must be, byte for byte, the JSON text the write answered — characters outside the BMP, the separators JSON
// leaves unescaped, quotes and backslashes included — and the other representations, which parse those bytes,
// must read the same text.
import t from 'tap'
import { buildTestApp, createAgency, json, sampleReport } from '../helper.js'

// 𠀀 and 😀 are two UTF-16 units (four UTF-8 bytes) each; U+2028 and U+2029 stay raw in JSON text
const TEXT = '概述：“引号” \\ 反斜杠 "quotes" 𠀀 😀 \u2028\u2029 é — 结束'

t.test('GET by id and by key send the written JSON text byte for byte', async (t) => {
  const app = await buildTestApp()
  t.teardown(() => app.close())
  const agencyId = await createAgency(app)
  const body = sampleReport(agencyId)
  body.sections.overview = TEXT
  const written = await app.inject({ method: 'POST', url: '/v1/reports', payload: body })
  t.equal(written.statusCode, 201)
  const id = json(written).id
  t.equal(json(written).sections.overview, TEXT)

  for (const url of [`/v1/reports/${id}`, `/v1/agencies/${agencyId}/reports/2025`]) {
    const read = await app.inject(url)
    t.equal(read.statusCode, 200, url)
    t.equal(read.headers['content-type'], 'application/json; charset=utf-8')
    t.ok(read.rawPayload.equals(written.rawPayload), `${url}: the same bytes as the write's answer`)
    t.equal(Number(read.headers['content-length']), written.rawPayload.length, 'Content-Length counts bytes, not characters')
    t.equal(read.headers.etag, written.headers.etag)
    t.equal(json(read).sections.overview, TEXT)
  }

  // the representations that parse the stored bytes read the same text
  const md = await app.inject(`/v1/reports/${id}?output=md`)
  t.equal(md.statusCode, 200)
  t.match(md.headers['content-type'], /^text\/markdown/)
  t.ok(md.body.includes('𠀀 😀'), 'Markdown carries the characters outside the BMP')
  const html = await app.inject(`/v1/reports/${id}?output=html`)
  t.equal(html.statusCode, 200)
  t.ok(html.body.includes('𠀀 😀'), 'HTML carries them too')

  // the 304 still answers from the revision alone, and a write still moves it
  const again = await app.inject({ url: `/v1/reports/${id}`, headers: { 'if-none-match': written.headers.etag as string } })
  t.equal(again.statusCode, 304)
  t.equal(again.body, '')
})
