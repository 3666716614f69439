// Official Chinese wording for messages, taken from the registry.
import {
  APPLICANT_COLUMN_FULL_LABELS,
  APPLICATION_ROWS,
  CELL_BY_CODE,
  OUTCOMES_HEADING,
  PROACTIVE,
  SECTIONS,
  type CellDef,
  type Format
} from '../format/registry.js'
import { fromStoredMoney, toStoredMoney } from '../format/document.js'

const APPLICATION_ROW_LABELS = new Map(
  APPLICATION_ROWS.map((r) => [
    `applications.${r.code}`,
    // Printed under the 三、本年度办理结果 heading; a row label alone (（七）总计) would be ambiguous.
    r.code.startsWith('outcomes.') && !r.fullLabel.startsWith(OUTCOMES_HEADING) ? OUTCOMES_HEADING + r.fullLabel : r.fullLabel
  ])
)

export function rowLabel(rowCode: string): string {
  return APPLICATION_ROW_LABELS.get(rowCode) ?? cellByRow(rowCode)?.rowLabel ?? rowCode
}

const cellByRow = (rowCode: string) => [...CELL_BY_CODE.values()].find((c) => c.row === rowCode)

export function columnLabel(code: string): string {
  return APPLICANT_COLUMN_FULL_LABELS[code] ?? code
}

export function cellLabel(code: string): string {
  const cell = CELL_BY_CODE.get(code)
  if (cell) {
    return cell.table === 'applications' ? `${rowLabel(cell.row)} · ${cell.columnLabel}` : cell.label
  }
  const section = SECTIONS.find((s) => `sections.${s.code}` === code)
  return section ? section.title : code
}

/**
 * A cell's label as the report's own format prints it: a table-二 cell shared by both formats carries
 * the 2021 wording in the registry (本年处理决定数量), the 2019 table prints 处理决定数量.
 */
export function cellLabelIn(code: string, format: Format): string {
  const cell = CELL_BY_CODE.get(code)
  if (cell?.table !== 'proactive') return cellLabel(code)
  const row = PROACTIVE[format].find((r) => `proactive.${r.code}` === cell.row)
  const column = row?.columns.find((c) => c.code === cell.column)
  return row && column ? `${row.label} · ${column.label}` : cellLabel(code)
}

/** Short label: the cell's column within its row (for terms of a row sum). */
export function columnOf(code: string): string {
  return CELL_BY_CODE.get(code)?.columnLabel ?? code
}

/** A value as printed in a message: money as a decimal with its unit, counts as they are. */
export function showValue(value: number, cell?: CellDef): string {
  if (cell?.kind === 'money') {
    // A computed sum may carry binary-float noise: show it at the unit's precision.
    const stored = toStoredMoney(value, cell) ?? Math.round(value * (cell.scale ?? 1))
    return `${Number.isFinite(stored) ? fromStoredMoney(stored, cell) : value} ${cell.unit}`
  }
  return String(value)
}

/** The row of a table-三 cell, for naming it within its column. */
export function rowOf(code: string): string {
  const cell = CELL_BY_CODE.get(code)
  return cell ? rowLabel(cell.row) : code
}

/** Lists cells by name; long lists are cut so a message stays readable. */
export function listCells(codes: readonly string[], name: (code: string) => string = cellLabel, max = 3): string {
  const names = codes.slice(0, max).map((c) => `“${name(c)}”`)
  return codes.length > max ? `${names.join('、')} 等 ${codes.length} 个单元格` : names.join('、')
}
