// Rules comparing a report with the same agency's report of the year before (CY-01, CY-03, CY-04,
// CY-07). The caller finds the previous report; a report of any other year is not compared.
import { APPLICANT_COLUMNS, PROACTIVE, SECTIONS } from '../format/registry.js'
import { type ReportInput, getCell } from '../format/document.js'
import { type Finding, createFinding } from './finding.js'
import { columnLabel, columnOf, rowLabel } from './labels.js'
import { normalizeText, normalizedSimilarity } from './similarity.js'
import { type Term, checkSum, showTerms } from './sum-check.js'
import { type Flat, flatCells, indexOf } from './flat.js'

export interface PreviousReport {
  id: number
  doc: ReportInput
}

/** CY-07: texts at least this similar (Dice over character bigrams, see similarity.ts) are 雷同. */
export const SIMILARITY_THRESHOLD = 0.9
/** CY-07: texts shorter than this after normalization (e.g. 无) are too short to be called a copy. */
export const MIN_COMPARABLE_LENGTH = 20

const value = (doc: ReportInput, code: string) => getCell(doc as unknown as Record<string, unknown>, code)
const hasColumns = (columns: Array<{ code: string }>, ...codes: string[]) => codes.every((c) => columns.some((x) => x.code === c))

/** A report and the previous one, each with its cells read flat once. */
interface Pair {
  doc: Flat
  previous: Flat
}

/**
 * True when a sum whose terms are read from either report certainly yields no finding: all blank, or
 * all filled and equal (summed in checkSum's order). Terms are [which report, CELLS index, sign].
 */
function pairSettled(
  pair: Pair,
  actual: ReadonlyArray<readonly [0 | 1, number, 1 | -1]>,
  expected: ReadonlyArray<readonly [0 | 1, number, 1 | -1]>
): boolean {
  const read = ([from, at]: readonly [0 | 1, number, 1 | -1]) => (from === 0 ? pair.doc : pair.previous)[at]
  let blank = 0
  for (const t of actual) if (read(t) === null) blank++
  for (const t of expected) if (read(t) === null) blank++
  if (blank === actual.length + expected.length) return true
  if (blank > 0) return false
  const sum = (terms: ReadonlyArray<readonly [0 | 1, number, 1 | -1]>) => terms.reduce((s, t) => s + t[2] * (read(t) as number), 0)
  return sum(expected) === sum(actual)
}

const CY01_PLAN = APPLICANT_COLUMNS.map((col) => ({
  actual: [[0, indexOf(`applications.carriedOver.${col.code}`), 1] as const],
  expected: [[1, indexOf(`applications.carriedForward.${col.code}`), 1] as const]
}))
const CY03_ROWS = PROACTIVE['2021'].filter((r) => hasColumns(r.columns, 'inForce', 'issued', 'repealed'))
const CY03_PLAN = CY03_ROWS.map((row) => {
  const at = (col: string) => indexOf(`proactive.${row.code}.${col}`)
  return {
    actual: [[0, at('inForce'), 1] as const],
    expected: [[1, at('inForce'), 1] as const, [0, at('issued'), 1] as const, [0, at('repealed'), -1] as const]
  }
})
const CY04_ROWS = PROACTIVE['2019'].filter((r) => hasColumns(r.columns, 'previousItems', 'change'))
const CY04_PLAN = CY04_ROWS.map((row) => {
  const at = (col: string) => indexOf(`proactive.${row.code}.${col}`)
  return { actual: [[0, at('previousItems'), 1] as const], expected: [[1, at('previousItems'), 1] as const, [1, at('change'), 1] as const] }
})

const pairOf = (doc: ReportInput, previous: PreviousReport): Pair => ({ doc: flatCells(doc), previous: flatCells(previous.doc) })

export function checkCY01(doc: ReportInput, previous: PreviousReport, pair: Pair = pairOf(doc, previous)): Finding[] {
  const other = { id: previous.id, year: previous.doc.year }
  const out: Finding[] = []
  for (const [i, col] of APPLICANT_COLUMNS.entries()) {
    if (pairSettled(pair, CY01_PLAN[i].actual, CY01_PLAN[i].expected)) continue
    const over = `applications.carriedOver.${col.code}`
    const forward = `applications.carriedForward.${col.code}`
    const prevLabel = `${other.year} 年度报告 ${rowLabel('applications.carriedForward')} · ${columnLabel(col.code)}`
    const actual: Term[] = [{ code: over, value: value(doc, over) }]
    const expected: Term[] = [{ code: forward, value: value(previous.doc, forward), label: prevLabel }]
    const f = checkSum({
      rule: 'CY-01',
      severity: 'error',
      subject: `“${columnLabel(col.code)}”列`,
      relation: '本年上年结转数等于上一年度结转下年度数',
      actual,
      expected,
      other,
      describe: (e, a) =>
        `“${columnLabel(col.code)}”列：本年度 ${rowLabel('applications.carriedOver')} 为 ${a}，但 ${other.year} 年度报告 ${rowLabel('applications.carriedForward')} 为 ${e}`
    })
    if (f) out.push(f)
  }
  return out
}

export function checkCY03(doc: ReportInput, previous: PreviousReport, pair: Pair = pairOf(doc, previous)): Finding[] {
  if (doc.format !== '2021' || previous.doc.format !== '2021') return []
  const other = { id: previous.id, year: previous.doc.year }
  const out: Finding[] = []
  for (const [i, row] of CY03_ROWS.entries()) {
    if (pairSettled(pair, CY03_PLAN[i].actual, CY03_PLAN[i].expected)) continue
    const code = (col: string) => `proactive.${row.code}.${col}`
    const actual: Term[] = [{ code: code('inForce'), value: value(doc, code('inForce')) }]
    const expected: Term[] = [
      {
        code: code('inForce'),
        value: value(previous.doc, code('inForce')),
        label: `${other.year} 年度${columnOf(code('inForce'))}`
      },
      { code: code('issued'), value: value(doc, code('issued')) },
      { code: code('repealed'), value: value(doc, code('repealed')), sign: -1 }
    ]
    const f = checkSum({
      rule: 'CY-03',
      severity: 'warning',
      subject: row.label,
      relation: '现行有效件数等于上一年度现行有效件数加本年制发件数减本年废止件数',
      actual,
      expected,
      other,
      describe: (e, a) => `${row.label}：${columnOf(code('inForce'))} 为 ${a}，但 ${showTerms(expected, columnOf)} = ${e}`
    })
    if (f) out.push(f)
  }
  return out
}

export function checkCY04(doc: ReportInput, previous: PreviousReport, pair: Pair = pairOf(doc, previous)): Finding[] {
  if (doc.format !== '2019' || previous.doc.format !== '2019') return []
  const other = { id: previous.id, year: previous.doc.year }
  const out: Finding[] = []
  for (const [i, row] of CY04_ROWS.entries()) {
    if (pairSettled(pair, CY04_PLAN[i].actual, CY04_PLAN[i].expected)) continue
    const code = (col: string) => `proactive.${row.code}.${col}`
    const actual: Term[] = [{ code: code('previousItems'), value: value(doc, code('previousItems')) }]
    const expected: Term[] = ['previousItems', 'change'].map((col) => ({
      code: code(col),
      value: value(previous.doc, code(col)),
      label: `${other.year} 年度${columnOf(code(col))}`
    }))
    const f = checkSum({
      rule: 'CY-04',
      severity: 'warning',
      subject: row.label,
      relation: '上一年项目数量等于上一年度报告的上一年项目数量加本年增/减',
      actual,
      expected,
      other,
      describe: (e, a) => `${row.label}：${columnOf(code('previousItems'))} 为 ${a}，但 ${showTerms(expected, columnOf)} = ${e}`
    })
    if (f) out.push(f)
  }
  return out
}

const PROBLEMS = SECTIONS.find((s) => s.code === 'problems')!

export function checkCY07(doc: ReportInput, previous: PreviousReport): Finding[] {
  const now = doc.sections?.problems ?? ''
  const before = previous.doc.sections?.problems ?? ''
  const a = normalizeText(now)
  const b = normalizeText(before)
  if (a.length < MIN_COMPARABLE_LENGTH || b.length < MIN_COMPARABLE_LENGTH) return []
  const similarity = normalizedSimilarity(a, b)
  if (similarity < SIMILARITY_THRESHOLD) return []
  const percent = (x: number) => `${Math.floor(x * 100)}%`
  return [
    createFinding(
      'CY-07',
      'warning',
      `“${PROBLEMS.title}”与 ${previous.doc.year} 年度报告几乎相同（相似度 ${percent(similarity)}，阈值 ${percent(SIMILARITY_THRESHOLD)}），疑似年年雷同`,
      [`sections.${PROBLEMS.code}`],
      null,
      Math.round(similarity * 1000) / 1000,
      { id: previous.id, year: previous.doc.year }
    )
  ]
}

/** CY-01, CY-03, CY-04, CY-07 against the report of year − 1 (any other year is not compared). */
export function checkAgainstPrevious(doc: ReportInput, previous: PreviousReport, flat: Flat = flatCells(doc)): Finding[] {
  if (previous.doc.year !== doc.year - 1) return []
  const pair: Pair = { doc: flat, previous: flatCells(previous.doc) }
  return [
    ...checkCY01(doc, previous, pair),
    ...checkCY03(doc, previous, pair),
    ...checkCY04(doc, previous, pair),
    ...checkCY07(doc, previous)
  ]
}
