// Importing a published report from the text a person copies out of a page or a PDF, or from the
// page's HTML. Every number comes from a printed cell (see `provenance`); a cell that cannot be
// read with certainty stays null, with a warning saying why.
import { articleItems, htmlToItems } from './html-items.js'
import { importItems } from './import-report.js'
import { findHeadings } from './regions.js'
import { textToItems } from './text-items.js'
import { message } from './messages.js'
import type { ImportOptions, ImportResult } from './types.js'

export { decodeHtml } from './decode.js'
export { ImportRejectedError, type ImportOptions, type ImportResult, type Provenance } from './types.js'

/** A page's HTML source sent or pasted as plain text: a document start, or a page's worth of block markup. */
export function looksLikeHtml(text: string): boolean {
  const head = text.slice(0, 4096)
  if (/^\s*(?:<\?xml[^>]*>\s*)?(?:<!--[\s\S]*?-->\s*)*<(?:!doctype\s+html|html[\s>]|head[\s>]|body[\s>])/iu.test(head)) return true
  let tags = 0
  for (const _ of text.matchAll(/<\/?(?:p|div|table|tbody|tr|td|th|span|br|h[1-6])\b[^<>]{0,200}>/giu)) if (++tags >= 10) break
  return tags >= 10 && /<\/(?:p|div|td|tr|table)>/iu.test(text)
}

export function importText(text: string, options: ImportOptions = {}): ImportResult {
  if (looksLikeHtml(text)) {
    const read = importHtml(text, options)
    return { ...read, warnings: [message('text.isHtml', {}), ...read.warnings] }
  }
  return importItems(textToItems(text), {}, options)
}

export function importHtml(html: string, options: ImportOptions = {}): ImportResult {
  const page = htmlToItems(html)
  const headings = findHeadings(page.items).map((h) => h.start.item)
  return importItems(articleItems(page, headings), { title: page.title, publishedAt: page.publishedAt, paragraphs: true }, options)
}
