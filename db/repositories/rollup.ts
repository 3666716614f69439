// The roll-up tables: per (year, county code — and, in rollup_province, province — level, kind, format,
// scope, state) the number of reports and, for every cell, the sum and the count of non-null values. Every
// report write adds its cells under its key and subtracts what it replaces, and a change of state moves
// them from one state's key to the other's, in the same transaction, so the roll-up always equals a plain
// SQL sum over report_cells. A money cell's sum is kept in two parts (MONEY_SPLIT): `w_` the whole
// multiples of 10^7 分, `s_` the rest, each at most 10^7 per report, so no sum overflows 64 bits and the
// reader joins them exactly (src/format/money.ts).
//
// A unit of work adds its reports to a Delta in memory and writes it once per key (`flush`): a batch of
// 1 000 reports touches a few hundred county keys and a few dozen province keys, not 2 000 rows twice.
// Whoever reads the roll-up inside the unit flushes it first.
import type { Executor, SqlValue } from '../engines/engine.js'
import { bySize, inChunks, valuesOf } from './sql.js'
import { CELLS } from '../../src/format/registry.js'
import { splitMoney } from '../../src/format/money.js'

export interface RollupKey {
  year: number
  regionCode: string
  level: string
  kind: string
  format: string
  scope: string
  state: string
}

/** The positions in CELLS of the money cells, whose sums are kept in two parts. */
const MONEY_INDEXES = CELLS.flatMap((c, i) => (c.kind === 'money' ? [i] : []))
/** Per position in CELLS: its index in MONEY_INDEXES, or −1. */
const MONEY_POSITION = CELLS.map((_, i) => MONEY_INDEXES.indexOf(i))

export function createRollup() {
  const sums = CELLS.map((c) => `s_${c.sqlName}`)
  /** the money cells' whole parts, after the sums (MONEY_INDEXES gives their cells) */
  const wholes = MONEY_INDEXES.map((i) => `w_${CELLS[i].sqlName}`)
  const counts = CELLS.map((c) => `n_${c.sqlName}`)
  // the county-level table and its per-province twin are kept by the same statements
  const statements = (table: string, region: string) => {
    const columns = ['year', region, 'level', 'kind', 'format', 'scope', 'state', 'reports', ...sums, ...wholes, ...counts]
    const update = `ON CONFLICT (year, ${region}, level, kind, format, scope, state) DO UPDATE SET
         reports = ${table}.reports + excluded.reports,
         ${[...sums, ...wholes, ...counts].map((c) => `${c} = ${table}.${c} + excluded.${c}`).join(',\n         ')}`
    return {
      width: columns.length,
      upsert: `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')}) ${update}`,
      /** the same for many keys at once (each key once in a statement) */
      upsertMany: bySize(
        (rows: number) => `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${valuesOf(rows, columns.length)} ${update}`
      ),
      prune: `DELETE FROM ${table} WHERE year = ? AND ${region} = ? AND level = ? AND kind = ? AND format = ? AND scope = ? AND state = ? AND reports = 0`
    }
  }
  const county = statements('rollup', 'region_code')
  const province = statements('rollup_province', 'province')

  const keyParams = (k: RollupKey) => [k.year, k.regionCode, k.level, k.kind, k.format, k.scope, k.state]

  /** Adds (sign 1) or removes (sign −1) one report's stored cells, given in CELLS order. */
  async function apply(ex: Executor, key: RollupKey, stored: ReadonlyArray<number | null>, sign: 1 | -1) {
    const entry = emptyEntry(key, key.regionCode)
    addTo(entry, stored, sign)
    await write(ex, county, entry)
    entry.key = { ...key, regionCode: key.regionCode.slice(0, 2) }
    await write(ex, province, entry)
  }

  interface Entry {
    key: RollupKey
    reports: number
    /** per cell: the sum, for money the rest below MONEY_SPLIT */
    sums: number[]
    /** per money cell (MONEY_INDEXES): the whole multiples of MONEY_SPLIT */
    wholes: number[]
    counts: number[]
  }
  const emptyEntry = (key: RollupKey, region: string): Entry => ({
    key: { ...key, regionCode: region },
    reports: 0,
    sums: new Array<number>(CELLS.length).fill(0),
    wholes: new Array<number>(MONEY_INDEXES.length).fill(0),
    counts: new Array<number>(CELLS.length).fill(0)
  })
  function addTo(entry: Entry, stored: ReadonlyArray<number | null>, sign: 1 | -1) {
    entry.reports += sign
    for (let i = 0; i < stored.length; i++) {
      const v = stored[i]
      if (v === null) continue
      const m = MONEY_POSITION[i]
      if (m === -1) entry.sums[i] += sign * v
      else {
        const [whole, rest] = splitMoney(v)
        entry.wholes[m] += sign * whole
        entry.sums[i] += sign * rest
      }
      entry.counts[i] += sign
    }
  }
  type Table = ReturnType<typeof statements>
  const isEmpty = (entry: Entry) =>
    entry.reports === 0 && entry.sums.every((v) => v === 0) && entry.wholes.every((v) => v === 0) && entry.counts.every((v) => v === 0)
  const rowOf = (entry: Entry): SqlValue[] => [...keyParams(entry.key), entry.reports, ...entry.sums, ...entry.wholes, ...entry.counts]
  async function write(ex: Executor, table: Table, entry: Entry) {
    if (isEmpty(entry)) return
    await ex.run(table.upsert, rowOf(entry))
    if (entry.reports < 0) await ex.run(table.prune, keyParams(entry.key))
  }
  /**
   * Writes many keys' deltas, then prunes the keys that lost reports: a few dozen keys a statement where a statement
   * is a round trip; on SQLite one prepared row at a time (a multi-row upsert of ~450 columns measured slower there).
   */
  async function writeMany(ex: Executor, table: Table, entries: readonly Entry[]) {
    const rows = entries.filter((e) => !isEmpty(e))
    await inChunks(rows, table.width, (chunk) => ex.run(table.upsertMany(chunk.length), chunk.flatMap(rowOf)), ex.remote ? 64 : 1)
    for (const entry of rows) if (entry.reports < 0) await ex.run(table.prune, keyParams(entry.key))
  }

  /** Deltas of one unit of work, kept per key in memory until `flush` writes each key once. */
  function delta() {
    let pending = new Map<string, Entry>()
    const keyText = (k: RollupKey, region: string) => `${k.year}|${region}|${k.level}|${k.kind}|${k.format}|${k.scope}|${k.state}`
    const entryOf = (map: Map<string, Entry>, key: RollupKey, region: string) => {
      const text = keyText(key, region)
      let entry = map.get(text)
      if (!entry) {
        entry = emptyEntry(key, region)
        map.set(text, entry)
      }
      return entry
    }
    return {
      get size() {
        return pending.size
      },
      /** Adds (sign 1) or removes (sign −1) one report's stored cells, given in CELLS order. */
      add(key: RollupKey, stored: ReadonlyArray<number | null>, sign: 1 | -1) {
        addTo(entryOf(pending, key, key.regionCode), stored, sign)
      },
      /** Writes every key touched since the last flush, once (county rows, then their provinces). */
      async flush(ex: Executor) {
        if (pending.size === 0) return
        const entries = [...pending.values()]
        pending = new Map()
        const provinces = new Map<string, Entry>()
        await writeMany(ex, county, entries)
        for (const entry of entries) {
          const p = entryOf(provinces, entry.key, entry.key.regionCode.slice(0, 2))
          p.reports += entry.reports
          for (let i = 0; i < CELLS.length; i++) {
            p.sums[i] += entry.sums[i]
            p.counts[i] += entry.counts[i]
          }
          for (let m = 0; m < MONEY_INDEXES.length; m++) p.wholes[m] += entry.wholes[m]
        }
        await writeMany(ex, province, [...provinces.values()])
      }
    }
  }

  return { apply, delta }
}
export type RollupDelta = ReturnType<Rollup['delta']>
export type Rollup = ReturnType<typeof createRollup>
