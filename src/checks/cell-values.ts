// Value rules of single cells: T3-04 (tables 三, 四) and T2-01 (table 二).
import { type CellDef, cellsOf } from '../format/registry.js'
import { type ReportInput, getCell } from '../format/document.js'
import { type Finding, createFinding } from './finding.js'
import { cellLabel, showValue } from './labels.js'

const value = (doc: ReportInput, cell: CellDef) => getCell(doc as unknown as Record<string, unknown>, cell)

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

function checkValues(doc: ReportInput, rule: 'T3-04' | 'T2-01', tables: string[]): Finding[] {
  const out: Finding[] = []
  for (const cell of cellsOf(doc.format)) {
    if (!tables.includes(cell.table)) continue
    const v = value(doc, cell)
    if (v === null) continue
    const problem = problemOf(cell, v)
    if (problem) out.push(createFinding(rule, 'error', `“${cellLabel(cell.code)}” 为 ${showValue(v, cell)}，${problem}`, [cell.code], null, v))
  }
  return out
}

export const checkT304 = (doc: ReportInput) => checkValues(doc, 'T3-04', ['applications', 'reviewLitigation'])
export const checkT201 = (doc: ReportInput) => checkValues(doc, 'T2-01', ['proactive'])
