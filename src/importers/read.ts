// Reading a report from the bytes a caller sent — the part of an import that depends only on its input, and
// so the part that runs in the import workers (src/import-pool.ts): what goes in and what comes out are plain
// data, and a refusal is a plain ReadFailure that the service turns into its problem (src/import-service.ts).
import { TextDecoder } from 'node:util'
import { decodeHtml, importHtml, importText, ImportRejectedError, type ImportOptions, type ImportResult } from './index.js'
import { DOC, DOCX, importDocument, PDF, sniffDocument, type DocumentType } from './documents.js'
import { DocumentUnreadableError, UnsupportedDocumentError } from './document-errors.js'
import { attachmentLinks } from './fetch-url.js'
import { message, type ImportMessage, type Language } from './messages.js'
import { SECTION_MAX_LENGTH } from '../format/registry.js'

/** Read the report from a body: a file (PDF, DOCX), an HTML page or text, by its media type. */
export interface ReadTask {
  kind: 'read'
  body: Uint8Array
  /** the media type and its charset parameter, e.g. `text/html; charset=gbk` */
  contentType: string
  options: ImportOptions
}

/** The links to report files (附件) on an HTML page, best first. */
export interface LinksTask {
  kind: 'links'
  body: Uint8Array
  contentType: string
  baseUrl: string
}

export type ImportTask = ReadTask | LinksTask
export type TaskResult<T extends ImportTask> = T extends ReadTask ? ImportResult : string[]

/** Why a body could not be read, as plain data (it crosses from a worker). */
export type ReadFailure =
  /** not a report the format can hold */
  | { kind: 'rejected'; detail: ImportMessage }
  /** a file type that is not read (.doc) */
  | { kind: 'unsupportedDocument'; text: Record<Language, string> }
  /** a file of a read type with nothing readable in it */
  | { kind: 'unreadable'; text: Record<Language, string> }
  /** application/octet-stream that is neither a PDF nor a DOCX */
  | { kind: 'notDocument' }
  | { kind: 'unknownCharset'; charset: string }
  | { kind: 'badText'; charset: string }

export class ReadError extends Error {
  readonly failure: ReadFailure
  constructor(failure: ReadFailure) {
    super(`import read failed: ${failure.kind}`)
    this.name = 'ReadError'
    this.failure = failure
  }
}

const DOCUMENT_TYPES: Record<string, DocumentType> = { [PDF]: 'pdf', [DOCX]: 'docx', [DOC]: 'doc' }

/** A file (PDF, DOCX, .doc) by its media type, or by its first bytes when sent as application/octet-stream. */
function documentType(body: Uint8Array, contentType: string): DocumentType | null {
  const type = contentType.split(';')[0].trim().toLowerCase()
  if (type in DOCUMENT_TYPES) return DOCUMENT_TYPES[type]
  if (type !== 'application/octet-stream') return null
  const sniffed = sniffDocument(body)
  if (!sniffed) throw new ReadError({ kind: 'notDocument' })
  return sniffed
}

/** The text of the body, honouring the declared charset; bytes that are not valid in it are refused. */
function decodeBody(body: Uint8Array, contentType: string): { kind: 'html' | 'text'; text: string } {
  const [type, ...params] = contentType.split(';').map((p) => p.trim())
  const charset = params
    .find((p) => /^charset=/i.test(p))
    ?.slice(8)
    .replace(/"/g, '')
  if (/^(text\/html|application\/xhtml\+xml)$/i.test(type))
    return { kind: 'html', text: decodeHtml(Buffer.from(body.buffer, body.byteOffset, body.byteLength), charset) }
  let decoder: TextDecoder
  try {
    decoder = new TextDecoder(charset ?? 'utf-8', { fatal: true })
  } catch {
    throw new ReadError({ kind: 'unknownCharset', charset: String(charset) })
  }
  try {
    return { kind: 'text', text: decoder.decode(body) }
  } catch {
    throw new ReadError({ kind: 'badText', charset: charset ?? 'UTF-8' })
  }
}

/**
 * The largest reading, in characters of JSON: three sections at their limit, and room for the cells, their
 * provenance and the warnings. Anything larger is not one report — and what a reading gives is checked and
 * serialised on the request thread, so it is bounded here.
 */
export const RESULT_MAX_CHARACTERS = 5 * SECTION_MAX_LENGTH

async function read(task: ReadTask): Promise<ImportResult> {
  const type = documentType(task.body, task.contentType)
  let result: ImportResult
  if (type) result = await importDocument(type, task.body, task.options)
  else {
    const { kind, text } = decodeBody(task.body, task.contentType)
    result = kind === 'html' ? importHtml(text, task.options) : importText(text, task.options)
  }
  const characters = JSON.stringify(result).length
  if (characters > RESULT_MAX_CHARACTERS)
    throw new ImportRejectedError(message('rejected.resultTooLarge', { characters, max: RESULT_MAX_CHARACTERS }))
  return result
}

/**
 * Loads the modules a task needs that are not loaded yet (the PDF reader and pdfjs-dist, mammoth for DOCX):
 * the same work whatever the input, which the import pool keeps out of the task's time budget.
 */
export async function prepare(task: ImportTask): Promise<void> {
  if (task.kind !== 'read') return
  let type: DocumentType | null
  try {
    type = documentType(task.body, task.contentType)
  } catch {
    return
  }
  if (type === 'pdf') await import('./pdf.js')
  if (type === 'docx') await import('mammoth')
}

/** Runs a task; a refusal is thrown as a ReadError. */
export async function runTask<T extends ImportTask>(task: T): Promise<TaskResult<T>> {
  try {
    if (task.kind === 'read') return (await read(task)) as TaskResult<T>
    const body = Buffer.from(task.body.buffer, task.body.byteOffset, task.body.byteLength)
    return attachmentLinks(decodeHtml(body, task.contentType), task.baseUrl) as TaskResult<T>
  } catch (err) {
    const failure = failureOf(err)
    throw failure ? new ReadError(failure) : err
  }
}

/** The failure an error of the readers stands for, or null for an error of another kind (a bug). */
export function failureOf(err: unknown): ReadFailure | null {
  if (err instanceof ReadError) return err.failure
  if (err instanceof ImportRejectedError) return { kind: 'rejected', detail: err.detail }
  if (err instanceof UnsupportedDocumentError) return { kind: 'unsupportedDocument', text: err.text }
  if (err instanceof DocumentUnreadableError) return { kind: 'unreadable', text: err.text }
  return null
}
