// The roll-up tables: per (year, county code — and, in rollup_province, province — level, kind, format,
// scope) the number of reports and, for
// every cell, the sum and the count of non-null values. Every report write adds its cells under its key
// and subtracts what it replaces, in the same transaction, so the roll-up always equals a plain SQL sum
// over report_cells.
//
// A unit of work adds its reports to a Delta in memory and writes it once per key (`flush`): a batch of
// 1 000 reports touches a few hundred county keys and a few dozen province keys, not 2 000 rows twice.
// Whoever reads the roll-up inside the unit flushes it first.
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

  /** Deltas of one unit of work, kept per key in memory until `flush` writes each key once. */
  function delta() {
    interface Entry {
      key: RollupKey
      reports: number
      sums: number[]
      counts: number[]
    }
    let pending = new Map<string, Entry>()
    const keyText = (k: RollupKey, region: string) => `${k.year}|${region}|${k.level}|${k.kind}|${k.format}|${k.scope}`
    const entryOf = (map: Map<string, Entry>, key: RollupKey, region: string) => {
      const text = keyText(key, region)
      let entry = map.get(text)
      if (!entry) {
        entry = {
          key: { ...key, regionCode: region },
          reports: 0,
          sums: new Array<number>(CELLS.length).fill(0),
          counts: new Array<number>(CELLS.length).fill(0)
        }
        map.set(text, entry)
      }
      return entry
    }
    async function write(ex: Executor, table: { upsert: string; prune: string }, entry: Entry) {
      if (entry.reports === 0 && entry.sums.every((v) => v === 0) && entry.counts.every((v) => v === 0)) return
      const { key } = entry
      await ex.run(table.upsert, [
        key.year,
        key.regionCode,
        key.level,
        key.kind,
        key.format,
        key.scope,
        entry.reports,
        ...entry.sums,
        ...entry.counts
      ])
      if (entry.reports < 0) await ex.run(table.prune, [key.year, key.regionCode, key.level, key.kind, key.format, key.scope])
    }
    return {
      get size() {
        return pending.size
      },
      /** Adds (sign 1) or removes (sign −1) one report's stored cells, given in CELLS order. */
      add(key: RollupKey, stored: ReadonlyArray<number | null>, sign: 1 | -1) {
        const entry = entryOf(pending, key, key.regionCode)
        entry.reports += sign
        for (let i = 0; i < stored.length; i++) {
          const v = stored[i]
          if (v === null) continue
          entry.sums[i] += sign * v
          entry.counts[i] += sign
        }
      },
      /** Writes every key touched since the last flush, once (county rows, then their provinces). */
      async flush(ex: Executor) {
        if (pending.size === 0) return
        const entries = [...pending.values()]
        pending = new Map()
        const provinces = new Map<string, Entry>()
        for (const entry of entries) {
          await write(ex, county, entry)
          const p = entryOf(provinces, entry.key, entry.key.regionCode.slice(0, 2))
          p.reports += entry.reports
          for (let i = 0; i < CELLS.length; i++) {
            p.sums[i] += entry.sums[i]
            p.counts[i] += entry.counts[i]
          }
        }
        for (const entry of provinces.values()) await write(ex, province, entry)
      }
    }
  }

  return { apply, delta }
}
export type RollupDelta = ReturnType<Rollup['delta']>
export type Rollup = ReturnType<typeof createRollup>
