// The columns of aggregates and statistics as CSV, with Chinese headers: a spreadsheet user reads the
// labels, and the values are the JSON values (codes for keys, next to their names).
import { CELL_BY_CODE, FORMATS } from '../format/registry.js'
import type { AggregateGroup } from './compose.js'
import type { AggregatePlan, GroupKey } from './plan.js'
import type { StatisticRow } from './statistics.js'

export interface Column<T> {
  header: string
  value: (row: T) => string | number | null | undefined
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

export function aggregateColumns(plan: AggregatePlan, groups: readonly AggregateGroup[]): Column<AggregateGroup>[] {
  const columns: Column<AggregateGroup>[] = []
  for (const key of plan.groupBy) {
    const headers = KEY_HEADERS[key]
    columns.push({ header: headers.code, value: (g) => g.key[key] })
    if (headers.name) columns.push({ header: headers.name, value: (g) => g.names?.[key] ?? null })
  }
  columns.push({ header: '报告数（份）', value: (g) => g.reports })
  if (groups.some((g) => g.reportsByFormat)) {
    for (const f of FORMATS) columns.push({ header: `${f}年格式报告数（份）`, value: (g) => g.reportsByFormat?.[f] })
  }
  for (const m of plan.metrics) {
    if (m.code === 'reports') continue
    // the unit in brackets, unless the label already names it (本年收费金额（单位：万元）, 现行有效件数)
    const header = m.label.includes(m.unit) ? m.label : `${m.label}（${m.unit}）`
    columns.push({ header, value: (g) => g.values[m.code] })
  }
  return columns
}

export const STATISTICS_COLUMNS: Column<StatisticRow>[] = [
  { header: '报告ID', value: (r) => r.reportId },
  { header: '机关ID', value: (r) => r.agencyId },
  { header: '机关名称', value: (r) => r.agencyName },
  { header: '区划代码', value: (r) => r.regionCode },
  { header: '年度', value: (r) => r.year },
  { header: '指标代码', value: (r) => r.item },
  { header: '指标', value: (r) => CELL_BY_CODE.get(r.item)?.label },
  { header: '单位', value: (r) => CELL_BY_CODE.get(r.item)?.unit },
  { header: '数值', value: (r) => r.value }
]
