import t from 'tap'
import { composeGroups, planAggregate, regionKeyName, type AggregatePlan, type RawGroup } from '../../src/aggregates/index.js'

const plan = (query: Parameters<typeof planAggregate>[0]): AggregatePlan => {
  const r = planAggregate(query)
  if (!r.ok) throw new Error('bad plan')
  return r.value
}
/** A raw group with totals given by cell code (sum, count); cells not given are 0 of 0. */
const raw = (
  p: AggregatePlan,
  reports: number,
  byFormat: [number, number],
  totals: Record<string, [number, number]>,
  keys: Array<string | number> = []
): RawGroup => ({
  keys,
  reports,
  byFormat: { 2019: byFormat[0], 2021: byFormat[1] },
  totals: p.cells.map((c) => ({ sum: totals[c.code]?.[0] ?? 0, count: totals[c.code]?.[1] ?? 0 }))
})

t.test('values: sums skip blanks, indicators are ratios of sums, 0 denominators are null', async (t) => {
  const p = plan({
    metrics:
      'applications.newReceived.total,proactive.licensing.change,disclosureRate,reviewCorrectionRate,applications.outcomes.denied.total,reports'
  })
  const [g] = composeGroups(p, [
    raw(p, 5, [2, 3], {
      'applications.newReceived.total': [40, 4],
      'proactive.licensing.change': [-7, 2],
      'applications.outcomes.granted.total': [12, 5],
      'applications.outcomes.partiallyGranted.total': [3, 5],
      'applications.outcomes.total.total': [45, 5],
      'reviewLitigation.review.total': [4, 5],
      'reviewLitigation.review.pending': [4, 5],
      'reviewLitigation.review.corrected': [0, 5]
    })
  ])
  t.same(g.values, {
    'applications.newReceived.total': 40,
    'proactive.licensing.change': -7,
    disclosureRate: 15 / 45,
    reviewCorrectionRate: null,
    'applications.outcomes.denied.total': null,
    reports: 5
  })
  t.same(
    g.contributors,
    { 'applications.newReceived.total': 4, 'applications.outcomes.denied.total': 0 },
    'licensing.change spans the 2 reports of 2019 and both filled it'
  )
  t.same(g.reportsByFormat, { 2019: 2, 2021: 3 })
  t.same(g.key, {})
  t.notOk('names' in g)
})

t.test('a composite counts the most-filled of its cells', async (t) => {
  const p = plan({ metrics: 'applications.outcomes.other.total,otherDisposalRate' })
  const [g] = composeGroups(p, [
    raw(p, 4, [2, 2], {
      'applications.outcomes.other.overdueCorrection.total': [1, 2],
      'applications.outcomes.other.other.total': [2, 3],
      'applications.outcomes.total.total': [9, 4]
    })
  ])
  t.same(g.values, { 'applications.outcomes.other.total': 3, otherDisposalRate: 3 / 9 })
  t.same(g.contributors, { 'applications.outcomes.other.total': 3 })
  t.notOk('reportsByFormat' in g, 'no format-specific metric asked')
})

t.test('names of keys', async (t) => {
  t.equal(regionKeyName('63'), '青海省')
  t.equal(regionKeyName('6302'), '海东市')
  t.equal(regionKeyName('630223'), '互助土族自治县')
  t.equal(regionKeyName('6300'), '青海省本级')
  t.equal(regionKeyName('630000'), '青海省本级')
  t.equal(regionKeyName('630200'), '海东市本级')
  t.equal(regionKeyName('1101'), '北京市')
  t.equal(regionKeyName('1100'), '北京市本级')
  t.equal(regionKeyName('00'), '全国')
  t.equal(regionKeyName('000000'), '全国')
  t.equal(regionKeyName('99'), null)
  t.equal(regionKeyName('9900'), null)
  const p = plan({ groupBy: 'province,agency,level,kind,format,year' })
  const [g] = composeGroups(p, [{ ...raw(p, 1, [0, 1], {}, ['63', 7, 'county', 'vertical', '2021', 2024]), agencyName: '某局' }])
  t.same(g.key, { province: '63', agency: 7, level: 'county', kind: 'vertical', format: '2021', year: 2024 })
  t.same(g.names, { province: '青海省', agency: '某局', level: '县级', kind: '垂直管理机构' })
  t.equal(g.name, '某局', 'the agency names a group it keys')
})
