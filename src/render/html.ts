// A report as one self-contained, printable HTML page laid out like the official format: no scripts,
// no external resources. Every value cell carries `data-cell="<canonical code>"` so that a machine can
// read it back exactly, while the merged header and label cells keep it readable from labels alone.
import { type CellValue, type ReportInput, getCell } from '../format/document.js'
import { type CellDef, type Format, REVIEW_COLUMNS, TABLE_HEADINGS, type TableCode } from '../format/registry.js'
import {
  type LabelCell,
  applicantHeader,
  applicationLines,
  proactiveBlocks,
  proactiveWidth,
  reportParts,
  reviewCells,
  reviewHeader
} from './layout.js'
import { type RenderMeta, paragraphs, printedDate, reportTitle } from './meta.js'
import { formatPrinted } from './values.js'

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => ESCAPES[c])

const STYLE = `
@page { size: A4; margin: 2cm 1.8cm; }
body { font-family: "FangSong", "STFangsong", "SimSun", "Songti SC", serif; font-size: 12pt; line-height: 1.6; color: #000; background: #fff; max-width: 48em; margin: 1.5em auto; padding: 0 1em; }
h1 { font-family: "SimHei", "Heiti SC", sans-serif; font-size: 18pt; text-align: center; margin: 0 0 1em; }
h2 { font-family: "SimHei", "Heiti SC", sans-serif; font-size: 14pt; margin: 1.2em 0 0.5em; break-after: avoid; }
p { text-indent: 2em; margin: 0 0 0.4em; }
table { border-collapse: collapse; width: 100%; margin: 0.5em 0 1em; font-size: 10pt; line-height: 1.35; }
th, td { border: 1px solid #000; padding: 0.2em 0.35em; vertical-align: middle; }
th { font-weight: normal; text-align: center; }
tbody th { text-align: left; }
td { text-align: center; min-width: 2.5em; }
th.article { text-align: left; font-weight: bold; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
.signature { text-align: right; text-indent: 0; margin-top: 2em; }
@media print { body { margin: 0; max-width: none; padding: 0; } }
`.trim()

const attr = (name: string, n: number) => (n > 1 ? ` ${name}="${n}"` : '')
const th = (text: string, rowspan = 1, colspan = 1, cls = '') =>
  `<th${attr('rowspan', rowspan)}${attr('colspan', colspan)}${cls ? ` class="${cls}"` : ''}>${escapeHtml(text)}</th>`
const labelTh = (l: LabelCell) => th(l.text, l.rowspan, l.colspan)

function td(doc: ReportInput, cell: CellDef, colspan = 1): string {
  const value: CellValue = getCell(doc as unknown as Record<string, unknown>, cell)
  return `<td data-cell="${escapeHtml(cell.code)}"${attr('colspan', colspan)}>${escapeHtml(formatPrinted(cell, value))}</td>`
}

const tr = (cells: string[]) => `<tr>${cells.join('')}</tr>`

/** Table 二: per article a heading row over the table, then 信息内容 and the column headings, then the rows. */
function proactiveTable(doc: ReportInput, format: Format): string {
  const width = proactiveWidth(format)
  const lines: string[] = []
  for (const block of proactiveBlocks(format)) {
    const stretch = width - block.columns.length + 1 // the last column takes the width the block lacks
    const span = (i: number) => (i === block.columns.length - 1 ? stretch : 1)
    lines.push(tr([th(block.article, 1, width + 1, 'article')]))
    lines.push(tr([th(TABLE_HEADINGS.proactiveContent), ...block.columns.map((c, i) => th(c.label, 1, span(i)))]))
    for (const { row, cells } of block.rows) {
      lines.push(tr([th(row.label), ...cells.map((cell, i) => td(doc, cell, span(i)))]))
    }
  }
  return `<table class="proactive">\n<tbody>\n${lines.join('\n')}\n</tbody>\n</table>`
}

/** Table 三: 申请人情况 over 自然人 | 法人或其他组织 (five columns) | 总计; label columns with their spans. */
function applicationsTable(doc: ReportInput, format: Format): string {
  const header = applicantHeader()
  const width = header.reduce((n, s) => n + s.children.length, 0)
  const top = [th(TABLE_HEADINGS.applicationsNote, 3, 3), th(TABLE_HEADINGS.applicants, 1, width)]
  const middle: string[] = []
  const bottom: string[] = []
  for (const span of header) {
    if (span.parent === null) middle.push(...span.children.map((c) => th(c.label, 2)))
    else {
      middle.push(th(span.parent, 1, span.children.length))
      bottom.push(...span.children.map((c) => th(c.label)))
    }
  }
  const head = [top, middle, bottom].map(tr)
  const body = applicationLines(format).map((line) => tr([...line.labels.map(labelTh), ...line.cells.map((c) => td(doc, c))]))
  return `<table class="applications">\n<thead>\n${head.join('\n')}\n</thead>\n<tbody>\n${body.join('\n')}\n</tbody>\n</table>`
}

/** Table 四: 行政复议 (5) | 行政诉讼 = 未经复议直接起诉 (5) + 复议后起诉 (5); one row of fifteen cells. */
function reviewTable(doc: ReportInput): string {
  const columns = REVIEW_COLUMNS.map((c) => c.label)
  const top: string[] = []
  const middle: string[] = []
  const bottom: string[] = []
  for (const span of reviewHeader()) {
    if (span.parent === null) {
      for (const group of span.children) {
        top.push(th(group.label, 1, columns.length))
        middle.push(...columns.map((c) => th(c, 2)))
      }
    } else {
      top.push(th(span.parent, 1, columns.length * span.children.length))
      for (const group of span.children) {
        middle.push(th(group.label, 1, columns.length))
        bottom.push(...columns.map((c) => th(c)))
      }
    }
  }
  const head = [top, middle, bottom].filter((r) => r.length > 0).map(tr)
  const body = tr(reviewCells().map((c) => td(doc, c)))
  return `<table class="review-litigation">\n<thead>\n${head.join('\n')}\n</thead>\n<tbody>\n${body}\n</tbody>\n</table>`
}

function table(doc: ReportInput, code: TableCode): string {
  if (code === 'proactive') return proactiveTable(doc, doc.format)
  if (code === 'applications') return applicationsTable(doc, doc.format)
  return reviewTable(doc)
}

export function renderHtml(doc: ReportInput, meta: RenderMeta): string {
  const title = reportTitle(doc, meta)
  const parts = reportParts().map((part) => {
    const body =
      part.kind === 'table'
        ? table(doc, part.code)
        : paragraphs(doc.sections?.[part.code] ?? null)
            .map((p) => `<p>${escapeHtml(p)}</p>`)
            .join('\n')
    return [
      `<section class="part" data-part="${part.code}">`,
      `<h2>${escapeHtml(part.title)}</h2>`,
      ...(body ? [body] : []),
      '</section>'
    ].join('\n')
  })
  const signature = [meta.agencyName, printedDate(doc.publishedAt)].filter((s): s is string => !!s)
  return [
    '<!doctype html>',
    '<html lang="zh-CN">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>\n${STYLE}\n</style>`,
    '</head>',
    '<body>',
    '<main>',
    `<h1>${escapeHtml(title)}</h1>`,
    ...parts,
    ...(signature.length ? [`<p class="signature">${signature.map(escapeHtml).join('<br>')}</p>`] : []),
    '</main>',
    '</body>',
    '</html>',
    ''
  ].join('\n')
}
