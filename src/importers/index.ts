// Importing a published report from the text a person copies out of a page or a PDF, or from the
// page's HTML. Every number comes from a printed cell (see `provenance`); a cell that cannot be
// read with certainty stays null, with a warning saying why.
import { articleItems, htmlToItems } from './html-items.js'
import { importItems } from './import-report.js'
import { findHeadings } from './regions.js'
import { textToItems } from './text-items.js'
import type { ImportOptions, ImportResult } from './types.js'

export { decodeHtml } from './decode.js'
export { ImportRejectedError, type ImportOptions, type ImportResult, type Provenance } from './types.js'

export function importText(text: string, options: ImportOptions = {}): ImportResult {
  return importItems(textToItems(text), {}, options)
}

export function importHtml(html: string, options: ImportOptions = {}): ImportResult {
  const page = htmlToItems(html)
  const headings = findHeadings(page.items).map((h) => h.start.item)
  return importItems(articleItems(page, headings), { title: page.title, publishedAt: page.publishedAt, paragraphs: true }, options)
}
