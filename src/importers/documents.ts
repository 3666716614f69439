// Reports published as files: a PDF is read from its text layer, with positions, so its tables are
// rebuilt by rows and columns (pdf.ts, pdf-layout.ts); a Word file (DOCX) is turned into HTML by
// mammoth and read by the HTML reader. A legacy Word 97–2003 file (.doc) is not read: its format is
// a closed binary one, and Word or LibreOffice save it as DOCX or PDF in a click.
import { DOCUMENT_MESSAGES as M, DocumentUnreadableError, UnsupportedDocumentError } from './document-errors.js'
import { importItems } from './import-report.js'
import { hasTextLayer, pdfToItems } from './pdf-layout.js'
import { importHtml } from './index.js'
import type { ImportOptions, ImportResult } from './types.js'

export const PDF = 'application/pdf'
export const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'
export const DOC = 'application/msword'

export type DocumentType = 'pdf' | 'docx' | 'doc'

/** The type of a document by its first bytes, for files sent without a precise media type. */
export function sniffDocument(bytes: Uint8Array): DocumentType | null {
  const head = Buffer.from(bytes.subarray(0, 8))
  if (head.subarray(0, 5).toString('latin1') === '%PDF-') return 'pdf'
  // an OLE2 compound file: Word 97–2003 (or another old Office file)
  if (head.equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]))) return 'doc'
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) {
    // a ZIP: a DOCX when it holds word/document.xml (named in its central directory)
    return Buffer.from(bytes).includes('word/document.xml') ? 'docx' : null
  }
  return null
}

export async function importDocument(type: DocumentType, bytes: Uint8Array, options: ImportOptions = {}): Promise<ImportResult> {
  if (type === 'doc') throw new UnsupportedDocumentError(M.legacyDoc)
  if (type === 'pdf') return importPdf(bytes, options)
  return importDocx(bytes, options)
}

export async function importPdf(bytes: Uint8Array, options: ImportOptions = {}): Promise<ImportResult> {
  if (sniffDocument(bytes) !== 'pdf') throw new DocumentUnreadableError(M.notPdf)
  // pdfjs and mammoth are large: loaded on the first file, not when the service starts
  const { readPdf } = await import('./pdf.js')
  const pages = await readPdf(bytes)
  if (!hasTextLayer(pages)) {
    throw new DocumentUnreadableError(M.scan)
  }
  return importItems(pdfToItems(pages), {}, options)
}

export async function importDocx(bytes: Uint8Array, options: ImportOptions = {}): Promise<ImportResult> {
  const kind = sniffDocument(bytes)
  if (kind === 'doc') throw new UnsupportedDocumentError(M.legacyDoc)
  if (kind !== 'docx') throw new DocumentUnreadableError(M.notDocx)
  const { default: mammoth } = await import('mammoth')
  let html: string
  try {
    const converted = await mammoth.convertToHtml(
      { buffer: Buffer.from(bytes) },
      // pictures carry no figures the importer reads: leave them out rather than inline them
      { convertImage: mammoth.images.imgElement(async () => ({ src: '' })), ignoreEmptyParagraphs: true }
    )
    html = converted.value
  } catch {
    throw new DocumentUnreadableError(M.brokenDocx)
  }
  return importHtml(`<!doctype html><html><head><meta charset="utf-8"></head><body>${html}</body></html>`, options)
}
