import t from 'tap'
import { readFileSync } from 'node:fs'
import { buildTestApp, json, sampleReport, countRows } from '../helper.js'
import { renderHtml } from '../../src/render/index.js'
import { cellsOf } from '../../src/format/registry.js'
import { getCell } from '../../src/format/document.js'
import { encodeGbk } from '../fixtures/gbk.js'

const fixture = (name: string) => readFileSync(new URL(`../fixtures/reports/${name}`, import.meta.url))
const expected = JSON.parse(fixture('huzhu-urban-management-2025.expected.json').toString('utf8'))

t.test('a preview reads every cell and stores nothing; a commit creates the agency from its name', async (t) => {
  const app = await buildTestApp()
  t.teardown(() => app.close())
  const body = fixture('huzhu-urban-management-2025.txt')
  const preview = await app.injectAs(null, {
    method: 'POST',
    url: '/v1/imports',
    headers: { 'content-type': 'text/plain; charset=utf-8' },
    payload: body
  })
  t.equal(preview.statusCode, 200, 'a preview needs no key')
  const result = json(preview)
  for (const cell of cellsOf('2021')) t.equal(getCell(result.report, cell), getCell(expected, cell), cell.code)
  t.match(result.report, { year: 2025, format: '2021', publishedAt: '2026-01-19' })
  t.notOk('agencyId' in result.report, 'no agency yet')
  t.equal(result.agencyName, '互助县城市管理综合行政执法局')
  t.same(
    result.findings.filter((f: { severity: string }) => f.severity === 'error'),
    []
  )
  t.type(result.provenance['proactive.licensing.decisions'].text, 'string')
  t.notOk('committed' in result)
  t.equal(await countRows(app, 'reports'), 0)

  t.equal(
    (await app.injectAs(null, { method: 'POST', url: '/v1/imports?commit=true', headers: { 'content-type': 'text/plain' }, payload: body }))
      .statusCode,
    401,
    'a commit needs a key'
  )
  const committed = await app.inject({
    method: 'POST',
    url: '/v1/imports?commit=true',
    headers: { 'content-type': 'text/plain' },
    payload: body
  })
  t.equal(committed.statusCode, 201)
  const c = json(committed).committed
  t.match(c, { status: 'created', agencyCreated: true })
  t.equal(committed.headers.location, `/v1/reports/${c.reportId}`)
  const agency = json(await app.inject(`/v1/agencies/${c.agencyId}`))
  t.match(agency, { name: '互助县城市管理综合行政执法局', regionCode: '630223', level: 'county', kind: 'department' })
  const stored = json(await app.inject(`/v1/reports/${c.reportId}`))
  t.equal(stored.proactive.licensing.decisions, 78)
  const again = json(
    await app.inject({ method: 'POST', url: '/v1/imports?commit=true', headers: { 'content-type': 'text/plain' }, payload: body })
  )
  t.match(
    again.committed,
    { reportId: c.reportId, status: 'unchanged', agencyId: c.agencyId, agencyCreated: false },
    'matched by exact name the second time; the same file writes nothing'
  )
})

t.test('HTML pages in GBK, rejections and unknown agencies', async (t) => {
  const app = await buildTestApp()
  t.teardown(() => app.close())
  const page = fixture('pingtan-2021-page.html')
  const res = await app.inject({ method: 'POST', url: '/v1/imports', headers: { 'content-type': 'text/html' }, payload: page })
  t.equal(res.statusCode, 200)
  t.equal(json(res).report.proactive.fees.amountWanYuan, 24252.311082)
  t.equal(json(res).report.applications.newReceived.total, 70)

  // a page in GBK, declared only in the HTTP header
  const html = renderHtml(sampleReport(1), { agencyName: '互助县城市管理综合行政执法局' }).replace(/<meta charset="utf-8">/i, '')
  const gbk = await app.inject({
    method: 'POST',
    url: '/v1/imports',
    headers: { 'content-type': 'text/html; charset=GBK' },
    payload: encodeGbk(html)
  })
  t.equal(gbk.statusCode, 200)
  t.equal(json(gbk).agencyName, '互助县城市管理综合行政执法局')
  t.equal(json(gbk).report.proactive.licensing.decisions, 78)
  t.equal(json(gbk).report.proactive.penalty.decisions, 45)
  const old = '某县2018年政府信息公开工作年度报告\n一、总体情况\n2018年，本县……'
  const rejected = await app.inject({ method: 'POST', url: '/v1/imports', headers: { 'content-type': 'text/plain' }, payload: old })
  t.equal(rejected.statusCode, 422)
  t.match(json(rejected).detail, /2018/)

  const unknown = await app.inject({
    method: 'POST',
    url: '/v1/imports?commit=true',
    headers: { 'content-type': 'text/plain' },
    payload: fixture('huzhu-urban-management-2025.txt').toString('utf8').replaceAll('互助县城市管理综合行政执法局', '某某局')
  })
  t.equal(unknown.statusCode, 422, 'no region can be inferred: ask for agencyId')
  t.equal(json(unknown).errors[0].parameter, 'agencyId')
  const png = await app.inject({ method: 'POST', url: '/v1/imports', headers: { 'content-type': 'image/png' }, payload: 'x' })
  t.equal(png.statusCode, 415)
  t.equal(
    json(png).detail,
    '不支持的媒体类型 image/png；请发送 text/plain, text/html, application/pdf, application/vnd.openxmlformats-officedocument.wordprocessingml.document, application/octet-stream, application/json。'
  )
  const badBytes = await app.inject({
    method: 'POST',
    url: '/v1/imports',
    headers: { 'content-type': 'text/plain; charset=utf-8' },
    payload: Buffer.from([0xff, 0xfe, 0xfd])
  })
  t.equal(badBytes.statusCode, 400)
  t.equal(await countRows(app, 'reports'), 0)
})

t.test('an imported agency name gets the same check as a posted one: a bidirectional override is refused, nothing stored', async (t) => {
  const app = await buildTestApp()
  t.teardown(() => app.close())
  const text = fixture('huzhu-urban-management-2025.txt')
    .toString('utf8')
    .replace('互助县城市管理综合行政执法局', '互助县城市管理\u202e综合行政执法局')
  const res = await app.inject({
    method: 'POST',
    url: '/v1/imports?commit=true',
    headers: { 'content-type': 'text/plain; charset=utf-8' },
    payload: text
  })
  t.equal(res.statusCode, 422)
  t.same(json(res).errors, [
    {
      pointer: '/name',
      message: '必须是一行纯文本：第 8 个字符 U+202E 是控制字符、行分隔符或双向格式控制字符，或是残缺的代理对'
    }
  ])
  t.same(json(await app.inject('/v1/agencies')).items, [], 'no agency was created')
  t.same(json(await app.inject('/v1/reports')).items, [], 'no report was stored')
})

t.test('warnings and refusals in Chinese by default, in English on Accept-Language: en', async (t) => {
  const app = await buildTestApp()
  t.teardown(() => app.close())
  const text = fixture('huzhu-urban-management-2025.txt')
    .toString('utf8')
    .replace(/^(行政处罚\t)\d+/mu, '$1—')
  const preview = (language?: string) =>
    app.inject({
      method: 'POST',
      url: '/v1/imports',
      headers: { 'content-type': 'text/plain; charset=utf-8', ...(language ? { 'accept-language': language } : {}) },
      payload: text
    })
  const zh = await preview()
  t.equal(zh.statusCode, 200)
  t.equal(zh.headers['content-language'], 'zh-CN')
  t.match(zh.headers.vary, /Accept-Language/)
  const dash = { code: 'cell.placeholder', params: { cell: 'proactive.penalty.decisions', printed: '—' } }
  t.same(json(zh).warnings, [
    { ...dash, message: '行政处罚 · 本年处理决定数量（proactive.penalty.decisions）：印作“—”，不是数字，留空（null）' }
  ])
  const en = await preview('en-US,en;q=0.9,zh;q=0.5')
  t.equal(en.headers['content-language'], 'en')
  t.same(json(en).warnings, [
    { ...dash, message: "行政处罚 · 本年处理决定数量 (proactive.penalty.decisions): printed '—', not a number; kept blank (null)" }
  ])

  const old = '某县2018年政府信息公开工作年度报告\n一、总体情况\n2018年，本县……'
  const refuse = (language?: string) =>
    app.inject({
      method: 'POST',
      url: '/v1/imports',
      headers: { 'content-type': 'text/plain', ...(language ? { 'accept-language': language } : {}) },
      payload: old
    })
  const zhRefused = json(await refuse())
  t.equal(zhRefused.detail, '无法导入该报告：2018年度报告没有全国统一格式（2018年及以前），只能导入2019年及以后的报告')
  t.same(zhRefused.errors, [{ pointer: '/', message: '2018年度报告没有全国统一格式（2018年及以前），只能导入2019年及以后的报告' }])
  const enRefused = json(await refuse('en'))
  t.equal(
    enRefused.detail,
    'The report cannot be imported: reports for 2018 (2018 and earlier) have no unified national format; only reports from 2019 on can be imported'
  )
})

const documentFile = (name: string) => readFileSync(new URL(`../fixtures/documents/${name}`, import.meta.url))
const PDF = 'application/pdf'
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'

t.test('PDF and DOCX files, by media type or by their first bytes', async (t) => {
  const app = await buildTestApp()
  t.teardown(() => app.close())
  for (const [file, type] of [
    ['huzhu-urban-management-2025.landscape.pdf', PDF],
    ['huzhu-urban-management-2025.writer.pdf', 'application/octet-stream'],
    ['huzhu-urban-management-2025.docx', DOCX],
    ['huzhu-urban-management-2025.docx', 'application/octet-stream']
  ]) {
    const res = await app.inject({ method: 'POST', url: '/v1/imports', headers: { 'content-type': type }, payload: documentFile(file) })
    t.equal(res.statusCode, 200, `${file} as ${type}`)
    const result = json(res)
    for (const cell of cellsOf('2021')) t.equal(getCell(result.report, cell), getCell(expected, cell), `${file}: ${cell.code}`)
    t.equal(result.agencyName, '互助县城市管理综合行政执法局')
    t.same(
      result.findings.filter((f: { severity: string }) => f.severity === 'error'),
      []
    )
  }
  const committed = await app.inject({
    method: 'POST',
    url: '/v1/imports?commit=true',
    headers: { 'content-type': PDF },
    payload: documentFile('pingtan-2021.portrait.pdf')
  })
  t.equal(committed.statusCode, 201)
  t.equal(json(await app.inject(`/v1/reports/${json(committed).committed.reportId}`)).proactive.fees.amountWanYuan, 24252.311082)
})

t.test('a scan, a legacy .doc, a broken file: refused, saying what to do, storing nothing', async (t) => {
  const app = await buildTestApp()
  t.teardown(() => app.close())
  const post = (type: string, payload: Buffer | string) =>
    app.inject({ method: 'POST', url: '/v1/imports?commit=true', headers: { 'content-type': type }, payload })

  const scan = await post(PDF, documentFile('scan.pdf'))
  t.equal(scan.statusCode, 422)
  t.equal(scan.headers['content-type'], 'application/problem+json; charset=utf-8')
  t.match(json(scan), {
    status: 422,
    detail:
      '无法读取该文件：该 PDF 没有文字层（是扫描图像）：请先对其进行文字识别（OCR），发送带文字层的 PDF，或以 text/plain 发送报告文字',
    errors: [
      {
        pointer: '/',
        message: '该 PDF 没有文字层（是扫描图像）：请先对其进行文字识别（OCR），发送带文字层的 PDF，或以 text/plain 发送报告文字'
      }
    ]
  })
  const scanEn = await app.inject({
    method: 'POST',
    url: '/v1/imports',
    headers: { 'content-type': PDF, 'accept-language': 'en' },
    payload: documentFile('scan.pdf')
  })
  t.equal(
    json(scanEn).detail,
    'The file cannot be read: the PDF has no text layer: it is a scanned image. Run text recognition (OCR) on it and send the PDF with its text layer, or send the report’s text as text/plain'
  )
  for (const type of ['application/msword', 'application/octet-stream', DOCX]) {
    const doc = await post(type, documentFile('legacy.doc'))
    t.equal(doc.statusCode, 415, `.doc as ${type}`)
    t.equal(json(doc).detail, '不读取旧版 Word 97–2003 文件（.doc）：请用 Word、WPS 或 LibreOffice 打开该文件，另存为 DOCX 或 PDF 后再发送')
  }
  const docEn = await app.inject({
    method: 'POST',
    url: '/v1/imports',
    headers: { 'content-type': 'application/msword', 'accept-language': 'en' },
    payload: documentFile('legacy.doc')
  })
  t.equal(
    json(docEn).detail,
    'Legacy Word 97–2003 files (.doc) are not read: open the file in Word, WPS or LibreOffice and save it as DOCX or PDF, then send that.'
  )
  t.equal((await post(PDF, 'hello')).statusCode, 422, 'not a PDF')
  t.equal((await post('application/octet-stream', 'hello')).statusCode, 415, 'unknown bytes')
  t.equal((await post(DOCX, documentFile('huzhu-urban-management-2025.writer.pdf'))).statusCode, 422, 'a PDF sent as DOCX')
  t.equal(await countRows(app, 'reports'), 0)
})

t.test('a new agency’s level and kind from the end of its name, said in a warning; an unreadable ending asks for agencyId', async (t) => {
  const app = await buildTestApp()
  t.teardown(() => app.close())
  const text = fixture('pingtan-2021.txt')
  const res = await app.inject({ method: 'POST', url: '/v1/imports?commit=true', headers: { 'content-type': 'text/plain' }, payload: text })
  t.equal(res.statusCode, 201)
  const body = json(res)
  const agency = json(await app.inject(`/v1/agencies/${body.committed.agencyId}`))
  t.match(
    agency,
    { name: '平潭综合实验区', regionCode: '350128', level: 'county', kind: 'government' },
    'a zone governs: not a county department'
  )
  const warning = body.warnings.find((w: { code: string }) => w.code === 'agency.inferred')
  t.match(warning, {
    params: { name: '平潭综合实验区', regionCode: '350128', level: 'county', kind: 'government' },
    message: /已新建机关“平潭综合实验区”/
  })

  const hospital = text.toString('utf8').replaceAll('平潭综合实验区', '平潭县人民医院')
  const asked = await app.inject({
    method: 'POST',
    url: '/v1/imports?commit=true',
    headers: { 'content-type': 'text/plain' },
    payload: hospital
  })
  t.equal(asked.statusCode, 422)
  t.match(json(asked), { errors: [{ parameter: 'agencyId' }] })
  t.equal(await countRows(app, 'agencies', 'name = ?', ['平潭县人民医院']), 0, 'nothing created')
})

t.test('an import that would change an accepted report is a 409 unless it carries a correction reason', async (t) => {
  const app = await buildTestApp()
  t.teardown(() => app.close())
  const body = fixture('huzhu-urban-management-2025.txt')
  const post = (query: string) =>
    app.inject({ method: 'POST', url: `/v1/imports?${query}`, headers: { 'content-type': 'text/plain' }, payload: body })
  const first = json(await post('commit=true')).committed
  const stored = json(await app.inject(`/v1/reports/${first.reportId}`))
  t.equal(stored.state, 'accepted', 'an admin’s import is published')

  const source = 'https://www.huzhu.gov.cn/zwgk/2026/ndbg.html'
  const refused = await post(`commit=true&sourceUrl=${encodeURIComponent(source)}`)
  t.equal(refused.statusCode, 409)
  t.match(json(refused), { type: '/problems/conflict', errors: [{ pointer: '/' }] })
  t.equal(json(await app.inject(`/v1/reports/${first.reportId}`)).revision, stored.revision, 'nothing changed')

  const reason = '补充原文发布网址'
  const wrongUse = await post(`reason=${encodeURIComponent(reason)}`)
  t.equal(wrongUse.statusCode, 400, 'a reason without commit')
  t.match(json(wrongUse), {
    detail: '参数 reason 无效：只在 commit=true 时使用。',
    errors: [{ parameter: 'reason', message: '只在 commit=true 时使用' }]
  })
  const blank = await post(`commit=true&reason=${encodeURIComponent('  ')}&sourceUrl=${encodeURIComponent(source)}`)
  t.equal(blank.statusCode, 400)
  t.same(json(blank).errors, [{ parameter: 'reason', message: '为空' }])
  t.equal(json(await app.inject(`/v1/reports/${first.reportId}`)).revision, stored.revision, 'still nothing changed')

  const corrected = await post(`commit=true&reason=${encodeURIComponent(reason)}&sourceUrl=${encodeURIComponent(source)}`)
  t.equal(corrected.statusCode, 200)
  t.match(json(corrected).committed, { reportId: first.reportId, status: 'replaced', agencyCreated: false })
  const after = json(await app.inject(`/v1/reports/${first.reportId}`))
  t.match(after, { state: 'accepted', revision: stored.revision + 1, sourceUrl: source })
  const history = json(await app.inject(`/v1/reports/${first.reportId}/revisions`)).items
  t.match(history.at(-1), { revision: stored.revision + 1, operation: 'corrected', state: 'accepted', comment: reason })

  const same = await post(`commit=true&reason=${encodeURIComponent(reason)}&sourceUrl=${encodeURIComponent(source)}`)
  t.equal(same.statusCode, 200)
  t.equal(json(same).committed.status, 'unchanged', 'the same report again: nothing to correct, no revision')
  t.equal(json(await app.inject(`/v1/reports/${first.reportId}`)).revision, stored.revision + 1)
})
