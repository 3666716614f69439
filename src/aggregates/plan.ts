// From the query of GET /v1/aggregates to a plan: which metrics, which cells they read, how groups are
// keyed, which rows are counted, how groups are ordered, and where the sums come from. Questions that
// neither group nor filter by agency are answered from the roll-up (a few thousand rows for the whole
// country); the others from the per-report cells.
import { CELLS, type CellDef, type Format, type Kind, type Level } from '../format/registry.js'
import { METRICS, METRIC_BY_CODE, REPORTS_METRIC, type MetricDef } from './metrics.js'

export const GROUP_KEYS = ['year', 'province', 'prefecture', 'county', 'agency', 'level', 'kind', 'format'] as const
export type GroupKey = (typeof GROUP_KEYS)[number]

/** The region keys and how many digits of the agency's region code each keeps. */
export const REGION_KEY_DIGITS: Partial<Record<GroupKey, number>> = { province: 2, prefecture: 4, county: 6 }

export type ScopeFilter = 'own' | 'aggregate' | 'all'
/** Which reports by state: one state, or `all`. Dashboards count accepted reports unless asked. */
export type StateFilter = 'draft' | 'submitted' | 'returned' | 'accepted' | 'all'

export interface AggregateFilter {
  year?: number
  yearFrom?: number
  yearTo?: number
  /** a GB/T 2260 prefix: 2, 4 or 6 digits */
  regionCode?: string
  level?: Level
  kind?: Kind
  agencyId?: number
  format?: Format
  /** `own` unless asked: a 本级政府 summary already contains its area's own reports */
  scope: ScopeFilter
  /** `accepted` unless asked: a draft, a submitted or a returned report is not (yet) a published figure */
  state: StateFilter
}

export interface AggregateQuery extends Partial<AggregateFilter> {
  /** comma-separated metric codes; default `reports` */
  metrics?: string
  /** comma-separated group keys; none = one grand total */
  groupBy?: string
  /** comma-separated metric codes or group keys, `-` in front for descending */
  sort?: string
  limit?: number
}

export interface SortTerm {
  /** a group key or a metric code */
  by: string
  desc: boolean
}

export interface AggregatePlan {
  /** `rollup` unless an agency is grouped or filtered on */
  source: 'rollup' | 'cells'
  groupBy: GroupKey[]
  metrics: MetricDef[]
  /** the distinct cells the metrics read, in registry order: the sums the source must deliver */
  cells: CellDef[]
  filter: AggregateFilter
  /** explicit order first; group keys ascending break ties */
  sort: SortTerm[]
  limit?: number
}

/** A fault of one query parameter; `allowed` lists the valid values when there are many. */
export interface ParameterError {
  parameter: string
  message: string
  allowed?: string[]
}

export type Planned<T> = { ok: true; value: T } | { ok: false; errors: ParameterError[] }

export const MAX_METRICS = 64

export const splitList = (text: string | undefined) => [
  ...new Set(
    (text ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
  )
]

/** Edit distance, to suggest the code a typo meant. */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const row = [i]
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1))
    }
    prev = row
  }
  return prev[b.length]
}

export function suggest(input: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined
  let bestDistance = Math.max(3, Math.floor(input.length / 4)) + 1
  for (const c of candidates) {
    const d = distance(input, c)
    if (d < bestDistance) {
      best = c
      bestDistance = d
    }
  }
  return best
}

const INDICATOR_CODES = METRICS.filter((m) => m.kind === 'indicator').map((m) => m.code)
const ALL_METRIC_CODES = METRICS.map((m) => m.code)

export function parseMetrics(text: string | undefined): Planned<MetricDef[]> {
  const codes = splitList(text)
  if (codes.length === 0) return { ok: true, value: [METRIC_BY_CODE.get(REPORTS_METRIC)!] }
  const errors: ParameterError[] = []
  const metrics: MetricDef[] = []
  for (const code of codes) {
    const metric = METRIC_BY_CODE.get(code)
    if (metric) {
      metrics.push(metric)
      continue
    }
    const near = suggest(code, ALL_METRIC_CODES)
    errors.push({
      parameter: 'metrics',
      message:
        `unknown metric '${code}'${near ? ` (did you mean '${near}'?)` : ''}; valid metrics are 'reports', ` +
        `the indicators ${INDICATOR_CODES.join(', ')}, the outcome groups ` +
        `applications.outcomes.{denied|unavailable|notProcessed|other}.<column> and every cell code ` +
        `(e.g. applications.newReceived.total): 'allowed' lists all ${ALL_METRIC_CODES.length}, ` +
        `GET /v1/aggregates/metrics describes them`,
      allowed: ALL_METRIC_CODES
    })
  }
  if (metrics.length > MAX_METRICS) {
    errors.push({ parameter: 'metrics', message: `at most ${MAX_METRICS} metrics per request (got ${metrics.length})` })
  }
  return errors.length ? { ok: false, errors } : { ok: true, value: metrics }
}

export function parseGroupBy(text: string | undefined): Planned<GroupKey[]> {
  const keys = splitList(text)
  const unknown = keys.filter((k) => !(GROUP_KEYS as readonly string[]).includes(k))
  if (unknown.length) {
    return {
      ok: false,
      errors: unknown.map((k) => ({
        parameter: 'groupBy',
        message: `unknown group key '${k}'; valid keys are ${GROUP_KEYS.join(', ')}`,
        allowed: [...GROUP_KEYS]
      }))
    }
  }
  return { ok: true, value: keys as GroupKey[] }
}

export function parseSort(text: string | undefined, groupBy: GroupKey[], metrics: MetricDef[]): Planned<SortTerm[]> {
  const valid = [...groupBy, ...new Set([...metrics.map((m) => m.code), REPORTS_METRIC])]
  const errors: ParameterError[] = []
  const terms: SortTerm[] = []
  for (const item of splitList(text)) {
    const desc = item.startsWith('-')
    const by = desc ? item.slice(1) : item
    if (valid.includes(by)) terms.push({ by, desc })
    else {
      errors.push({
        parameter: 'sort',
        message: `cannot sort by '${by}': sort by a requested metric or group key (${valid.join(', ')}), '-' in front for descending`,
        allowed: valid
      })
    }
  }
  return errors.length ? { ok: false, errors } : { ok: true, value: terms }
}

export function planAggregate(query: AggregateQuery): Planned<AggregatePlan> {
  const metrics = parseMetrics(query.metrics)
  const groupBy = parseGroupBy(query.groupBy)
  const errors = [...(metrics.ok ? [] : metrics.errors), ...(groupBy.ok ? [] : groupBy.errors)]
  if (!metrics.ok || !groupBy.ok) return { ok: false, errors }
  const sort = parseSort(query.sort, groupBy.value, metrics.value)
  if (!sort.ok) return sort
  if (query.yearFrom !== undefined && query.yearTo !== undefined && query.yearFrom > query.yearTo) {
    return { ok: false, errors: [{ parameter: 'yearFrom', message: `yearFrom ${query.yearFrom} is after yearTo ${query.yearTo}` }] }
  }
  const filter: AggregateFilter = {
    year: query.year,
    yearFrom: query.yearFrom,
    yearTo: query.yearTo,
    regionCode: query.regionCode,
    level: query.level,
    kind: query.kind,
    agencyId: query.agencyId,
    format: query.format,
    scope: query.scope ?? 'own',
    state: query.state ?? 'accepted'
  }
  const read = new Set(metrics.value.flatMap((m) => m.cells))
  const explicit = new Set(sort.value.map((s) => s.by))
  return {
    ok: true,
    value: {
      source: groupBy.value.includes('agency') || filter.agencyId !== undefined ? 'cells' : 'rollup',
      groupBy: groupBy.value,
      metrics: metrics.value,
      cells: CELLS.filter((c) => read.has(c)),
      filter,
      sort: [...sort.value, ...groupBy.value.filter((k) => !explicit.has(k)).map((by) => ({ by, desc: false }))],
      limit: query.limit
    }
  }
}
