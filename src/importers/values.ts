// What a printed cell holds. A cell is read only when its text is literally a number; a blank is
// null, and so is a dash, a slash or 无 (never turned into 0: the report did not print a zero).
import { foldWidth } from './normalize.js'

export type ValueKind = 'number' | 'blank' | 'placeholder' | 'text'

export interface ParsedValue {
  kind: ValueKind
  /** the number as printed, in canonical decimal text (`1,234` → `1234`, `+3` → `3`) */
  digits?: string
  negative?: boolean
  /** a unit printed in the cell (`万元`, `元`, `件`…) */
  unit?: string
  /** a note printed in the cell after the number: `22（其中修订 16 件）` */
  note?: string
}

const PLACEHOLDER = /^(?:[-—–－―−_~～]+|[/／\\]|无|空|暂无|\*)$/u
const NUMBER = /^([+\-−－]?)\s*((?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)\s*(万元|元|件|项|个|条|次|宗|人次)?\s*(?:([（(][^（()）]*[）)]))?$/u

export function parseValue(raw: string): ParsedValue {
  const text = foldWidth(raw).replace(/\s+/g, ' ').trim()
  if (text === '') return { kind: 'blank' }
  if (PLACEHOLDER.test(text)) return { kind: 'placeholder' }
  const m = NUMBER.exec(text)
  if (!m) return { kind: 'text' }
  return {
    kind: 'number',
    digits: m[2].replace(/,/g, ''),
    negative: m[1] !== '' && m[1] !== '+',
    ...(m[3] ? { unit: m[3] } : {}),
    ...(m[4] ? { note: m[4] } : {})
  }
}

/** Whether a table cell holds a value position (a number, a blank or a dash) rather than a label. */
export const isValueCell = (raw: string): boolean => parseValue(raw).kind !== 'text'

/** Decimal text scaled by 10^shift, exactly (string arithmetic): `96171.6` × 10^4 → `961716000`. */
export function shiftDecimal(digits: string, shift: number): string {
  const [whole, frac = ''] = digits.split('.')
  let w = whole
  let f = frac
  if (shift >= 0) {
    const moved = f.padEnd(shift, '0')
    w += moved.slice(0, shift)
    f = moved.slice(shift)
  } else {
    const padded = w.padStart(-shift + 1, '0')
    f = padded.slice(padded.length + shift) + f
    w = padded.slice(0, padded.length + shift)
  }
  w = w.replace(/^0+(?=\d)/, '')
  f = trimZeros(f)
  return f ? `${w}.${f}` : w
}

/** Number of decimals in a canonical decimal text. */
export const decimalsOf = (digits: string): number => (digits.includes('.') ? trimZeros(digits.split('.')[1]).length : 0)

function trimZeros(digits: string): string {
  let end = digits.length
  while (end > 0 && digits[end - 1] === '0') end--
  return digits.slice(0, end)
}
