// The shared table reader: data rows (data-rows.ts) → cells. A data row is given to a table row by
// its label, or — when its label is unreadable — by its position between two rows whose labels
// were read, and only when that position is the only one possible. Its values go to the row's
// columns in order; where that order is in doubt (blank cells, digits run together) the table's
// own sum rules decide, and a cell nobody can decide stays null with a warning.
import { CELL_BY_CODE, OUTCOME_PART_ROWS, REVIEW_COLUMNS, type ColumnDef, type Format, type TableCode } from '../format/registry.js'
import { rowSpecs, withoutVocabulary, type RowSpec } from './labels.js'
import type { DataRow, RawValue } from './data-rows.js'
import { splitGroups, totalRules, type Piece, type SplitRules } from './digit-split.js'
import { keyOf } from './normalize.js'
import { decimalsOf, parseValue, shiftDecimal } from './values.js'
import { advance, provenanceOf, type Provenance } from './types.js'

export interface CellSink {
  set(code: string, value: number | null, provenance: Provenance | null): void
  warn(message: string): void
}

/** One reading of a row: per column the printed source, or null for a blank cell. */
type Reading = Array<RawValue | null>

const TABLE_NAMES: Record<TableCode, string> = { proactive: '表二', applications: '表三', reviewLitigation: '表四' }

// ---------------------------------------------------------------- matching labels to rows

interface Match {
  candidates: number[]
  /** `label`: the row's label was read; `partial`: a piece of it; `none`: no label at all */
  how: 'label' | 'partial' | 'none'
}

function matchRow(row: DataRow, specs: RowSpec[], table: TableCode): Match {
  const label = keyOf(row.label).slice(-160)
  let best: { index: number; end: number; length: number } | null = null
  specs.forEach((spec, index) => {
    for (const key of spec.keys) {
      const at = label.lastIndexOf(key)
      if (at < 0) continue
      const end = at + key.length
      if (!best || end > best.end || (end === best.end && key.length > best.length)) best = { index, end, length: key.length }
    }
  })
  const found = best as { index: number; end: number; length: number } | null
  if (found) {
    // what follows the label must be nothing, or header words of a shredded layout
    const rest = label.slice(found.end)
    if (rest.length <= 1 || withoutVocabulary(rest, table) === '') return { candidates: [found.index], how: 'label' }
  }
  // a label cut by the layout: the longest tail of the text that some row's label holds
  for (let n = label.length; n >= 4; n--) {
    const tail = label.slice(-n)
    const hits = specs.flatMap((s, i) => (s.keys.some((k) => k.includes(tail)) ? [i] : []))
    if (hits.length > 0) return { candidates: hits, how: 'partial' }
  }
  return { candidates: specs.map((_, i) => i), how: 'none' }
}

/**
 * Rows in a table come in the registry's order. Rows matched to one row are anchors (those out
 * of order are dropped); any other row takes the single position its neighbours leave it, or none.
 */
function resolvePositions(matches: Match[], sink: CellSink, name: string, specs: RowSpec[]): Map<number, number> {
  // a row whose label two data rows carry is in doubt: neither copy is read
  const claims = new Map<number, number>()
  for (const m of matches) if (m.candidates.length === 1) claims.set(m.candidates[0], (claims.get(m.candidates[0]) ?? 0) + 1)
  for (const [pos, n] of claims) if (n > 1) sink.warn(`${name}: the row “${specs[pos].label}” is printed ${n} times; none of its copies was read`)
  const anchors = matches.flatMap((m, i) => (m.candidates.length === 1 && claims.get(m.candidates[0]) === 1 ? [{ row: i, pos: m.candidates[0] }] : []))
  const kept = longestIncreasing(anchors)
  const assigned = new Map<number, number>()
  for (const a of kept) assigned.set(a.row, a.pos)
  // a row named by its whole label is read even where a converter printed it out of order
  for (const a of anchors) if (!assigned.has(a.row) && matches[a.row].how === 'label') assigned.set(a.row, a.pos)
  const bounds = [{ row: -1, pos: -1 }, ...kept, { row: matches.length, pos: Infinity }]
  for (let b = 0; b + 1 < bounds.length; b++) {
    const lower = bounds[b]
    const upper = bounds[b + 1]
    const between: Array<{ row: number; cands: number[] }> = []
    for (let r = lower.row + 1; r < upper.row; r++) {
      if (matches[r].candidates.length === 1) continue // an anchor out of order, or in doubt
      between.push({ row: r, cands: matches[r].candidates.filter((c) => c > lower.pos && c < upper.pos) })
    }
    if (between.length === 0) continue
    const lo: number[] = []
    const hi: number[] = []
    let prev = lower.pos
    let feasible = true
    for (const x of between) {
      const c = x.cands.filter((v) => v > prev)
      if (c.length === 0) feasible = false
      prev = Math.min(...c)
      lo.push(prev)
    }
    let next = upper.pos
    for (let j = between.length - 1; j >= 0; j--) {
      const c = between[j].cands.filter((v) => v < next)
      if (c.length === 0) feasible = false
      next = Math.max(...c)
      hi[j] = next
    }
    if (!feasible) continue
    between.forEach((x, j) => {
      const after = j === 0 ? lower.pos : lo[j - 1]
      const before = j === between.length - 1 ? upper.pos : hi[j + 1]
      const possible = x.cands.filter((c) => c > after && c < before)
      if (possible.length === 1) assigned.set(x.row, possible[0])
    })
  }
  return assigned
}

/**
 * Table 二 is several small tables whose rows have different columns, and converters print them in
 * any order: a row is taken by its label only, and a label read twice is a doubt.
 */
function positionsByLabel(matches: Match[], specs: RowSpec[], sink: CellSink): Map<number, number> {
  const assigned = new Map<number, number>()
  const seen = new Map<number, number>()
  matches.forEach((m, i) => {
    if (m.how === 'none' || m.candidates.length !== 1) return
    const pos = m.candidates[0]
    seen.set(pos, (seen.get(pos) ?? 0) + 1)
    assigned.set(i, pos)
  })
  for (const [i, pos] of assigned) if (seen.get(pos)! > 1) assigned.delete(i)
  for (const [pos, n] of seen) {
    if (n > 1) sink.warn(`${TABLE_NAMES.proactive}: the row “${specs[pos].label}” is printed ${n} times; none of its copies was read`)
  }
  return assigned
}

function longestIncreasing<T extends { pos: number }>(xs: T[]): T[] {
  const best: T[][] = []
  for (const x of xs) {
    let chain: T[] = []
    for (const c of best) if (c[c.length - 1].pos < x.pos && c.length > chain.length) chain = c
    best.push([...chain, x])
  }
  return best.reduce<T[]>((a, c) => (c.length > a.length ? c : a), [])
}

// ---------------------------------------------------------------- readings of one row

/** The readings of a row's values into `n` columns that `check` allows. */
interface Readings {
  readings: Reading[]
  why: string | null
  /** the digits could be cut several ways and the row's own sum chose: right only if the report's sums hold */
  bySums?: boolean
}

function readingsOf(row: DataRow, n: number, rules: SplitRules): Readings {
  const values = row.values
  if (row.flat && values.length < n) {
    const outcome = splitGroups(
      values.map((v) => v.text),
      n,
      rules
    )
    if ('tooMany' in outcome) return { readings: [], why: `its digits '${values.map((v) => v.text).join(' ')}' can be cut in too many ways` }
    const readings = outcome.splits.map((s) => s.map((p) => toRaw(p, values)))
    if (readings.length === 0) return { readings, why: `no cut of the digits '${values.map((v) => v.text).join(' ')}' into ${n} cells fits the row (and its sums)` }
    const forced = values.every((v) => /^\d+$/.test(v.text)) && values.reduce((sum, v) => sum + v.text.length, 0) === n
    return { readings, why: null, bySums: !forced }
  }
  // as many values as columns: read as printed, whether or not the sums hold
  if (values.length === n) return { readings: [values.map((v) => (v.text === '' ? null : v))], why: null }
  if (!row.cells || values.length < n) {
    return { readings: [], why: `${values.length} values were printed for ${n} columns (${values.map((v) => v.text || '□').join(' ')})` }
  }
  // table cells: blank cells beyond the row's columns are padding of a merged label; every
  // placement of the columns that leaves only blanks outside is possible
  const placements: Reading[] = []
  for (let start = 0; start + n <= values.length; start++) {
    const outside = [...values.slice(0, start), ...values.slice(start + n)]
    if (outside.some((v) => v.text !== '')) continue
    placements.push(values.slice(start, start + n).map((v) => (v.text === '' ? null : v)))
  }
  // several placements each hold a blank cell, so no sum can tell them apart: the cells they
  // disagree on stay null
  if (placements.length === 0) return { readings: [], why: `its ${values.length} cells cannot be placed in ${n} columns` }
  return { readings: placements, why: null }
}

/** A piece of a cut run, as a raw value placed where it was printed. */
const toRaw = (piece: Piece, values: RawValue[]): RawValue => ({ text: piece.text, at: advance(values[piece.group].at, piece.offset) })

const integerOf = (v: RawValue | null): number | null => {
  if (v === null) return null
  const p = parseValue(v.text)
  if (p.kind !== 'number' || decimalsOf(p.digits!) > 0) return null
  return (p.negative ? -1 : 1) * Number(p.digits!.split('.')[0])
}

// ---------------------------------------------------------------- writing cells

export function writeCell(
  code: string,
  column: Pick<ColumnDef, 'kind' | 'unit' | 'decimals'>,
  raw: RawValue | null,
  sink: CellSink,
  context: { header: string }
): void {
  if (raw === null) {
    sink.set(code, null, null)
    return
  }
  const cell = CELL_BY_CODE.get(code)!
  const prov = provenanceOf(raw.text, raw.at)
  const parsed = parseValue(raw.text)
  const where = `${cell.label} (${code})`
  if (parsed.kind === 'placeholder') {
    sink.set(code, null, prov)
    sink.warn(`${where}: printed '${raw.text}', not a number; kept blank (null)`)
    return
  }
  if (parsed.kind !== 'number') {
    sink.set(code, null, prov)
    sink.warn(`${where}: cannot read '${raw.text}' as a number; kept blank (null)`)
    return
  }
  if (parsed.note) sink.warn(`${where}: printed '${raw.text}'; the number was read and the note left out`)
  let digits = parsed.digits!
  if (column.kind === 'money') {
    const headerSaysWan = /万元/u.test(context.header)
    const unit = parsed.unit ?? (headerSaysWan ? '万元' : column.unit)
    if (unit !== column.unit && (unit === '万元' || unit === '元')) {
      digits = shiftDecimal(digits, unit === '万元' ? 4 : -4)
      sink.warn(`${where}: '${raw.text}' is in ${unit}; converted to ${digits} ${column.unit}`)
    }
    if (decimalsOf(digits) > (column.decimals ?? 0)) {
      sink.set(code, null, prov)
      sink.warn(`${where}: '${raw.text}' has more decimals than ${column.unit} can hold exactly; kept blank (null)`)
      return
    }
  } else if (decimalsOf(digits) > 0) {
    sink.set(code, null, prov)
    sink.warn(`${where}: '${raw.text}' is not a whole number; kept blank (null)`)
    return
  }
  const value = (parsed.negative ? -1 : 1) * Number(digits)
  if (!Number.isSafeInteger(Math.trunc(value))) {
    sink.set(code, null, prov)
    sink.warn(`${where}: '${raw.text}' is too large to be read exactly; kept blank (null)`)
    return
  }
  if (parsed.negative && column.kind !== 'signedCount') sink.warn(`${where}: printed a negative number '${raw.text}'`)
  sink.set(code, value === 0 ? 0 : value, prov)
}

// ---------------------------------------------------------------- tables 二 and 三

/** Words in a note that tell which column of table 二 a number printed apart belongs to. */
const COLUMN_HINTS: Record<string, string[]> = {
  issued: ['制发', '印发', '出台'],
  repealed: ['废止', '失效', '废除'],
  inForce: ['现行有效'],
  newlyMade: ['新制作'],
  newlyPublished: ['新公开'],
  totalPublished: ['公开总']
}

export function readRowTable(table: 'proactive' | 'applications', rows: DataRow[], format: Format, sink: CellSink): void {
  const specs = rowSpecs(table, format)
  const name = TABLE_NAMES[table]
  rows = withoutBlankHeaders(rows, specs, table)
  const matches = rows.map((r) => matchRow(r, specs, table))
  const positions = table === 'proactive' ? positionsByLabel(matches, specs, sink) : resolvePositions(matches, sink, name, specs)
  const bySpec = new Map<number, DataRow>()
  rows.forEach((row, i) => {
    const pos = positions.get(i)
    if (pos === undefined) {
      if (!(table === 'proactive' && matches[i].how === 'none' && row.values.length === 1)) {
        sink.warn(`${name}: skipped a row of ${row.values.length} values whose label could not be placed (“${tail(row.label)}”: ${row.values.map((v) => v.text || '□').join(' ')})`)
      }
      return
    }
    if (matches[i].how !== 'label') {
      const how = matches[i].how === 'partial' ? 'by part of its label and its position' : 'by its position alone'
      sink.warn(`${name}: the row “${specs[pos].label}” was recognised ${how} (its label reads “${tail(row.label) || '—'}”)`)
    }
    bySpec.set(pos, row)
  })

  const readings = new Map<number, Reading[]>()
  const doubts = new Map<number, string>()
  const bySums = new Set<number>()
  specs.forEach((spec, s) => {
    const row = bySpec.get(s)
    if (!row) return
    const read = readingsOf(row, spec.columns.length, table === 'applications' ? totalRules(spec.columns.length) : {})
    if (read.why) doubts.set(s, read.why)
    if (read.readings.length > 0) readings.set(s, read.readings)
    if (read.bySums) bySums.add(s)
  })
  if (table === 'proactive') placeApartColumn(rows, matches, specs, bySpec, readings, sink)
  if (table === 'applications') narrowBySums(specs, readings)
  for (const [s, why] of doubts) {
    if (!readings.has(s)) sink.warn(`${name} “${specs[s].label}”: ${why}; its cells are kept blank (null)`)
  }

  const finals = new Map<number, Array<RawValue | null | undefined>>()
  for (const [s, rs] of readings) {
    const agreed = agree(rs, specs[s].columns.length)
    finals.set(s, agreed)
    const doubtful = specs[s].columns.filter((_, c) => agreed[c] === undefined).map((c) => c.label)
    if (rs.length > 1 && doubtful.length > 0) {
      sink.warn(`${name} “${specs[s].label}”: the printed values can be read in ${rs.length} ways; ${doubtful.join('、')} kept blank (null)`)
    }
  }
  // a cut chosen by a row's own sum is right only if the report keeps its sums: it is kept where
  // the column sums confirm it (a report that breaks its sums could make a wrong cut add up)
  const unconfirmed = [...bySums].filter((s) => finals.has(s) && !confirmedBySums(specs, finals, s))
  for (const s of unconfirmed) finals.delete(s)
  if (unconfirmed.length > 0) {
    sink.warn(
      `${name}: the digits of ${unconfirmed.map((s) => `“${specs[s].label}”`).join('、')} could be cut more than one way and the column sums do not confirm the cut; kept blank (null)`
    )
  }
  const missing: string[] = []
  specs.forEach((spec, s) => {
    if (!bySpec.has(s) && !readings.has(s)) missing.push(spec.label)
    const header = bySpec.get(s)?.label ?? ''
    const agreed = finals.get(s)
    spec.columns.forEach((column, c) => {
      writeCell(`${table}.${spec.code}.${column.code}`, column, agreed?.[c] ?? null, sink, { header })
    })
  })
  if (missing.length > 0) sink.warn(`${name}: rows not found, kept blank (null): ${missing.join('；')}`)
}

/** Blank rows are kept only where their label names a row; others are header text of the next row. */
function withoutBlankHeaders(rows: DataRow[], specs: RowSpec[], table: TableCode): DataRow[] {
  const out: DataRow[] = []
  let carry = ''
  for (const row of rows) {
    const labelled = carry ? { ...row, label: `${carry} ${row.label}` } : row
    if (row.blank && matchRow(labelled, specs, table).how !== 'label') {
      carry = labelled.label
      continue
    }
    carry = ''
    out.push(labelled)
  }
  return out
}

/**
 * Whether the column sums confirm a row cut by its own sum: every T3-01 / T3-02 equation the row
 * is part of has all its cells read, and holds. A wrong cut keeps its row's sum but breaks these.
 */
function confirmedBySums(specs: RowSpec[], finals: Map<number, Array<RawValue | null | undefined>>, row: number): boolean {
  const index = new Map(specs.map((s, i) => [s.code, i]))
  const value = (code: string, c: number) => {
    const i = index.get(code)
    const raw = i === undefined ? undefined : finals.get(i)?.[c]
    return raw ? integerOf(raw) : null
  }
  const code = specs[row].code
  const parts = OUTCOME_PART_ROWS.filter((p) => index.has(p))
  const balance = ['newReceived', 'carriedOver', 'outcomes.total', 'carriedForward']
  const equations: Array<(c: number) => boolean> = []
  if (parts.includes(code) || code === 'outcomes.total') {
    equations.push((c) => {
      const v = parts.map((p) => value(p, c))
      const total = value('outcomes.total', c)
      return !v.includes(null) && total !== null && v.reduce((a, b) => a! + b!, 0) === total
    })
  }
  if (balance.includes(code)) {
    equations.push((c) => {
      const [a, b, total, forward] = balance.map((p) => value(p, c))
      return a !== null && b !== null && total !== null && forward !== null && a + b === total + forward
    })
  }
  return equations.length > 0 && specs[row].columns.every((_, c) => equations.every((holds) => holds(c)))
}

/** Per column the reading every candidate agrees on; undefined where they differ. */
function agree(readings: Reading[], n: number): Array<RawValue | null | undefined> {
  return Array.from({ length: n }, (_, c) => {
    const first = readings[0][c]
    const same = readings.every((r) => (r[c] === null ? first === null : first !== null && r[c]!.text === first.text && samePlace(r[c]!, first)))
    return same ? first : undefined
  })
}

const samePlace = (a: RawValue, b: RawValue) => JSON.stringify(a.at) === JSON.stringify(b.at)

/**
 * T3-01 and T3-02 tie the rows of table 三 together: where a row can still be read several ways,
 * keep the readings that some choice of all the others makes consistent.
 */
function narrowBySums(specs: RowSpec[], readings: Map<number, Reading[]>): void {
  // only cuts of digit runs (no blank among them) are narrowed: a placement with a blank cell
  // escapes the sums it would break, so sums cannot choose between placements
  const open = [...readings.entries()].filter(([, rs]) => rs.length > 1 && rs.every((r) => !r.includes(null)))
  if (open.length === 0) return
  const combos = open.reduce((n, [, rs]) => n * rs.length, 1)
  if (combos > 100_000) return
  const index = new Map(specs.map((s, i) => [s.code, i]))
  const partRows = OUTCOME_PART_ROWS.map((code) => index.get(code)).filter((i): i is number => i !== undefined)
  const at = (choice: Map<number, Reading>, code: string, c: number) => {
    const i = index.get(code)!
    const known = readings.get(i)
    const r = choice.get(i) ?? (known?.length === 1 ? known[0] : undefined)
    return r ? integerOf(r[c]) : null
  }
  const consistent = (choice: Map<number, Reading>) => {
    for (let c = 0; c < 7; c++) {
      const parts = partRows.map((i) => at(choice, specs[i].code, c))
      const total = at(choice, 'outcomes.total', c)
      if (!parts.includes(null) && total !== null && parts.reduce((a, b) => a! + b!, 0) !== total) return false
      const sides = ['newReceived', 'carriedOver', 'outcomes.total', 'carriedForward'].map((code) => at(choice, code, c))
      if (!sides.includes(null) && sides[0]! + sides[1]! !== sides[2]! + sides[3]!) return false
    }
    return true
  }
  const kept = open.map(() => new Set<Reading>())
  const choice = new Map<number, Reading>()
  const walk = (k: number) => {
    if (k === open.length) {
      if (consistent(choice)) open.forEach(([i], j) => kept[j].add(choice.get(i)!))
      return
    }
    for (const r of open[k][1]) {
      choice.set(open[k][0], r)
      walk(k + 1)
    }
  }
  walk(0)
  // where no choice is consistent the report breaks its own rules: the sums cannot help
  if (kept.some((s) => s.size === 0)) return
  open.forEach(([i], j) => readings.set(i, [...kept[j]]))
}

/**
 * A column of table 二 printed apart from the grid (a PDF converter pulls out the cells that
 * carry notes): numbers without a label, as many as the rows that lack one value. They are put
 * back only when their notes name one column, e.g. `55（含自然失效 29 件）` → 本年废止件数.
 */
function placeApartColumn(
  rows: DataRow[],
  matches: Match[],
  specs: RowSpec[],
  bySpec: Map<number, DataRow>,
  readings: Map<number, Reading[]>,
  sink: CellSink
): void {
  const apart = rows.filter((r, i) => matches[i].how === 'none' && r.values.length === 1 && parseValue(r.values[0].text).kind === 'number')
  const short = specs.flatMap((spec, s) => {
    const row = bySpec.get(s)
    return row && !readings.has(s) && !row.flat && spec.columns.length > 2 && row.values.length === spec.columns.length - 1 ? [s] : []
  })
  if (apart.length === 0) return
  if (apart.length !== short.length || new Set(short.map((s) => specs[s].columns.map((c) => c.code).join())).size !== 1) {
    sink.warn(`${TABLE_NAMES.proactive}: skipped ${apart.length} number(s) printed without a row label (${apart.map((r) => r.values[0].text).join('、')})`)
    return
  }
  const columns = specs[short[0]].columns
  const notes = apart.flatMap((r) => [...r.notes, parseValue(r.values[0].text).note ?? ''])
  const hinted = columns.filter((c) => (COLUMN_HINTS[c.code] ?? []).some((w) => notes.some((n) => n.includes(w))))
  if (hinted.length !== 1) {
    sink.warn(
      `${TABLE_NAMES.proactive}: ${apart.length} number(s) were printed apart from their rows (${apart.map((r) => r.values[0].text).join('、')}) and nothing tells which column they belong to; ${short.map((s) => specs[s].label).join('、')} kept blank (null)`
    )
    return
  }
  const col = columns.indexOf(hinted[0])
  short.forEach((s, k) => {
    const values = bySpec.get(s)!.values
    const note = apart[k].notes.join('')
    const value: RawValue = { text: apart[k].values[0].text + note, at: apart[k].values[0].at }
    readings.set(s, [[...values.slice(0, col), value, ...values.slice(col)]])
  })
  sink.warn(
    `${TABLE_NAMES.proactive}: the column ${hinted[0].label} was printed apart from the table; its numbers (${apart.map((r) => r.values[0].text).join('、')}) were placed by the notes printed with them`
  )
}

const tail = (label: string) => {
  const t = label.replace(/\s+/g, ' ').trim()
  return t.length > 30 ? `…${t.slice(-30)}` : t
}

// ---------------------------------------------------------------- table 四

/**
 * Table 四 is one row of fifteen numbers under a two-level header. Returns the region index of
 * the last item read, where the table ends.
 */
export function readReviewTable(rows: DataRow[], sink: CellSink): number | null {
  const name = TABLE_NAMES.reviewLitigation
  const specs = rowSpecs('reviewLitigation', '2021')
  const n = specs.length * REVIEW_COLUMNS.length
  const data = rows.filter((r) => !r.blank && withoutVocabulary(keyOf(r.own), 'reviewLitigation') === '')
  let reading: Array<RawValue | null | undefined> | null = null
  if (data.length === 0) {
    sink.warn(`${name}: no row of numbers found; its cells are kept blank (null)`)
  } else {
    const merged: DataRow = {
      label: '',
      own: '',
      values: data.flatMap((r) => r.values),
      flat: data.some((r) => r.flat),
      cells: data.every((r) => r.cells),
      notes: [],
      item: data[data.length - 1].item
    }
    const { readings, why } = readingsOf(merged, n, totalRules(REVIEW_COLUMNS.length))
    if (why) sink.warn(`${name}: ${why}; its cells are kept blank (null)`)
    if (readings.length > 0) {
      reading = agree(readings, n)
      if (readings.length > 1 && reading.some((r) => r === undefined)) {
        sink.warn(`${name}: the printed values can be read in ${readings.length} ways; the cells they disagree on are kept blank (null)`)
      }
    }
  }
  specs.forEach((spec, g) => {
    REVIEW_COLUMNS.forEach((column, c) => {
      const raw = reading?.[g * REVIEW_COLUMNS.length + c]
      writeCell(`reviewLitigation.${spec.code}.${column.code}`, column, raw ?? null, sink, { header: '' })
    })
  })
  return data.length > 0 ? data[data.length - 1].item : null
}
