// Sums for aggregates and the tidy values of statistics, read with one SQL statement each. A plan that
// neither groups nor filters by agency reads the roll-up (per year, county code, level, kind, format and
// scope: a few thousand rows for the whole country); the others read report_cells joined with reports
// and agencies. SQLite adds and orders; JavaScript only shapes the (few) resulting groups.
import type { Engine, SqlValue } from '../engines/engine.js'
import { FORMATS, MONEY_SPLIT, type CellDef } from '../../src/format/registry.js'
import { fromStoredMoney } from '../../src/format/document.js'
import { MoneySum, joinMoney } from '../../src/format/money.js'
import type { AggregateFilter, AggregatePlan, GroupKey } from '../../src/aggregates/plan.js'
import type { CellTotal, RawGroup } from '../../src/aggregates/compose.js'
import type { MetricDef, Term } from '../../src/aggregates/metrics.js'
import { formatsOfItems, type StatisticRow } from '../../src/aggregates/statistics.js'
import { regionRange } from '../../src/pagination.js'

type Source = AggregatePlan['source']

const KEY_SQL: Record<Source, Partial<Record<GroupKey, string>>> = {
  rollup: {
    year: 'year',
    province: 'substr(region_code, 1, 2)',
    prefecture: 'substr(region_code, 1, 4)',
    county: 'region_code',
    level: 'level',
    kind: 'kind',
    format: 'format'
  },
  cells: {
    year: 'r.year',
    province: 'substr(a.region_code, 1, 2)',
    prefecture: 'substr(a.region_code, 1, 4)',
    county: 'a.region_code',
    agency: 'r.agency_id',
    level: 'a.level',
    kind: 'a.kind',
    format: 'r.format'
  }
}

interface Where {
  clauses: string[]
  params: SqlValue[]
}

/**
 * A roll-up plan that needs no finer region than the province (no prefecture or county key, no 4- or 6-digit
 * region filter) reads rollup_province: the same sums with one row per province instead of per county.
 */
export function usesProvinceRollup(plan: AggregatePlan): boolean {
  return (
    plan.source === 'rollup' &&
    !plan.groupBy.includes('prefecture') &&
    !plan.groupBy.includes('county') &&
    (plan.filter.regionCode === undefined || plan.filter.regionCode.length === 2)
  )
}

function whereOf(filter: AggregateFilter, source: Source, byProvince = false): Where {
  const clauses: string[] = []
  const params: SqlValue[] = []
  const col =
    source === 'rollup'
      ? { year: 'year', region: 'region_code', level: 'level', kind: 'kind', format: 'format', scope: 'scope', state: 'state' }
      : {
          year: 'r.year',
          region: 'a.region_code',
          level: 'a.level',
          kind: 'a.kind',
          format: 'r.format',
          scope: 'r.scope',
          state: 'r.state'
        }
  const eq = (sql: string, value: SqlValue | undefined) => {
    if (value !== undefined) {
      clauses.push(sql)
      params.push(value)
    }
  }
  eq(`${col.year} = ?`, filter.year)
  eq(`${col.year} >= ?`, filter.yearFrom)
  eq(`${col.year} <= ?`, filter.yearTo)
  if (filter.regionCode !== undefined && byProvince) {
    clauses.push('province = ?')
    params.push(filter.regionCode)
  } else if (filter.regionCode !== undefined) {
    clauses.push(`${col.region} BETWEEN ? AND ?`)
    params.push(...regionRange(filter.regionCode))
  }
  eq(`${col.level} = ?`, filter.level)
  eq(`${col.kind} = ?`, filter.kind)
  eq(`${col.format} = ?`, filter.format)
  if (filter.scope !== 'all') eq(`${col.scope} = ?`, filter.scope)
  if (filter.state !== 'all') eq(`${col.state} = ?`, filter.state)
  if (source === 'cells') eq('r.agency_id = ?', filter.agencyId)
  return { clauses, params }
}

interface AggregateSql {
  sql: string
  /** how many leading columns are keys, and whether an agency name follows them */
  keys: number
  agencyName: boolean
}

/** The SQL expression, over the inner query's columns, of a metric's value (null when it has none). */
function metricSql(m: MetricDef, column: Map<string, number>): string {
  if (m.kind === 'reports') return 'reports'
  // a money sum is w × MONEY_SPLIT + s: ordered as a double, which is exact below 2^53 分 and never overflows
  const term = (t: Term) => {
    const i = column.get(t.cell.code)
    return t.cell.kind === 'money' ? `(CAST(w${i} AS DOUBLE PRECISION) * ${MONEY_SPLIT} + s${i})` : `s${i}`
  }
  const sum = (terms: readonly Term[]) => terms.map((t, i) => `${t.sign < 0 ? ' - ' : i ? ' + ' : ''}${term(t)}`).join('')
  if (m.denominator) {
    const den = sum(m.denominator)
    return `CASE WHEN (${den}) = 0 THEN NULL ELSE CAST((${sum(m.numerator)}) AS DOUBLE PRECISION) / (${den}) END`
  }
  const filled = m.cells.map((c) => `n${column.get(c.code)}`).join(' + ')
  return `CASE WHEN (${filled}) = 0 THEN NULL ELSE ${sum(m.numerator)} END`
}

/**
 * The join of an agency-level query. With a region filter, the agencies of the region (by the region
 * index) lead, then each one's report of the year (unique index), then its cells: a province is a few
 * thousand lookups. SQLite's planner, left to itself, walks every report of the year instead, so the
 * order is fixed with CROSS JOIN, which it never reorders; the join conditions go to WHERE (PostgreSQL
 * takes no ON after CROSS JOIN, and plans the join itself).
 */
function cellsFrom(filter: AggregateFilter): { from: string; join: string | null } {
  return filter.regionCode !== undefined
    ? { from: 'agencies a CROSS JOIN reports r CROSS JOIN report_cells c', join: 'r.agency_id = a.id AND c.report_id = r.id' }
    : { from: 'report_cells c JOIN reports r ON r.id = c.report_id JOIN agencies a ON a.id = r.agency_id', join: null }
}

function aggregateSql(plan: AggregatePlan): AggregateSql {
  const { source } = plan
  const rollup = source === 'rollup'
  const select: string[] = []
  const byProvince = usesProvinceRollup(plan)
  plan.groupBy.forEach((k, i) => select.push(`${byProvince && k === 'province' ? 'province' : KEY_SQL[source][k]} AS k${i}`))
  const agencyName = plan.groupBy.includes('agency')
  if (agencyName) select.push('min(a.name) AS agency_name')
  select.push(rollup ? 'sum(reports) AS reports' : 'count(*) AS reports')
  FORMATS.forEach((f, i) =>
    select.push(
      rollup
        ? `sum(CASE WHEN format = '${f}' THEN reports ELSE 0 END) AS f${i}`
        : `sum(CASE WHEN r.format = '${f}' THEN 1 ELSE 0 END) AS f${i}`
    )
  )
  const column = new Map<string, number>()
  plan.cells.forEach((cell, i) => {
    column.set(cell.code, i)
    // money in two parts, each a sum of integers below MONEY_SPLIT: no overflow, joined exactly in JavaScript
    const money = cell.kind === 'money'
    const total = rollup ? `sum(s_${cell.sqlName})` : `coalesce(sum(c.${cell.sqlName}${money ? ` % ${MONEY_SPLIT}` : ''}), 0)`
    select.push(`${total} AS s${i}`, rollup ? `sum(n_${cell.sqlName}) AS n${i}` : `count(c.${cell.sqlName}) AS n${i}`)
    if (money) select.push(rollup ? `sum(w_${cell.sqlName}) AS w${i}` : `coalesce(sum(c.${cell.sqlName} / ${MONEY_SPLIT}), 0) AS w${i}`)
  })
  const cells = cellsFrom(plan.filter)
  const from = byProvince ? 'rollup_province' : rollup ? 'rollup' : cells.from
  const where = whereOf(plan.filter, source, byProvince)
  if (!rollup && cells.join) where.clauses.push(cells.join)
  const groupBy = plan.groupBy.length ? `GROUP BY ${plan.groupBy.map((_, i) => `k${i}`).join(', ')}` : ''
  const inner = `SELECT ${select.join(', ')} FROM ${from}${where.clauses.length ? ` WHERE ${where.clauses.join(' AND ')}` : ''} ${groupBy}`
  const byCode = new Map(plan.metrics.map((m) => [m.code, m]))
  const order = plan.sort.map((s) => {
    const keyIndex = plan.groupBy.indexOf(s.by as GroupKey)
    const metric = byCode.get(s.by)
    const expr = keyIndex >= 0 ? `k${keyIndex}` : metric ? metricSql(metric, column) : 'reports'
    return `${expr} ${s.desc ? 'DESC' : 'ASC'} NULLS LAST`
  })
  const sql = `SELECT * FROM (${inner}) AS g${order.length ? ` ORDER BY ${order.join(', ')}` : ''}${plan.limit !== undefined ? ' LIMIT ?' : ''}`
  return { sql, keys: plan.groupBy.length, agencyName }
}

export interface StatisticsPage {
  rows: StatisticRow[]
  /** the last row served, when there are more */
  next: { id: number; index: number } | null
}

/**
 * Results of earlier identical queries, valid until the database changes. Dashboards repeat the same few
 * questions; a national scan of the roll-up costs tens of milliseconds, a hit none. The engine's data
 * version changes with every commit, by this process or any other, so a cached answer is never older than
 * the last write: nothing stale is served.
 */
function resultCache(engine: Engine, budget: number) {
  const cache = new Map<string, { groups: RawGroup[]; weight: number }>()
  let valid = ''
  let used = 0
  return {
    async get(key: string): Promise<RawGroup[] | undefined> {
      const now = await engine.dataVersion()
      if (now !== valid) {
        cache.clear()
        used = 0
        valid = now
        return undefined
      }
      const hit = cache.get(key)
      if (!hit) return undefined
      cache.delete(key)
      cache.set(key, hit)
      return hit.groups
    },
    set(key: string, groups: RawGroup[]) {
      // a group weighs its keys and its cell totals: the budget bounds the memory the cache holds
      const weight = groups.reduce((w, g) => w + g.keys.length + 2 * g.totals.length + 4, 1)
      if (weight > budget / 8) return
      while (used + weight > budget && cache.size) {
        const [oldest, entry] = cache.entries().next().value!
        cache.delete(oldest)
        used -= entry.weight
      }
      cache.set(key, { groups, weight })
      used += weight
    }
  }
}

export function createAggregateRepository(engine: Engine) {
  const results = resultCache(engine, 1_000_000)

  async function aggregate(plan: AggregatePlan): Promise<RawGroup[]> {
    const built = aggregateSql(plan)
    const where = whereOf(plan.filter, plan.source, usesProvinceRollup(plan))
    const params = plan.limit !== undefined ? [...where.params, plan.limit] : where.params
    const cacheKey = `${built.sql}\n${JSON.stringify(params)}`
    const cached = await results.get(cacheKey)
    if (cached) return cached
    const groups = await read(plan, built, params)
    results.set(cacheKey, groups)
    return groups
  }

  async function read(plan: AggregatePlan, built: AggregateSql, params: SqlValue[]): Promise<RawGroup[]> {
    const rows = await engine.all<Record<string, string | number | bigint | null>>(built.sql, params)
    const groups: RawGroup[] = []
    const number = (v: string | number | bigint | null | undefined) => (v === null || v === undefined ? 0 : Number(v))
    for (const row of rows) {
      const keys: Array<string | number> = []
      for (let k = 0; k < built.keys; k++) keys.push(row[`k${k}`] as string | number)
      const byFormat = {} as RawGroup['byFormat']
      FORMATS.forEach((f, i) => (byFormat[f] = number(row[`f${i}`])))
      const totals: CellTotal[] = plan.cells.map((cell, i) => {
        const count = number(row[`n${i}`])
        if (cell.kind !== 'money') return { sum: number(row[`s${i}`]), count }
        const money = new MoneySum(joinMoney(row[`w${i}`], row[`s${i}`]), cell.scale ?? 1)
        return { sum: money.toNumber(), count, money }
      })
      const group: RawGroup = { keys, reports: number(row.reports), byFormat, totals }
      groups.push(
        built.agencyName ? { keys, agencyName: row.agency_name as string | null, reports: group.reports, byFormat, totals } : group
      )
    }
    return groups
  }

  /** One page of (report, item) rows after `after` (the last row of the previous page), in report id then item order. */
  async function statistics(
    filter: AggregateFilter,
    items: readonly CellDef[],
    limit: number,
    after?: { id: number; index: number }
  ): Promise<StatisticsPage> {
    const where = whereOf(filter, 'cells')
    const formats = formatsOfItems(items)
    if (formats.length < FORMATS.length) where.clauses.push(`r.format IN (${formats.map((f) => `'${f}'`).join(', ')})`)
    if (after) {
      where.clauses.push('r.id >= ?')
      where.params.push(after.id)
    }
    const columns = [...new Set(items.map((c) => c.sqlName))]
    const alias = new Map(columns.map((name, i) => [name, `c${i}`]))
    // the page of reports first, then the cells of those reports only
    const sql = `SELECT p.id, p.agency_id AS "agencyId", p.name, p.region_code AS "regionCode", p.year, p.format,
      ${columns.map((c) => `c.${c} AS ${alias.get(c)}`).join(', ')} FROM (
      SELECT r.id, r.agency_id, a.name, a.region_code, r.year, r.format FROM reports r JOIN agencies a ON a.id = r.agency_id
      ${where.clauses.length ? `WHERE ${where.clauses.join(' AND ')}` : ''} ORDER BY r.id LIMIT ?
    ) p JOIN report_cells c ON c.report_id = p.id ORDER BY p.id`
    // every report fetched yields at least one row (its format has one of the items), the first one
    // perhaps none once the rows already served are skipped: limit + 2 reports fill limit + 1 rows
    const rows = await engine.all<Record<string, string | number | null>>(sql, [...where.params, limit + 2])
    const out: StatisticRow[] = []
    let last: { id: number; index: number } | null = null
    let more = false
    scan: for (const row of rows) {
      const id = row.id as number
      const format = row.format as string
      for (let index = 0; index < items.length; index++) {
        const cell = items[index]
        if (!cell.formats.includes(format as never)) continue
        if (after && id === after.id && index <= after.index) continue
        if (out.length === limit) {
          more = true
          break scan
        }
        const stored = row[alias.get(cell.sqlName)!] as number | null
        out.push({
          reportId: id,
          agencyId: row.agencyId as number,
          agencyName: row.name as string,
          regionCode: row.regionCode as string,
          year: row.year as number,
          item: cell.code,
          value: stored === null ? null : cell.kind === 'money' ? fromStoredMoney(stored, cell) : stored
        })
        last = { id, index }
      }
    }
    return { rows: out, next: more ? last : null }
  }

  return { aggregate, statistics }
}
export type AggregateRepository = ReturnType<typeof createAggregateRepository>
