// A report as an XLSX workbook: sheet 单元格 has one row per cell of its format (code, label as printed,
// value — the same lines as the CSV, numbers as numbers), sheet 报告 the report's facts and text sections.
import { type ReportInput, getCell } from '../format/document.js'
import { SECTIONS, cellsOf } from '../format/registry.js'
import { printedCellLabel } from './layout.js'
import { type RenderMeta, reportTitle } from './meta.js'
import { formatValue } from './values.js'
import { MAX_CELL_TEXT, renderXlsx, type XlsxValue } from './xlsx.js'

/** A text longer than a cell holds goes on in the rows below, marked （续）: nothing is cut. */
function textRows(label: string, text: string | null): XlsxValue[][] {
  if (text === null || text.length <= MAX_CELL_TEXT) return [[label, text]]
  const rows: XlsxValue[][] = []
  for (let at = 0; at < text.length; at += MAX_CELL_TEXT)
    rows.push([at === 0 ? label : `${label}（续）`, text.slice(at, at + MAX_CELL_TEXT)])
  return rows
}

export function renderReportXlsx(doc: ReportInput, meta: RenderMeta): Uint8Array {
  const cells = cellsOf(doc.format).map((cell) => {
    const text = formatValue(cell, getCell(doc as unknown as Record<string, unknown>, cell))
    return [cell.code, printedCellLabel(cell, doc.format), text === '' ? null : Number(text)]
  })
  const facts: XlsxValue[][] = [
    ['标题', reportTitle(doc, meta)],
    ['机关', meta.agencyName],
    ['机关ID', String(doc.agencyId)],
    ['年度', String(doc.year)],
    ['格式', doc.format],
    ['范围', doc.scope ?? 'own'],
    ['发布日期', doc.publishedAt ?? null],
    ['来源', doc.sourceUrl ?? null],
    ...SECTIONS.flatMap((s) => textRows(s.title, doc.sections?.[s.code] ?? null))
  ]
  return renderXlsx([
    { name: '单元格', header: ['code', 'label', 'value'], types: ['text', 'text', 'number'], rows: cells },
    { name: '报告', header: ['项目', '内容'], types: ['text', 'text'], rows: facts }
  ])
}
