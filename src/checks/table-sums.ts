// The in-year sum rules of tables 三 and 四 (T3-01, T3-02, T3-03, T4-01) and the blank-total
// warning (T3-05).
import {
  APPLICANT_COLUMNS,
  APPLICANT_PARTS,
  APPLICATION_ROWS,
  OUTCOME_PART_ROWS,
  REVIEW_COLUMNS,
  REVIEW_GROUPS,
  REVIEW_PARTS,
  type Format
} from '../format/registry.js'
import { type ReportInput, getCell } from '../format/document.js'
import { type Finding, createFinding } from './finding.js'
import { columnLabel, columnOf, listCells, rowLabel, rowOf } from './labels.js'
import { type Term, checkSum, showTerms } from './sum-check.js'
import { type Flat, flatCells, indexOf, perFormat, settled } from './flat.js'

const value = (doc: ReportInput, code: string) => getCell(doc as unknown as Record<string, unknown>, code)
const term = (doc: ReportInput, code: string): Term => ({ code, value: value(doc, code) })

/** The table-三 rows a format has (2019 lacks two 其他处理 rows, which stay null and out of every sum). */
export const applicationRowsOf = (format: Format) => APPLICATION_ROWS.filter((r) => format === '2021' || !r.only2021)
const outcomePartsOf = (format: Format) => {
  const rows = new Set(applicationRowsOf(format).map((r) => r.code))
  return OUTCOME_PART_ROWS.filter((r) => rows.has(r))
}

const app = (row: string, column: string) => `applications.${row}.${column}`
const rev = (group: string, column: string) => `reviewLitigation.${group}.${column}`
const REVIEW_LABEL = new Map(REVIEW_COLUMNS.map((c) => [c.code, c.label]))

// Each rule's instances as CELLS indexes (actual side, expected side), in the order the rule walks them:
// an instance that is settled (see flat.ts) is skipped without building its terms or its messages.
const T301_PLAN = APPLICANT_COLUMNS.map((col) => ({
  actual: [indexOf(app('outcomes.total', col.code)), indexOf(app('carriedForward', col.code))],
  expected: [indexOf(app('newReceived', col.code)), indexOf(app('carriedOver', col.code))]
}))
const T302_PLAN = perFormat((format) =>
  APPLICANT_COLUMNS.map((col) => ({
    actual: [indexOf(app('outcomes.total', col.code))],
    expected: outcomePartsOf(format).map((row) => indexOf(app(row, col.code)))
  }))
)
const T303_PLAN = perFormat((format) =>
  applicationRowsOf(format).map((row) => ({
    actual: [indexOf(app(row.code, 'total'))],
    expected: APPLICANT_PARTS.map((c) => indexOf(app(row.code, c)))
  }))
)
const T401_PLAN = REVIEW_GROUPS.map((group) => ({
  actual: [indexOf(rev(group.code, 'total'))],
  expected: REVIEW_PARTS.map((c) => indexOf(rev(group.code, c)))
}))

export function checkT301(doc: ReportInput, flat: Flat = flatCells(doc)): Finding[] {
  const out: Finding[] = []
  for (const [i, col] of APPLICANT_COLUMNS.entries()) {
    if (settled(flat, T301_PLAN[i].actual, T301_PLAN[i].expected)) continue
    const expected = [term(doc, app('newReceived', col.code)), term(doc, app('carriedOver', col.code))]
    const actual = [term(doc, app('outcomes.total', col.code)), term(doc, app('carriedForward', col.code))]
    const f = checkSum({
      rule: 'T3-01',
      name: rowOf,
      severity: 'error',
      subject: `“${columnLabel(col.code)}”列`,
      relation: '第一项加第二项之和，等于第三项加第四项之和',
      expected,
      actual,
      describe: (e, a) => `“${columnLabel(col.code)}”列：${showTerms(expected, rowOf)} = ${e}，不等于 ${showTerms(actual, rowOf)} = ${a}`
    })
    if (f) out.push(f)
  }
  return out
}

export function checkT302(doc: ReportInput, flat: Flat = flatCells(doc)): Finding[] {
  const out: Finding[] = []
  const parts = outcomePartsOf(doc.format)
  const plan = T302_PLAN(doc.format)
  for (const [i, col] of APPLICANT_COLUMNS.entries()) {
    if (settled(flat, plan[i].actual, plan[i].expected)) continue
    const total = app('outcomes.total', col.code)
    const f = checkSum({
      rule: 'T3-02',
      name: rowOf,
      severity: 'error',
      subject: `“${columnLabel(col.code)}”列`,
      relation: '（七）总计等于（一）至（六）各项办理结果之和',
      actual: [term(doc, total)],
      expected: parts.map((row) => term(doc, app(row, col.code))),
      describe: (e, a) =>
        `“${columnLabel(col.code)}”列：${rowLabel('applications.outcomes.total')} 为 ${a}，但（一）至（六）各项办理结果之和为 ${e}`
    })
    if (f) out.push(f)
  }
  return out
}

export function checkT303(doc: ReportInput, flat: Flat = flatCells(doc)): Finding[] {
  const out: Finding[] = []
  const plan = T303_PLAN(doc.format)
  for (const [i, row] of applicationRowsOf(doc.format).entries()) {
    if (settled(flat, plan[i].actual, plan[i].expected)) continue
    const label = rowLabel(`applications.${row.code}`)
    const parts = APPLICANT_PARTS.map((c) => term(doc, app(row.code, c)))
    const f = checkSum({
      rule: 'T3-03',
      name: columnOf,
      severity: 'error',
      subject: `“${label}”行`,
      relation: '总计等于六类申请人之和',
      actual: [term(doc, app(row.code, 'total'))],
      expected: parts,
      describe: (e, a) => `“${label}”行：总计 为 ${a}，但 ${showTerms(parts, columnOf)} = ${e}`
    })
    if (f) out.push(f)
  }
  return out
}

export function checkT401(doc: ReportInput, flat: Flat = flatCells(doc)): Finding[] {
  const out: Finding[] = []
  for (const [i, group] of REVIEW_GROUPS.entries()) {
    if (settled(flat, T401_PLAN[i].actual, T401_PLAN[i].expected)) continue
    const parts = REVIEW_PARTS.map((c) => term(doc, rev(group.code, c)))
    const f = checkSum({
      rule: 'T4-01',
      name: columnOf,
      severity: 'error',
      subject: group.label,
      relation: `${REVIEW_PARTS.map((c) => REVIEW_LABEL.get(c)).join(' + ')} = 总计`,
      actual: [term(doc, rev(group.code, 'total'))],
      expected: parts,
      describe: (e, a) => `${group.label}：总计 为 ${a}，但 ${showTerms(parts, columnOf)} = ${e}`
    })
    if (f) out.push(f)
  }
  return out
}

/** T3-05: every total of tables 三 and 四 with what it totals. */
interface TotalDef {
  subject: string
  total: string
  parts: string[]
  /** names a cell within `subject` */
  name: (code: string) => string
}

function totalsOf(format: Format): TotalDef[] {
  const list: TotalDef[] = []
  for (const row of applicationRowsOf(format)) {
    list.push({
      subject: `“${rowLabel(`applications.${row.code}`)}”行`,
      total: app(row.code, 'total'),
      parts: APPLICANT_PARTS.map((c) => app(row.code, c)),
      name: columnOf
    })
  }
  for (const col of APPLICANT_COLUMNS) {
    list.push({
      subject: `“${columnLabel(col.code)}”列`,
      total: app('outcomes.total', col.code),
      parts: outcomePartsOf(format).map((row) => app(row, col.code)),
      name: rowOf
    })
  }
  for (const group of REVIEW_GROUPS) {
    list.push({
      subject: group.label,
      total: rev(group.code, 'total'),
      parts: REVIEW_PARTS.map((c) => rev(group.code, c)),
      name: columnOf
    })
  }
  return list
}

const TOTALS = perFormat((format) => totalsOf(format).map((t) => ({ ...t, totalAt: indexOf(t.total), partsAt: t.parts.map(indexOf) })))

export function checkT305(doc: ReportInput, flat: Flat = flatCells(doc)): Finding[] {
  const out: Finding[] = []
  for (const { subject, total, parts, name, totalAt, partsAt } of TOTALS(doc.format)) {
    // a filled total, or nothing filled under a blank one: nothing to say
    if (flat[totalAt] !== null || partsAt.every((i) => flat[i] === null)) continue
    if (value(doc, total) !== null) continue
    const filled = parts.filter((p) => value(doc, p) !== null)
    if (filled.length === 0) continue
    const complete = filled.length === parts.length
    const sum = complete ? parts.reduce((s, p) => s + (value(doc, p) as number), 0) : null
    const message = complete
      ? `${subject}：“${name(total)}” 为空，但它所合计的 ${parts.length} 个单元格均已填写，合计 ${sum}`
      : `${subject}：“${name(total)}” 为空，但它所合计的单元格中 ${listCells(filled, name)} 已填写`
    out.push(createFinding('T3-05', 'warning', message, [total, ...parts], sum, null))
  }
  return out
}
