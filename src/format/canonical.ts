// The two stored forms of a written report, both pure functions of the document: the canonical JSON
// document as served, and the flat array of stored cells (the row of report_cells and the roll-up deltas).
import { CELLS, type CellDef, type Format } from './registry.js'
import { cellValues, emptyTables, setCell, toStoredMoney, type ReportInput } from './document.js'

/** Per format, per position in CELLS: the cell when the format has it, else null (stored blank). */
const STORED = new Map<string, Array<CellDef | null>>()

/** The stored form of every cell, in CELLS order: money as integer 分, blanks as null. */
export function storedCells(doc: ReportInput): Array<number | null> {
  let plan = STORED.get(doc.format)
  if (!plan) STORED.set(doc.format, (plan = CELLS.map((cell) => (cell.formats.includes(doc.format) ? cell : null))))
  const out = cellValues(doc)
  for (let i = 0; i < plan.length; i++) {
    const cell = plan[i]
    const value = out[i]
    if (!cell) out[i] = null
    else if (value !== null && cell.kind === 'money') out[i] = toStoredMoney(value, cell) ?? null
  }
  return out
}

export interface DocumentMeta {
  id: number
  revision: number
  createdAt: string
  updatedAt: string
  /** where the report is in its life: draft, submitted, returned or accepted */
  state: string
}

/**
 * A format's tables as a template: the tree `emptyTables` builds, every key in its place, with the cells that
 * `canonicalDocument` copies from the input marked by their index in CELLS (−1: stays blank). Built by running
 * the generic algorithm once on markers, so the template is that algorithm's output by construction.
 */
interface Template {
  keys: string[]
  /** per key: a sub-template, or a leaf: the cell's index in CELLS (−1: always null) */
  children: Array<Template | number>
}

const TEMPLATES = new Map<Format, Template>()
function templateOf(format: Format): Template {
  let template = TEMPLATES.get(format)
  if (!template) {
    const tables = emptyTables(format) as unknown as Record<string, unknown>
    CELLS.forEach((cell, i) => {
      if (cell.formats.includes(format) || cell.table === 'applications') setCell(tables, cell, -2 - i)
    })
    const build = (node: Record<string, unknown>): Template => {
      const keys = Object.keys(node)
      return {
        keys,
        children: keys.map((k) => {
          const v = node[k]
          if (v !== null && typeof v === 'object') return build(v as Record<string, unknown>)
          return typeof v === 'number' ? -2 - v : -1
        })
      }
    }
    template = build({ proactive: tables.proactive, applications: tables.applications, reviewLitigation: tables.reviewLitigation })
    TEMPLATES.set(format, template)
  }
  return template
}

/** The keys of a template as JSON text (`"key":`), per template: written as they are for every document. */
const KEY_TEXTS = new WeakMap<Template, string[]>()

/** `JSON.stringify(fill(template, input))`, written directly: the same text without the intermediate objects. */
function fillText(template: Template, input: unknown): string {
  let keys = KEY_TEXTS.get(template)
  if (!keys) KEY_TEXTS.set(template, (keys = template.keys.map((k) => `${JSON.stringify(k)}:`)))
  const node = input !== null && typeof input === 'object' ? (input as Record<string, unknown>) : undefined
  let text = '{'
  for (let i = 0; i < keys.length; i++) {
    const child = template.children[i]
    const value = node?.[template.keys[i]]
    if (i > 0) text += ','
    text += keys[i]
    if (typeof child !== 'number') text += fillText(child, value)
    // JSON.stringify writes a finite number as String does, and any other as null
    else text += child >= 0 && typeof value === 'number' && Number.isFinite(value) ? String(value) : 'null'
  }
  return `${text}}`
}

/** The template filled from `input` (walked beside it): what getCell reads, or null. */
function fill(template: Template, input: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  const node = input !== null && typeof input === 'object' ? (input as Record<string, unknown>) : undefined
  for (let i = 0; i < template.keys.length; i++) {
    const key = template.keys[i]
    const child = template.children[i]
    const value = node?.[key]
    if (typeof child === 'number') out[key] = child >= 0 && typeof value === 'number' ? value : null
    else out[key] = fill(child, value)
  }
  return out
}

/** The document's tables in canonical form: every cell of the format present, blanks null, in registry order. */
function canonicalTables(input: ReportInput) {
  return fill(templateOf(input.format), input) as Pick<ReportInput, 'proactive' | 'applications' | 'reviewLitigation'>
}

/** The document as served: canonical key order, every cell of the format present, blanks null. */
export function canonicalDocument(input: ReportInput, meta: DocumentMeta): Record<string, unknown> {
  const tables = canonicalTables(input)
  return {
    ...headOf(input, meta.id),
    proactive: tables.proactive,
    applications: tables.applications,
    reviewLitigation: tables.reviewLitigation,
    ...tailOf(meta)
  }
}

const headOf = (input: ReportInput, id: number) => ({
  id,
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
  }
})

const tailOf = (meta: DocumentMeta) => ({
  revision: meta.revision,
  createdAt: meta.createdAt,
  updatedAt: meta.updatedAt,
  state: meta.state
})

/**
 * `JSON.stringify(canonicalDocument(input, meta))` for any number of metas, the tables serialized once: a write
 * compares the document with the stored one and then stores it under its new revision.
 */
export function canonicalJson(input: ReportInput): (meta: DocumentMeta) => string {
  const tables = fillText(templateOf(input.format), input).slice(1, -1)
  return (meta) => `${JSON.stringify(headOf(input, meta.id)).slice(0, -1)},${tables},${JSON.stringify(tailOf(meta)).slice(1)}`
}

/** The region prefix an aggregate report of an agency at this level covers ('' for the whole country). */
export function areaPrefix(regionCode: string, level: string): string {
  if (level === 'national') return ''
  if (level === 'provincial') return regionCode.slice(0, 2)
  if (level === 'prefectural') return regionCode.slice(0, 4)
  return regionCode
}
