// AG-02 on the write path: a city's summary against its districts' and counties' summaries plus the own
// reports at the city's own code — evaluated only once every sub-division's summary is stored, and
// recomputed in the same transaction whenever any of its inputs is written or deleted.
import t from 'tap'
import { buildTestApp, createAgency, json, publishReport, type TestApp } from '../helper.js'
import { buildConsistentReport } from '../../src/checks/consistent-report.js'

type Finding = {
  rule: string
  ruleName: string
  severity: string
  cells: string[]
  expected: number | null
  actual: number | null
  message: string
}

/** A 2024 report whose table 三 has `n` new applications, all granted to natural persons. */
const report = (agencyId: number, n: number, scope: 'own' | 'aggregate') =>
  buildConsistentReport('2021', { 'applications.outcomes.granted.naturalPerson': n }, { agencyId, year: 2024, scope })

/** The published report, recorded by the admin: written when new, corrected when stored (it is accepted). */
async function put(app: TestApp, agencyId: number, n: number, scope: 'own' | 'aggregate'): Promise<number> {
  const res = await publishReport(app, report(agencyId, n, scope))
  if (res.statusCode !== 200 && res.statusCode !== 201) throw new Error(`${res.statusCode} ${res.body}`)
  return json(res).id
}

/** The AG-02 findings of a report, as [cell, expected, actual]. */
async function ag02(app: TestApp, reportId: number): Promise<Array<[string, number | null, number | null]>> {
  const items: Finding[] = json(await app.inject(`/v1/reports/${reportId}/findings`)).items
  return items.filter((f) => f.rule === 'AG-02').map((f) => [f.cells[0], f.expected, f.actual])
}

/** newReceived, granted and outcomes total move together in these reports. */
const differ = (expected: number, actual: number): Array<[string, number, number]> => [
  ['applications.newReceived.total', expected, actual],
  ['applications.outcomes.granted.total', expected, actual],
  ['applications.outcomes.total.total', expected, actual]
]

t.test('新余市 (渝水区, 分宜县): AG-02 follows every write and delete of its inputs', async (t) => {
  const app = await buildTestApp()
  t.teardown(() => app.close())
  const city = await createAgency(app, { name: '新余市人民政府', regionCode: '360500', level: 'prefectural', kind: 'government' })
  const finance = await createAgency(app, { name: '新余市财政局', regionCode: '360500', level: 'prefectural', kind: 'department' })
  const yushui = await createAgency(app, { name: '新余市渝水区人民政府', regionCode: '360502', level: 'county', kind: 'government' })
  const fenyi = await createAgency(app, { name: '分宜县人民政府', regionCode: '360521', level: 'county', kind: 'government' })
  const fenyiEducation = await createAgency(app, { name: '分宜县教育局', regionCode: '360521', level: 'county', kind: 'department' })

  const cityReport = await put(app, city, 72, 'aggregate')
  await put(app, finance, 5, 'own')
  const yushuiReport = await put(app, yushui, 40, 'aggregate')
  await put(app, fenyiEducation, 3, 'own') // a county's own report is the county's summary's, not the city's
  t.same(await ag02(app, cityReport), [], '分宜县 has no summary yet: not evaluated')

  const fenyiReport = await put(app, fenyi, 25, 'aggregate')
  t.same(await ag02(app, cityReport), differ(40 + 25 + 5, 72), 'the last summary arrives: evaluated, in the same write')
  const finding = (json(await app.inject(`/v1/reports/${cityReport}/findings`)).items as Finding[]).find((f) => f.rule === 'AG-02')!
  t.equal(finding.severity, 'warning')
  t.equal(finding.ruleName, '本级汇总与下级汇总及本级机关报告之和不符')
  t.equal(
    finding.message,
    '“一、本年新收政府信息公开申请数量 · 总计”：本级政府年度报告为 72，但 2 个下级行政区划的本级政府年度报告与本级 1 份本机关年度报告合计 70'
  )

  await put(app, fenyi, 27, 'aggregate')
  t.same(await ag02(app, cityReport), [], 'a sub-division’s summary replaced: 40 + 27 + 5 = 72')
  await put(app, finance, 6, 'own')
  t.same(await ag02(app, cityReport), differ(73, 72), 'an own report at the city’s code replaced')
  await put(app, fenyiEducation, 300, 'own')
  t.same(await ag02(app, cityReport), differ(73, 72), 'an own report in a county changes nothing')

  t.equal((await app.inject({ method: 'DELETE', url: `/v1/reports/${yushuiReport}` })).statusCode, 204)
  t.same(await ag02(app, cityReport), [], 'a summary deleted: not evaluated any more')

  // one batch: the district's summary back and the city's corrected (the batch's reason), checked together before the commit
  const batch = await app.inject({
    method: 'POST',
    url: '/v1/reports/batch',
    payload: { reports: [report(city, 73, 'aggregate'), report(yushui, 40, 'aggregate')], reason: '更正汇总数' }
  })
  t.equal(batch.statusCode, 200)
  t.same(await ag02(app, cityReport), [], 'the batch leaves the sums equal')
  const late = await app.inject({
    method: 'POST',
    url: '/v1/reports/batch',
    payload: { reports: [report(city, 80, 'aggregate'), report(yushui, 41, 'aggregate')], reason: '更正汇总数' }
  })
  t.equal(late.statusCode, 200)
  t.same(await ag02(app, cityReport), differ(41 + 27 + 6, 80), 'both inputs of one batch are seen, whatever their order')

  // POST /v1/validate runs AG-02 against what is stored
  const validated = json(await app.inject({ method: 'POST', url: '/v1/validate', payload: report(city, 74, 'aggregate') }))
  t.same(
    (validated.findings as Finding[]).filter((f) => f.rule === 'AG-02'),
    [],
    '74 = 41 + 27 + 6: nothing to say'
  )
  const off = json(await app.inject({ method: 'POST', url: '/v1/validate', payload: report(city, 1, 'aggregate') }))
  t.same(
    (off.findings as Finding[]).filter((f) => f.rule === 'AG-02').map((f) => [f.cells[0], f.expected, f.actual]),
    differ(74, 1)
  )

  // a second summary at 分宜县's code: which one is the government's cannot be told
  const office = await createAgency(app, { name: '分宜县人民政府办公室', regionCode: '360521', level: 'county', kind: 'generalOffice' })
  await put(app, office, 27, 'aggregate')
  t.same(await ag02(app, cityReport), [], 'two summaries at one code: not evaluated')
  t.equal((await app.inject({ method: 'DELETE', url: `/v1/reports/${fenyiReport}` })).statusCode, 204)
  t.same(await ag02(app, cityReport), differ(74, 80), 'one again: evaluated with it')

  const summary = json(await app.inject('/v1/findings/summary?groupBy=rule&rule=AG-02'))
  t.same(summary, { groupBy: 'rule', total: 3, groups: [{ key: 'AG-02', name: '本级汇总与下级汇总及本级机关报告之和不符', count: 3 }] })
})

t.test('AG-02 does not apply to a county’s summary, a national body or a level that is not the region’s', async (t) => {
  const app = await buildTestApp()
  t.teardown(() => app.close())
  const county = await createAgency(app, { name: '分宜县人民政府', regionCode: '360521', level: 'county', kind: 'government' })
  const misfiled = await createAgency(app, { name: '某县级机关', regionCode: '360500', level: 'county', kind: 'government' })
  const national = await createAgency(app, { name: '某部', regionCode: '000000', level: 'national', kind: 'department' })
  const ids = [await put(app, county, 9, 'aggregate'), await put(app, misfiled, 9, 'aggregate'), await put(app, national, 9, 'aggregate')]
  // every sub-division of 新余市 has a summary, but the agency at its code is not its government
  await put(
    app,
    await createAgency(app, { name: '渝水区人民政府', regionCode: '360502', level: 'county', kind: 'government' }),
    1,
    'aggregate'
  )
  for (const id of ids) t.same(await ag02(app, id), [])
})
