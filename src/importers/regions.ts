// The six parts of a report are found by their headings (一、总体情况 … 六、其他需要报告的事项);
// each table is read only from its own part, and the text sections are the text between headings.
import { HEADINGS, type HeadingSpec, type PartCode } from './labels.js'
import { keyed, keyOf, parseChineseNumber, startsWithEnumerator, stripEnumerator, type Keyed } from './normalize.js'
import { advance, type Item } from './types.js'

export interface Pos {
  item: number
  /** offset in the text of a text item (0 for a row item) */
  offset: number
}

export interface Heading {
  /** the part, or `extra` for a numbered section the format does not have (e.g. 五、信息处理费收取情况) */
  code: PartCode | 'extra'
  start: Pos
  end: Pos
  /** the number printed before the heading (二 → 2), when it has one */
  number?: number
  /** the heading's text as printed, for an extra section */
  text?: string
}

/** A line longer than this is a flattened page: headings may stand anywhere inside it. */
const FLAT_LINE = 200
const HEADING_LINE = 40

/**
 * The headings found, in document order (a part whose heading is missing is absent). Headings are
 * looked for with their official numbers first; when that misses some, again by meaning and order:
 * any number before a wording of the part (reports renumber when 总体情况 is unnumbered, or add a
 * section of their own), or the official title standing alone. The reading that finds more wins.
 * Numbered headings that fall between two found ones where the numbers leave a gap are sections the
 * format does not have (`extra`).
 */
export function findHeadings(items: Item[]): Heading[] {
  // each item is normalised once, however many headings are looked for in it
  const keys: Array<Keyed | undefined> = []
  const keyOfItem = (i: number, text: string) => (keys[i] ??= keyed(text))
  const strict = searchAll(items, keyOfItem, false)
  if (strict.length === HEADINGS.length) return strict
  const relaxed = searchAll(items, keyOfItem, true)
  const found = relaxed.length > strict.length ? relaxed : strict
  return withExtraSections(items, found)
}

function searchAll(items: Item[], keyOfItem: (i: number, text: string) => Keyed, relaxed: boolean): Heading[] {
  const found: Heading[] = []
  let from: Pos = { item: 0, offset: 0 }
  for (const spec of HEADINGS) {
    const hit = search(items, from, spec, keyOfItem, relaxed)
    if (hit) {
      found.push({ code: spec.code, ...hit })
      from = hit.end
    }
  }
  return found
}

/** `五、` at the start of a line: any number a report gives its top-level headings. */
const ANY_NUMBERED = /\s*(?:#+\s*)?([一二三四五六七八九十]{1,3})\s*[、.．,，]\s*/uy

/** The extra sections between found headings whose numbers leave a gap, in their places. */
function withExtraSections(items: Item[], found: Heading[]): Heading[] {
  const out: Heading[] = []
  found.forEach((heading, i) => {
    out.push(heading)
    const next = found[i + 1]
    if (heading.number === undefined || next?.number === undefined || next.number - heading.number < 2) return
    // inside tables 二 and 三 numbered lines are rows (四、结转下年度继续办理), never sections
    if (heading.code === 'proactive' || heading.code === 'applications') return
    let want = heading.number + 1
    for (let j = heading.end.item + (heading.end.offset > 0 ? 1 : 0); j < next.start.item && want < next.number; j++) {
      const item = items[j]
      if (item.kind !== 'text' && headingText(item) === null) continue
      const text = headingText(item)!
      ANY_NUMBERED.lastIndex = 0
      const m = ANY_NUMBERED.exec(text)
      const title = m ? text.slice(m[0].length).trim() : ''
      if (!m || parseChineseNumber(m[1]) !== want || title === '' || title.length > HEADING_LINE || /[。；;！？!?\d\t]/u.test(title))
        continue
      out.push({ code: 'extra', start: { item: j, offset: 0 }, end: { item: j, offset: text.length }, number: want, text: text.trim() })
      want++
    }
  })
  return out
}

const NUMBERED = new Map(HEADINGS.map((h) => [h.code, new RegExp(`\\s*(?:#+\\s*)?${h.numeral}\\s*[、.．,，]\\s*`, 'uy')]))
const TITLE_KEYS = new Map(HEADINGS.map((h) => [h.code, keyOf(stripEnumerator(h.title))]))

/** The first index of the key whose character stands at or after `offset` in the source. */
function keyIndexAt(k: Keyed, offset: number): number {
  let lo = 0
  let hi = k.map.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (k.map[mid] < offset) lo = mid + 1
    else hi = mid
  }
  return lo
}

function search(
  items: Item[],
  from: Pos,
  spec: HeadingSpec,
  keyOfItem: (i: number, text: string) => Keyed,
  relaxed: boolean
): Omit<Heading, 'code'> | null {
  const numbered = relaxed ? ANY_NUMBERED : NUMBERED.get(spec.code)!
  const official = parseChineseNumber(spec.numeral) ?? undefined
  const titleKey = TITLE_KEYS.get(spec.code)!
  for (let i = from.item; i < items.length; i++) {
    const text = headingText(items[i])
    if (text === null) continue
    const start = i === from.item ? from.offset : 0
    if (start === 0 || text.slice(0, start).trim() === '') {
      numbered.lastIndex = start
      const m = numbered.exec(text)
      if (m) {
        const number = relaxed ? (parseChineseNumber(m[1]) ?? undefined) : official
        const restStart = start + m[0].length
        const k = keyOfItem(i, text)
        const rest = keyIndexAt(k, restStart)
        if (k.key.startsWith(titleKey, rest)) {
          return { start: { item: i, offset: start }, end: { item: i, offset: k.map[rest + titleKey.length - 1] + 1 }, number }
        }
        if (k.key.length - rest <= HEADING_LINE) {
          const lineKey = k.key.slice(rest)
          if (spec.words.some((w) => lineKey.includes(w)))
            return { start: { item: i, offset: start }, end: { item: i, offset: text.length }, number }
        }
      } else if (relaxed && start === 0 && !startsWithEnumerator(text)) {
        // the official title standing alone, unnumbered (总体情况 above tables numbered from 一)
        const k = keyOfItem(i, text)
        if (k.key === titleKey) return { start: { item: i, offset: 0 }, end: { item: i, offset: text.length } }
      }
    }
    if (items[i].kind === 'text' && text.length > FLAT_LINE) {
      const k = keyOfItem(i, text)
      const wanted = spec.numeral + titleKey
      let at = k.key.indexOf(wanted, keyIndexAt(k, start))
      while (at >= 0) {
        const src = k.map[at]
        const before = text[src - 1] ?? ''
        if (!/[一二三四五六七八九十第]/u.test(before)) {
          return { start: { item: i, offset: src }, end: { item: i, offset: k.map[at + wanted.length - 1] + 1 }, number: official }
        }
        at = k.key.indexOf(wanted, at + 1)
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
  headings.forEach((h, i) => {
    if (h.code !== 'extra') regions.set(h.code, sliceItems(items, h.end, headings[i + 1]?.start ?? null))
  })
  return regions
}

/** The sections the format does not have: each heading as printed and the items under it. */
export function extraRegions(items: Item[], headings: Heading[]): Array<{ heading: string; items: Item[] }> {
  return headings.flatMap((h, i) =>
    h.code === 'extra' ? [{ heading: h.text ?? '', items: sliceItems(items, h.end, headings[i + 1]?.start ?? null) }] : []
  )
}
