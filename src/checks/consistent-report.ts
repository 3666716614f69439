// A generator of reports that satisfy every in-year rule: the caller gives the free cells, the
// generator computes every total. Used by tests and benchmarks of any module that needs valid reports.
import { APPLICANT_PARTS, type CellDef, type Format, OUTCOME_PART_ROWS, REVIEW_GROUPS, REVIEW_PARTS, cellsOf } from '../format/registry.js'
import { type ReportInput, emptyReport, fromStoredMoney, getCell, setCell } from '../format/document.js'

const DERIVED_ROWS = new Set(['newReceived', 'outcomes.total'])

/**
 * The cells whose values the generator takes: every table-二 cell; in table 三 the six applicant
 * columns of carriedOver, carriedForward and every outcome row; in table 四 every column but the
 * total. Everything else (row totals, outcomes.total, newReceived, table-四 totals) is computed.
 */
export function freeCellsOf(format: Format): CellDef[] {
  return cellsOf(format).filter((c) => {
    if (c.table === 'proactive') return true
    if (c.table === 'reviewLitigation') return REVIEW_PARTS.includes(c.column)
    return APPLICANT_PARTS.includes(c.column) && !DERIVED_ROWS.has(c.row.slice('applications.'.length))
  })
}

// Two different texts, alternated by year, so that consecutive generated reports are not 雷同 (CY-07).
const PROBLEMS = [
  '一是政策解读形式较为单一，图解和视频解读偏少；二是依申请公开答复的规范性有待提高。下一步将丰富解读方式，加强业务培训。',
  '部分栏目信息更新不够及时，基层公开标准目录仍需细化。今后将建立栏目巡检机制，推动目录动态调整，提升公开质量。'
]

export function defaultSections(year: number): ReportInput['sections'] {
  return {
    overview: `${year}年，本机关认真贯彻《中华人民共和国政府信息公开条例》，扎实推进政府信息公开工作。`,
    problems: PROBLEMS[Math.abs(year) % 2],
    otherMatters: '本年度未收取信息处理费。'
  }
}

/**
 * A report of `format` in which every sum rule holds. `values` maps free cell codes (freeCellsOf)
 * to values; a free cell not given is 0. newReceived is computed as outcomes.total + carriedForward
 * − carriedOver; where that would be negative, carriedOver is lowered to outcomes.total +
 * carriedForward (newReceived 0), so the result is always consistent. `fields` overrides the
 * document fields (year defaults to the format's first year, sections to non-empty texts).
 */
export function buildConsistentReport(format: Format, values: Record<string, number> = {}, fields: Partial<ReportInput> = {}): ReportInput {
  const free = freeCellsOf(format)
  const freeCodes = new Set(free.map((c) => c.code))
  for (const code of Object.keys(values)) {
    if (!freeCodes.has(code)) throw new RangeError(`${code} is not a free cell of format ${format}; see freeCellsOf`)
  }
  const year = fields.year ?? Number(format)
  const doc = emptyReport(format, { year, title: `${year}年政府信息公开工作年度报告`, sections: defaultSections(year), ...fields })
  const tree = doc as unknown as Record<string, unknown>
  const at = (code: string) => getCell(tree, code) ?? 0
  for (const cell of free) setCell(tree, cell, values[cell.code] ?? 0)

  const outcomeRows = OUTCOME_PART_ROWS.filter((row) => free.some((c) => c.row === `applications.${row}`))
  for (const col of APPLICANT_PARTS) {
    const cell = (row: string) => `applications.${row}.${col}`
    const total = outcomeRows.reduce((s, row) => s + at(cell(row)), 0)
    setCell(tree, cell('outcomes.total'), total)
    const available = total + at(cell('carriedForward'))
    if (at(cell('carriedOver')) > available) setCell(tree, cell('carriedOver'), available)
    setCell(tree, cell('newReceived'), available - at(cell('carriedOver')))
  }
  for (const cell of cellsOf(format)) {
    if (cell.table === 'applications' && cell.column === 'total') {
      const row = cell.row
      setCell(
        tree,
        cell,
        APPLICANT_PARTS.reduce((s, col) => s + at(`${row}.${col}`), 0)
      )
    }
  }
  for (const group of REVIEW_GROUPS) {
    const row = `reviewLitigation.${group.code}`
    setCell(
      tree,
      `${row}.total`,
      REVIEW_PARTS.reduce((s, col) => s + at(`${row}.${col}`), 0)
    )
  }
  return doc
}

/** A small deterministic generator of numbers in [0, 1), for reproducible random reports. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0 || 0x9e3779b9
  return () => {
    // xorshift32
    state ^= state << 13
    state >>>= 0
    state ^= state >>> 17
    state ^= state << 5
    state >>>= 0
    return state / 2 ** 32
  }
}

/**
 * A consistent report with random free cells: counts in 0..max, 2019 本年增/减 in −max..max, money
 * with the unit's full precision. `random` is any Math.random-like function (e.g. seededRandom).
 */
export function randomConsistentReport(
  format: Format,
  random: () => number = Math.random,
  options: { max?: number; fields?: Partial<ReportInput> } = {}
): ReportInput {
  const max = options.max ?? 20
  const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1))
  const values: Record<string, number> = {}
  for (const cell of freeCellsOf(format)) {
    if (cell.kind === 'signedCount') values[cell.code] = int(-max, max)
    else if (cell.kind === 'money') values[cell.code] = fromStoredMoney(int(0, max * (cell.scale ?? 1)), cell)
    else values[cell.code] = int(0, max)
  }
  return buildConsistentReport(format, values, options.fields)
}
