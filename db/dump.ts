// Moving a database between engines (SQLite ⇄ PostgreSQL) without loss: a dump is a stream of lines of JSON
// (NDJSON), engine-neutral, written from one database and restored into another, or piped from one to the
// other directly (`npm run move`). See scripts/dump.ts for the commands.
//
// What it carries: every row of every table the service stores, column by column as stored — agencies,
// reports, every revision of every report (and the tombstones of deleted ones), their cells, findings, API
// keys (hashes only: the keys themselves were never stored), remembered Idempotency-Key answers, and the
// roll-ups (copied as they are, which is exact: they were kept in step with the reports in every transaction)
// — and each table's id counter, so an id once given (a deleted report's, whose revisions remain) is never
// given again. Not carried: the engines' bookkeeping (migration journals, the data version), which the
// target's own migrations make.
//
// The lines:
//   {"format":"nianbao-dump","version":1,"engine":"sqlite","dumpedAt":"…","tables":["agencies",…]}
//   {"table":"agencies","columns":["id","name",…],"types":["integer","text",…]}
//   [1,"某某局",…]                          one line per row, values in the columns' order
//   {"rows":12}                            the end of the table, with its count
//   … every table in TABLES' order …
//   {"lastIds":{"agencies":14,…}}
//   {"end":{"agencies":12,…}}              a dump without this line is truncated, and refused
// A column the database derives from the others (SQLite's reports.summary, kept by triggers) is not carried: the
// target's triggers write it again as the rows go in.
// Integers are JSON numbers, or decimal strings beyond 2^53 (never rounded); a real that JSON cannot hold
// (±Infinity) is a string; null is null (a blank cell stays blank, never 0).
//
// A dump reads everything inside one transaction of the source (every row as of one instant, writers held
// back meanwhile) and a restore writes everything inside one transaction of the target: it lands whole or
// not at all. The target must be empty unless `force` (then what it held is replaced).
//
// Every table the database holds must be in TABLES: a table added by a migration and not listed here stops
// the dump with an error (and test/scripts/dump.test.ts fails) instead of being left behind silently.
import type { ColumnType, Engine, Executor, SqlValue, TableShape } from './engines/engine.js'

export const DUMP_FORMAT = 'nianbao-dump'
export const DUMP_VERSION = 1

export interface TablePlan {
  name: string
  /** self-references: written null with the rows, then set once every row of the table is in */
  deferred?: string[]
  /**
   * columns the database writes itself from the others, never carried: the target's own triggers write them again
   * (SQLite's `reports.summary`, which PostgreSQL does not have)
   */
  derived?: string[]
}

/** Every table the service stores, in the order a restore writes them: what a row refers to comes first. */
export const TABLES: readonly TablePlan[] = [
  { name: 'agencies', deferred: ['parent_id'] },
  { name: 'api_keys' },
  { name: 'reports', derived: ['summary'] },
  { name: 'report_cells' },
  { name: 'report_revisions' },
  { name: 'findings' },
  { name: 'finding_reviews' },
  { name: 'changes' },
  { name: 'idempotency_keys' },
  { name: 'rollup' },
  { name: 'rollup_province' }
]

/** A dump or restore that cannot go on: the message says why, in one line. */
export class DumpError extends Error {
  override name = 'DumpError'
}

const PAGE = 1000
/** bound parameters per INSERT, well under both engines' limits (SQLite 32 766, PostgreSQL 65 535) */
const MAX_PARAMS = 30_000
const MAX_ROWS_PER_INSERT = 500

const q = (name: string) => `"${name.replaceAll('"', '""')}"`

/** The database's tables, each of which must be one of TABLES. */
async function tablesOf(engine: Engine, ex: Executor): Promise<Map<string, TableShape>> {
  const shapes = new Map((await engine.catalog.tables(ex)).map((t) => [t.name, t]))
  const known = new Set(TABLES.map((t) => t.name))
  const unknown = [...shapes.keys()].filter((n) => !known.has(n))
  if (unknown.length) {
    throw new DumpError(`table ${unknown.join(', ')} is not known to the dump: add it to TABLES in db/dump.ts (or it would be left behind)`)
  }
  return shapes
}

/** A value as the dump writes it. */
function encode(value: unknown, type: ColumnType): unknown {
  if (value === null || value === undefined) return null
  if (typeof value === 'bigint')
    return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString()
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value)
  if (type === 'text' && typeof value !== 'string') return String(value)
  return value
}

/** A value as the dump wrote it, to bind. */
function decode(value: unknown, type: ColumnType, where: () => string): SqlValue {
  if (value === null) return null
  if (type === 'integer') {
    if (typeof value === 'number' && Number.isInteger(value)) return value
    if (typeof value === 'string' && /^-?\d+$/.test(value)) return BigInt(value)
  } else if (type === 'real') {
    if (typeof value === 'number') return value
    if (value === 'Infinity' || value === '-Infinity') return Number(value)
  } else if (typeof value === 'string') return value
  throw new DumpError(`${where()}: ${JSON.stringify(value)} is not a value of a ${type} column`)
}

export interface DumpSummary {
  engine: Engine['kind']
  /** rows per table */
  tables: Record<string, number>
}

/**
 * Writes the whole database as dump lines (each ending in a newline) to `write`, which may return a promise
 * to hold the dump back until the line is taken.
 */
export async function dumpDatabase(engine: Engine, write: (line: string) => void | Promise<void>): Promise<DumpSummary> {
  return engine.transaction(async (tx) => {
    const shapes = await tablesOf(engine, tx)
    const plans = TABLES.filter((t) => shapes.has(t.name))
    const counts: Record<string, number> = {}
    await write(
      `${JSON.stringify({
        format: DUMP_FORMAT,
        version: DUMP_VERSION,
        engine: engine.kind,
        dumpedAt: new Date().toISOString(),
        tables: plans.map((t) => t.name)
      })}\n`
    )
    for (const plan of plans) {
      const shape = shapes.get(plan.name)!
      if (shape.primaryKey.length === 0) throw new DumpError(`table ${shape.name} has no primary key to read it in order by`)
      const carried = shape.columns.filter((c) => !plan.derived?.includes(c.name))
      const columns = carried.map((c) => c.name)
      const types = carried.map((c) => c.type)
      await write(`${JSON.stringify({ table: shape.name, columns, types })}\n`)
      // in key order, a page at a time: (k1, k2) > (last k1, last k2), which both engines read the same way
      const keyIndex = shape.primaryKey.map((k) => columns.indexOf(k))
      const keyList = shape.primaryKey.map(q).join(', ')
      const select = `SELECT ${columns.map(q).join(', ')} FROM ${q(shape.name)}`
      const order = ` ORDER BY ${keyList} LIMIT ${PAGE}`
      const after = shape.primaryKey.length === 1 ? `${keyList} > ?` : `(${keyList}) > (${shape.primaryKey.map(() => '?').join(', ')})`
      let last: SqlValue[] | null = null
      let n = 0
      for (;;) {
        const rows: Record<string, unknown>[] = last
          ? await tx.all(`${select} WHERE ${after}${order}`, last, { bigints: true })
          : await tx.all(`${select}${order}`, [], { bigints: true })
        let text = ''
        for (const row of rows) text += `${JSON.stringify(columns.map((c, i) => encode(row[c], types[i])))}\n`
        if (text) await write(text)
        n += rows.length
        if (rows.length < PAGE) break
        const lastRow = rows[rows.length - 1]
        last = keyIndex.map((i) => lastRow[columns[i]] as SqlValue)
      }
      await write(`${JSON.stringify({ rows: n })}\n`)
      counts[shape.name] = n
    }
    await write(`${JSON.stringify({ lastIds: await engine.catalog.lastIds(tx) })}\n`)
    await write(`${JSON.stringify({ end: counts })}\n`)
    return { engine: engine.kind, tables: counts }
  })
}

export interface RestoreOptions {
  /** replace what the target holds instead of refusing a target that is not empty */
  force?: boolean
}

interface Section {
  shape: TableShape
  plan: TablePlan
  columns: string[]
  types: ColumnType[]
  /** indexes in `columns` written null, then set */
  deferred: number[]
  /** index of the (one-column) primary key in `columns`, for the deferred updates */
  key: number
  /** rows per INSERT, within the engines' limits on bound parameters */
  perInsert: number
  rows: SqlValue[][]
  later: Array<{ id: SqlValue; values: SqlValue[] }>
  count: number
}

/**
 * Restores a dump, given as its lines, into `engine`'s database, in one transaction. Refuses a target that
 * holds any row unless `force`, a dump of another format, a table or column the target does not have, a
 * malformed or truncated dump; in every such case nothing changes.
 */
export async function restoreDatabase(engine: Engine, lines: AsyncIterable<string>, options: RestoreOptions = {}): Promise<DumpSummary> {
  const summary = await restoreRows(engine, lines, options)
  // PostgreSQL plans from statistics its autovacuum gathers later, some time after a bulk load: until then it
  // takes the freshly filled tables for nearly empty (a first page of reports read every report of the state
  // asked and sorted them: 34 ms instead of 2 ms at 20 000 reports). SQLite's plans here do not depend on them.
  if (engine.kind === 'postgres') await engine.run('ANALYZE')
  return summary
}

function restoreRows(engine: Engine, lines: AsyncIterable<string>, options: RestoreOptions): Promise<DumpSummary> {
  return engine.transaction(async (tx) => {
    const shapes = await tablesOf(engine, tx)
    const targets = TABLES.filter((t) => shapes.has(t.name))
    const filled: string[] = []
    for (const t of targets) if (await tx.get(`SELECT 1 AS x FROM ${q(t.name)} LIMIT 1`)) filled.push(t.name)
    if (filled.length && !options.force) {
      throw new DumpError(
        `the target database is not empty (${filled.join(', ')} hold rows): restore into an empty one, or pass --force to replace what it holds`
      )
    }
    if (filled.length) {
      for (const t of [...targets].reverse()) {
        for (const c of t.deferred ?? []) await tx.run(`UPDATE ${q(t.name)} SET ${q(c)} = NULL WHERE ${q(c)} IS NOT NULL`)
        await tx.run(`DELETE FROM ${q(t.name)}`)
      }
    }

    let lineNo = 0
    let header: { tables: string[] } | null = null
    let section: Section | null = null
    let lastIds: Record<string, number> | null = null
    let end: Record<string, number> | null = null
    const counts: Record<string, number> = {}
    const at = () => `line ${lineNo}`

    const flush = async (s: Section) => {
      if (!s.rows.length) return
      const row = `(${s.columns.map(() => '?').join(', ')})`
      const sql = `INSERT INTO ${q(s.shape.name)} (${s.columns.map(q).join(', ')}) VALUES `
      for (let i = 0; i < s.rows.length; i += s.perInsert) {
        const chunk = s.rows.slice(i, i + s.perInsert)
        await tx.run(sql + chunk.map(() => row).join(', '), chunk.flat())
      }
      s.rows = []
    }

    for await (const raw of lines) {
      lineNo++
      if (raw === '') continue
      let value: unknown
      try {
        value = JSON.parse(raw)
      } catch {
        throw new DumpError(`${at()} is not JSON: the file is not a nianbao dump, or it is damaged`)
      }
      if (end) throw new DumpError(`${at()}: lines after the end of the dump`)
      if (!header) {
        const h = value as { format?: unknown; version?: unknown; tables?: unknown }
        if (h?.format !== DUMP_FORMAT) throw new DumpError('this is not a nianbao dump (its first line does not say format "nianbao-dump")')
        if (h.version !== DUMP_VERSION)
          throw new DumpError(`this dump is of version ${JSON.stringify(h.version)}; this nianbao reads version ${DUMP_VERSION}`)
        if (!Array.isArray(h.tables)) throw new DumpError('the dump’s first line lists no tables')
        for (const name of h.tables)
          if (!shapes.has(name))
            throw new DumpError(`the dump holds table ${name}, which this database does not have (is it older than the dump?)`)
        header = { tables: h.tables as string[] }
        continue
      }
      if (Array.isArray(value)) {
        if (!section) throw new DumpError(`${at()}: a row outside any table`)
        const s: Section = section
        if (value.length !== s.columns.length)
          throw new DumpError(`${at()}: a row of ${value.length} values for ${s.columns.length} columns of ${s.shape.name}`)
        const row = value.map((v, i) => decode(v, s.types[i], () => `${at()}, ${s.shape.name}.${s.columns[i]}`))
        if (s.deferred.length) {
          const values = s.deferred.map((i) => row[i])
          if (values.some((v) => v !== null)) s.later.push({ id: row[s.key], values })
          for (const i of s.deferred) row[i] = null
        }
        s.rows.push(row)
        s.count++
        // one INSERT's worth held at a time: a revision's document may be large
        if (s.rows.length >= s.perInsert) await flush(s)
        continue
      }
      const item = value as Record<string, unknown>
      if (typeof item.table === 'string') {
        if (section) throw new DumpError(`${at()}: table ${item.table} begins before ${section.shape.name} ended`)
        const name = item.table
        const shape = shapes.get(name)
        const plan = TABLES.find((t) => t.name === name)
        if (!shape || !plan || !header.tables.includes(name)) throw new DumpError(`${at()}: table ${name} is not one this database has`)
        if (name in counts) throw new DumpError(`${at()}: table ${name} appears twice`)
        const columns = item.columns as string[]
        const types = item.types as ColumnType[]
        if (!Array.isArray(columns) || !Array.isArray(types) || columns.length !== types.length)
          throw new DumpError(`${at()}: table ${name} without its columns`)
        const have = new Map(shape.columns.map((c) => [c.name, c.type]))
        for (const [i, c] of columns.entries()) {
          if (!have.has(c))
            throw new DumpError(`the dump holds column ${name}.${c}, which this database does not have (is it older than the dump?)`)
          if (!['integer', 'real', 'text'].includes(types[i]))
            throw new DumpError(`${at()}: column ${name}.${c} of unknown type ${types[i]}`)
        }
        const deferred = (plan.deferred ?? []).map((c) => columns.indexOf(c)).filter((i) => i >= 0)
        const key = shape.primaryKey.length === 1 ? columns.indexOf(shape.primaryKey[0]) : -1
        if (deferred.length && key < 0) throw new DumpError(`${at()}: table ${name} has no one-column key to set its references by`)
        const perInsert = Math.max(1, Math.min(MAX_ROWS_PER_INSERT, Math.floor(MAX_PARAMS / columns.length)))
        section = { shape, plan, columns, types, deferred, key, perInsert, rows: [], later: [], count: 0 }
      } else if (typeof item.rows === 'number') {
        if (!section) throw new DumpError(`${at()}: the end of a table that did not begin`)
        if (item.rows !== section.count)
          throw new DumpError(`${at()}: table ${section.shape.name} should have ${item.rows} rows, the dump holds ${section.count}`)
        await flush(section)
        for (const { id, values } of section.later) {
          const set = section.deferred.map((i) => `${q(section!.columns[i])} = ?`).join(', ')
          await tx.run(`UPDATE ${q(section.shape.name)} SET ${set} WHERE ${q(section.columns[section.key])} = ?`, [...values, id])
        }
        counts[section.shape.name] = section.count
        section = null
      } else if (item.lastIds && typeof item.lastIds === 'object') {
        if (section) throw new DumpError(`${at()}: table ${section.shape.name} did not end`)
        lastIds = item.lastIds as Record<string, number>
      } else if (item.end && typeof item.end === 'object') {
        if (section) throw new DumpError(`${at()}: table ${section.shape.name} did not end`)
        end = item.end as Record<string, number>
      } else {
        throw new DumpError(`${at()}: a line the dump format does not have`)
      }
    }
    if (!header) throw new DumpError('the dump is empty')
    if (!end || !lastIds) throw new DumpError('the dump is truncated (it has no end line): nothing was restored')
    for (const name of header.tables) {
      if (!(name in counts)) throw new DumpError(`the dump lists table ${name} but holds no section for it`)
      if (end[name] !== counts[name])
        throw new DumpError(`the dump’s end line counts ${end[name]} rows of ${name}, its section ${counts[name]}`)
    }
    for (const [name, last] of Object.entries(lastIds)) {
      if (!Number.isSafeInteger(last) || last < 0)
        throw new DumpError(`the dump’s last id of ${name} is not a count: ${JSON.stringify(last)}`)
    }
    await engine.catalog.setLastIds(tx, Object.fromEntries(Object.entries(lastIds).filter(([name]) => shapes.get(name)?.identity)))
    return { engine: engine.kind, tables: counts }
  })
}
