// The columns of aggregates and statistics as flat rows, with Chinese headers: one definition serves
// CSV, XLSX and the `shape=rows` JSON (whose keys are the columns' names). A spreadsheet user reads
// the labels; the values are the JSON values (codes for keys, next to their adcodes and names).
import { CELL_BY_CODE, FORMATS } from '../format/registry.js'
import type { MoneySum } from '../format/money.js'
import type { AggregateGroup } from './compose.js'
import type { DashboardGroup, Extras, Stat } from './extras.js'
import { REGION_KEY_DIGITS, type AggregatePlan, type GroupKey } from './plan.js'
import type { StatisticRow } from './statistics.js'

export type ColumnType = 'string' | 'integer' | 'number'

export interface Column<T> {
  /** the key of the value in a flat row */
  name: string
  /** the header of a CSV or XLSX column, in Chinese */
  header: string
  /** `string` columns hold codes and names: a spreadsheet keeps them as text ('000000' stays '000000') */
  type: ColumnType
  /** the metric's unit, for metric columns */
  unit?: string
  /** a MoneySum (a sum too large for a double's digits) is written as its exact decimal */
  value: (row: T) => string | number | MoneySum | null | undefined
}

/** Per key: the header of its value and, for keys that have names, of its name. */
export const KEY_HEADERS: Record<GroupKey, { code: string; name?: string }> = {
  year: { code: '年度' },
  province: { code: '省级区划代码', name: '省级区划' },
  prefecture: { code: '地市级区划代码', name: '地市级区划' },
  county: { code: '县级区划代码', name: '县级区划' },
  agency: { code: '机关ID', name: '机关名称' },
  level: { code: '层级代码', name: '层级' },
  kind: { code: '机关类别代码', name: '机关类别' },
  format: { code: '报告格式' }
}

const KEY_TYPES: Record<GroupKey, ColumnType> = {
  year: 'integer',
  province: 'string',
  prefecture: 'string',
  county: 'string',
  agency: 'integer',
  level: 'string',
  kind: 'string',
  format: 'string'
}

const STAT_HEADERS: Record<Stat, string> = { mean: '各报告平均', median: '各报告中位数', min: '各报告最小', max: '各报告最大' }

/**
 * Every column of an aggregate's groups: keys (with the six-digit adcode beside a region prefix, and the
 * name), report counts, then per metric its value and, as asked, its previous-year value, change, relative
 * change, rank and spread across reports.
 */
export function aggregateColumns(
  plan: AggregatePlan,
  groups: readonly DashboardGroup[],
  extras: Pick<Extras, 'compare' | 'rank' | 'stats'> = { compare: false, rank: false, stats: [] }
): Column<DashboardGroup>[] {
  const columns: Column<DashboardGroup>[] = []
  for (const key of plan.groupBy) {
    const headers = KEY_HEADERS[key]
    columns.push({ name: key, header: headers.code, type: KEY_TYPES[key], value: (g) => g.key[key] })
    if (REGION_KEY_DIGITS[key]) {
      columns.push({ name: `${key}Adcode`, header: `${headers.code}（六位）`, type: 'string', value: (g) => g.adcodes?.[key] })
    }
    if (headers.name) columns.push({ name: `${key}Name`, header: headers.name, type: 'string', value: (g) => g.names?.[key] ?? null })
  }
  columns.push({ name: 'reports', header: '报告数（份）', type: 'integer', unit: '份', value: (g) => g.reports })
  if (groups.some((g: AggregateGroup) => g.reportsByFormat)) {
    for (const f of FORMATS) {
      columns.push({
        name: `reportsByFormat.${f}`,
        header: `${f}年格式报告数（份）`,
        type: 'integer',
        unit: '份',
        value: (g) => g.reportsByFormat?.[f]
      })
    }
  }
  for (const m of plan.metrics) {
    const code = m.code
    // the unit in brackets, unless the label already names it (本年收费金额（单位：万元）, 现行有效件数)
    const header = m.label.includes(m.unit) ? m.label : `${m.label}（${m.unit}）`
    const type: ColumnType = m.kind === 'indicator' || CELL_BY_CODE.get(code)?.kind === 'money' ? 'number' : 'integer'
    if (code !== 'reports') columns.push({ name: code, header, type, unit: m.unit, value: (g) => g.values[code] })
    if (extras.compare) {
      columns.push(
        { name: `${code}.previous`, header: `${header} · 上年`, type, unit: m.unit, value: (g) => g.previous?.[code] },
        { name: `${code}.change`, header: `${header} · 比上年增减`, type, unit: m.unit, value: (g) => g.change?.[code] },
        {
          name: `${code}.relativeChange`,
          header: `${header} · 比上年增减幅度（比率）`,
          type: 'number',
          unit: '比率',
          value: (g) => g.relativeChange?.[code]
        }
      )
    }
    if (extras.rank) columns.push({ name: `${code}.rank`, header: `${header} · 排名`, type: 'integer', value: (g) => g.rank?.[code] })
    if (extras.stats.length && code !== 'reports') {
      columns.push({
        name: `${code}.n`,
        header: `${header} · 有数值的报告数（份）`,
        type: 'integer',
        unit: '份',
        value: (g) => g.stats?.[code]?.n
      })
      for (const stat of extras.stats) {
        columns.push({
          name: `${code}.${stat}`,
          header: `${header} · ${STAT_HEADERS[stat]}`,
          type: 'number',
          unit: m.unit,
          value: (g) => g.stats?.[code]?.[stat]
        })
      }
    }
  }
  return columns
}

/** Flat rows: one object per group, keyed by the columns' names (ECharts `dataset`, Grafana). */
export function flatRows<T>(
  columns: ReadonlyArray<Column<T>>,
  rows: readonly T[]
): Array<Record<string, string | number | MoneySum | null>> {
  return rows.map((row) => Object.fromEntries(columns.map((c) => [c.name, c.value(row) ?? null])))
}

export const STATISTICS_COLUMNS: Column<StatisticRow>[] = [
  { name: 'reportId', header: '报告ID', type: 'integer', value: (r) => r.reportId },
  { name: 'agencyId', header: '机关ID', type: 'integer', value: (r) => r.agencyId },
  { name: 'agencyName', header: '机关名称', type: 'string', value: (r) => r.agencyName },
  { name: 'regionCode', header: '区划代码', type: 'string', value: (r) => r.regionCode },
  { name: 'year', header: '年度', type: 'integer', value: (r) => r.year },
  { name: 'item', header: '指标代码', type: 'string', value: (r) => r.item },
  { name: 'label', header: '指标', type: 'string', value: (r) => CELL_BY_CODE.get(r.item)?.label },
  { name: 'unit', header: '单位', type: 'string', value: (r) => CELL_BY_CODE.get(r.item)?.unit },
  { name: 'value', header: '数值', type: 'number', value: (r) => r.value }
]
