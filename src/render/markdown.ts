// A report as Markdown (GFM): the six parts in order, each table as pipe tables. Pipe tables have no
// merged cells, so every line carries its whole row label (`（三）不予公开 1.属于国家秘密`) and every
// column its whole heading (`法人或其他组织·商业企业`): each line reads on its own.
import { type ReportInput, getCell } from '../format/document.js'
import {
  APPLICANT_COLUMNS,
  APPLICANT_COLUMN_FULL_LABELS,
  type CellDef,
  type Format,
  TABLE_HEADINGS,
  type TableCode
} from '../format/registry.js'
import { applicationLines, proactiveBlocks, reportParts, reviewCells } from './layout.js'
import { type RenderMeta, paragraphs, printedDate, reportTitle } from './meta.js'
import { formatPrinted } from './values.js'

/** Inline text: Markdown punctuation and raw HTML are backslash-escaped, so text is only ever text. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]<>&|~]/g, (c) => `\\${c}`)
}

/** A paragraph must not start a heading, list, quote or rule: escape what would. */
function escapeParagraph(text: string): string {
  return escapeMarkdown(text)
    .replace(/^([#>+\-=])/, '\\$1')
    .replace(/^(\d+)([.)])(?=\s|$)/, '$1\\$2')
}

const cellText = (text: string) => escapeMarkdown(text.replace(/\s+/g, ' ').trim())

function pipeTable(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.map(cellText).join(' | ')} |`
  return [line(header), `|${header.map(() => ' --- ').join('|')}|`, ...rows.map(line)].join('\n')
}

const value = (doc: ReportInput, cell: CellDef) => formatPrinted(cell, getCell(doc as unknown as Record<string, unknown>, cell))

function proactiveTables(doc: ReportInput, format: Format): string {
  return proactiveBlocks(format)
    .map((block) => {
      const header = [TABLE_HEADINGS.proactiveContent, ...block.columns.map((c) => c.label)]
      const rows = block.rows.map(({ row, cells }) => [row.label, ...cells.map((c) => value(doc, c))])
      return `### ${escapeMarkdown(block.article)}\n\n${pipeTable(header, rows)}`
    })
    .join('\n\n')
}

function applicationsTable(doc: ReportInput, format: Format): string {
  const header = [TABLE_HEADINGS.applicationsNote, ...APPLICANT_COLUMNS.map((c) => APPLICANT_COLUMN_FULL_LABELS[c.code])]
  const rows = applicationLines(format).map((line) => [line.flatLabel, ...line.cells.map((c) => value(doc, c))])
  return pipeTable(header, rows)
}

/** Table 四 keeps the format's single row of fifteen cells, each column headed by its group and result. */
function reviewTable(doc: ReportInput): string {
  const cells = reviewCells()
  return pipeTable(
    cells.map((c) => c.label),
    [cells.map((c) => value(doc, c))]
  )
}

function table(doc: ReportInput, code: TableCode): string {
  if (code === 'proactive') return proactiveTables(doc, doc.format)
  if (code === 'applications') return applicationsTable(doc, doc.format)
  return reviewTable(doc)
}

export function renderMarkdown(doc: ReportInput, meta: RenderMeta): string {
  const blocks: string[] = [`# ${escapeMarkdown(reportTitle(doc, meta))}`]
  for (const part of reportParts()) {
    blocks.push(`## ${escapeMarkdown(part.title)}`)
    const body = part.kind === 'table' ? [table(doc, part.code)] : paragraphs(doc.sections?.[part.code] ?? null).map(escapeParagraph)
    blocks.push(...body)
  }
  const signature = [meta.agencyName, printedDate(doc.publishedAt)].filter((s): s is string => !!s)
  // two trailing spaces: a hard line break between the name and the date
  if (signature.length) blocks.push(signature.map(escapeParagraph).join('  \n'))
  return `${blocks.join('\n\n')}\n`
}
