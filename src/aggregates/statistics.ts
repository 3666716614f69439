// GET /v1/statistics: the tidy per-report values of some cells, one row per (report, item), in report
// id order and then in the order the items were asked for.
import { CELLS, CELL_BY_CODE, FORMATS, type CellDef, type Format } from '../format/registry.js'
import { splitList, suggest, type ParameterError, type Planned } from './plan.js'

export interface StatisticRow {
  reportId: number
  agencyId: number
  agencyName: string
  regionCode: string
  year: number
  item: string
  /** null for a blank cell; money in its unit (万元 / 元), exact */
  value: number | null
}

export const MAX_ITEMS = 64

const CELL_CODES = CELLS.map((c) => c.code)

export function parseItems(text: string | undefined): Planned<CellDef[]> {
  const codes = splitList(text)
  if (codes.length === 0) {
    return { ok: false, errors: [{ parameter: 'item', message: 'name at least one cell code, e.g. item=applications.newReceived.total' }] }
  }
  const errors: ParameterError[] = codes
    .filter((code) => !CELL_BY_CODE.has(code))
    .map((code) => {
      const near = suggest(code, CELL_CODES)
      return {
        parameter: 'item',
        message: `unknown cell '${code}'${near ? ` (did you mean '${near}'?)` : ''}; items are cell codes of FORMAT.md (e.g. applications.newReceived.total): 'allowed' lists all ${CELL_CODES.length}`,
        allowed: CELL_CODES
      }
    })
  if (codes.length > MAX_ITEMS) errors.push({ parameter: 'item', message: `at most ${MAX_ITEMS} items per request (got ${codes.length})` })
  if (errors.length) return { ok: false, errors }
  return { ok: true, value: codes.map((code) => CELL_BY_CODE.get(code)!) }
}

/** The formats that have at least one of the items: a report of another format yields no row. */
export function formatsOfItems(items: readonly CellDef[]): Format[] {
  return FORMATS.filter((f) => items.some((c) => c.formats.includes(f)))
}

/** A short, stable signature of the item list, so that a cursor is only taken back with the same items. */
export function itemsSignature(items: readonly CellDef[]): string {
  let hash = 0x811c9dc5
  for (const ch of items.map((c) => c.code).join(',')) {
    hash ^= ch.charCodeAt(0)
    hash = Math.imul(hash, 0x01000193) >>> 0
  }
  return `statistics:${hash.toString(36)}`
}
