import t from 'tap'
import { aggregateCellsOf, checkAG02, checkAggregate } from '../../src/checks/index.js'
import { buildConsistentReport } from '../../src/checks/consistent-report.js'
import { brief, get, set } from './support.js'

const aggregate = (format: '2019' | '2021', values: Record<string, number>) =>
  buildConsistentReport(format, values, { scope: 'aggregate', year: format === '2019' ? 2020 : 2024 })

/** The own-report sums that match `doc` exactly, for every compared cell. */
const matching = (doc: ReturnType<typeof aggregate>) =>
  Object.fromEntries(aggregateCellsOf(doc.format).map((c) => [c.code, get(doc, c.code)]))

t.test('the compared cells', async (t) => {
  const codes = aggregateCellsOf('2021').map((c) => c.code)
  t.equal(codes.filter((c) => c.startsWith('applications.')).length, 25, 'the total column of every table-三 row')
  t.ok(codes.every((c) => !c.startsWith('applications.') || c.endsWith('.total')))
  t.equal(codes.filter((c) => c.startsWith('reviewLitigation.')).length, 15, 'every table-四 cell')
  t.same(
    codes.filter((c) => c.startsWith('proactive.')),
    ['proactive.licensing.decisions', 'proactive.penalty.decisions', 'proactive.coercion.decisions', 'proactive.fees.amountWanYuan']
  )
  const codes19 = aggregateCellsOf('2019').map((c) => c.code)
  t.equal(codes19.filter((c) => c.startsWith('applications.')).length, 23)
  t.same(
    codes19.filter((c) => c.startsWith('proactive.')),
    [
      // registry order: the cells shared with 2021 first
      'proactive.licensing.decisions',
      'proactive.penalty.decisions',
      'proactive.coercion.decisions',
      'proactive.otherServices.decisions',
      'proactive.procurement.amountYuan'
    ]
  )
})

for (const format of ['2019', '2021'] as const) {
  t.test(`${format}: AG-01 one warning per differing cell`, async (t) => {
    const doc = aggregate(format, {
      'applications.outcomes.granted.naturalPerson': 70,
      'reviewLitigation.review.upheld': 1,
      'proactive.penalty.decisions': 45
    })
    const sums = matching(doc)
    t.same(checkAggregate(doc, { reports: 12, sums }), [], 'equal sums')
    sums['applications.newReceived.total'] = 69
    sums['reviewLitigation.review.total'] = 2
    sums['proactive.penalty.decisions'] = 40
    const found = checkAggregate(doc, { reports: 12, sums })
    t.same(found.map(brief), [
      { rule: 'AG-01', severity: 'warning', cells: ['proactive.penalty.decisions'], expected: 40, actual: 45 },
      { rule: 'AG-01', severity: 'warning', cells: ['applications.newReceived.total'], expected: 69, actual: 70 },
      { rule: 'AG-01', severity: 'warning', cells: ['reviewLitigation.review.total'], expected: 2, actual: 1 }
    ])
    t.equal(found[1].message, '“一、本年新收政府信息公开申请数量 · 总计”：本级政府年度报告为 70，但本地区 12 份本机关年度报告合计 69')
  })

  t.test(`${format}: AG-01 skips nulls, empty areas and own reports`, async (t) => {
    const doc = aggregate(format, { 'applications.outcomes.granted.naturalPerson': 70 })
    const sums = matching(doc)
    sums['applications.newReceived.total'] = null // no contributing value
    delete sums['applications.carriedOver.total'] // not given at all
    sums['applications.outcomes.total.total'] = 1
    doc.reviewLitigation.review = { ...(doc.reviewLitigation.review as object), total: null }
    sums['reviewLitigation.review.total'] = 3
    t.same(
      checkAggregate(doc, { reports: 3, sums }).map((f) => f.cells[0]),
      ['applications.outcomes.total.total']
    )
    t.same(checkAggregate(doc, { reports: 0, sums }), [], 'no own reports stored')
    t.same(checkAggregate({ ...doc, scope: 'own' }, { reports: 3, sums }), [], 'only aggregate reports')
  })
}

t.test('AG-01 compares money exactly, never with float sums', async (t) => {
  const doc = aggregate('2021', { 'proactive.fees.amountWanYuan': 0.3 })
  const sums = matching(doc)
  sums['proactive.fees.amountWanYuan'] = 0.1 + 0.2 // 0.30000000000000004
  t.same(checkAggregate(doc, { reports: 2, sums }), [])
  const big = aggregate('2021', { 'proactive.fees.amountWanYuan': 24252.311082 })
  const bigSums = matching(big)
  bigSums['proactive.fees.amountWanYuan'] = 24252.311083
  const found = checkAggregate(big, { reports: 2, sums: bigSums })
  t.same(found.map(brief), [
    { rule: 'AG-01', severity: 'warning', cells: ['proactive.fees.amountWanYuan'], expected: 24252.311083, actual: 24252.311082 }
  ])
  t.equal(
    found[0].message,
    '“行政事业性收费 · 本年收费金额（单位：万元）”：本级政府年度报告为 24252.311082 万元，但本地区 2 份本机关年度报告合计 24252.311083 万元'
  )
  const yuan = aggregate('2019', { 'proactive.procurement.amountYuan': 1000.1 })
  const yuanSums = matching(yuan)
  yuanSums['proactive.procurement.amountYuan'] = 1000.7 - 0.6 // float noise around 1000.1
  t.same(checkAggregate(yuan, { reports: 2, sums: yuanSums }), [])
  yuanSums['proactive.procurement.amountYuan'] = 1000.11
  t.same(
    checkAggregate(yuan, { reports: 2, sums: yuanSums }).map((f) => f.message),
    ['“政府集中采购 · 采购总金额”：本级政府年度报告为 1000.1 元，但本地区 2 份本机关年度报告合计 1000.11 元']
  )
})

/** AG-02 inputs matching `doc` exactly: the sub-divisions' summaries carry everything, the own level nothing. */
const hierarchy = (doc: ReturnType<typeof aggregate>, subdivisions = 3, ownReports = 2) => ({
  subdivisions,
  summaries: Object.fromEntries(
    aggregateCellsOf(doc.format).map((c) => [c.code, { sum: get(doc, c.code) as number, filled: subdivisions }])
  ),
  own: { reports: ownReports, sums: {} as Record<string, number | null> }
})

for (const format of ['2019', '2021'] as const) {
  t.test(`${format}: AG-02 one warning per cell that differs from the sub-divisions' summaries plus the own level`, async (t) => {
    const doc = aggregate(format, { 'applications.outcomes.granted.naturalPerson': 70, 'reviewLitigation.review.upheld': 4 })
    const inputs = hierarchy(doc)
    t.same(checkAG02(doc, inputs), [], 'equal sums')
    // the own level brings 5 of the 70 new applications: the summaries' 70 are now too many
    inputs.own.sums['applications.newReceived.total'] = 5
    inputs.summaries['reviewLitigation.review.total'] = { sum: 3, filled: 3 }
    const found = checkAG02(doc, inputs)
    t.same(found.map(brief), [
      { rule: 'AG-02', severity: 'warning', cells: ['applications.newReceived.total'], expected: 75, actual: 70 },
      { rule: 'AG-02', severity: 'warning', cells: ['reviewLitigation.review.total'], expected: 3, actual: 4 }
    ])
    t.equal(
      found[0].message,
      '“一、本年新收政府信息公开申请数量 · 总计”：本级政府年度报告为 70，但 3 个下级行政区划的本级政府年度报告与本级 2 份本机关年度报告合计 75'
    )
    t.equal(found[0].ruleName, '本级汇总与下级汇总及本级机关报告之和不符')
    t.same(
      checkAG02(doc, { ...inputs, own: { reports: 0, sums: {} } }).map((f) => f.message),
      ['“行政复议 · 总计”：本级政府年度报告为 4，但 3 个下级行政区划的本级政府年度报告合计 3'],
      'no own-level reports stored: the summaries alone'
    )
  })

  t.test(`${format}: AG-02 compares a cell only when every sub-division's summary filled it`, async (t) => {
    const doc = aggregate(format, { 'applications.outcomes.granted.naturalPerson': 70 })
    const inputs = hierarchy(doc)
    inputs.summaries['applications.newReceived.total'] = { sum: 60, filled: 2 } // one summary left it blank
    delete inputs.summaries['applications.carriedOver.total']
    inputs.summaries['applications.outcomes.total.total'] = { sum: 1, filled: 3 }
    set(doc, 'reviewLitigation.review.total', null)
    inputs.summaries['reviewLitigation.review.total'] = { sum: 9, filled: 3 }
    t.same(
      checkAG02(doc, inputs).map((f) => f.cells[0]),
      ['applications.outcomes.total.total'],
      'a blank in a summary or in the report is not compared'
    )
    t.same(checkAG02(doc, { ...inputs, subdivisions: 0 }), [], 'no sub-divisions')
    t.same(checkAG02({ ...doc, scope: 'own' }, inputs), [], 'only aggregate reports')
  })
}

t.test('AG-02 sums money exactly', async (t) => {
  const doc = aggregate('2021', { 'proactive.fees.amountWanYuan': 0.3 })
  const inputs = hierarchy(doc, 2)
  inputs.summaries['proactive.fees.amountWanYuan'] = { sum: 0.1, filled: 2 }
  inputs.own.sums['proactive.fees.amountWanYuan'] = 0.2
  t.same(checkAG02(doc, inputs), [], '0.1 + 0.2 is 0.3')
  inputs.own.sums['proactive.fees.amountWanYuan'] = 0.200001
  t.same(checkAG02(doc, inputs).map(brief), [
    { rule: 'AG-02', severity: 'warning', cells: ['proactive.fees.amountWanYuan'], expected: 0.300001, actual: 0.3 }
  ])
})
