// Which reports a reader may see (README: Who reads what), as a SQL condition over a report's state, its
// agency's region code and its agency id. Accepted reports are public; the others only within a key's scope.
import { regionRange } from '../../src/pagination.js'
import type { Visibility } from '../../src/auth/keys.js'
import type { SqlValue } from '../engines/engine.js'

/** The condition (with its parameters), or null when the reader sees everything. */
export function visibleSql(
  visibility: Visibility | undefined,
  columns: { state: string; region: string; agency: string }
): { sql: string; params: SqlValue[] } | null {
  if (!visibility || visibility.all) return null
  const parts = [`${columns.state} = 'accepted'`]
  const params: SqlValue[] = []
  for (const prefix of visibility.regions) {
    parts.push(`${columns.region} BETWEEN ? AND ?`)
    params.push(...regionRange(prefix))
  }
  if (visibility.agencies.length) {
    parts.push(`${columns.agency} IN (${visibility.agencies.map(() => '?').join(', ')})`)
    params.push(...visibility.agencies)
  }
  return { sql: `(${parts.join(' OR ')})`, params }
}
