// A PDF page's positioned text and ruling lines → items, as the text and HTML readers make them.
// A report's tables are drawn as ruled grids: the horizontal rules cut a table into row bands, the
// vertical rules crossing a band cut it into that row's cells, and a cell with no rule above it
// continues the cell above (a merged cell, whose text goes to the first row it spans, as in HTML).
// A table that runs over a page break goes on as the same table; header rows the printer repeated
// at the top of the next page are dropped. Text outside the grids becomes lines, in reading order.
import { isPageMarker } from './normalize.js'
import type { Item, RowItem } from './types.js'

/** A run of text on a page, in page coordinates (points, y growing downwards). */
export interface Glyph {
  text: string
  x0: number
  x1: number
  /** top and bottom of the run (bottom is the baseline) */
  y0: number
  y1: number
}

/** A ruling line: horizontal when y0 = y1, vertical when x0 = x1. */
export interface Rule {
  x0: number
  y0: number
  x1: number
  y1: number
}

export interface PdfPage {
  width: number
  height: number
  glyphs: Glyph[]
  rules: Rule[]
}

/** Positions closer than this (points) are the same line of a grid. */
const SNAP = 2

const mid = (a: number, b: number) => (a + b) / 2

// ---------------------------------------------------------------- tables

interface Grid {
  x0: number
  y0: number
  x1: number
  y1: number
  rows: string[][]
}

/** Values within SNAP of each other merged into one (their mean), sorted. */
function snap(values: number[]): number[] {
  const sorted = [...values].sort((a, b) => a - b)
  const out: number[][] = []
  for (const v of sorted) {
    const last = out[out.length - 1]
    if (last && v - last[last.length - 1] <= SNAP) last.push(v)
    else out.push([v])
  }
  return out.map((g) => g.reduce((a, b) => a + b, 0) / g.length)
}

const horizontal = (r: Rule) => Math.abs(r.y1 - r.y0) <= SNAP && Math.abs(r.x1 - r.x0) > SNAP
const vertical = (r: Rule) => Math.abs(r.x1 - r.x0) <= SNAP && Math.abs(r.y1 - r.y0) > SNAP

/** Rules that touch or cross one another, grouped: each group with rows and columns is a table. */
function ruleGroups(rules: Rule[]): Rule[][] {
  const parent = rules.map((_, i) => i)
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])))
  const touch = (a: Rule, b: Rule) =>
    Math.min(a.x0, a.x1) <= Math.max(b.x0, b.x1) + SNAP &&
    Math.min(b.x0, b.x1) <= Math.max(a.x0, a.x1) + SNAP &&
    Math.min(a.y0, a.y1) <= Math.max(b.y0, b.y1) + SNAP &&
    Math.min(b.y0, b.y1) <= Math.max(a.y0, a.y1) + SNAP
  // sorted by top, a rule can only touch those that start above its bottom
  const order = rules.map((_, i) => i).sort((a, b) => Math.min(rules[a].y0, rules[a].y1) - Math.min(rules[b].y0, rules[b].y1))
  for (let i = 0; i < order.length; i++) {
    const a = rules[order[i]]
    const bottom = Math.max(a.y0, a.y1) + SNAP
    for (let j = i + 1; j < order.length && Math.min(rules[order[j]].y0, rules[order[j]].y1) <= bottom; j++) {
      if (touch(a, rules[order[j]])) parent[find(order[i])] = find(order[j])
    }
  }
  const groups = new Map<number, Rule[]>()
  rules.forEach((r, i) => {
    const root = find(i)
    groups.set(root, [...(groups.get(root) ?? []), r])
  })
  return [...groups.values()]
}

function normalise(r: Rule): Rule {
  return { x0: Math.min(r.x0, r.x1), x1: Math.max(r.x0, r.x1), y0: Math.min(r.y0, r.y1), y1: Math.max(r.y0, r.y1) }
}

/** The grid a group of rules draws, with the text of each cell; null when the rules draw no grid. */
function readGrid(rules: Rule[], glyphs: Glyph[], taken: Set<Glyph>): Grid | null {
  const hs = rules.filter(horizontal)
  const vs = rules.filter(vertical)
  const ys = snap(hs.map((h) => mid(h.y0, h.y1)))
  if (ys.length < 2 || snap(vs.map((v) => mid(v.x0, v.x1))).length < 2) return null
  const box = { x0: Math.min(...rules.map((r) => r.x0)), x1: Math.max(...rules.map((r) => r.x1)), y0: ys[0], y1: ys[ys.length - 1] }

  // per band, the x positions of the vertical rules crossing it
  const bands = ys.slice(0, -1).map((top, i) => {
    const bottom = ys[i + 1]
    const centre = mid(top, bottom)
    const xs = snap(vs.filter((v) => v.y0 - SNAP <= centre && v.y1 + SNAP >= centre).map((v) => mid(v.x0, v.x1)))
    return { top, bottom, xs }
  })
  const ruledAt = (y: number, x: number) => hs.some((h) => Math.abs(mid(h.y0, h.y1) - y) <= SNAP && h.x0 - SNAP <= x && h.x1 + SNAP >= x)
  const cellAt = (b: number, x: number) => {
    const xs = bands[b].xs
    for (let c = 0; c + 1 < xs.length; c++) if (x >= xs[c] - SNAP && x <= xs[c + 1] + SNAP) return c
    return -1
  }
  // the cell whose text a cell holds: itself, or the first cell of the merged cell it continues
  const owner = (b: number, c: number): [number, number] => {
    let [band, cell] = [b, c]
    while (band > 0) {
      const xs = bands[band].xs
      const centre = mid(xs[cell], xs[cell + 1])
      if (ruledAt(bands[band].top, centre)) break
      const above = cellAt(band - 1, centre)
      if (above < 0) break
      band--
      cell = above
    }
    return [band, cell]
  }
  const texts = bands.map((b) => Array.from({ length: Math.max(b.xs.length - 1, 0) }, () => [] as Glyph[]))
  for (const g of glyphs) {
    const x = mid(g.x0, g.x1)
    const y = mid(g.y0, g.y1)
    if (x < box.x0 - SNAP || x > box.x1 + SNAP || y < box.y0 || y > box.y1) continue
    const b = bands.findIndex((band) => y >= band.top && y <= band.bottom)
    if (b < 0) continue
    const c = cellAt(b, x)
    if (c < 0) continue
    const [ob, oc] = owner(b, c)
    texts[ob][oc].push(g)
    taken.add(g)
  }
  const rows = texts.map((cells) => cells.map(cellText)).filter((cells) => cells.some((t) => t !== ''))
  return rows.length > 0 ? { ...box, rows } : null
}

// ---------------------------------------------------------------- text

interface Line {
  glyphs: Glyph[]
  y0: number
  y1: number
}

/** Runs on one baseline, left to right; runs whose vertical extents overlap mostly are one line. */
function toLines(glyphs: Glyph[]): Line[] {
  const lines: Line[] = []
  for (const g of [...glyphs].sort((a, b) => a.y1 - b.y1 || a.x0 - b.x0)) {
    const height = g.y1 - g.y0
    const line = lines.find((l) => Math.abs(l.y1 - g.y1) <= Math.max(height, l.y1 - l.y0) * 0.4)
    if (line) {
      line.glyphs.push(g)
      line.y0 = Math.min(line.y0, g.y0)
      line.y1 = Math.max(line.y1, g.y1)
    } else lines.push({ glyphs: [g], y0: g.y0, y1: g.y1 })
  }
  for (const l of lines) l.glyphs.sort((a, b) => a.x0 - b.x0)
  return lines.sort((a, b) => a.y1 - b.y1)
}

const CJK = /[\p{Script=Han}\u3000-\u303f\uff00-\uffef]/u

/** The runs of a line joined: a space where the page leaves one, none inside Chinese text. */
function joinRuns(glyphs: Glyph[]): string {
  let out = ''
  let last: Glyph | null = null
  for (const g of glyphs) {
    const text = g.text
    if (last) {
      const size = Math.max(last.y1 - last.y0, g.y1 - g.y0, 1)
      const gap = g.x0 - last.x1
      const prev = out[out.length - 1] ?? ''
      const next = text[0] ?? ''
      const chinese = CJK.test(prev) || CJK.test(next)
      if (prev !== ' ' && next !== ' ' && (gap > size * 0.9 || (!chinese && gap > size * 0.15))) out += ' '
    }
    out += text
    last = g
  }
  return out.replace(/\s+/g, ' ').trim()
}

/** A cell's text: its lines joined, with a space only between two non-Chinese characters. */
function cellText(glyphs: Glyph[]): string {
  return toLines(glyphs)
    .map((l) => joinRuns(l.glyphs))
    .filter((t) => t !== '')
    .reduce((all, t) => (all === '' ? t : CJK.test(all[all.length - 1]) || CJK.test(t[0]) ? all + t : `${all} ${t}`), '')
}

// ---------------------------------------------------------------- pages → items

interface Block {
  top: number
  bottom: number
  line?: { text: string; number: number }
  grid?: Grid
}

/** Whether a PDF has text to read: a scan has none, or only a few stray characters. */
export const hasTextLayer = (pages: PdfPage[]): boolean =>
  pages.reduce((n, p) => n + p.glyphs.reduce((m, g) => m + g.text.replace(/\s/g, '').length, 0), 0) >= 20

export function pdfToItems(pages: PdfPage[]): Item[] {
  const items: Item[] = []
  let tables = 0
  // the table the previous page ended with, while it may go on at the top of the next page
  let open: { table: number; head: string[][]; rows: number; x0: number; x1: number } | null = null

  pages.forEach((page, p) => {
    const number = p + 1
    const taken = new Set<Glyph>()
    const grids = ruleGroups(page.rules.map(normalise).filter((r) => horizontal(r) || vertical(r)))
      .map((group) => readGrid(group, page.glyphs, taken))
      .filter((g): g is Grid => g !== null)
    const blocks: Block[] = grids.map((grid) => ({ top: grid.y0, bottom: grid.y1, grid }))
    const lines = toLines(page.glyphs.filter((g) => !taken.has(g)))
    lines.forEach((line, i) => {
      const text = joinRuns(line.glyphs)
      if (text !== '' && !isPageMarker(text)) blocks.push({ top: line.y0, bottom: line.y1, line: { text, number: i + 1 } })
    })
    blocks.sort((a, b) => a.top - b.top)

    blocks.forEach((block, b) => {
      if (block.line) {
        items.push({ kind: 'text', text: block.line.text, at: { page: number, line: block.line.number, column: 1 } })
        return
      }
      const grid = block.grid!
      const first = b === 0
      let rows = grid.rows
      let table: number
      let start: number
      // a table going on from the previous page has the same left and right edges
      if (first && open && Math.abs(open.x0 - grid.x0) <= SNAP * 2 && Math.abs(open.x1 - grid.x1) <= SNAP * 2) {
        // the table of the previous page goes on; the printer may have repeated its header rows
        table = open.table
        let repeated = 0
        while (repeated < rows.length && repeated < open.head.length && sameRow(rows[repeated], open.head[repeated])) repeated++
        if (repeated === rows.length) repeated = 0
        rows = rows.slice(repeated)
        start = open.rows
      } else {
        table = ++tables
        start = 0
      }
      rows.forEach((cells, r) => {
        const row: RowItem = {
          kind: 'row',
          cells: cells.map((text, c) => ({ text, at: { page: number, table, row: start + r + 1, column: c + 1 } }))
        }
        items.push(row)
      })
      const last = b === blocks.length - 1
      open = last
        ? { table, head: open?.table === table ? open.head : grid.rows, rows: start + rows.length, x0: grid.x0, x1: grid.x1 }
        : null
    })
    if (blocks.length > 0 && !blocks[blocks.length - 1].grid) open = null
  })
  return items
}

const sameRow = (a: string[], b: string[]) => a.length === b.length && a.every((t, i) => t === b[i])
