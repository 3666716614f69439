// What can go wrong with a document before its report is read: a file type that is not read at all
// (a legacy .doc), and a file of a read type that holds no readable text (a scan, a broken file).
// Each says what to do, in Chinese and in English, like the importer's other messages.
import type { Language } from './messages.js'

type Texts = Record<Language, string>

/** The file type is not read; the message says which type to send instead. */
export class UnsupportedDocumentError extends Error {
  readonly text: Texts
  constructor(text: Texts) {
    super(text.en)
    this.name = 'UnsupportedDocumentError'
    this.text = text
  }
}

/** The file is of a type that is read, but nothing can be read from this one; the message says what to do. */
export class DocumentUnreadableError extends Error {
  readonly text: Texts
  constructor(text: Texts) {
    super(text.en)
    this.name = 'DocumentUnreadableError'
    this.text = text
  }
}

export const DOCUMENT_MESSAGES = {
  legacyDoc: {
    zh: '不读取旧版 Word 97–2003 文件（.doc）：请用 Word、WPS 或 LibreOffice 打开该文件，另存为 DOCX 或 PDF 后再发送',
    en: 'Legacy Word 97–2003 files (.doc) are not read: open the file in Word, WPS or LibreOffice and save it as DOCX or PDF, then send that.'
  },
  scan: {
    zh: '该 PDF 没有文字层（是扫描图像）：请先对其进行文字识别（OCR），发送带文字层的 PDF，或以 text/plain 发送报告文字',
    en: 'the PDF has no text layer: it is a scanned image. Run text recognition (OCR) on it and send the PDF with its text layer, or send the report’s text as text/plain'
  },
  notPdf: { zh: '请求体不是 PDF 文件（不以 %PDF- 开头）', en: 'the body is not a PDF file (it does not start with %PDF-)' },
  brokenPdf: { zh: '请求体不是可读取的 PDF 文件', en: 'the body is not a readable PDF file' },
  password: {
    zh: '该 PDF 设有密码保护：请去除密码保护后再发送',
    en: 'the PDF is protected by a password; send it without the password protection'
  },
  notDocx: {
    zh: '请求体不是 DOCX 文件（含 word/document.xml 的 ZIP 包）',
    en: 'the body is not a DOCX file (a ZIP package holding word/document.xml)'
  },
  brokenDocx: {
    zh: '无法读取该 DOCX 文件（文件已损坏或不是 Word 文档）',
    en: 'the DOCX file cannot be read (it is damaged or not a Word document)'
  }
} satisfies Record<string, Texts>

export const tooManyPages = (pages: number, max: number): Texts => ({
  zh: `该 PDF 共 ${pages} 页；一份报告至多 ${max} 页`,
  en: `the PDF has ${pages} pages; a report has at most ${max}`
})
