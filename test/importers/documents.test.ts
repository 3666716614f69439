// PDF and DOCX files of the development reports (test/fixtures/documents, made by make-documents.ts)
// import with every value of the hand-read documents (here the DOCX; the PDF layouts each in their own
// documents-*.test.ts); a PDF cell's provenance; a scan and a legacy .doc are refused.
import t from 'tap'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { importDocument, importDocx, importPdf, sniffDocument } from '../../src/importers/documents.js'
import { DOCUMENT_MESSAGES, DocumentUnreadableError, UnsupportedDocumentError } from '../../src/importers/document-errors.js'

const dir = fileURLToPath(new URL('../fixtures/documents/', import.meta.url))
import { checkDocuments, files } from './documents-cases.js'

t.test('every report has its layouts', async (t) => {
  t.same(
    files.filter((f) => f.startsWith('huzhu-')),
    [
      'huzhu-urban-management-2025.docx',
      'huzhu-urban-management-2025.landscape.pdf',
      'huzhu-urban-management-2025.portrait.pdf',
      'huzhu-urban-management-2025.writer.pdf'
    ]
  )
  t.ok(files.length >= 12)
})

checkDocuments('.docx')

t.test('a PDF cell is traced to its page, table, row and cell', async (t) => {
  const { provenance } = await importPdf(readFileSync(`${dir}huzhu-urban-management-2025.landscape.pdf`))
  t.match(provenance['proactive.licensing.decisions'], { text: '78', page: Number, table: 1, row: Number, column: 2 })
  t.match(provenance['applications.newReceived.total'], { page: Number, table: 2, column: Number })
})

t.test('a scan (no text layer) and a legacy .doc are refused, saying what to do', async (t) => {
  const scan = readFileSync(`${dir}scan.pdf`)
  t.equal(sniffDocument(scan), 'pdf')
  await t.rejects(importPdf(scan), new DocumentUnreadableError(DOCUMENT_MESSAGES.scan))
  const refused = await importPdf(scan).catch((err: DocumentUnreadableError) => err)
  t.same((refused as DocumentUnreadableError).text, {
    zh: '该 PDF 没有文字层（是扫描图像）：请先对其进行文字识别（OCR），发送带文字层的 PDF，或以 text/plain 发送报告文字',
    en: 'the PDF has no text layer: it is a scanned image. Run text recognition (OCR) on it and send the PDF with its text layer, or send the report’s text as text/plain'
  })
  const doc = readFileSync(`${dir}legacy.doc`)
  t.equal(sniffDocument(doc), 'doc')
  await t.rejects(importDocument('doc', doc), UnsupportedDocumentError)
  await t.rejects(importDocx(doc), { name: 'UnsupportedDocumentError', message: /save it as DOCX or PDF/ })
  await t.rejects(importPdf(Buffer.from('%PDF-1.7\nnot really')), {
    name: 'DocumentUnreadableError',
    message: 'the body is not a readable PDF file'
  })
  await t.rejects(importDocx(Buffer.from('PK\u0003\u0004 not a docx')), { message: /not a DOCX file/ })
})
