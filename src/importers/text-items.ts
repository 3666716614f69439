// Plain text → items. A line with tabs is a table row copied from a web page; a `| … |` line is a
// Markdown table row; any other line is text (a PDF text layer prints table rows as text lines).
import { isPageMarker } from './normalize.js'
import type { Item, RowItem } from './types.js'

const MD_SEPARATOR = /^\s*\|?(?:\s*:?-{2,}:?\s*\|)+\s*:?-*:?\s*$/

const MD_HEADING = /^\s{0,3}#{1,6}\s+/
/** Markdown escapes (`\\*`), undone only in a text that is Markdown. */
const MD_ESCAPE = /\\([\\`*_[\]{}()<>#+\-=.!|~&])/g

export function textToItems(text: string): Item[] {
  const items: Item[] = []
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/)
  const markdown = lines.some((l) => MD_HEADING.test(l)) && lines.some((l) => /^\s*\|.*\|\s*$/.test(l))
  const unescapeMarkdown = (s: string) => (markdown ? s.replace(MD_ESCAPE, '$1') : s)
  lines.forEach((raw, index) => {
    const line = unescapeMarkdown(raw)
    const lineNo = index + 1
    if (line.trim() === '' || isPageMarker(line)) return
    if (/^\s*\|.*\|\s*$/.test(line)) {
      if (MD_SEPARATOR.test(line)) return
      items.push(splitRow(line, '|', lineNo, true))
      return
    }
    if (line.includes('\t')) {
      const row = splitRow(line, '\t', lineNo, false)
      if (row.cells.filter((c) => c.text !== '').length > 1) {
        items.push(row)
        return
      }
    }
    const heading = MD_HEADING.exec(line)?.[0].length ?? 0
    const start = heading + line.slice(heading).length - line.slice(heading).trimStart().length
    items.push({ kind: 'text', text: line.trim().replace(MD_HEADING, ''), at: { line: lineNo, column: start + 1 } })
  })
  return items
}

function splitRow(line: string, separator: string, lineNo: number, outerPipes: boolean): RowItem {
  const cells: RowItem['cells'] = []
  let offset = 0
  const parts = line.split(separator)
  parts.forEach((part, i) => {
    const skip = outerPipes && (i === 0 || i === parts.length - 1)
    if (!skip) {
      const lead = part.length - part.trimStart().length
      cells.push({ text: part.trim(), at: { line: lineNo, column: offset + lead + 1 } })
    }
    offset += part.length + separator.length
  })
  return { kind: 'row', cells }
}
