import t from 'tap'
import { buildTestApp, createAgency, createKey, json, publishReport, sampleReport, countRows } from '../helper.js'
import { buildConsistentReport } from '../../src/checks/consistent-report.js'
import { emptyReport, type ReportInput } from '../../src/format/document.js'
import { parseCsv } from '../fixtures/parse-csv.js'

type Finding = {
  rule: string
  ruleName: string
  severity: string
  cells: string[]
  expected: number | null
  actual: number | null
  otherReportId?: number
  otherYear?: number
  fingerprint: string
  message: string
}

/** The sample report with 自然人 新收 raised to 12 while its 总计 stays 0: breaks T3-01 (自然人 column) and T3-03 (新收 row). */
function brokenSample(agencyId: number, year = 2025): ReportInput {
  const doc = sampleReport(agencyId, { year })
  ;(doc.applications as Record<string, Record<string, number>>).newReceived.naturalPerson = 12
  return doc
}

t.test('findings are computed and stored on write; the report is kept as published', async (t) => {
  const app = await buildTestApp()
  t.teardown(() => app.close())
  const agencyId = await createAgency(app)
  const res = await app.inject({ method: 'POST', url: '/v1/reports', payload: brokenSample(agencyId) })
  t.equal(res.statusCode, 201, 'stored as published')
  const id = json(res).id
  t.equal(json(res).applications.newReceived.naturalPerson, 12)
  const findings: Finding[] = json(await app.inject(`/v1/reports/${id}/findings`)).items
  const errors = findings.filter((f) => f.severity === 'error')
  t.same(
    errors.map((f) => [f.rule, f.cells, f.expected, f.actual]),
    [
      [
        'T3-01',
        [
          'applications.newReceived.naturalPerson',
          'applications.carriedOver.naturalPerson',
          'applications.outcomes.total.naturalPerson',
          'applications.carriedForward.naturalPerson'
        ],
        12,
        0
      ],
      [
        'T3-03',
        [
          'applications.newReceived.naturalPerson',
          'applications.newReceived.commercialEnterprise',
          'applications.newReceived.researchInstitution',
          'applications.newReceived.publicInterestOrganization',
          'applications.newReceived.legalServiceAgency',
          'applications.newReceived.otherOrganization',
          'applications.newReceived.total'
        ],
        12,
        0
      ]
    ]
  )
  t.match(errors[0].message, /自然人/)
  const summary = json(await app.inject(`/v1/reports?agencyId=${agencyId}`)).items[0]
  t.equal(summary.errorCount, 2)
  t.same(
    json(await app.inject('/v1/reports?hasErrors=true')).items.map((r: { id: number }) => r.id),
    [id]
  )
  t.same(json(await app.inject('/v1/reports?hasErrors=false')).items, [])
  t.equal((await app.inject('/v1/reports/999/findings')).statusCode, 404)
})

t.test('the sample report has no error findings', async (t) => {
  const app = await buildTestApp()
  t.teardown(() => app.close())
  const agencyId = await createAgency(app)
  const id = json(await app.inject({ method: 'POST', url: '/v1/reports', payload: sampleReport(agencyId) })).id
  const findings: Finding[] = json(await app.inject(`/v1/reports/${id}/findings`)).items
  t.same(
    findings.filter((f) => f.severity === 'error'),
    []
  )
})

t.test('strict mode stores nothing on rejection, on every write', async (t) => {
  const app = await buildTestApp()
  t.teardown(() => app.close())
  const agencyId = await createAgency(app)
  const count = () => countRows(app, 'reports')
  const post = await app.inject({ method: 'POST', url: '/v1/reports?strict=true', payload: brokenSample(agencyId) })
  t.equal(post.statusCode, 422)
  t.same(
    json(post).errors.map((e: { pointer: string; rule: string }) => [e.pointer, e.rule]),
    [
      ['/applications/newReceived/naturalPerson', 'T3-01'],
      ['/applications/newReceived/naturalPerson', 'T3-03']
    ]
  )
  const put = await app.inject({ method: 'PUT', url: `/v1/agencies/${agencyId}/reports/2025?strict=true`, payload: brokenSample(agencyId) })
  t.equal(put.statusCode, 422)
  const batch = await app.inject({
    method: 'POST',
    url: '/v1/reports/batch?strict=true',
    payload: { reports: [sampleReport(agencyId, { year: 2024 }), brokenSample(agencyId)] }
  })
  t.equal(batch.statusCode, 422)
  t.match(json(batch).errors[0], { pointer: '/reports/1/applications/newReceived/naturalPerson', rule: 'T3-01' })
  t.equal(await count(), 0)
  const good = await app.inject({ method: 'POST', url: '/v1/reports?strict=true', payload: sampleReport(agencyId) })
  t.equal(good.statusCode, 201)
  // the admin's report is accepted: it changes by a correction, which strict mode refuses as any write
  const correction = await app.inject({
    method: 'POST',
    url: `/v1/reports/${json(good).id}/corrections?strict=true`,
    payload: { reason: '更正', report: { ...brokenSample(agencyId), agencyId: undefined, year: undefined } }
  })
  t.equal(correction.statusCode, 422)
  t.match(json(correction).errors[0], { pointer: '/report/applications/newReceived/naturalPerson', rule: 'T3-01' })
  // a submitter's draft is replaced by PUT: refused too
  const submitter = await createKey(app, '报送', 'submitter', ['630223'])
  const draft = await app.injectAs(submitter, {
    method: 'PUT',
    url: `/v1/agencies/${agencyId}/reports/2024`,
    payload: sampleReport(agencyId, { year: 2024 })
  })
  t.equal(json(draft).state, 'draft')
  const replace = await app.injectAs(submitter, {
    method: 'PUT',
    url: `/v1/reports/${json(draft).id}?strict=true`,
    payload: { ...brokenSample(agencyId, 2024), agencyId: undefined, year: undefined }
  })
  t.equal(replace.statusCode, 422)
  t.equal(
    json(await app.inject(`/v1/reports/${json(good).id}`)).applications.newReceived.naturalPerson,
    0,
    'the stored report is unchanged'
  )
  t.equal(await count(), 2)
})

t.test('cross-year: writing year N−1 after N creates or clears CY-01 on N; deleting it clears it', async (t) => {
  const app = await buildTestApp()
  t.teardown(() => app.close())
  const agencyId = await createAgency(app)
  // year N carries 3 applications over from N−1 (naturalPerson column)
  const yearN = buildConsistentReport(
    '2021',
    { 'applications.carriedOver.naturalPerson': 3, 'applications.outcomes.granted.naturalPerson': 3 },
    { agencyId, year: 2025 }
  )
  const n = json(await app.inject({ method: 'PUT', url: `/v1/agencies/${agencyId}/reports/2025`, payload: yearN })).id
  const cy01 = async () => (json(await app.inject(`/v1/reports/${n}/findings`)).items as Finding[]).filter((f) => f.rule === 'CY-01')
  t.same(await cy01(), [], 'no previous year: nothing to compare')

  // N−1 carries forward 2, not 3
  const wrongPrev = buildConsistentReport('2021', { 'applications.carriedForward.naturalPerson': 2 }, { agencyId, year: 2024 })
  const prev = json(await app.inject({ method: 'PUT', url: `/v1/agencies/${agencyId}/reports/2024`, payload: wrongPrev })).id
  const found = await cy01()
  t.equal(found.length, 2, 'the 自然人 column and the 总计 column')
  t.match(found[0], {
    severity: 'error',
    expected: 2,
    actual: 3,
    otherReportId: prev,
    otherYear: 2024,
    cells: ['applications.carriedOver.naturalPerson', 'applications.carriedForward.naturalPerson']
  })
  t.match(found[1], {
    severity: 'error',
    expected: 2,
    actual: 3,
    cells: ['applications.carriedOver.total', 'applications.carriedForward.total']
  })
  t.equal(json(await app.inject(`/v1/reports?agencyId=${agencyId}&year=2025`)).items[0].errorCount, 2)

  const rightPrev = buildConsistentReport('2021', { 'applications.carriedForward.naturalPerson': 3 }, { agencyId, year: 2024 })
  t.equal((await publishReport(app, rightPrev)).statusCode, 200, 'N−1 corrected')
  t.same(await cy01(), [], 'corrected: the finding is cleared')

  t.equal((await publishReport(app, wrongPrev)).statusCode, 200)
  t.equal((await cy01()).length, 2)
  t.equal((await app.inject({ method: 'DELETE', url: `/v1/reports/${prev}` })).statusCode, 204)
  t.same(await cy01(), [], 'deleting N−1 clears it')
  t.equal(json(await app.inject(`/v1/reports?agencyId=${agencyId}`)).items[0].errorCount, 0)
})

t.test('AG-01: an aggregate report is compared with the own reports of its area', async (t) => {
  const app = await buildTestApp()
  t.teardown(() => app.close())
  const county = await createAgency(app, { name: '互助县人民政府', regionCode: '630223', level: 'county', kind: 'government' })
  const dept = await createAgency(app, { name: '互助县财政局', regionCode: '630223', level: 'county', kind: 'department' })
  const other = await createAgency(app, { name: '乐都区财政局', regionCode: '630202', level: 'county', kind: 'department' })
  const own = buildConsistentReport('2021', { 'applications.outcomes.granted.naturalPerson': 5 }, { agencyId: dept, year: 2025 })
  await app.inject({ method: 'POST', url: '/v1/reports', payload: own })
  await app.inject({
    method: 'POST',
    url: '/v1/reports',
    payload: buildConsistentReport('2021', { 'applications.outcomes.granted.naturalPerson': 40 }, { agencyId: other, year: 2025 })
  })
  const summary = buildConsistentReport(
    '2021',
    { 'applications.outcomes.granted.naturalPerson': 7 },
    { agencyId: county, year: 2025, scope: 'aggregate' }
  )
  const id = json(await app.inject({ method: 'POST', url: '/v1/reports', payload: summary })).id
  const ag = async () => (json(await app.inject(`/v1/reports/${id}/findings`)).items as Finding[]).filter((f) => f.rule === 'AG-01')
  const newReceived = (await ag()).find((f) => f.cells[0] === 'applications.newReceived.total')
  t.match(newReceived, { severity: 'warning', expected: 5, actual: 7 }, 'only the county’s own reports count, not 乐都区’s')
  // a second own report in the county brings the sum to 7: the aggregate's finding is rechecked and cleared
  const dept2 = await createAgency(app, { name: '互助县教育局', regionCode: '630223', level: 'county', kind: 'department' })
  await app.inject({
    method: 'POST',
    url: '/v1/reports',
    payload: buildConsistentReport('2021', { 'applications.outcomes.granted.naturalPerson': 2 }, { agencyId: dept2, year: 2025 })
  })
  t.equal(
    (await ag()).find((f) => f.cells[0] === 'applications.newReceived.total'),
    undefined
  )
})

t.test('POST /v1/validate checks without storing', async (t) => {
  const app = await buildTestApp()
  t.teardown(() => app.close())
  const agencyId = await createAgency(app)
  const bad = await app.inject({ method: 'POST', url: '/v1/validate', payload: brokenSample(agencyId) })
  t.equal(bad.statusCode, 200)
  t.equal(json(bad).valid, false)
  t.same(
    json(bad)
      .findings.filter((f: Finding) => f.severity === 'error')
      .map((f: Finding) => f.rule),
    ['T3-01', 'T3-03']
  )
  const { agencyId: _a, ...anonymous } = sampleReport(agencyId)
  const good = await app.inject({ method: 'POST', url: '/v1/validate', payload: anonymous })
  t.equal(json(good).valid, true)
  const noYear = await app.inject({ method: 'POST', url: '/v1/validate', payload: { ...anonymous, year: undefined } })
  t.equal(noYear.statusCode, 422)
  t.equal(await countRows(app, 'reports'), 0)
})

t.test('T0-01, T2-02, SEC-03 and TX-01 on every write and in /v1/validate, with their Chinese names', async (t) => {
  const app = await buildTestApp()
  t.teardown(() => app.close())
  const agencyId = await createAgency(app)
  // tables 三 and 四 blank, one table-二 cell blank, section 五 a placeholder, section 一 stating 5 applications
  const doc = buildConsistentReport('2021', {}, { agencyId, year: 2025 })
  doc.applications = emptyReport('2021', { agencyId, year: 2025 }).applications
  doc.reviewLitigation = emptyReport('2021', { agencyId, year: 2025 }).reviewLitigation
  ;(doc.proactive.licensing as Record<string, number | null>).decisions = null
  doc.sections = {
    overview: '（二）依申请公开情况。本年度收到政府信息公开申请5件。',
    problems: '无',
    otherMatters: '本年度未收取信息处理费。'
  }
  const want = [
    ['T0-01', '整张表格空白', 'warning'],
    ['T0-01', '整张表格空白', 'warning'],
    ['T2-02', '表二：单元格空白', 'info'],
    ['SEC-03', '存在的问题未实质说明', 'warning']
  ]
  const brief = (f: Finding) => [f.rule, f.ruleName, f.severity]

  const validated = json(await app.inject({ method: 'POST', url: '/v1/validate', payload: doc }))
  t.equal(validated.valid, true, 'warnings and infos do not make a report invalid')
  t.same(validated.findings.map(brief), want, 'TX-01 is silent: the cell it names is blank')

  const res = await app.inject({ method: 'POST', url: '/v1/reports', payload: doc })
  t.equal(res.statusCode, 201)
  const stored: Finding[] = json(await app.inject(`/v1/reports/${json(res).id}/findings`)).items
  t.same(stored.map(brief), want)
  t.same(
    stored.map((f) => f.cells.length),
    [175, 15, 1, 1]
  )
  t.same(json(await app.inject(`/v1/reports?agencyId=${agencyId}`)).items[0].warningCount, 3)

  // fill table 三 with 3 new applications: T0-01 of table 三 goes, and the text now contradicts it
  const filled = buildConsistentReport('2021', { 'applications.outcomes.granted.naturalPerson': 3 }, { agencyId, year: 2025 })
  doc.applications = filled.applications
  const replaced = await publishReport(app, doc)
  t.equal(replaced.statusCode, 200, 'corrected')
  const after: Array<Finding & { id: number; reportId: number; status: string; review: unknown }> = json(
    await app.inject(`/v1/reports/${json(res).id}/findings`)
  ).items
  t.same(after.map(brief), [
    ['T0-01', '整张表格空白', 'warning'],
    ['T2-02', '表二：单元格空白', 'info'],
    ['SEC-03', '存在的问题未实质说明', 'warning'],
    ['TX-01', '正文数字与表格不符', 'warning']
  ])
  t.same(
    after.map((f) => f.cells[0]),
    ['reviewLitigation.review.upheld', 'proactive.licensing.decisions', 'sections.problems', 'applications.newReceived.total']
  )
  t.equal(
    after[3].message,
    '“一、总体情况”写明“收到政府信息公开申请5件”，但表格“一、本年新收政府信息公开申请数量 · 总计”为 3。原文：「本年度收到政府信息公开申请5件。」'
  )
  t.same(
    json(await app.inject({ method: 'POST', url: '/v1/validate', payload: doc })).findings,
    after.map(({ id: _id, reportId: _r, status, review, ...f }) => {
      // a stored finding also carries its review: none yet
      t.same([status, review], ['open', null])
      return f
    })
  )
})

t.test('findings across reports as CSV', async (t) => {
  const app = await buildTestApp()
  t.teardown(() => app.close())
  const agencyId = await createAgency(app)
  await app.inject({ method: 'POST', url: '/v1/reports', payload: brokenSample(agencyId) })
  const items = json(await app.inject('/v1/findings?severity=error')).items
  t.equal(items.length, 2)
  const csv = await app.inject('/v1/findings?severity=error&output=csv')
  t.equal(csv.headers['content-type'], 'text/csv; charset=utf-8')
  const [header, ...rows] = parseCsv(csv.body)
  t.same(header, [
    '问题ID',
    '报告ID',
    '机关ID',
    '机关名称',
    '区划代码',
    '年度',
    '规则',
    '规则名称',
    '级别',
    '说明',
    '涉及单元格',
    '应为',
    '实为',
    '指纹',
    '审核状态',
    '审核意见',
    '情况说明'
  ])
  t.same(
    rows.map((r) => r.slice(14)),
    items.map(() => ['open', '', '']),
    'no finding reviewed yet'
  )
  t.same(
    rows.map((r) => [Number(r[0]), r[6], r[7], r[8], r[9], r[10], Number(r[11]), Number(r[12])]),
    items.map((f: Finding & { id: number }) => [f.id, f.rule, f.ruleName, f.severity, f.message, f.cells.join(' '), f.expected, f.actual])
  )
  t.same(
    rows.map((r) => r[7]),
    ['表三：收到与办理、结转不平衡', '表三：总计列与各申请人列之和不符']
  )
})

t.test('AG-01 within one batch: own reports before and after their aggregate are all counted', async (t) => {
  const app = await buildTestApp()
  t.teardown(() => app.close())
  const county = await createAgency(app, { name: '互助县人民政府', regionCode: '630223', level: 'county', kind: 'government' })
  const a = await createAgency(app, { name: '互助县甲局', regionCode: '630223', level: 'county', kind: 'department' })
  const b = await createAgency(app, { name: '互助县乙局', regionCode: '630223', level: 'county', kind: 'department' })
  const own = (agencyId: number, n: number) =>
    buildConsistentReport('2021', { 'applications.outcomes.granted.naturalPerson': n }, { agencyId, year: 2025 })
  const summary = buildConsistentReport(
    '2021',
    { 'applications.outcomes.granted.naturalPerson': 9 },
    { agencyId: county, year: 2025, scope: 'aggregate' }
  )
  const res = await app.inject({ method: 'POST', url: '/v1/reports/batch', payload: { reports: [own(a, 3), summary, own(b, 4)] } })
  t.equal(res.statusCode, 200)
  const id = json(res).items[1].id
  const ag = (json(await app.inject(`/v1/reports/${id}/findings`)).items as Finding[]).find(
    (f) => f.rule === 'AG-01' && f.cells[0] === 'applications.newReceived.total'
  )
  t.match(ag, { expected: 7, actual: 9 }, 'both own reports, the one after the aggregate too')
})
