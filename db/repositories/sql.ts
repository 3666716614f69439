// Small pieces every list query shares: WHERE clauses built from optional filters and a page cut from
// limit + 1 rows. (Statements are prepared and cached by the engine, by SQL text.)
import { regionRange } from '../../src/pagination.js'
import type { Executor, SqlValue } from '../engines/engine.js'

export function createConditions() {
  const where: string[] = []
  const params: SqlValue[] = []
  return {
    params,
    /** adds `sql` (one `?`) when the filter was given */
    eq(sql: string, value: SqlValue | undefined) {
      if (value !== undefined) {
        where.push(sql)
        params.push(value)
      }
    },
    /** a GB/T 2260 prefix as a range, so the region index serves it */
    region(column: string, prefix: string | undefined) {
      if (prefix) {
        where.push(`${column} BETWEEN ? AND ?`)
        params.push(...regionRange(prefix))
      }
    },
    add(sql: string | null, ...values: SqlValue[]) {
      if (sql) {
        where.push(sql)
        params.push(...values)
      }
    },
    toSql: () => (where.length ? `WHERE ${where.join(' AND ')}` : '')
  }
}

/** The page of `limit` items from `limit + 1` rows read, and the cursor of the next one when there is more. */
export function pageOf<T>(rows: T[], limit: number, cursorOf: (last: T) => string): { items: T[]; next: string | null } {
  const more = rows.length > limit
  const items = more ? rows.slice(0, limit) : rows
  return { items, next: more && items.length ? cursorOf(items[items.length - 1]) : null }
}

/**
 * Parameters per multi-row statement: under both engines' limits (SQLite 32 766 host parameters, PostgreSQL
 * 65 535 bind parameters).
 */
const MAX_PARAMS = 30_000

const tuples = new Map<string, string>()
/** `(?, ?, …), (?, ?, …), …`: `rows` tuples of `width` placeholders (remembered: a few shapes recur). */
export function valuesOf(rows: number, width: number): string {
  const key = `${rows}:${width}`
  let text = tuples.get(key)
  if (text === undefined) {
    const tuple = `(${Array(width).fill('?').join(', ')})`
    text = Array(rows).fill(tuple).join(', ')
    tuples.set(key, text)
  }
  return text
}

/**
 * Runs `statement(rows)` over `rows` in order, as many rows at a time as `width` parameters a row allow (and at
 * most `most`): one multi-row statement a chunk instead of one statement a row. Chunks hold a power of two of
 * rows (full ones, then the rest in falling powers of two), so that a table sees a handful of statement shapes
 * whatever the counts, and SQLite's statement cache keeps each one prepared instead of preparing a new one for
 * every odd count.
 */
export async function inChunks<T>(rows: readonly T[], width: number, statement: (chunk: readonly T[]) => Promise<unknown>, most = 1024) {
  let size = 1
  while (size * 2 <= Math.min(most, MAX_PARAMS / width)) size *= 2
  let i = 0
  while (i < rows.length) {
    while (size > rows.length - i) size /= 2
    await statement(rows.slice(i, i + size))
    i += size
  }
}

/**
 * The rows a keyed read returns for many keys, read `most` keys a statement (in the power-of-two chunks of
 * inChunks): `sql(n)` is the statement for n keys, `params(chunk)` its parameters (the keys themselves by default).
 */
export async function allByKeys<R, K extends SqlValue>(
  ex: Executor,
  keys: readonly K[],
  sql: (n: number) => string,
  params: (chunk: readonly K[]) => readonly SqlValue[] = (chunk) => chunk,
  most = 256
): Promise<R[]> {
  const out: R[] = []
  await inChunks(keys, 1, async (chunk) => out.push(...(await ex.all<R>(sql(chunk.length), params(chunk)))), most)
  return out
}

/** `build(n)` remembered per n: the SQL of an n-row statement is built once (the statement caches key on its text). */
export function bySize(build: (n: number) => string): (n: number) => string {
  const texts = new Map<number, string>()
  return (n) => {
    let text = texts.get(n)
    if (text === undefined) texts.set(n, (text = build(n)))
    return text
  }
}
