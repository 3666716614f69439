// The shared table reader: data rows (data-rows.ts) → cells. A data row is given to a table row by
// its label, or — when its label is unreadable — by its position between two rows whose labels
// were read, and only when that position is the only one possible. Its values go to the row's
// columns in order. Where that order is in doubt, blank cells at a row's edge are placed as in the
// other rows of the same layout and digits run together are cut by the table's sum rules; a cell
// that nothing decides stays null, with a warning.
import { OUTCOME_PART_ROWS, REVIEW_COLUMNS, type Format, type TableCode } from '../format/registry.js'
import { rowSpecs, withoutVocabulary, type RowSpec } from './labels.js'
import type { DataRow, RawValue } from './data-rows.js'
import { splitGroups, totalRules, type Piece, type SplitRules } from './digit-split.js'
import { keyOf } from './normalize.js'
import { parseValue } from './values.js'
import { advance } from './types.js'
import { matchRow, positionsByLabel, resolvePositions, withoutBlankHeaders, type Match } from './row-matching.js'
import { message, type ImportMessage } from './messages.js'
import { integerOf, writeCell, type CellSink } from './write-cell.js'

const OTHER_GROUP_KEYS = new Set([keyOf('（六）其他处理'), keyOf('其他处理'), keyOf('六、其他处理')])
/** A row printed as （六）其他处理 alone: format 2021 has three rows under that group. */
const isOtherGroupLabel = (label: string) => OTHER_GROUP_KEYS.has(keyOf(label).slice(-6)) || OTHER_GROUP_KEYS.has(keyOf(label))

/** The table, and the row when there is one, that a warning names. */
interface Where {
  table: TableCode
  label?: string
}

/** One reading of a row: per column the printed source, or null for a blank cell. */
type Reading = Array<RawValue | null>

// ---------------------------------------------------------------- readings of one row

interface Readings {
  readings: Reading[]
  /** table cells: where each reading starts among the row's value cells */
  starts?: number[]
  why: ImportMessage | null
  /** the digits could be cut several ways and the row's own sum chose: right only if the report's sums hold */
  bySums?: boolean
  /** the line printed fewer numbers than the row has cells: read only where the sums leave one reading */
  short?: boolean
}

/**
 * The readings of a line of `values` (digit groups) short of `n` cells whose groups of `rules.size`
 * end in their sum: each cut of a group printed run together (`12` → 1 | 2), and, when exactly one
 * number is missing, the number each position would need for the group's sum to hold. A number
 * supplied so is marked `deduced`: it was not printed, the sums alone put it there.
 */
function shortRowReadings(values: RawValue[], n: number, rules: SplitRules): Reading[] {
  const readings: Reading[] = []
  const cut = splitGroups(
    values.map((v) => v.text),
    n,
    rules
  )
  if ('splits' in cut) readings.push(...cut.splits.map((s) => s.map((p) => toRaw(p, values))))
  const size = rules.size!
  if (values.length === n - 1 && n === size) {
    const numbers = values.map((v) => Number(v.text))
    for (let p = 0; p < n; p++) {
      const others = [...numbers.slice(0, p), NaN, ...numbers.slice(p)]
      const parts = others.slice(0, n - 1)
      const missing =
        p === n - 1 ? parts.reduce((a, b) => a + b, 0) : others[n - 1] - parts.reduce((a, b) => a + (Number.isNaN(b) ? 0 : b), 0)
      if (!Number.isSafeInteger(missing) || missing < 0) continue
      const near = values[Math.min(p, values.length - 1)]
      const supplied: RawValue = { text: String(missing), at: near.at, deduced: true }
      readings.push([...values.slice(0, p), supplied, ...values.slice(p)])
    }
  }
  return readings
}

/**
 * The row's values: its own when they fill its width (a number alone after them is a page number),
 * else with all the lines of numbers that follow it, when together they fill it exactly.
 */
function widthOf(row: DataRow, n: number): RawValue[] {
  if (row.values.length === n || row.more.length === 0) return row.values
  const all = [...row.values, ...row.more.flat()]
  return all.length === n ? all : row.values
}

/** The possible readings of a row's values into `n` columns (a digit run cut as `rules` allow). */
function readingsOf(row: DataRow, n: number, rules: SplitRules, where: Where, gathered = false): Readings {
  const values = widthOf(row, n)
  const printed = values.map((v) => v.text)
  // numbers gathered from several lines may have lost or gained one on the way: where the row has
  // sums, they must hold
  if ((gathered || values !== row.values) && rules.size && values.length === n && !row.flat) {
    if (!sumsHold(values, rules.size)) return { readings: [], why: message('row.gatheredSumsFail', { ...where, values: printed }) }
  }
  if (row.flat && values.length < n) {
    const outcome = splitGroups(
      values.map((v) => v.text),
      n,
      rules
    )
    if ('tooMany' in outcome) return { readings: [], why: message('row.tooManyCuts', { ...where, digits: printed }) }
    const readings = outcome.splits.map((s) => s.map((p) => toRaw(p, values)))
    if (readings.length === 0) return { readings, why: message('row.noCut', { ...where, digits: printed, columns: n }) }
    const forced = values.every((v) => /^\d+$/.test(v.text)) && values.reduce((sum, v) => sum + v.text.length, 0) === n
    return { readings, why: null, bySums: !forced }
  }
  // a line of numbers short of the row's width, where the row has a sum: digits run together, or a
  // number the line lost — every reading the row's own sum allows, which the column sums must then
  // narrow to one and confirm (or the row stays blank)
  if (!row.cells && !row.flat && values.length < n && rules.size && values.length > 0 && values.every((v) => /^\d+$/.test(v.text))) {
    const readings = shortRowReadings(values, n, rules)
    if (readings.length > 0)
      return { readings, why: message('row.width', { ...where, values: printed, columns: n }), bySums: true, short: true }
  }
  // as many values as columns: read as printed, whether or not the sums hold
  if (values.length === n) return { readings: [values.map((v) => (v.text === '' ? null : v))], why: null }
  if (!row.cells || values.length < n) {
    return { readings: [], why: message('row.width', { ...where, values: printed, columns: n }) }
  }
  // table cells: blank cells beyond the row's columns are padding of a merged label; every
  // placement of the columns that leaves only blanks outside is possible
  const placements: Reading[] = []
  const starts: number[] = []
  // filled[i]: how many of the first i cells are filled
  const filled = [0]
  for (const v of values) filled.push(filled[filled.length - 1] + (v.text === '' ? 0 : 1))
  const total = filled[values.length]
  for (let start = 0; start + n <= values.length; start++) {
    if (filled[start] + total - filled[start + n] > 0) continue
    placements.push(values.slice(start, start + n).map((v) => (v.text === '' ? null : v)))
    starts.push(start)
  }
  // several placements each hold a blank cell, so no sum can tell them apart (see placeLikeOthers)
  if (placements.length === 0) return { readings: [], why: message('row.unplaceable', { ...where, cells: values.length, columns: n }) }
  return { readings: placements, starts, why: null }
}

/** Every group of `size` values is whole numbers whose last is the sum of the others. */
function sumsHold(values: RawValue[], size: number): boolean {
  for (let g = 0; g + size <= values.length; g += size) {
    const v = values.slice(g, g + size).map(integerOf)
    if (v.includes(null) || v.slice(0, -1).reduce((a, b) => a! + b!, 0) !== v[size - 1]) return false
  }
  return true
}

/** A piece of a cut run, as a raw value placed where it was printed. */
const toRaw = (piece: Piece, values: RawValue[]): RawValue => ({ text: piece.text, at: advance(values[piece.group].at, piece.offset) })

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

/** A figure the report's text states for a cell, and the sentence it stands in. */
export interface StatedCell {
  value: number
  sentence: string
}

export function readRowTable(
  table: 'proactive' | 'applications',
  rows: DataRow[],
  format: Format,
  sink: CellSink,
  stated: Map<string, StatedCell> = new Map()
): void {
  const specs = rowSpecs(table, format)
  rows = withoutBlankHeaders(rows, specs, table)
  const matches = rows.map((r) => matchRow(r, specs, table))
  const positions = table === 'proactive' ? positionsByLabel(matches, specs, sink) : resolvePositions(matches, sink, table, specs)
  const bySpec = new Map<number, DataRow>()
  let otherAsOne: DataRow | null = null
  rows.forEach((row, i) => {
    const pos = positions.get(i)
    if (pos === undefined) {
      if (table === 'applications' && format === '2021' && otherAsOne === null && isOtherGroupLabel(row.label)) {
        otherAsOne = row
        return
      }
      if (!(table === 'proactive' && matches[i].how === 'none' && row.values.length === 1)) {
        sink.warn(message('row.unplaced', { table, printed: tail(row.label), values: row.values.map((v) => v.text) }))
      }
      return
    }
    if (matches[i].how !== 'label') {
      const how = matches[i].how === 'partial' ? 'row.recognisedByPart' : 'row.recognisedByPosition'
      sink.warn(message(how, { table, label: specs[pos].label, printed: tail(row.label) }))
    }
    bySpec.set(pos, row)
  })

  const readings = new Map<number, Reading[]>()
  const doubts = new Map<number, ImportMessage>()
  const bySums = new Set<number>()
  const short = new Set<number>()
  const placed = new Map<number, Readings>()
  specs.forEach((spec, s) => {
    const row = bySpec.get(s)
    if (!row) return
    const read = readingsOf(row, spec.columns.length, table === 'applications' ? totalRules(spec.columns.length) : {}, {
      table,
      label: spec.label
    })
    if (read.why) doubts.set(s, read.why)
    if (read.readings.length > 0) readings.set(s, read.readings)
    if (read.bySums && table === 'applications') bySums.add(s)
    if (read.short) short.add(s)
    if (read.starts) placed.set(s, read)
  })
  placeLikeOthers(specs, bySpec, placed, readings, sink, table)
  if (table === 'proactive') placeApartColumn(rows, matches, specs, bySpec, readings, sink)
  if (stated.size > 0) settleByText(table, specs, readings, stated, sink)
  if (table === 'applications') narrowBySums(specs, readings)
  for (const [s, why] of doubts) {
    if (!readings.has(s) || (short.has(s) && table !== 'applications')) sink.warn(why)
  }

  const finals = new Map<number, Array<RawValue | null | undefined>>()
  for (const [s, rs] of readings) {
    const agreed = agree(rs, specs[s].columns.length)
    finals.set(s, agreed)
    const doubtful = specs[s].columns.filter((_, c) => agreed[c] === undefined).map((c) => c.label)
    if (rs.length > 1 && doubtful.length > 0) {
      sink.warn(message('row.ambiguous', { table, label: specs[s].label, ways: rs.length, columns: doubtful }))
    }
  }
  // a cut chosen by a row's own sum is right only if the report keeps its sums: it is kept where
  // the column sums confirm it (a report that breaks its sums could make a wrong cut add up)
  const unconfirmed = [...bySums].filter((s) => finals.has(s) && !confirmedBySums(specs, finals, s))
  for (const s of unconfirmed) finals.delete(s)
  // a short row is read only with one reading left, confirmed by the sums; else its doubt stands
  for (const s of short) {
    const agreed = finals.get(s)
    if (table !== 'applications' || !agreed || readings.get(s)!.length !== 1) {
      finals.delete(s)
      if (!unconfirmed.includes(s) && table === 'applications') sink.warn(doubts.get(s)!)
      continue
    }
    const deduced = agreed.flatMap((v, c) => (v?.deduced ? [c] : []))
    sink.warn(
      message('row.readBySums', {
        table,
        label: specs[s].label,
        values: bySpec.get(s)!.values.map((v) => v.text),
        read: agreed.map((v) => v?.text ?? ''),
        deduced: deduced.map((c) => specs[s].columns[c].label)
      })
    )
  }
  if (unconfirmed.length > 0) {
    sink.warn(message('rows.cutUnconfirmed', { table, rows: unconfirmed.map((s) => specs[s].label) }))
  }
  const otherRows = specs.flatMap((spec, s) => (spec.code.startsWith('outcomes.other.') ? [s] : []))
  const readAsOne = otherAsOne !== null && otherRows.every((s) => !bySpec.has(s))
  if (otherAsOne !== null) {
    const printed = (otherAsOne as DataRow).values.filter((v) => v.text.trim() !== '')
    const zeros = printed.length === specs[otherRows[0]].columns.length && printed.every((v) => integerOf(v) === 0)
    if (readAsOne && zeros) for (const s of otherRows) finals.set(s, printed)
    sink.warn(
      readAsOne
        ? message(zeros ? 'row.otherAsOneZero' : 'row.otherAsOne', { table, values: printed.map((v) => v.text) })
        : message('row.unplaced', {
            table,
            printed: tail((otherAsOne as DataRow).label),
            values: (otherAsOne as DataRow).values.map((v) => v.text)
          })
    )
  }
  const missing: string[] = []
  specs.forEach((spec, s) => {
    if (!bySpec.has(s) && !readings.has(s) && !(readAsOne && otherRows.includes(s))) missing.push(spec.label)
    const header = bySpec.get(s)?.label ?? ''
    const agreed = finals.get(s)
    spec.columns.forEach((column, c) => {
      writeCell(`${table}.${spec.code}.${column.code}`, column, agreed?.[c] ?? null, sink, { header })
    })
  })
  if (missing.length > 0) sink.warn(message('table.rowsMissing', { table, rows: missing }))
}

/**
 * A row read more than one way whose cells the text states (制发规范性文件12件，现行有效186件): the
 * readings that agree with every stated figure of the row; kept when exactly one does. The text
 * settles nothing else: with no reading or several agreeing, the row stays as doubtful as it was.
 */
function settleByText(
  table: TableCode,
  specs: RowSpec[],
  readings: Map<number, Reading[]>,
  stated: Map<string, StatedCell>,
  sink: CellSink
): void {
  for (const [s, rs] of readings) {
    if (rs.length < 2) continue
    const columns = specs[s].columns.flatMap((column, c) => {
      const figure = stated.get(`${table}.${specs[s].code}.${column.code}`)
      return figure ? [{ c, figure }] : []
    })
    if (columns.length === 0) continue
    const agreeing = rs.filter((r) => columns.every(({ c, figure }) => r[c] !== null && integerOf(r[c]!) === figure.value))
    if (agreeing.length !== 1) continue
    readings.set(s, agreeing)
    sink.warn(
      message('row.settledByText', {
        table,
        label: specs[s].label,
        ways: rs.length,
        read: agreeing[0].map((v) => v?.text ?? ''),
        sentences: [...new Set(columns.map(({ figure }) => figure.sentence))]
      })
    )
  }
}

/**
 * Rows copied from one web table share their layout: a row of the same shape (label in the same
 * cell, as many cells) whose values stand unambiguously shows where a row with blank cells at its
 * edges puts its values. A row is placed so only when every such row agrees.
 */
function placeLikeOthers(
  specs: RowSpec[],
  bySpec: Map<number, DataRow>,
  placed: Map<number, Readings>,
  readings: Map<number, Reading[]>,
  sink: CellSink,
  table: TableCode
): void {
  const key = (s: number) => `${bySpec.get(s)!.shape}#${specs[s].columns.length}`
  const known = new Map<string, Set<number>>()
  for (const [s, read] of placed) {
    if (read.starts!.length !== 1) continue
    const offsets = known.get(key(s)) ?? new Set<number>()
    offsets.add(read.starts![0])
    known.set(key(s), offsets)
  }
  for (const [s, read] of placed) {
    if (read.starts!.length < 2) continue
    const offsets = known.get(key(s))
    if (offsets?.size !== 1) continue
    const at = read.starts!.indexOf([...offsets][0])
    if (at < 0) continue
    readings.set(s, [read.readings[at]])
    sink.warn(message('row.placedLikeOthers', { table, label: specs[s].label }))
  }
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
    const same = readings.every((r) =>
      r[c] === null ? first === null : first !== null && r[c]!.text === first.text && samePlace(r[c]!, first)
    )
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
    sink.warn(message('proactive.apartSkipped', { values: apart.map((r) => r.values[0].text) }))
    return
  }
  const columns = specs[short[0]].columns
  const notes = apart.flatMap((r) => [...r.notes, parseValue(r.values[0].text).note ?? ''])
  const hinted = columns.filter((c) => (COLUMN_HINTS[c.code] ?? []).some((w) => notes.some((n) => n.includes(w))))
  if (hinted.length !== 1) {
    sink.warn(message('proactive.apartUndecided', { values: apart.map((r) => r.values[0].text), rows: short.map((s) => specs[s].label) }))
    return
  }
  const col = columns.indexOf(hinted[0])
  short.forEach((s, k) => {
    const values = bySpec.get(s)!.values
    const note = apart[k].notes.join('')
    const value: RawValue = { text: apart[k].values[0].text + note, at: apart[k].values[0].at }
    readings.set(s, [[...values.slice(0, col), value, ...values.slice(col)]])
  })
  sink.warn(message('proactive.apartPlaced', { column: hinted[0].label, values: apart.map((r) => r.values[0].text) }))
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
  const table = 'reviewLitigation'
  const specs = rowSpecs('reviewLitigation', '2021')
  const n = specs.length * REVIEW_COLUMNS.length
  const data = rows.filter((r) => !r.blank && withoutVocabulary(keyOf(r.own), 'reviewLitigation') === '')
  let reading: Array<RawValue | null | undefined> | null = null
  if (data.length === 0) {
    sink.warn(message('table.noNumbers', { table }))
  } else {
    const merged: DataRow = {
      label: '',
      own: '',
      values: data.flatMap((r) => [...r.values, ...r.more.flat()]),
      flat: data.some((r) => r.flat),
      cells: data.every((r) => r.cells),
      notes: [],
      more: [],
      item: data[data.length - 1].item
    }
    const gathered = data.length > 1 || data.some((r) => r.more.length > 0)
    const { readings, why } = readingsOf(merged, n, totalRules(REVIEW_COLUMNS.length), { table }, gathered)
    if (why) sink.warn(why)
    if (readings.length > 0) {
      reading = agree(readings, n)
      if (readings.length > 1 && reading.some((r) => r === undefined)) {
        sink.warn(message('row.ambiguous', { table, ways: readings.length, columns: [] }))
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
