// The six parts of a report are found by their headings (一、总体情况 … 六、其他需要报告的事项);
// each table is read only from its own part, and the text sections are the text between headings.
import { HEADINGS, type PartCode } from './labels.js'
import { keyed, keyOf, stripEnumerator } from './normalize.js'
import { advance, type Item } from './types.js'

export interface Pos {
  item: number
  /** offset in the text of a text item (0 for a row item) */
  offset: number
}

export interface Heading {
  code: PartCode
  start: Pos
  end: Pos
}

/** A line longer than this is a flattened page: headings may stand anywhere inside it. */
const FLAT_LINE = 200
const HEADING_LINE = 40

/** The headings found, in document order (a part whose heading is missing is absent). */
export function findHeadings(items: Item[]): Heading[] {
  const found: Heading[] = []
  let from: Pos = { item: 0, offset: 0 }
  for (const spec of HEADINGS) {
    const titleKey = keyOf(stripEnumerator(spec.title))
    const hit = search(items, from, spec.numeral, titleKey, spec.words)
    if (hit) {
      found.push({ code: spec.code, ...hit })
      from = hit.end
    }
  }
  return found
}

function search(items: Item[], from: Pos, numeral: string, titleKey: string, words: string[]): Omit<Heading, 'code'> | null {
  for (let i = from.item; i < items.length; i++) {
    const text = headingText(items[i])
    if (text === null) continue
    const start = i === from.item ? from.offset : 0
    if (start === 0 || text.slice(0, start).trim() === '') {
      const m = new RegExp(`^\\s*#*\\s*${numeral}\\s*[、.．,，]\\s*`, 'u').exec(text.slice(start))
      if (m) {
        const restStart = start + m[0].length
        const rest = keyed(text.slice(restStart))
        if (rest.key.startsWith(titleKey)) {
          return { start: { item: i, offset: start }, end: { item: i, offset: restStart + rest.map[titleKey.length - 1] + 1 } }
        }
        const lineKey = rest.key
        if (lineKey.length <= HEADING_LINE && words.some((w) => lineKey.includes(w))) {
          return { start: { item: i, offset: start }, end: { item: i, offset: text.length } }
        }
      }
    }
    if (items[i].kind === 'text' && text.length > FLAT_LINE) {
      const k = keyed(text.slice(start))
      let at = k.key.indexOf(numeral + titleKey)
      while (at >= 0) {
        const src = start + k.map[at]
        const before = text[src - 1] ?? ''
        if (!/[一二三四五六七八九十第]/u.test(before)) {
          return { start: { item: i, offset: src }, end: { item: i, offset: start + k.map[at + numeral.length + titleKey.length - 1] + 1 } }
        }
        at = k.key.indexOf(numeral + titleKey, at + 1)
      }
    }
  }
  return null
}

/** The text of an item that may hold a heading: a text line, or a table row of a single cell. */
function headingText(item: Item): string | null {
  if (item.kind === 'text') return item.text
  const filled = item.cells.filter((c) => c.text !== '')
  return filled.length === 1 ? filled[0].text : null
}

/** The items between two positions, text items cut at the ends. */
export function sliceItems(items: Item[], from: Pos, to: Pos | null): Item[] {
  const end = to ?? { item: items.length, offset: 0 }
  const out: Item[] = []
  for (let i = from.item; i <= end.item && i < items.length; i++) {
    const item = items[i]
    const a = i === from.item ? from.offset : 0
    const b = i === end.item ? end.offset : Infinity
    if (item.kind === 'row') {
      if (i === from.item && a > 0) continue // the row held the heading itself
      if (i === end.item) continue
      out.push(item)
      continue
    }
    const text = item.text.slice(a, b === Infinity ? undefined : b)
    const lead = text.length - text.trimStart().length
    if (text.trim() !== '') out.push({ kind: 'text', text: text.trim(), at: advance(item.at, a + lead) })
  }
  return out
}

/** Region of each part: from the end of its heading to the start of the next heading found. */
export function partRegions(items: Item[], headings: Heading[]): Map<PartCode, Item[]> {
  const regions = new Map<PartCode, Item[]>()
  headings.forEach((h, i) => regions.set(h.code, sliceItems(items, h.end, headings[i + 1]?.start ?? null)))
  return regions
}
