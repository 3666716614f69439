// Which table row a data row is: by its label, else by its position among rows whose labels were
// read. Rows come in the registry's order; a row is placed only where one position is possible.
import type { TableCode } from '../format/registry.js'
import type { DataRow } from './data-rows.js'
import { withoutVocabulary, type RowSpec } from './labels.js'
import { keyTail } from './normalize.js'
import type { CellSink } from './write-cell.js'
import { message } from './messages.js'

export interface Match {
  candidates: number[]
  /** `label`: the row's label was read; `partial`: a piece of it; `none`: no label at all */
  how: 'label' | 'partial' | 'none'
}

export function matchRow(row: DataRow, specs: RowSpec[], table: TableCode): Match {
  const label = keyTail(row.label, 160)
  // the row whose label ends last in the text (the longest at the same place)
  let best: { index: number; end: number; length: number } | null = null
  for (const [index, spec] of specs.entries()) {
    for (const key of spec.keys) {
      const at = label.lastIndexOf(key)
      const end = at + key.length
      if (at >= 0 && (!best || end > best.end || (end === best.end && key.length > best.length))) best = { index, end, length: key.length }
    }
  }
  // what follows the label must be nothing, or header words of a shredded layout
  if (best && (label.length - best.end <= 1 || withoutVocabulary(label.slice(best.end), table) === '')) {
    return { candidates: [best.index], how: 'label' }
  }
  // a label cut by the layout: the longest tail of the text that some row's label holds
  const pieces = piecesOf(specs)
  for (let n = Math.min(label.length, pieces.longest); n >= 5; n--) {
    const hits = pieces.rows.get(label.slice(-n))
    if (hits) return { candidates: hits, how: 'partial' }
  }
  return { candidates: specs.map((_, i) => i), how: 'none' }
}

/** Every piece (substring) of the rows' keys, with the rows whose keys hold it, in order. */
interface Pieces {
  rows: Map<string, number[]>
  longest: number
}
const PIECES = new WeakMap<RowSpec[], Pieces>()

function piecesOf(specs: RowSpec[]): Pieces {
  let pieces = PIECES.get(specs)
  if (pieces) return pieces
  pieces = { rows: new Map(), longest: 0 }
  for (const [index, spec] of specs.entries()) {
    for (const key of spec.keys) {
      pieces.longest = Math.max(pieces.longest, key.length)
      for (let a = 0; a < key.length; a++) {
        for (let b = a + 5; b <= key.length; b++) {
          const piece = key.slice(a, b)
          const rows = pieces.rows.get(piece) ?? []
          if (rows[rows.length - 1] !== index) rows.push(index)
          pieces.rows.set(piece, rows)
        }
      }
    }
  }
  PIECES.set(specs, pieces)
  return pieces
}

/** Data rows matched to a single row, but for rows two data rows claim: neither copy is read. */
function anchorsOf(matches: Match[], specs: RowSpec[], sink: CellSink, table: TableCode): Array<{ row: number; pos: number }> {
  const claims = new Map<number, number>()
  for (const m of matches) if (m.candidates.length === 1) claims.set(m.candidates[0], (claims.get(m.candidates[0]) ?? 0) + 1)
  for (const [pos, n] of claims) if (n > 1) sink.warn(message('row.printedTwice', { table, label: specs[pos].label, times: n }))
  return matches.flatMap((m, i) =>
    m.candidates.length === 1 && claims.get(m.candidates[0]) === 1 ? [{ row: i, pos: m.candidates[0] }] : []
  )
}

/**
 * Rows in a table come in the registry's order. Anchors (rows matched to one row) in that order
 * bound the others: a row without a readable label takes the single position its neighbours leave
 * it, or none. An anchor out of order is still read when its whole label was, but bounds nothing.
 */
export function resolvePositions(matches: Match[], sink: CellSink, table: TableCode, specs: RowSpec[]): Map<number, number> {
  const anchors = anchorsOf(matches, specs, sink, table)
  const kept = longestIncreasing(anchors)
  const assigned = new Map<number, number>()
  for (const a of kept) assigned.set(a.row, a.pos)
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
 * any order: a row is taken by its label only.
 */
export const positionsByLabel = (matches: Match[], specs: RowSpec[], sink: CellSink): Map<number, number> =>
  new Map(
    anchorsOf(matches, specs, sink, 'proactive')
      .filter((a) => matches[a.row].how !== 'none')
      .map((a) => [a.row, a.pos])
  )

function longestIncreasing<T extends { pos: number }>(xs: T[]): T[] {
  const best: T[][] = []
  for (const x of xs) {
    let chain: T[] = []
    for (const c of best) if (c[c.length - 1].pos < x.pos && c.length > chain.length) chain = c
    best.push([...chain, x])
  }
  return best.reduce<T[]>((a, c) => (c.length > a.length ? c : a), [])
}

/** Blank rows are kept only where their label names a row; others are header text of the next row. */
export function withoutBlankHeaders(rows: DataRow[], specs: RowSpec[], table: TableCode): DataRow[] {
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
