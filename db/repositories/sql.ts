// Small pieces every list query shares: WHERE clauses built from optional filters, a bounded cache of
// prepared statements for SQL that varies with the filters, and a page cut from limit + 1 rows.
import type Database from 'better-sqlite3'
import { regionRange } from '../../src/pagination.js'

export function createConditions() {
  const where: string[] = []
  const params: unknown[] = []
  return {
    params,
    /** adds `sql` (one `?`) when the filter was given */
    eq(sql: string, value: unknown) {
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
    add(sql: string | null, ...values: unknown[]) {
      if (sql) {
        where.push(sql)
        params.push(...values)
      }
    },
    toSql: () => (where.length ? `WHERE ${where.join(' AND ')}` : '')
  }
}

/** Prepared statements by SQL text, the least recently used dropped past `size`. */
export function createStatementCache(sqlite: Database.Database, size = 256) {
  const cache = new Map<string, Database.Statement<unknown[]>>()
  return (sql: string): Database.Statement<unknown[]> => {
    let stmt = cache.get(sql)
    if (stmt) cache.delete(sql)
    else {
      stmt = sqlite.prepare(sql)
      if (cache.size >= size) cache.delete(cache.keys().next().value!)
    }
    cache.set(sql, stmt)
    return stmt
  }
}

/** The page of `limit` items from `limit + 1` rows read, and the cursor of the next one when there is more. */
export function pageOf<T>(rows: T[], limit: number, cursorOf: (last: T) => string): { items: T[]; next: string | null } {
  const more = rows.length > limit
  const items = more ? rows.slice(0, limit) : rows
  return { items, next: more && items.length ? cursorOf(items[items.length - 1]) : null }
}
