// PDF and DOCX files of the development reports (test/fixtures/documents, made by make-documents.ts)
// import with every value of the hand-read documents, in every layout; a scan and a legacy .doc are refused.
import t from 'tap'
import { readFileSync, readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { CELLS } from '../../src/format/registry.js'
import { getCell } from '../../src/format/document.js'
import { importDocument, importDocx, importPdf, sniffDocument } from '../../src/importers/documents.js'
import { DOCUMENT_MESSAGES, DocumentUnreadableError, UnsupportedDocumentError } from '../../src/importers/document-errors.js'

const dir = fileURLToPath(new URL('../fixtures/documents/', import.meta.url))
const reports = fileURLToPath(new URL('../fixtures/reports/', import.meta.url))
const EXPECTED: Record<string, string> = {
  'huzhu-urban-management-2025': 'huzhu-urban-management-2025.expected.json',
  'pingtan-2021': 'pingtan-2021-page.expected.json',
  'huaian-city-government-2024': 'huaian-city-government-2024.expected.json',
  'shanghai-general-office-2025': 'shanghai-general-office-2025.expected.json'
}
const files = readdirSync(dir).filter((f) => /\.(pdf|docx)$/.test(f) && f !== 'scan.pdf')

/** Whether the hand-read document lists the cell (partial documents list only what was read). */
const listed = (doc: Record<string, unknown>, path: string[]) =>
  path.reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], doc) !== undefined

t.test('every report has its layouts', async (t) => {
  t.same(
    files.filter((f) => f.startsWith('huzhu-')),
    ['huzhu-urban-management-2025.docx', 'huzhu-urban-management-2025.landscape.pdf', 'huzhu-urban-management-2025.portrait.pdf', 'huzhu-urban-management-2025.writer.pdf']
  )
  t.ok(files.length >= 12)
})

for (const file of files) {
  t.test(file, async (t) => {
    const name = file.replace(/\.(portrait|landscape|writer)?\.?(pdf|docx)$/, '')
    const expected = JSON.parse(readFileSync(reports + EXPECTED[name], 'utf8'))
    const bytes = readFileSync(dir + file)
    const result = file.endsWith('.pdf') ? await importPdf(bytes) : await importDocx(bytes)
    const { report } = result
    t.equal(report.year, expected.year, 'year')
    t.equal(report.format, expected.format, 'format')
    t.equal(report.scope, expected.scope, 'scope')
    t.equal(report.publishedAt, expected.publishedAt ?? report.publishedAt, 'publishedAt')
    t.ok(expected.agency.name.startsWith(result.agencyName), `agency ${result.agencyName}`)
    let compared = 0
    for (const cell of CELLS) {
      if (!listed(expected, cell.path)) continue
      compared++
      t.equal(getCell(report, cell), getCell(expected, cell), cell.code)
      if (getCell(report, cell) !== null) t.ok(result.provenance[cell.code], `${cell.code} has provenance`)
    }
    t.ok(compared >= 20, `${compared} hand-read cells compared`)
    // a PDF's text layer may carry the space a printer puts between Chinese and Western text (`2025 年`)
    const text = (s: string | null | undefined) => (s ?? '').replace(/ (?=\p{Script=Han})|(?<=\p{Script=Han}) /gu, '')
    for (const code of ['overview', 'problems', 'otherMatters'] as const) {
      const startsWith = expected.sections?.[`${code}StartsWith`]
      if (startsWith) t.ok(text(report.sections[code]).startsWith(text(startsWith)), `${code} starts with ${startsWith}`)
      if (typeof expected.sections?.[code] === 'string') t.equal(text(report.sections[code]), text(expected.sections[code]), code)
    }
  })
}

t.test('a PDF cell is traced to its page, table, row and cell', async (t) => {
  const { provenance } = await importPdf(readFileSync(dir + 'huzhu-urban-management-2025.landscape.pdf'))
  t.match(provenance['proactive.licensing.decisions'], { text: '78', page: Number, table: 1, row: Number, column: 2 })
  t.match(provenance['applications.newReceived.total'], { page: Number, table: 2, column: Number })
})

t.test('a scan (no text layer) and a legacy .doc are refused, saying what to do', async (t) => {
  const scan = readFileSync(dir + 'scan.pdf')
  t.equal(sniffDocument(scan), 'pdf')
  await t.rejects(importPdf(scan), new DocumentUnreadableError(DOCUMENT_MESSAGES.scan))
  const refused = await importPdf(scan).catch((err: DocumentUnreadableError) => err)
  t.same((refused as DocumentUnreadableError).text, {
    zh: '该 PDF 没有文字层（是扫描图像）：请先对其进行文字识别（OCR），发送带文字层的 PDF，或以 text/plain 发送报告文字',
    en: 'the PDF has no text layer: it is a scanned image. Run text recognition (OCR) on it and send the PDF with its text layer, or send the report’s text as text/plain'
  })
  const doc = readFileSync(dir + 'legacy.doc')
  t.equal(sniffDocument(doc), 'doc')
  await t.rejects(importDocument('doc', doc), UnsupportedDocumentError)
  await t.rejects(importDocx(doc), { name: 'UnsupportedDocumentError', message: /save it as DOCX or PDF/ })
  await t.rejects(importPdf(Buffer.from('%PDF-1.7\nnot really')), { name: 'DocumentUnreadableError', message: 'the body is not a readable PDF file' })
  await t.rejects(importDocx(Buffer.from('PK\u0003\u0004 not a docx')), { message: /not a DOCX file/ })
})
