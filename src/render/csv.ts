// CSV as RFC 4180: CRLF line ends, a field quoted when it holds a comma, a double quote, CR or LF,
// and quotes inside doubled. UTF-8; `bom: true` prefixes U+FEFF so that Excel reads it as UTF-8.
// Text cells are neutralised against formula injection (OWASP's rule): a spreadsheet runs a cell that
// starts with =, +, -, @, tab or CR as a formula (`=cmd|' /C calc'!A0`), and an agency's name is a
// caller's text. Such a cell gets a leading apostrophe, which spreadsheets read as "this is text" and do
// not display. Numbers stay numbers: a number, or text that is only a signed decimal (`-3`), is left as is.
import { type ReportInput, getCell } from '../format/document.js'
import { cellsOf } from '../format/registry.js'
import { printedCellLabel } from './layout.js'
import { formatValue, plainNumber } from './values.js'

export type CsvField = string | number | null | undefined

const BOM = '\uFEFF'

/** The first characters that make a spreadsheet read a cell as a formula, and (as a precaution) their full-width forms. */
const FORMULA_START = /^[=+\-@\t\r＝＋－＠]/
const PLAIN_NUMBER = /^[+-]?\d+(\.\d+)?$/

/** Text a spreadsheet would run, prefixed with an apostrophe; anything else unchanged. */
export function neutraliseFormula(text: string): string {
  return FORMULA_START.test(text) && !PLAIN_NUMBER.test(text) ? `'${text}` : text
}

function field(value: CsvField): string {
  if (value === null || value === undefined) return ''
  const text = typeof value === 'number' ? plainNumber(value) : neutraliseFormula(value)
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

/** A header line and one line per row; null and undefined are empty fields. Every line ends with CRLF. */
export function toCsv(header: string[], rows: Array<Array<CsvField>>, options: { bom?: boolean } = {}): string {
  const lines = [header, ...rows].map((row) => `${row.map(field).join(',')}\r\n`)
  return (options.bom ? BOM : '') + lines.join('')
}

/**
 * The header is `code,label,value` in English: `code` is the canonical vocabulary other systems read
 * (FORMAT.md), so the header stays machine-stable; `label` holds the official Chinese label.
 */
export const REPORT_CSV_HEADER = ['code', 'label', 'value']

/**
 * One line per cell of the report's format, in registry order: the canonical code, the label as the
 * format prints it, and the value — exact digits without unit (the code names the unit, e.g.
 * `amountWanYuan`), empty for a blank cell.
 */
export function renderReportCsv(doc: ReportInput, options: { bom?: boolean } = {}): string {
  const rows = cellsOf(doc.format).map((cell) => [
    cell.code,
    printedCellLabel(cell, doc.format),
    formatValue(cell, getCell(doc as unknown as Record<string, unknown>, cell))
  ])
  return toCsv(REPORT_CSV_HEADER, rows, options)
}
