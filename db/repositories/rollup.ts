// The roll-up table: per (year, county code, level, kind, format, scope) the number of reports and, for
// every cell, the sum and the count of non-null values. Every report write adds its cells under its key
// and subtracts what it replaces, in the same transaction, so the roll-up always equals a plain SQL sum
// over report_cells.
import type Database from 'better-sqlite3'
import { CELLS } from '../../src/format/registry.js'

export interface RollupKey {
  year: number
  regionCode: string
  level: string
  kind: string
  format: string
  scope: string
}

export function createRollup(sqlite: Database.Database) {
  const sums = CELLS.map((c) => `s_${c.sqlName}`)
  const counts = CELLS.map((c) => `n_${c.sqlName}`)
  const columns = ['year', 'region_code', 'level', 'kind', 'format', 'scope', 'reports', ...sums, ...counts]
  const upsert = sqlite.prepare(
    `INSERT INTO rollup (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})
     ON CONFLICT (year, region_code, level, kind, format, scope) DO UPDATE SET
     reports = reports + excluded.reports,
     ${[...sums, ...counts].map((c) => `${c} = ${c} + excluded.${c}`).join(',\n     ')}`
  )
  const prune = sqlite.prepare('DELETE FROM rollup WHERE year = ? AND region_code = ? AND level = ? AND kind = ? AND format = ? AND scope = ? AND reports = 0')

  /** Adds (sign 1) or removes (sign −1) one report's stored cells, given in CELLS order. */
  function apply(key: RollupKey, stored: ReadonlyArray<number | null>, sign: 1 | -1) {
    const params: unknown[] = [key.year, key.regionCode, key.level, key.kind, key.format, key.scope, sign]
    for (const v of stored) params.push(v === null ? 0 : sign * v)
    for (const v of stored) params.push(v === null ? 0 : sign)
    upsert.run(params)
    if (sign === -1) prune.run(key.year, key.regionCode, key.level, key.kind, key.format, key.scope)
  }

  return { apply }
}
export type Rollup = ReturnType<typeof createRollup>
