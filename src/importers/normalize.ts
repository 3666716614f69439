// Text normalisation shared by every layout. Published reports spell the same label with full- or
// half-width brackets, stray spaces from PDF layers (`本 年 度`), different quote marks and
// enumerators (`1.` / `1、` / `1．`), so labels are compared on a "key": NFKC-folded, lower-cased,
// with every space, punctuation mark and symbol removed. The key keeps a map back to the source
// offsets so that a match in the key can be cut out of the original text.

export interface Keyed {
  key: string
  /** map[i] = offset in the source of key character i */
  map: Int32Array
}

const DROP = /[\s\p{P}\p{S}\u00a0\u3000]/u

/** What one code point becomes in a key (NFKC, lower case, dropped characters removed). */
function foldChar(ch: string): string {
  let out = ''
  for (const c of ch.normalize('NFKC').toLowerCase()) if (!DROP.test(c)) out += c
  return out
}

// Reports are mostly CJK ideographs, ASCII and a few dozen punctuation marks: those are folded
// once, so a key costs a table look-up per character and is linear in the text.
const ASCII = Array.from({ length: 128 }, (_, c) => foldChar(String.fromCharCode(c)))
const FOLDED = new Map<string, string>()
const FOLDED_MAX = 4096

function folded(ch: string): string {
  let out = FOLDED.get(ch)
  if (out === undefined) {
    out = foldChar(ch)
    if (FOLDED.size < FOLDED_MAX) FOLDED.set(ch, out)
  }
  return out
}

/** The string of the first `k` code units, lone surrogates kept as they are. */
function fromUnits(units: Uint16Array, k: number): string {
  const chunks: string[] = []
  for (let at = 0; at < k; at += 8192)
    chunks.push(String.fromCharCode.apply(null, units.subarray(at, Math.min(k, at + 8192)) as unknown as number[]))
  return chunks.join('')
}

export function keyed(text: string): Keyed {
  const n = text.length
  // the key's UTF-16 code units and their source offsets; NFKC may lengthen a character (㍻ → 平成)
  let units = new Uint16Array(n + 16)
  let offsets = new Int32Array(n + 16)
  let k = 0
  const push = (unit: number, at: number) => {
    if (k === units.length) {
      const grown = new Uint16Array(units.length * 2)
      grown.set(units)
      units = grown
      const moved = new Int32Array(offsets.length * 2)
      moved.set(offsets)
      offsets = moved
    }
    units[k] = unit
    offsets[k++] = at
  }
  for (let i = 0; i < n; ) {
    const code = text.charCodeAt(i)
    // CJK unified ideographs are their own key
    if (code >= 0x4e00 && code <= 0x9fff) {
      push(code, i++)
      continue
    }
    if (code < 0x80) {
      const out = ASCII[code]
      if (out !== '') push(out.charCodeAt(0), i)
      i++
      continue
    }
    const low = text.charCodeAt(i + 1)
    const width = code >= 0xd800 && code <= 0xdbff && low >= 0xdc00 && low <= 0xdfff ? 2 : 1
    const out = folded(width === 1 ? text[i] : text.slice(i, i + width))
    for (let j = 0; j < out.length; j++) push(out.charCodeAt(j), i)
    i += width
  }
  // the map counts key characters as the key string does (a surrogate pair is two)
  return { key: fromUnits(units, k), map: offsets.slice(0, k) }
}

export const keyOf = (text: string): string => keyed(text).key

/**
 * The last `n` characters of the key of `text`, reading only as much of its end as they need: a
 * label is matched on its end, and the text gathered before a row can be as long as the input.
 */
export function keyTail(text: string, n: number): string {
  for (let take = Math.max(64, 2 * n); ; take *= 2) {
    if (take >= text.length) return keyOf(text).slice(-n)
    // more than n key characters: the first one, from a cut that may split a pair, is not kept
    const key = keyOf(text.slice(-take))
    if (key.length > n) return key.slice(-n)
  }
}

const ENUMERATOR = /^\s*(?:[（(]\s*[一二三四五六七八九十]+\s*[）)]|[一二三四五六七八九十]+\s*[、.．]|\d+\s*[.．、])\s*/u

/** The label without its leading enumerator (`（一）`, `一、`, `1.`). */
export const stripEnumerator = (label: string): string => label.replace(ENUMERATOR, '')

/** Whether the text starts with an enumerator, i.e. reads like a numbered heading or row. */
export const startsWithEnumerator = (text: string): boolean => ENUMERATOR.test(text)

/** Parenthesised asides removed: `部分公开（区分处理的…）` → `部分公开`. */
export const stripParentheticals = (text: string): string => text.replace(/[（(][^（()）]*[）)]/gu, '')

/** Full-width digits and letters folded, NBSP and ideographic spaces turned into plain spaces. */
export const foldWidth = (text: string): string =>
  text.replace(/[\uff01-\uff5e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/[\u00a0\u3000\u2002-\u200a]/g, ' ')

/** Spaces next to a Chinese character removed (`2025 年度` → `2025年度`), runs of spaces collapsed. */
export const tidySpaces = (text: string): string =>
  text
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/(?<=\p{Script=Han}) | (?=\p{Script=Han})/gu, '')

/** Lines that only mark a page of a printed document: `- 4 -`, `— 5 —`, `第 3 页 共 7 页`. */
export const isPageMarker = (line: string): boolean =>
  /^\s*[-—–－―~～]+\s*\d{1,3}\s*[-—–－―~～]+\s*$/u.test(line) ||
  /^\s*第\s*\d{1,3}\s*页\s*(?:[,，/／]?\s*共\s*\d{1,3}\s*页)?\s*$/u.test(line) ||
  /^\s*\d{1,3}\s*\/\s*\d{1,3}\s*$/u.test(line)

const CN_DIGITS: Record<string, number> = {
  〇: 0,
  零: 0,
  O: 0,
  o: 0,
  Ｏ: 0,
  一: 1,
  二: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9
}

/** `2026`, `二〇二六` → 2026; `19`, `十九`, `二十一` → 19, 19, 21. */
export function parseChineseNumber(text: string): number | null {
  const t = text.trim()
  if (/^\d+$/.test(t)) return Number(t)
  if ([...t].every((c) => c in CN_DIGITS)) return Number([...t].map((c) => CN_DIGITS[c]).join(''))
  const m = /^([一二三四五六七八九])?十([一二三四五六七八九])?$/u.exec(t)
  if (m) return (m[1] ? CN_DIGITS[m[1]] : 1) * 10 + (m[2] ? CN_DIGITS[m[2]] : 0)
  return null
}

const pad = (n: number) => String(n).padStart(2, '0')

/** A calendar date as YYYY-MM-DD, or null when it does not exist. */
export function isoDate(year: number, month: number, day: number): string | null {
  const d = new Date(Date.UTC(year, month - 1, day))
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return null
  return `${year}-${pad(month)}-${pad(day)}`
}
