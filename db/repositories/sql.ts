// Small pieces every list query shares: WHERE clauses built from optional filters and a page cut from
// limit + 1 rows. (Statements are prepared and cached by the engine, by SQL text.)
import { regionRange } from '../../src/pagination.js'
import type { SqlValue } from '../engines/engine.js'

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
