// A table's region → data rows: the numbers of one printed row with the label text read before
// them. Labels may be wrapped over several lines, shredded into group cells, or printed on lines
// of their own before the numbers: the label of a data row is all the text since the previous
// data row. Whether that text names a row is decided later (table-reader.ts).
import { isValueCell, parseValue } from './values.js'
import { advance, type Item, type Place } from './types.js'

export interface RawValue {
  text: string
  at: Place
  /** not printed: the only number the table's sums allow in a cell the line lost */
  deduced?: boolean
}

export interface DataRow {
  /** all label text since the previous data row, as printed */
  label: string
  /** the label text printed in this row or line itself */
  own: string
  /** the value positions: table cells (blanks included) or the numbers at the end of a line */
  values: RawValue[]
  /** values are runs of digits from a flattened page: one run may hold several cells */
  flat: boolean
  /** the values came from table cells (where a blank cell keeps its position) */
  cells: boolean
  /** notes printed on their own line right after the row, e.g. `（含自然失效 29 件）` */
  notes: string[]
  /** lines of numbers alone that follow the row's numbers: its continuation, if its width says so */
  more: RawValue[][]
  /** the index in the region of the item the values were read from */
  item: number
  /** every value cell is blank */
  blank?: boolean
  /** table cells: where the label stands and how many cells the row has, to compare rows of one layout */
  shape?: string
}

const NOTE_LINE = /^[（(](?=[^（()）]*\d)[^（()）]*[）)]$/u

export function extractDataRows(region: Item[], flattened: boolean): DataRow[] {
  const rows: DataRow[] = []
  let pending = ''
  let index = 0
  let pushed = false
  const push = (row: Omit<DataRow, 'label' | 'notes' | 'item' | 'more'>) => {
    rows.push({ ...row, label: `${pending} ${row.own}`.trim(), notes: [], more: [], item: index })
    pending = ''
    pushed = true
  }
  for (const [i, item] of region.entries()) {
    index = i
    // the previous item made (or went on) a data row: a note or more numbers may follow it
    const follows = pushed
    const last = rows[rows.length - 1]
    pushed = false
    if (item.kind === 'row') {
      const cells = item.cells
      let lastLabel = -1
      cells.forEach((c, i) => {
        if (!isValueCell(c.text)) lastLabel = i
      })
      const values = cells.slice(lastLabel + 1)
      const own = cells
        .slice(0, lastLabel + 1)
        .map((c) => c.text)
        .join(' ')
      // a label followed by blank cells is a row printed blank, or a header with padding: the
      // table reader keeps it only if the label names a row
      if (values.length > 0 && lastLabel >= 0 && values.every((c) => c.text === '')) {
        push({
          own,
          values: values.map((c) => ({ text: c.text, at: c.at })),
          flat: false,
          cells: true,
          blank: true,
          shape: `${lastLabel}/${cells.length}`
        })
        continue
      }
      if (!values.some((c) => c.text !== '')) {
        pending = `${pending} ${own}`
        continue
      }
      push({
        own,
        values: values.map((c) => ({ text: c.text, at: c.at })),
        flat: false,
        cells: true,
        shape: `${lastLabel}/${cells.length}`
      })
      continue
    }
    if (follows && last.own === '' && last.more.length === 0 && NOTE_LINE.test(item.text)) {
      last.notes.push(item.text)
      continue
    }
    if (flattened) {
      for (const seg of flatSegments(item.text)) {
        if (seg.run === null) {
          pending = `${pending} ${seg.before}`
          continue
        }
        push({ own: seg.before, values: seg.run.map((g) => ({ text: g.text, at: advance(item.at, g.offset) })), flat: true, cells: false })
      }
      continue
    }
    const run = trailingValues(item.text)
    if (run.length === 0) {
      pending = `${pending} ${item.text}`
      continue
    }
    const own = item.text.slice(0, run[0].offset).trim()
    const values = run.map((t) => ({ text: t.text, at: advance(item.at, t.offset) }))
    if (own === '' && follows && !last.cells && !last.flat) {
      // numbers on a line of their own right after a row's numbers: the row wrapped, or a page
      // copied one cell per line — or a bare page number; the reader decides by the row's width
      last.more.push(values)
      pushed = true
      continue
    }
    push({ own, values, flat: false, cells: false })
  }
  return rows
}

/** `text` without the characters of `chars` at its end (a loop: a regex would go back and forth over a long run). */
export function trimEndOf(text: string, chars: string): string {
  let end = text.length
  while (end > 0 && chars.includes(text[end - 1])) end--
  return text.slice(0, end)
}

interface Token {
  text: string
  offset: number
}

const SIGNED_PAIR = /^(\d+(?:,\d{3})*)([-−－]\d+(?:,\d{3})*)$/u

/** The values a text line ends with: numbers, or dashes where at least two stand or a number is among them. */
function trailingValues(text: string): Token[] {
  const tokens: Token[] = []
  for (const m of text.matchAll(/\S+/gu)) {
    // `23-23`: the 2019 format's 上一年项目数量 then a negative 本年增/减, printed without a space — the
    // minus is the second number's sign, never a separator
    const glued = SIGNED_PAIR.exec(m[0])
    if (glued) tokens.push({ text: glued[1], offset: m.index }, { text: glued[2], offset: m.index + glued[1].length })
    else tokens.push({ text: m[0], offset: m.index })
  }
  let i = tokens.length
  while (i > 0 && isValueCell(tokens[i - 1].text)) i--
  const run = tokens.slice(i)
  const numbers = run.filter((t) => parseValue(t.text).kind === 'number').length
  return numbers === 0 && run.length < 2 ? [] : run
}

interface Segment {
  before: string
  /** the digit groups of the run (split where the page printed a space), or null for trailing text */
  run: Token[] | null
}

/**
 * A flattened line cut into label text and digit runs. A run that ends right before `6.属于…`
 * gives its last digit back to the next label's enumerator.
 */
export function flatSegments(text: string): Segment[] {
  const segments: Segment[] = []
  let cursor = 0
  const re = /\d(?:[\d.,]|\s+(?=\d))*/gu
  for (const m of text.matchAll(re)) {
    let runText = m[0]
    const start = m.index
    const after = text[start + runText.length] ?? ''
    const enumerated = /[.．]$/.test(runText) || /^[、．]/.test(after)
    if (enumerated) runText = runText.replace(/\.$/, '').replace(/\d$/, '')
    runText = trimEndOf(runText, '.,').trimEnd()
    if (runText === '') continue
    const groups: Token[] = []
    for (const g of runText.matchAll(/\S+/gu)) groups.push({ text: g[0], offset: start + g.index })
    segments.push({ before: text.slice(cursor, start), run: groups })
    cursor = start + runText.length
  }
  segments.push({ before: text.slice(cursor), run: null })
  return segments
}
