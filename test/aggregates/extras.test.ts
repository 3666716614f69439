import t from 'tap'
import {
  METRIC_BY_CODE,
  adcodeOf,
  difference,
  parseExtras,
  planAggregate,
  withRanks,
  withSpread,
  type AggregatePlan,
  type DashboardGroup
} from '../../src/aggregates/index.js'

const plan = (query: Record<string, unknown>): AggregatePlan => {
  const p = planAggregate(query)
  if (!p.ok) throw new Error(JSON.stringify(p.errors))
  return p.value
}
const group = (key: Record<string, string | number>, values: Record<string, number | null>): DashboardGroup => ({ key, reports: 1, values })

t.test('adcodes pad a prefix to six digits', async (t) => {
  t.same(['63', '6302', '630223', '6300', '00'].map(adcodeOf), ['630000', '630200', '630223', '630000', '000000'])
})

t.test('changes: exact for money, fraction points for rates, relative to |previous|, null without a base', async (t) => {
  const fee = METRIC_BY_CODE.get('proactive.fees.amountWanYuan')!
  t.same(difference(fee, 24252.311082, 0.1), { change: 24252.211082, relative: 24252.211082 / 0.1 })
  t.same(difference(fee, 0.3, 0.1), { change: 0.2, relative: 2 }, 'not 0.19999999999999998')
  const rate = METRIC_BY_CODE.get('disclosureRate')!
  t.same(difference(rate, 0.75, 0.5), { change: 0.25, relative: 0.5 })
  const signed = METRIC_BY_CODE.get('proactive.licensing.change')!
  t.same(difference(signed, 2, -4), { change: 6, relative: 1.5 }, 'relative to the absolute previous value')
  t.same(difference(rate, 0.5, 0), { change: 0.5, relative: null })
  t.same(difference(rate, null, 0.5), { change: null, relative: null })
  t.same(difference(rate, 0.5, null), { change: null, relative: null })
})

t.test('ranks: largest first, ties shared, nulls unranked, each year apart', async (t) => {
  const p = plan({ metrics: 'disclosureRate', groupBy: 'year,county' })
  const ranked = withRanks(p, [
    group({ year: 2024, county: 'a' }, { disclosureRate: 0.5 }),
    group({ year: 2024, county: 'b' }, { disclosureRate: 0.9 }),
    group({ year: 2024, county: 'c' }, { disclosureRate: 0.5 }),
    group({ year: 2024, county: 'd' }, { disclosureRate: 0.1 }),
    group({ year: 2024, county: 'e' }, { disclosureRate: null }),
    group({ year: 2025, county: 'a' }, { disclosureRate: 0.2 })
  ])
  t.same(
    ranked.map((g) => g.rank!.disclosureRate),
    [2, 1, 2, 4, null, 1]
  )
})

t.test('spread: median of an even count is the mean of the middle two; money in whole 分', async (t) => {
  const p = plan({ metrics: 'proactive.fees.amountWanYuan,reports', groupBy: 'province' })
  const perReport = [0.1, 0.2, 0.4, 100].map((v, i) =>
    group({ province: '63', agency: i + 1, year: 2025 }, { 'proactive.fees.amountWanYuan': v, reports: 1 })
  )
  perReport.push(group({ province: '63', agency: 9, year: 2025 }, { 'proactive.fees.amountWanYuan': null, reports: 1 }))
  const [g] = withSpread(
    p,
    ['mean', 'median', 'min', 'max'],
    [group({ province: '63' }, { 'proactive.fees.amountWanYuan': 100.7, reports: 5 })],
    perReport
  )
  t.same(g.stats, { 'proactive.fees.amountWanYuan': { n: 4, mean: 100.7 / 4, median: 0.3, min: 0.1, max: 100 } })
  const [empty] = withSpread(p, ['median'], [group({ province: '11' }, { 'proactive.fees.amountWanYuan': null, reports: 0 })], perReport)
  t.same(empty.stats, { 'proactive.fees.amountWanYuan': { n: 0, median: null } })
})

t.test('options: unknown statistics and a comparison without years are refused', async (t) => {
  t.same(parseExtras({ stats: 'mean,mode' }, plan({})), {
    ok: false,
    errors: [
      { parameter: 'stats', message: "unknown statistic 'mode'; valid: mean, median, min, max", allowed: ['mean', 'median', 'min', 'max'] }
    ]
  })
  t.match(parseExtras({ compare: 'previousYear' }, plan({ yearFrom: 2021 })), { ok: false, errors: [{ parameter: 'compare' }] })
  t.same(parseExtras({ compare: 'previousYear', shape: 'rows', rank: true, stats: 'median' }, plan({ year: 2025 })), {
    ok: true,
    value: { shape: 'rows', compare: true, rank: true, stats: ['median'] }
  })
  t.match(parseExtras({ compare: 'previousYear' }, plan({ groupBy: 'year' })), { ok: true })
  t.match(parseExtras({ compare: 'previousYear' }, plan({ yearFrom: 2021, yearTo: 2023 })), { ok: true })
})
