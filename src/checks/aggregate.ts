// AG-01: an area-wide (`aggregate`) report against the sum of the `own` reports of its area and year.
// AG-02: a government's `aggregate` report against the `aggregate` reports of its direct sub-divisions
// plus the `own` reports of the agencies at its own region code.
import { type CellDef, type Format, cellsOf } from '../format/registry.js'
import { type ReportInput, fromStoredMoney, getCell, toStoredMoney } from '../format/document.js'
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

export interface SubdivisionSums {
  /** how many direct sub-divisions there are; each has exactly one `aggregate` report for the year */
  subdivisions: number
  /** cell code → the sum over those aggregate reports and how many of them filled the cell (money as a decimal) */
  summaries: Record<string, { sum: number; filled: number }>
  /** the `own` reports of the agencies registered at the government's own region code */
  own: OwnSums
}

/**
 * AG-02, per additive cell (those of AG-01). A cell is compared only when every sub-division's summary
 * filled it: a blank there is a missing part, not a zero, and the summaries are few and large. The
 * own-level reports add what they filled, as in AG-01.
 */
export function checkAG02(doc: ReportInput, inputs: SubdivisionSums): Finding[] {
  if (doc.scope !== 'aggregate' || inputs.subdivisions === 0) return []
  const out: Finding[] = []
  for (const cell of aggregateCellsOf(doc.format)) {
    const actual = getCell(doc as unknown as Record<string, unknown>, cell)
    const summaries = inputs.summaries[cell.code]
    if (actual === null || !summaries || summaries.filled < inputs.subdivisions) continue
    const expected = summaries.sum + (inputs.own.sums[cell.code] ?? 0)
    if (comparable(actual, cell) === comparable(expected, cell)) continue
    const own = inputs.own.reports > 0 ? `与本级 ${inputs.own.reports} 份本机关年度报告` : ''
    out.push(
      createFinding(
        'AG-02',
        'warning',
        `“${cellLabel(cell.code)}”：本级政府年度报告为 ${showValue(actual, cell)}，但 ${inputs.subdivisions} 个下级行政区划的本级政府年度报告${own}合计 ${showValue(expected, cell)}`,
        [cell.code],
        // a sum of decimals is brought back to the unit's exact precision
        cell.kind === 'money' ? fromStoredMoney(comparable(expected, cell), cell) : expected,
        actual
      )
    )
  }
  return out
}
