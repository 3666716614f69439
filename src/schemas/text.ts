// One line of plain text, for names (of agencies, of API keys): no control characters (C0, DEL, C1), no
// line or paragraph separators, no bidirectional formatting characters and no lone surrogates. Such a
// character is invisible or reorders what is shown: `局政财\u202e` displays as another name than the one
// stored, a NUL cuts the name short in C tools, and a lone surrogate cannot be stored as UTF-8 (SQLite
// would silently replace it). Refused with a 422 naming the field and the character, never cleaned up.
import { Type } from 'typebox'

const FORBIDDEN = '\\u0000-\\u001f\\u007f-\\u009f\\u061c\\u200e\\u200f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069\\ud800-\\udfff'

/** The JSON-Schema pattern (read with the `u` flag, as JSON Schema asks: a surrogate pair is one character). */
export const PLAIN_LINE_PATTERN = `^[^${FORBIDDEN}]*$`
const forbidden = new RegExp(`[${FORBIDDEN}]`, 'u')

/** Why a text is not one line of plain text (the first offending character and its position), or null. */
export function plainLineFault(text: string): string | null {
  const match = forbidden.exec(text)
  if (!match) return null
  const code = match[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')
  const position = [...text.slice(0, match.index)].length + 1
  return `must be one line of plain text: U+${code} at character ${position} is a control, line-separator or bidirectional formatting character, or half of a broken surrogate pair`
}

/** A string schema for a name: one line of plain text. */
export function PlainLine(options: { minLength?: number; maxLength?: number; description: string }) {
  return Type.String({
    ...options,
    pattern: PLAIN_LINE_PATTERN,
    description: `${options.description}. One line of plain text: no control, line-separator or bidirectional formatting characters, no lone surrogates`
  })
}
