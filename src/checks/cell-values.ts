// Value rules of single cells: T3-04 (tables 三, 四) and T2-01 (table 二).
import { type CellDef, cellsOf } from '../format/registry.js'
import type { ReportInput } from '../format/document.js'
import { type Finding, createFinding } from './finding.js'
import { cellLabel, showValue } from './labels.js'
import { type Flat, flatCells, indexOf, perFormat } from './flat.js'

/** What is wrong with the value of a cell, or null when it is acceptable. */
function problemOf(cell: CellDef, v: number): string | null {
  switch (cell.kind) {
    case 'count':
      return Number.isInteger(v) && v >= 0 ? null : '应为不小于 0 的整数'
    case 'signedCount':
      return Number.isInteger(v) ? null : '应为整数（可为负数）'
    case 'money':
      return Number.isFinite(v) && v >= 0 ? null : '应为不小于 0 的金额'
  }
}

/** The cells of a format in the given tables, with their CELLS indexes. */
const cellsIn = (tables: string[]) =>
  perFormat((format) =>
    cellsOf(format)
      .filter((cell) => tables.includes(cell.table))
      .map((cell) => ({ cell, at: indexOf(cell.code) }))
  )
const T304_CELLS = cellsIn(['applications', 'reviewLitigation'])
const T201_CELLS = cellsIn(['proactive'])

function checkValues(
  _doc: ReportInput,
  flat: Flat,
  rule: 'T3-04' | 'T2-01',
  cells: ReadonlyArray<{ cell: CellDef; at: number }>
): Finding[] {
  const out: Finding[] = []
  for (const { cell, at } of cells) {
    const v = flat[at]
    if (v === null) continue
    const problem = problemOf(cell, v)
    if (problem)
      out.push(createFinding(rule, 'error', `“${cellLabel(cell.code)}” 为 ${showValue(v, cell)}，${problem}`, [cell.code], null, v))
  }
  return out
}

export const checkT304 = (doc: ReportInput, flat: Flat = flatCells(doc)) => checkValues(doc, flat, 'T3-04', T304_CELLS(doc.format))
export const checkT201 = (doc: ReportInput, flat: Flat = flatCells(doc)) => checkValues(doc, flat, 'T2-01', T201_CELLS(doc.format))
