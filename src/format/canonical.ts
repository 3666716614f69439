// The two stored forms of a written report, both pure functions of the document: the canonical JSON
// document as served, and the flat array of stored cells (the row of report_cells and the roll-up deltas).
import { CELLS } from './registry.js'
import { emptyTables, getCell, setCell, toStoredMoney, type ReportInput } from './document.js'

/** The stored form of every cell, in CELLS order: money as integer 分, blanks as null. */
export function storedCells(doc: ReportInput): Array<number | null> {
  return CELLS.map((cell) => {
    const value = getCell(doc as unknown as Record<string, unknown>, cell)
    if (value === null || !cell.formats.includes(doc.format)) return null
    return cell.kind === 'money' ? (toStoredMoney(value, cell) ?? null) : value
  })
}

export interface DocumentMeta {
  id: number
  revision: number
  createdAt: string
  updatedAt: string
  /** where the report is in its life: draft, submitted, returned or accepted */
  state: string
}

/** The document as served: canonical key order, every cell of the format present, blanks null. */
export function canonicalDocument(input: ReportInput, meta: DocumentMeta): Record<string, unknown> {
  const tables = emptyTables(input.format)
  const target = tables as unknown as Record<string, unknown>
  for (const cell of CELLS) {
    if (!cell.formats.includes(input.format) && cell.table !== 'applications') continue
    setCell(target, cell, getCell(input as unknown as Record<string, unknown>, cell))
  }
  return {
    id: meta.id,
    agencyId: input.agencyId,
    year: input.year,
    format: input.format,
    scope: input.scope ?? 'own',
    publishedAt: input.publishedAt ?? null,
    title: input.title ?? null,
    sourceUrl: input.sourceUrl ?? null,
    sections: {
      overview: input.sections?.overview ?? null,
      problems: input.sections?.problems ?? null,
      otherMatters: input.sections?.otherMatters ?? null
    },
    proactive: tables.proactive,
    applications: tables.applications,
    reviewLitigation: tables.reviewLitigation,
    revision: meta.revision,
    createdAt: meta.createdAt,
    updatedAt: meta.updatedAt,
    state: meta.state
  }
}

/** The region prefix an aggregate report of an agency at this level covers ('' for the whole country). */
export function areaPrefix(regionCode: string, level: string): string {
  if (level === 'national') return ''
  if (level === 'provincial') return regionCode.slice(0, 2)
  if (level === 'prefectural') return regionCode.slice(0, 4)
  return regionCode
}
