// AG-01: an area-wide (`aggregate`) report against the sum of the `own` reports of its area and year.
import { type CellDef, type Format, cellsOf } from '../format/registry.js'
import { type ReportInput, getCell, toStoredMoney } from '../format/document.js'
import { type Finding, createFinding } from './finding.js'
import { cellLabel, showValue } from './labels.js'

export interface OwnSums {
  /** how many `own` reports the sums are over */
  reports: number
  /** cell code → sum over those reports (money in the cell's unit, as a decimal); null when no report has a value */
  sums: Record<string, number | null>
}

/**
 * The additive cells AG-01 compares: the total column of every table-三 row, every table-四 cell,
 * table 二's 处理决定数量 and its money amounts. Not the document counts of table 二: 规章 and
 * 规范性文件 are made by the government itself and are not a sum of its departments' reports.
 */
export function aggregateCellsOf(format: Format): CellDef[] {
  return cellsOf(format).filter(
    (c) =>
      (c.table === 'applications' && c.column === 'total') ||
      c.table === 'reviewLitigation' ||
      (c.table === 'proactive' && (c.column === 'decisions' || c.kind === 'money'))
  )
}

/** Money compared as exact stored integers; a float-noisy sum is brought to the unit's precision first. */
function comparable(value: number, cell: CellDef): number {
  if (cell.kind !== 'money') return value
  return toStoredMoney(value, cell) ?? Math.round(value * (cell.scale ?? 1))
}

export function checkAggregate(doc: ReportInput, own: OwnSums): Finding[] {
  if (doc.scope !== 'aggregate' || own.reports === 0) return []
  const out: Finding[] = []
  for (const cell of aggregateCellsOf(doc.format)) {
    const actual = getCell(doc as unknown as Record<string, unknown>, cell)
    const expected = own.sums[cell.code] ?? null
    if (actual === null || expected === null) continue
    if (comparable(actual, cell) === comparable(expected, cell)) continue
    out.push(
      createFinding(
        'AG-01',
        'warning',
        `“${cellLabel(cell.code)}”：本级政府年度报告为 ${showValue(actual, cell)}，但本地区 ${own.reports} 份本机关年度报告合计 ${showValue(expected, cell)}`,
        [cell.code],
        expected,
        actual
      )
    )
  }
  return out
}
