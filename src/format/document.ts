// The canonical report document and the operations every module needs on it: reading and writing a
// cell by its code, building an empty document of a format, checking a document's shape against its
// format, and converting money exactly between its decimal and stored forms.
import {
  APPLICATION_ROWS,
  APPLICANT_COLUMNS,
  CELLS,
  CELL_BY_CODE,
  type CellDef,
  type Format,
  PROACTIVE,
  REVIEW_COLUMNS,
  REVIEW_GROUPS,
  type Scope,
  type SectionCode,
  SECTION_MAX_LENGTH,
  SECTIONS,
  TITLE_MAX_LENGTH,
  cellsOf,
  codePointLength
} from './registry.js'

export type CellValue = number | null
/** A table is a tree of row objects; leaves are cell values. */
export interface TableTree {
  [key: string]: TableTree | CellValue
}

export interface ReportSections {
  overview: string | null
  problems: string | null
  otherMatters: string | null
}

/** The report as a client writes it (agencyId and year may also come from the URL). */
export interface ReportInput {
  agencyId: number
  year: number
  format: Format
  scope: Scope
  publishedAt: string | null
  title: string | null
  sourceUrl: string | null
  sections: ReportSections
  proactive: TableTree
  applications: TableTree
  reviewLitigation: TableTree
}

/** The stored report as the API returns it. */
export interface ReportDocument extends ReportInput {
  id: number
  revision: number
  createdAt: string
  updatedAt: string
}

/** The path of a code: the registry's for its cells (checks ask by code on every write), split otherwise. */
const pathOf = (code: string) => CELL_BY_CODE.get(code)?.path ?? code.split('.')

export function getCell(doc: { [k: string]: unknown }, cell: CellDef | string): CellValue {
  const path = typeof cell === 'string' ? pathOf(cell) : cell.path
  let node: unknown = doc
  for (const key of path) {
    if (node === null || typeof node !== 'object') return null
    node = (node as Record<string, unknown>)[key]
  }
  return typeof node === 'number' ? node : null
}

export function setCell(doc: { [k: string]: unknown }, cell: CellDef | string, value: CellValue): void {
  const path = typeof cell === 'string' ? pathOf(cell) : cell.path
  let node = doc as Record<string, unknown>
  for (let i = 0; i < path.length - 1; i++) {
    const key = path[i]
    if (node[key] === null || typeof node[key] !== 'object') node[key] = {}
    node = node[key] as Record<string, unknown>
  }
  node[path[path.length - 1]] = value
}

/**
 * The paths of CELLS as a tree (keys in CELLS order at each level), each leaf its index in CELLS: reading
 * every cell of a document walks the tree once beside it instead of walking each cell's path from the top.
 */
interface PathTree {
  keys: string[]
  /** per key: a subtree, or a leaf: the cell's index in CELLS */
  children: Array<PathTree | number>
}
const CELL_TREE: PathTree = (() => {
  const root: PathTree = { keys: [], children: [] }
  CELLS.forEach((cell, index) => {
    let node = root
    cell.path.forEach((key, depth) => {
      let at = node.keys.indexOf(key)
      if (at === -1) {
        at = node.keys.push(key) - 1
        node.children.push(depth === cell.path.length - 1 ? index : { keys: [], children: [] })
      }
      const child = node.children[at]
      if (typeof child === 'number' ? depth < cell.path.length - 1 : depth === cell.path.length - 1)
        throw new Error(`cell ${cell.code}: a path is both a cell and a row`)
      if (typeof child !== 'number') node = child
    })
  })
  return root
})()

function readTree(tree: PathTree, node: unknown, out: Array<number | null>): void {
  const object = node !== null && typeof node === 'object' ? (node as Record<string, unknown>) : undefined
  for (let i = 0; i < tree.keys.length; i++) {
    const child = tree.children[i]
    const value = object === undefined ? undefined : object[tree.keys[i]]
    if (typeof child === 'number') out[child] = typeof value === 'number' ? value : null
    else readTree(child, value, out)
  }
}

/** Every cell's value in CELLS order, exactly as getCell reads each (a non-number, or a missing path, is null). */
export function cellValues(doc: { [k: string]: unknown } | ReportInput): Array<number | null> {
  const out = new Array<number | null>(CELLS.length)
  readTree(CELL_TREE, doc, out)
  return out
}

/** Tables of a format with every cell present and blank (null). */
export function emptyTables(format: Format): Pick<ReportInput, 'proactive' | 'applications' | 'reviewLitigation'> {
  const proactive: TableTree = {}
  for (const row of PROACTIVE[format]) {
    proactive[row.code] = Object.fromEntries(row.columns.map((c) => [c.code, null]))
  }
  const applications: TableTree = {}
  for (const row of APPLICATION_ROWS) {
    const path = row.code.split('.')
    let node = applications
    for (let i = 0; i < path.length; i++) {
      const key = path[i]
      if (i === path.length - 1) node[key] = Object.fromEntries(APPLICANT_COLUMNS.map((c) => [c.code, null]))
      else {
        if (node[key] === null || typeof node[key] !== 'object') node[key] = {}
        node = node[key] as TableTree
      }
    }
  }
  const reviewLitigation: TableTree = {}
  for (const group of REVIEW_GROUPS) {
    reviewLitigation[group.code] = Object.fromEntries(REVIEW_COLUMNS.map((c) => [c.code, null]))
  }
  return { proactive, applications, reviewLitigation }
}

export function emptySections(): ReportSections {
  return { overview: null, problems: null, otherMatters: null }
}

/** A whole report of `format` with every cell blank: the starting point of importers and generators. */
export function emptyReport(format: Format, fields: Partial<ReportInput> = {}): ReportInput {
  return {
    agencyId: 0,
    year: 0,
    format,
    scope: 'own',
    publishedAt: null,
    title: null,
    sourceUrl: null,
    sections: emptySections(),
    ...emptyTables(format),
    ...fields
  }
}

export interface ShapeError {
  pointer: string
  message: string
}

/** What checkShape looks up, per format: built once (it runs for every report written). */
const SHAPES = new Map<Format, ReturnType<typeof shapeOf>>()
function shapeOf(format: Format) {
  return {
    rows: new Map(PROACTIVE[format].map((r) => [r.code, { row: r, columns: new Set(r.columns.map((c) => c.code)) }])),
    proactiveCells: cellsOf(format).filter((c) => c.table === 'proactive'),
    cells: cellsOf(format),
    moneyCells: cellsOf(format).filter((c) => c.kind === 'money'),
    only2021: APPLICATION_ROWS.filter((r) => r.only2021).map((row) => ({
      row,
      path: row.code.split('.'),
      codes: APPLICANT_COLUMNS.map((col) => `applications.${row.code}.${col.code}`)
    }))
  }
}

export interface ShapeOptions {
  /**
   * The document is a request body the JSON schema has just validated (src/format/validate.ts): its texts'
   * lengths, its counts' wholeness and every value's bound are the schema's own keywords, which answered any
   * fault with a 422 before this runs, so they are not checked again. What the schema cannot say is:
   * the cells of the format, and money exact in its stored unit.
   */
  schemaValidated?: boolean
}

/**
 * Checks that a document holds exactly the cells of its format: every cell present (a number or
 * null), nothing the format does not have. The JSON schema has already checked types; this checks
 * what depends on `format`, money that fits its stored precision exactly, and — for documents that never
 * met the schema (imports) — the texts' lengths and the values again (whole counts within their bounds).
 */
export function checkShape(doc: ReportInput, base = '', { schemaValidated = false }: ShapeOptions = {}): ShapeError[] {
  const errors: ShapeError[] = []
  const format = doc.format
  const proactive = (doc.proactive ?? {}) as Record<string, unknown>
  let shape = SHAPES.get(format)
  if (!shape) SHAPES.set(format, (shape = shapeOf(format)))
  for (const key of Object.keys(proactive)) {
    const known = shape.rows.get(key)
    if (!known) {
      errors.push({ pointer: `${base}/proactive/${key}`, message: `format ${format} has no table-二 row '${key}'` })
      continue
    }
    const { row, columns } = known
    const value = proactive[key] as Record<string, unknown>
    for (const col of Object.keys(value ?? {})) {
      if (!columns.has(col)) {
        errors.push({
          pointer: `${base}/proactive/${key}/${col}`,
          message: `format ${format} has no column '${col}' in row '${key}' (${row.label}); its columns are ${[...columns].join(', ')}`
        })
      }
    }
  }
  for (const cell of shape.proactiveCells) {
    const [, row, col] = cell.path
    const rowValue = proactive[row] as Record<string, unknown> | undefined
    if (rowValue === undefined || rowValue === null || !(col in rowValue)) {
      errors.push({
        pointer: `${base}/proactive/${row}/${col}`,
        message: `missing cell ${cell.code} (${cell.label}); send null for a blank cell`
      })
    }
  }
  if (format === '2019') {
    for (const { codes } of shape.only2021) {
      for (const code of codes) {
        if (getCell(doc as unknown as Record<string, unknown>, code) !== null) {
          errors.push({
            pointer: `${base}/${code.replaceAll('.', '/')}`,
            message: `format 2019 has a single （六）其他处理 row, kept as applications.outcomes.other.other: ${code} must be null`
          })
        }
      }
    }
  } else {
    for (const { row, path } of shape.only2021) {
      const value = path.reduce<unknown>((n, k) => (n as Record<string, unknown> | undefined)?.[k], doc.applications)
      if (value === undefined) {
        errors.push({
          pointer: `${base}/applications/${row.code.replaceAll('.', '/')}`,
          message: `missing row applications.${row.code} (${row.fullLabel}); send null cells for a blank row`
        })
      }
    }
  }
  if (schemaValidated) {
    // money exact in its stored unit: the one value rule the schema cannot say
    for (const cell of shape.moneyCells) {
      const value = getCell(doc as unknown as Record<string, unknown>, cell)
      if (value !== null && toStoredMoney(value, cell) === undefined) errors.push(moneyError(base, cell))
    }
    return errors
  }
  // the texts: one length limit whatever the path (the JSON schema says the same for requests; an import's
  // commit is held to it here), so that a stored report can always be sent back as it is
  for (const { code, title } of SECTIONS) {
    const text = (doc.sections as unknown as Record<string, unknown> | undefined)?.[code]
    if (typeof text === 'string' && text.length > SECTION_MAX_LENGTH && codePointLength(text) > SECTION_MAX_LENGTH) {
      errors.push({
        pointer: `${base}/sections/${code}`,
        message: `${title} runs to ${codePointLength(text)} characters, more than the ${SECTION_MAX_LENGTH} a section may hold`
      })
    }
  }
  if (typeof doc.title === 'string' && doc.title.length > TITLE_MAX_LENGTH && codePointLength(doc.title) > TITLE_MAX_LENGTH) {
    errors.push({
      pointer: `${base}/title`,
      message: `the title runs to ${codePointLength(doc.title)} characters, more than the ${TITLE_MAX_LENGTH} a title may hold`
    })
  }
  // the values: counts whole, every value within its bound, money exact in its stored unit (the JSON schema
  // says the same for requests; this holds for every other path, an import's commit included)
  for (const cell of shape.cells) {
    const value = getCell(doc as unknown as Record<string, unknown>, cell)
    if (value === null) continue
    const pointer = `${base}/${cell.path.join('/')}`
    if (cell.kind !== 'money' && !Number.isInteger(value)) {
      errors.push({ pointer, message: `${cell.label} is a count of ${cell.unit}: it must be a whole number, not ${value}` })
    } else if (!(Math.abs(value) <= cell.max)) {
      errors.push({
        pointer,
        message: `${cell.label} is ${value} ${cell.unit}, beyond ±${cell.max} ${cell.unit}, the most a report may state`
      })
    } else if (cell.kind === 'money' && toStoredMoney(value, cell) === undefined) {
      errors.push(moneyError(base, cell))
    }
  }
  return errors
}

const moneyError = (base: string, cell: CellDef): ShapeError => ({
  pointer: `${base}/${cell.path.join('/')}`,
  message: `${cell.label} carries more than ${cell.decimals} decimals (${cell.unit}); it cannot be stored exactly`
})

/**
 * A decimal money value as an exact integer number of stored units (value × scale), or undefined
 * when the value has more decimals than the unit allows. Works on the decimal digits of the number,
 * never on binary float arithmetic.
 */
export function toStoredMoney(value: number, cell: Pick<CellDef, 'scale' | 'decimals'>): number | undefined {
  const scale = cell.scale ?? 1
  const decimals = cell.decimals ?? 0
  if (!Number.isFinite(value)) return undefined
  const [digits, exponent] = decimalDigits(value)
  // value = digits × 10^exponent; stored = digits × 10^(exponent + log10(scale))
  const shift = exponent + decimals
  if (shift < 0) {
    const cut = digits.length + shift
    const dropped = cut > 0 ? digits.slice(cut) : digits
    if (/[^0]/.test(dropped)) return undefined
    const kept = cut > 0 ? digits.slice(0, cut) : '0'
    return safe(sign(value) * Number(kept) * (scale / 10 ** decimals))
  }
  return safe(sign(value) * Number(digits + '0'.repeat(shift)) * (scale / 10 ** decimals))
}

const safe = (n: number) => (Number.isSafeInteger(n) ? n : undefined)

export function fromStoredMoney(stored: number, cell: Pick<CellDef, 'scale' | 'decimals'>): number {
  const scale = cell.scale ?? 1
  const negative = stored < 0
  const abs = Math.abs(stored)
  const whole = Math.trunc(abs / scale)
  const frac = abs - whole * scale
  const decimals = Math.round(Math.log10(scale))
  const text = frac === 0 ? String(whole) : `${whole}.${String(frac).padStart(decimals, '0').replace(/0+$/, '')}`
  return (negative ? -1 : 1) * Number(text)
}

const sign = (v: number) => (v < 0 ? -1 : 1)

/** The shortest decimal digits of |value| and the power of ten they are scaled by. */
function decimalDigits(value: number): [string, number] {
  const text = Math.abs(value).toExponential() // e.g. "2.4252311082e+4"
  const [mantissa, exp] = text.split('e')
  const [intPart, fracPart = ''] = mantissa.split('.')
  return [intPart + fracPart, Number(exp) - fracPart.length]
}

/** Every cell code with its value, in registry order: the flat view used by CSV and storage. */
export function flattenCells(doc: ReportInput): Array<[CellDef, CellValue]> {
  return CELLS.filter((c) => c.formats.includes(doc.format) || c.table === 'applications').map((c) => [
    c,
    getCell(doc as unknown as Record<string, unknown>, c)
  ])
}

export type { SectionCode }
