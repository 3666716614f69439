// Keyset pagination: a cursor carries the sort key and id of the last item served, so paging while
// others write neither repeats nor skips an item. The cursor is opaque to clients (base64url JSON).
import { badParameters } from './errors.js'

export interface CursorState {
  /** the sort the cursor was made for: a cursor is only valid with the same sort */
  s: string
  /** the last item's sort value and id */
  v: string | number | null
  id: number
}

export function encodeCursor(state: CursorState): string {
  return Buffer.from(JSON.stringify(state)).toString('base64url')
}

export function decodeCursor(cursor: string | undefined, sort: string): CursorState | undefined {
  if (cursor === undefined) return undefined
  try {
    const state = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as CursorState
    if (
      typeof state === 'object' &&
      state !== null &&
      state.s === sort &&
      Number.isSafeInteger(state.id) &&
      (typeof state.v === 'string' || typeof state.v === 'number' || state.v === null)
    ) {
      return state
    }
  } catch {
    // fall through to the error below
  }
  throw badParameters('The cursor is not valid for this list and sort.', [
    { parameter: 'cursor', message: 'is not a cursor returned by this list with the same sort' }
  ])
}

/** SQL bounds for a GB/T 2260 code prefix, so the region index serves the range. */
export function regionRange(prefix: string): [string, string] {
  return [prefix.padEnd(6, '0'), prefix.padEnd(6, '9')]
}

export interface SortSpec {
  /** the API name, e.g. `-year` */
  name: string
  /** the SQL expression sorted on */
  column: string
  desc: boolean
}

/**
 * The WHERE fragment and ORDER BY of a keyset page: rows after (value, id) in the sort order, ties broken by id
 * in the same direction.
 */
export function keyset(
  sort: SortSpec,
  after: CursorState | undefined,
  id = 'id'
): { where: string | null; params: Array<string | number | null>; order: string } {
  const dir = sort.desc ? 'DESC' : 'ASC'
  const op = sort.desc ? '<' : '>'
  const byId = sort.column === id
  const order = byId ? `${id} ${dir}` : `${sort.column} ${dir}, ${id} ${dir}`
  if (!after) return { where: null, params: [], order }
  if (byId) return { where: `${id} ${op} ?`, params: [after.id], order }
  return { where: `(${sort.column}, ${id}) ${op} (?, ?)`, params: [after.v, after.id], order }
}
