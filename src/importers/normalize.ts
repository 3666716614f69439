// Text normalisation shared by every layout. Published reports spell the same label with full- or
// half-width brackets, stray spaces from PDF layers (`本 年 度`), different quote marks and
// enumerators (`1.` / `1、` / `1．`), so labels are compared on a "key": NFKC-folded, lower-cased,
// with every space, punctuation mark and symbol removed. The key keeps a map back to the source
// offsets so that a match in the key can be cut out of the original text.

export interface Keyed {
  key: string
  /** map[i] = offset in the source of key character i */
  map: number[]
}

const DROP = /[\s\p{P}\p{S}\u00a0\u3000]/u

export function keyed(text: string): Keyed {
  let key = ''
  const map: number[] = []
  let i = 0
  for (const ch of text) {
    const folded = ch.normalize('NFKC').toLowerCase()
    for (const out of folded) {
      if (!DROP.test(out)) {
        key += out
        map.push(i)
      }
    }
    i += ch.length
  }
  return { key, map }
}

export const keyOf = (text: string): string => keyed(text).key

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

const HAN = /\p{Script=Han}/u
/** Spaces next to a Chinese character removed (`2025 年度` → `2025年度`), runs of spaces collapsed. */
export function tidySpaces(text: string): string {
  const collapsed = text.replace(/\s+/g, ' ').trim()
  let out = ''
  for (let i = 0; i < collapsed.length; i++) {
    const ch = collapsed[i]
    if (ch === ' ' && (HAN.test(collapsed[i - 1] ?? '') || HAN.test(collapsed[i + 1] ?? ''))) continue
    out += ch
  }
  return out
}

/** Lines that only mark a page of a printed document: `- 4 -`, `— 5 —`, `第 3 页 共 7 页`. */
export const isPageMarker = (line: string): boolean =>
  /^\s*[-—–－―~～]+\s*\d{1,3}\s*[-—–－―~～]+\s*$/u.test(line) ||
  /^\s*第\s*\d{1,3}\s*页\s*(?:[,，/／]?\s*共\s*\d{1,3}\s*页)?\s*$/u.test(line) ||
  /^\s*\d{1,3}\s*\/\s*\d{1,3}\s*$/u.test(line)

const CN_DIGITS: Record<string, number> = {
  〇: 0, 零: 0, O: 0, o: 0, Ｏ: 0, 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9
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
