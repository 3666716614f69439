// From per-group cell sums to the groups an aggregate answers with: each metric's value, how many
// reports it spans and how many of them filled it, and the names of the group's keys.
import { FORMATS, KIND_LABELS, LEVEL_LABELS, type Format, type Kind, type Level } from '../format/registry.js'
import { regionName } from '../regions/index.js'
import { type Amount, type MoneySum, amountOf } from '../format/money.js'
import { isFormatSpecific, type MetricDef, type Term } from './metrics.js'
import { REGION_KEY_DIGITS, type AggregatePlan, type GroupKey } from './plan.js'

/** The sum of a cell's non-null values over a group (in the cell's unit) and how many there were. */
export interface CellTotal {
  /** the nearest double; exact for counts */
  sum: number
  count: number
  /** money: the exact sum */
  money?: MoneySum
}

/** One group as the source delivers it. */
export interface RawGroup {
  /** values of the plan's group keys, in order */
  keys: ReadonlyArray<string | number>
  /** when grouped by agency */
  agencyName?: string | null
  reports: number
  byFormat: Record<Format, number>
  /** one per cell of the plan, in order */
  totals: readonly CellTotal[]
}

export type GroupKeyValues = Partial<Record<GroupKey, string | number>>

export interface AggregateGroup {
  key: GroupKeyValues
  /** the agency's name when grouped by agency, else the name of the finest region key */
  name?: string | null
  /** the Chinese name of every key that has one: regions, agency, level, kind */
  names?: Partial<Record<GroupKey, string | null>>
  reports: number
  /** present when a requested metric is format-specific: the reports it spans are those of its formats */
  reportsByFormat?: Record<Format, number>
  /** a money sum too large for a double's digits is a MoneySum (README: Money is exact) */
  values: Record<string, Amount | null>
  /** per metric, when fewer reports filled it than the reports it spans */
  contributors?: Record<string, number>
}

export interface MetricInfo {
  code: string
  kind: MetricDef['kind']
  label: string
  unit: string
  /** only for format-specific metrics: the formats whose reports they span */
  formats?: Format[]
  formula?: string
}

export function describeMetric(m: MetricDef): MetricInfo {
  return {
    code: m.code,
    kind: m.kind,
    label: m.label,
    unit: m.unit,
    ...(isFormatSpecific(m) ? { formats: [...m.formats] } : {}),
    ...(m.formula ? { formula: m.formula } : {})
  }
}

/**
 * The name of a region key: '63' → 青海省, '6302' → 海东市, '630223' → 互助土族自治县. An agency serving
 * a whole province or prefecture falls under a key that names no smaller region: prefecture '6300'
 * and county '630000' are 青海省本级, county '630200' is 海东市本级. 000000 and its prefixes are 全国.
 */
export function regionKeyName(value: string): string | null {
  if (/^0+$/.test(value)) return regionName(value)
  if (value.length === 4 && value.endsWith('00')) return ownLevel(regionName(value.slice(0, 2)))
  if (value.length === 6 && value.endsWith('0000')) return ownLevel(regionName(value.slice(0, 2)))
  if (value.length === 6 && value.endsWith('00')) return ownLevel(regionName(value.slice(0, 4)))
  return regionName(value)
}

const ownLevel = (name: string | null) => (name === null ? null : `${name}本级`)

function keyName(key: GroupKey, value: string | number, raw: RawGroup): string | null {
  if (REGION_KEY_DIGITS[key]) return regionKeyName(String(value))
  if (key === 'agency') return raw.agencyName ?? null
  if (key === 'level') return LEVEL_LABELS[value as Level] ?? null
  if (key === 'kind') return KIND_LABELS[value as Kind] ?? null
  return null
}

const NAME_PRIORITY: GroupKey[] = ['agency', 'county', 'prefecture', 'province']
const NAMED_KEYS: GroupKey[] = [...NAME_PRIORITY, 'level', 'kind']

export interface MetricValue {
  value: Amount | null
  /** reports whose cells the metric read were non-null (for a composite: the most of any of its cells) */
  count: number
}

/** A metric's value over a group, from the totals of the plan's cells (`index` maps a cell code to its total). */
export function evaluateMetric(m: MetricDef, raw: RawGroup, index: ReadonlyMap<string, number>): MetricValue {
  if (m.kind === 'reports') return { value: raw.reports, count: raw.reports }
  const total = (t: Term) => raw.totals[index.get(t.cell.code)!]
  let count = 0
  for (const cell of m.cells) count = Math.max(count, raw.totals[index.get(cell.code)!].count)
  // a money metric is one cell (composites add counts only): its exact sum
  const money = m.kind === 'cell' ? total(m.numerator[0]).money : undefined
  if (money) return { value: count === 0 ? null : amountOf(money), count }
  const sum = (terms: readonly Term[]) => terms.reduce((s, t) => s + t.sign * total(t).sum, 0)
  if (m.denominator) {
    const denominator = sum(m.denominator)
    return { value: denominator === 0 ? null : sum(m.numerator) / denominator, count }
  }
  return { value: count === 0 ? null : sum(m.numerator), count }
}

export function composeGroups(plan: AggregatePlan, raws: readonly RawGroup[]): AggregateGroup[] {
  const index = new Map(plan.cells.map((c, i) => [c.code, i]))
  const byFormat = plan.metrics.some(isFormatSpecific)
  const named = plan.groupBy.filter((k) => NAMED_KEYS.includes(k))
  const nameKey = NAME_PRIORITY.find((k) => plan.groupBy.includes(k))
  return raws.map((raw) => {
    const key: GroupKeyValues = {}
    plan.groupBy.forEach((k, i) => (key[k] = raw.keys[i]))
    const group = { key } as AggregateGroup
    if (named.length) {
      const names: Partial<Record<GroupKey, string | null>> = {}
      for (const k of named) names[k] = keyName(k, key[k]!, raw)
      if (nameKey) group.name = names[nameKey] ?? null
      group.names = names
    }
    group.reports = raw.reports
    if (byFormat) group.reportsByFormat = { ...raw.byFormat }
    const values: Record<string, Amount | null> = {}
    const contributors: Record<string, number> = {}
    for (const m of plan.metrics) {
      const { value, count } = evaluateMetric(m, raw, index)
      values[m.code] = value
      if (m.kind === 'reports') continue
      const spanned = m.formats.length === FORMATS.length ? raw.reports : m.formats.reduce((s, f) => s + raw.byFormat[f], 0)
      if (count < spanned) contributors[m.code] = count
    }
    group.values = values
    if (Object.keys(contributors).length) group.contributors = contributors
    return group
  })
}
