// The roll-up tables: per (year, county code — and, in rollup_province, province — level, kind, format,
// scope) the number of reports and, for
// every cell, the sum and the count of non-null values. Every report write adds its cells under its key
// and subtracts what it replaces, in the same transaction, so the roll-up always equals a plain SQL sum
// over report_cells.
import type { Executor, SqlValue } from '../engines/engine.js'
import { CELLS } from '../../src/format/registry.js'

export interface RollupKey {
  year: number
  regionCode: string
  level: string
  kind: string
  format: string
  scope: string
}

export function createRollup() {
  const sums = CELLS.map((c) => `s_${c.sqlName}`)
  const counts = CELLS.map((c) => `n_${c.sqlName}`)
  // the county-level table and its per-province twin are kept by the same statements
  const statements = (table: string, region: string) => {
    const columns = ['year', region, 'level', 'kind', 'format', 'scope', 'reports', ...sums, ...counts]
    return {
      upsert: `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})
         ON CONFLICT (year, ${region}, level, kind, format, scope) DO UPDATE SET
         reports = ${table}.reports + excluded.reports,
         ${[...sums, ...counts].map((c) => `${c} = ${table}.${c} + excluded.${c}`).join(',\n         ')}`,
      prune: `DELETE FROM ${table} WHERE year = ? AND ${region} = ? AND level = ? AND kind = ? AND format = ? AND scope = ? AND reports = 0`
    }
  }
  const county = statements('rollup', 'region_code')
  const province = statements('rollup_province', 'province')

  /** Adds (sign 1) or removes (sign −1) one report's stored cells, given in CELLS order. */
  async function apply(ex: Executor, key: RollupKey, stored: ReadonlyArray<number | null>, sign: 1 | -1) {
    const params: SqlValue[] = [key.year, key.regionCode, key.level, key.kind, key.format, key.scope, sign]
    for (const v of stored) params.push(v === null ? 0 : sign * v)
    for (const v of stored) params.push(v === null ? 0 : sign)
    await ex.run(county.upsert, params)
    params[1] = key.regionCode.slice(0, 2)
    await ex.run(province.upsert, params)
    if (sign === -1) {
      await ex.run(county.prune, [key.year, key.regionCode, key.level, key.kind, key.format, key.scope])
      await ex.run(province.prune, [key.year, key.regionCode.slice(0, 2), key.level, key.kind, key.format, key.scope])
    }
  }

  return { apply }
}
export type Rollup = ReturnType<typeof createRollup>
