// What dashboards ask beside the sums: the same question one year earlier (absolute and relative change),
// each group's rank within the result, and the spread of per-report values (mean, median, min, max) beside
// the ratio-of-sums values. All pure: groups in, groups out; answer.ts runs the queries they need.
import { CELL_BY_CODE } from '../format/registry.js'
import { type Amount, MoneySum, amountOf, moneyOf, numberOf } from '../format/money.js'
import type { AggregateGroup, GroupKeyValues } from './compose.js'
import type { MetricDef } from './metrics.js'
import { REGION_KEY_DIGITS, splitList, type AggregatePlan, type GroupKey, type ParameterError, type Planned } from './plan.js'

export const SHAPES = ['groups', 'rows'] as const
export type Shape = (typeof SHAPES)[number]
export const STATS = ['mean', 'median', 'min', 'max'] as const
export type Stat = (typeof STATS)[number]

export interface ExtrasQuery {
  shape?: Shape
  compare?: 'previousYear'
  rank?: boolean
  /** comma-separated: mean, median, min, max */
  stats?: string
}

export interface Extras {
  shape: Shape
  compare: boolean
  rank: boolean
  stats: Stat[]
}

/** The spread of one metric over the reports of a group: each report's own value, nulls left out. */
export interface Spread {
  /** reports with a value */
  n: number
  mean?: number | null
  median?: number | null
  min?: number | null
  max?: number | null
}

/** A group with everything a dashboard may ask for; each part only when asked. */
export interface DashboardGroup extends AggregateGroup {
  /** the six-digit GB/T 2260 code of each region key (a prefix padded with zeros) */
  adcodes?: Partial<Record<GroupKey, string>>
  previous?: Record<string, Amount | null>
  change?: Record<string, Amount | null>
  relativeChange?: Record<string, number | null>
  rank?: Record<string, number | null>
  stats?: Record<string, Spread>
}

export function parseExtras(query: ExtrasQuery, plan: AggregatePlan): Planned<Extras> {
  const errors: ParameterError[] = []
  const stats: Stat[] = []
  for (const s of splitList(query.stats)) {
    if ((STATS as readonly string[]).includes(s)) stats.push(s as Stat)
    else errors.push({ parameter: 'stats', message: `unknown statistic '${s}'; valid: ${STATS.join(', ')}`, allowed: [...STATS] })
  }
  const compare = query.compare === 'previousYear'
  if (
    compare &&
    !plan.groupBy.includes('year') &&
    plan.filter.year === undefined &&
    (plan.filter.yearFrom === undefined || plan.filter.yearTo === undefined)
  ) {
    errors.push({
      parameter: 'compare',
      message: 'compare=previousYear needs years to compare: a year (year=2025), a closed range (yearFrom and yearTo) or groupBy=year'
    })
  }
  if (errors.length) return { ok: false, errors }
  return { ok: true, value: { shape: query.shape ?? 'groups', compare, rank: query.rank === true, stats } }
}

// ------------------------------------------------------------------ adcodes

/** A region key as a six-digit GB/T 2260 code: '63' → '630000', '6302' → '630200'; a 本级 key pads to its parent's code. */
export const adcodeOf = (prefix: string): string => prefix.padEnd(6, '0')

export function withAdcodes(plan: AggregatePlan, groups: readonly AggregateGroup[]): DashboardGroup[] {
  const regionKeys = plan.groupBy.filter((k) => REGION_KEY_DIGITS[k])
  if (regionKeys.length === 0) return [...groups]
  return groups.map((g) => {
    const adcodes: Partial<Record<GroupKey, string>> = {}
    for (const k of regionKeys) adcodes[k] = adcodeOf(String(g.key[k]))
    return insertAfterKey(g, { adcodes })
  })
}

/** Keeps `key` first in the serialized group, the added parts right after it. */
function insertAfterKey(g: AggregateGroup, extra: Partial<DashboardGroup>): DashboardGroup {
  const { key, ...rest } = g
  return { key, ...extra, ...rest }
}

// ------------------------------------------------------------------ the previous year

/** The same question one year earlier: every year filter moved back one year; all groups (no limit). */
export function previousYearPlan(plan: AggregatePlan): AggregatePlan {
  const back = (y: number | undefined) => (y === undefined ? undefined : y - 1)
  const { limit: _limit, ...rest } = plan
  return {
    ...rest,
    filter: { ...plan.filter, year: back(plan.filter.year), yearFrom: back(plan.filter.yearFrom), yearTo: back(plan.filter.yearTo) },
    sort: plan.groupBy.map((by) => ({ by, desc: false }))
  }
}

const identity = (plan: AggregatePlan, key: GroupKeyValues, yearShift: number) =>
  JSON.stringify(plan.groupBy.map((k) => (k === 'year' ? Number(key[k]) + yearShift : key[k])))

/** A money metric's decimals: its change is computed in whole 分, so it is the exact decimal difference. */
function scaleOf(m: MetricDef): number {
  return m.kind === 'cell' ? (CELL_BY_CODE.get(m.code)?.scale ?? 1) : 1
}

export function difference(
  m: MetricDef,
  value: Amount | null,
  previous: Amount | null
): { change: Amount | null; relative: number | null } {
  if (value === null || previous === null) return { change: null, relative: null }
  const scale = scaleOf(m)
  const before = numberOf(previous)
  if (scale === 1) {
    const change = numberOf(value) - before
    return { change, relative: before === 0 ? null : change / Math.abs(before) }
  }
  // money: the exact difference of the exact sums
  const change = amountOf(moneyOf(value, scale).minus(moneyOf(previous, scale)))
  return { change, relative: before === 0 ? null : numberOf(change) / Math.abs(before) }
}

/** Each group's values a year earlier (null when that group had no report then), their change and relative change. */
export function withPrevious(
  plan: AggregatePlan,
  groups: readonly DashboardGroup[],
  previousGroups: readonly AggregateGroup[]
): DashboardGroup[] {
  // when grouped by year, the group of year y − 1 answers for year y
  const shift = plan.groupBy.includes('year') ? 1 : 0
  const earlier = new Map(previousGroups.map((g) => [identity(plan, g.key, shift), g]))
  return groups.map((g) => {
    const before = earlier.get(identity(plan, g.key, 0))
    const previous: Record<string, Amount | null> = {}
    const change: Record<string, Amount | null> = {}
    const relativeChange: Record<string, number | null> = {}
    for (const m of plan.metrics) {
      previous[m.code] = before ? before.values[m.code] : m.kind === 'reports' ? 0 : null
      const d = difference(m, g.values[m.code], previous[m.code])
      change[m.code] = d.change
      relativeChange[m.code] = d.relative
    }
    return { ...g, previous, change, relativeChange }
  })
}

// ------------------------------------------------------------------ rank

/** a − b in sign: exact for sums of money (whole 分), else as doubles. */
function compareAmounts(a: Amount, b: Amount): number {
  if (a instanceof MoneySum || b instanceof MoneySum) {
    const scale = a instanceof MoneySum ? a.scale : (b as MoneySum).scale
    const d = moneyOf(a, scale).units - moneyOf(b, scale).units
    return d === 0n ? 0 : d > 0n ? 1 : -1
  }
  return a - b
}

/**
 * Competition ranking ("1, 2, 2, 4"), largest value first, of every metric over all the groups of the
 * result (before `limit`); null values are not ranked. Grouped by year and something else, each year is
 * ranked on its own: a rank across years rarely means anything.
 */
export function withRanks(plan: AggregatePlan, groups: readonly DashboardGroup[]): DashboardGroup[] {
  const byYear = plan.groupBy.includes('year') && plan.groupBy.length > 1
  const partitions = new Map<string, number[]>()
  groups.forEach((g, i) => {
    const p = byYear ? String(g.key.year) : ''
    partitions.set(p, [...(partitions.get(p) ?? []), i])
  })
  const ranks = groups.map(() => ({}) as Record<string, number | null>)
  for (const m of plan.metrics) {
    for (const members of partitions.values()) {
      const valued = members
        .filter((i) => groups[i].values[m.code] !== null)
        .sort((a, b) => compareAmounts(groups[b].values[m.code]!, groups[a].values[m.code]!))
      valued.forEach((i, position) => {
        const prev = valued[position - 1]
        ranks[i][m.code] =
          position > 0 && compareAmounts(groups[prev].values[m.code]!, groups[i].values[m.code]!) === 0 ? ranks[prev][m.code] : position + 1
      })
      for (const i of members) if (!(m.code in ranks[i])) ranks[i][m.code] = null
    }
  }
  return groups.map((g, i) => ({ ...g, rank: ranks[i] }))
}

// ------------------------------------------------------------------ spread across reports

/** The plan of per-report values: the same filters, grouped by the plan's keys and by agency and year (one report each). */
export function perReportPlan(plan: AggregatePlan): AggregatePlan {
  const groupBy = [...plan.groupBy, ...(['agency', 'year'] as const).filter((k) => !plan.groupBy.includes(k))]
  const { limit: _limit, ...rest } = plan
  return { ...rest, source: 'cells', groupBy, sort: groupBy.map((by) => ({ by, desc: false })) }
}

function median(sorted: number[]): number | null {
  if (sorted.length === 0) return null
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

/** Mean, median, min and max of each metric's per-report values, for the stats asked; `reports` has none. */
export function withSpread(
  plan: AggregatePlan,
  stats: readonly Stat[],
  groups: readonly DashboardGroup[],
  perReport: readonly AggregateGroup[]
): DashboardGroup[] {
  const metrics = plan.metrics.filter((m) => m.kind !== 'reports')
  const values = new Map<string, number[][]>()
  for (const r of perReport) {
    const id = identity(plan, r.key, 0)
    let lists = values.get(id)
    if (!lists) values.set(id, (lists = metrics.map(() => [])))
    metrics.forEach((m, i) => {
      const v = r.values[m.code]
      if (v !== null) lists![i].push(numberOf(v))
    })
  }
  return groups.map((g) => {
    const lists = values.get(identity(plan, g.key, 0)) ?? metrics.map(() => [])
    const spread: Record<string, Spread> = {}
    metrics.forEach((m, i) => {
      const list = [...lists[i]].sort((a, b) => a - b)
      const s: Spread = { n: list.length }
      for (const stat of stats) s[stat] = statOf(m, stat, list)
      spread[m.code] = s
    })
    return { ...g, stats: spread }
  })
}

function statOf(m: MetricDef, stat: Stat, sorted: number[]): number | null {
  if (sorted.length === 0) return null
  if (stat === 'min') return sorted[0]
  if (stat === 'max') return sorted[sorted.length - 1]
  const scale = scaleOf(m)
  if (stat === 'median') return scale === 1 ? median(sorted) : median(sorted.map((v) => Math.round(v * scale)))! / scale
  // money in whole 分, so the sum is exact before the one division
  return scale === 1
    ? sorted.reduce((s, v) => s + v, 0) / sorted.length
    : sorted.reduce((s, v) => s + Math.round(v * scale), 0) / scale / sorted.length
}
