// XLSX (Office Open XML SpreadsheetML) for Excel and WPS, which is what offices open. A workbook of plain
// sheets: a bold, frozen header row with a filter, then typed cells. Text cells are inline strings in the
// text number format with a quote prefix, so codes stay text ('000000', '630223' never become numbers) and
// a value that looks like a formula ('=1+1', '@SUM(…)') is text even after a user edits the cell. Numbers
// are written in plain decimal digits, so what the sheet holds is exactly the JSON value. fflate makes
// the ZIP container; the XML parts are few and written here.
import { zipSync, strToU8 } from 'fflate'
import { plainNumber } from './values.js'

export type XlsxValue = string | number | null | undefined

export interface XlsxSheet {
  /** at most 31 characters, none of []:*?/\ */
  name: string
  header: string[]
  /** `text` columns hold codes and names: their cells are always text, even when they look like numbers */
  types?: Array<'text' | 'number'>
  rows: XlsxValue[][]
}

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

/** Excel's limit on the characters of one cell. */
export const MAX_CELL_TEXT = 32767

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }

/**
 * Text as XML character data. Control characters XML 1.0 cannot carry are written as SpreadsheetML's
 * `_xHHHH_` escapes (and a literal `_xHHHH_` in the text has its underscore escaped), so nothing is lost.
 */
export function xmlText(text: string): string {
  return text
    .replace(/_(x[0-9A-Fa-f]{4}_)/g, '_x005F_$1')
    .replace(
      /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g,
      (c) => `_x${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}_`
    )
    .replace(/[&<>"]/g, (c) => XML_ESCAPES[c])
}

/** 0 → A, 25 → Z, 26 → AA. */
export function columnName(index: number): string {
  let name = ''
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name
  return name
}

// style 0: default; 1: header (bold, text); 2: text cell (number format '@', quote prefix)
const STYLES = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font><font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>
<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="49" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" applyNumberFormat="1" quotePrefix="1"/><xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" quotePrefix="1"/></cellXfs>
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>
</styleSheet>`

const textCell = (ref: string, text: string, style: number) =>
  `<c r="${ref}" s="${style}" t="inlineStr"><is><t xml:space="preserve">${xmlText(text)}</t></is></c>`

/** A display width: CJK characters take two columns. */
const widthOf = (text: string) => [...text].reduce((w, c) => w + (c.charCodeAt(0) > 0x2e7f ? 2 : 1), 0)

function sheetXml(sheet: XlsxSheet): string {
  const lastColumn = columnName(Math.max(sheet.header.length, 1) - 1)
  const widths = sheet.header.map((h) => Math.min(Math.max(widthOf(h), 6), 40))
  const lines = [sheet.header, ...sheet.rows].map((row, r) => {
    const cells = row.map((value, c) => {
      const ref = `${columnName(c)}${r + 1}`
      if (value === null || value === undefined) return ''
      if (r === 0) return textCell(ref, String(value), 1)
      if (typeof value === 'number' && sheet.types?.[c] !== 'text') {
        if (!Number.isFinite(value)) throw new Error(`xlsx: ${ref} is not a finite number`)
        widths[c] = Math.min(Math.max(widths[c], plainNumber(value).length + 1), 40)
        return `<c r="${ref}"><v>${plainNumber(value)}</v></c>`
      }
      // a sum too large for a double's digits comes as its exact decimal text: still a number cell
      if (typeof value === 'string' && sheet.types?.[c] === 'number' && /^-?\d+(\.\d+)?$/.test(value)) {
        widths[c] = Math.min(Math.max(widths[c], value.length + 1), 40)
        return `<c r="${ref}"><v>${value}</v></c>`
      }
      const text = typeof value === 'number' ? plainNumber(value) : value
      if (text.length > MAX_CELL_TEXT)
        throw new Error(`xlsx: ${ref} holds ${text.length} characters, more than a cell can (${MAX_CELL_TEXT})`)
      widths[c] = Math.min(Math.max(widths[c], widthOf(text) + 1), 60)
      return textCell(ref, text, 2)
    })
    return `<row r="${r + 1}">${cells.join('')}</row>`
  })
  const cols = widths.map((w, i) => `<col min="${i + 1}" max="${i + 1}" width="${w + 2}" customWidth="1"/>`).join('')
  return [
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">',
    `<dimension ref="A1:${lastColumn}${sheet.rows.length + 1}"/>`,
    '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>',
    '<sheetFormatPr defaultRowHeight="15"/>',
    cols ? `<cols>${cols}</cols>` : '',
    `<sheetData>${lines.join('')}</sheetData>`,
    sheet.header.length ? `<autoFilter ref="A1:${lastColumn}${sheet.rows.length + 1}"/>` : '',
    '</worksheet>'
  ].join('')
}

const SHEET_NAME = /^[^[\]:*?/\\]{1,31}$/

/** The workbook's bytes. Deterministic: the same sheets give the same file (the ZIP entries carry a fixed date). */
export function renderXlsx(sheets: readonly XlsxSheet[]): Uint8Array {
  if (sheets.length === 0) throw new Error('xlsx: a workbook needs a sheet')
  for (const s of sheets) if (!SHEET_NAME.test(s.name)) throw new Error(`xlsx: '${s.name}' is not a valid sheet name`)
  const ns = 'http://schemas.openxmlformats.org/'
  const files: Record<string, string> = {
    '[Content_Types].xml':
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="${ns}package/2006/content-types">` +
      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>' +
      '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
      '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>' +
      sheets
        .map(
          (_, i) =>
            `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`
        )
        .join('') +
      '</Types>',
    '_rels/.rels':
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="${ns}package/2006/relationships">` +
      `<Relationship Id="rId1" Type="${ns}officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    'xl/workbook.xml':
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="${ns}spreadsheetml/2006/main" xmlns:r="${ns}officeDocument/2006/relationships"><sheets>` +
      sheets.map((s, i) => `<sheet name="${xmlText(s.name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('') +
      '</sheets>' +
      '</workbook>',
    'xl/_rels/workbook.xml.rels':
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="${ns}package/2006/relationships">` +
      sheets
        .map(
          (_, i) =>
            `<Relationship Id="rId${i + 1}" Type="${ns}officeDocument/2006/relationships/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`
        )
        .join('') +
      `<Relationship Id="rId${sheets.length + 1}" Type="${ns}officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>`,
    'xl/styles.xml': STYLES
  }
  sheets.forEach((s, i) => (files[`xl/worksheets/sheet${i + 1}.xml`] = sheetXml(s)))
  const mtime = new Date('2000-01-01T00:00:00Z')
  return zipSync(Object.fromEntries(Object.entries(files).map(([name, text]) => [name, [strToU8(text), { mtime }]])), { level: 6 })
}
