import type { Format } from '../format/registry.js'
import type { ReportInput } from '../format/document.js'
import { renderMessage, type ImportMessage } from './messages.js'

/** Where a value was read: the text as printed and its place (all positions 1-based). */
export interface Provenance {
  text: string
  /** PDF inputs: the page */
  page?: number
  /** text inputs: the line */
  line?: number
  /** text inputs: the character of the line where the text starts; HTML: the cell of the row */
  column?: number
  /** HTML: the data table of the page, and its row */
  table?: number
  row?: number
}

export interface ImportResult {
  report: Omit<ReportInput, 'agencyId'>
  agencyName: string | null
  provenance: Record<string, Provenance>
  warnings: ImportMessage[]
}

export interface ImportOptions {
  year?: number
  format?: Format
}

/** The input is not a report the format can hold (too old, or no report in it at all). */
export class ImportRejectedError extends Error {
  readonly detail: ImportMessage
  /** the reason in English, for logs */
  readonly reason: string
  constructor(detail: ImportMessage) {
    const reason = renderMessage(detail, 'en')
    super(`import rejected: ${reason}`)
    this.name = 'ImportRejectedError'
    this.detail = detail
    this.reason = reason
  }
}

/**
 * One unit of the input in reading order: a line of text, or a table row with its cells.
 * Both layouts (text and HTML) are turned into these, so one reader serves them all.
 */
export type Item = TextItem | RowItem

export interface TextItem {
  kind: 'text'
  text: string
  /** the place of text[0] in the source */
  at: Place
}

export interface RowItem {
  kind: 'row'
  /** `code`: the canonical cell code a page names for the cell (`data-cell`, as nianbao renders) */
  cells: Array<{ text: string; at: Place; code?: string }>
}

/** A place in the source: a line and character (text) or a table, row and cell (HTML). */
export interface Place {
  /** PDF inputs: the page */
  page?: number
  line?: number
  column?: number
  table?: number
  row?: number
}

export const provenanceOf = (text: string, at: Place): Provenance => ({ text, ...at })

/** The place `offset` characters further along the same line. */
export const advance = (at: Place, offset: number): Place => (at.column === undefined ? at : { ...at, column: at.column + offset })
