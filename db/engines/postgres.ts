// The PostgreSQL engine: node-postgres (`pg`) with a pool of connections, behind the Engine interface.
//
// - SQL is the portable subset of engine.ts; its `?` placeholders become `$1, $2, …` here (never inside a
//   literal, a quoted name, a comment or a dollar-quoted body).
// - Results read as on SQLite: integers (int2/4/8, integral numeric) are numbers when they fit in 2^53, bigint
//   beyond (never rounded) and always bigint with `{ bigints: true }`; fractional numeric is the nearest double
//   (what SQLite's REAL gives); booleans are 1/0 and dates and times their text, as SQLite has them.
// - Transactions are serial, as on SQLite. Each runs on one pooled connection at READ COMMITTED and first takes
//   a transaction-scoped advisory lock that every nianbao transaction of every instance takes, so one writes at
//   a time and each statement after the lock sees every earlier commit: a read-check-write (If-Match, natural-key
//   upserts, the cross-year and AG-01 rechecks, the roll-up sums) is exactly as if alone, with no serialization
//   failure to retry. SERIALIZABLE would let writers of different areas overlap, but every write also updates
//   the shared roll-up rows, so concurrent writers would mostly abort and redo whole batches; a queue is cheaper.
//   Within a process, transactions also queue before taking a connection, so waiting writers never hold the
//   pool that reads need. The engine's own reads and lone writes run at once on any pooled connection, each a
//   transaction of its own: they see committed data only.
// - dataVersion() reads a counter that triggers bump once in every transaction that writes (see the
//   migrations): it is transactional, so no instance ever sees a version whose data it cannot see yet.
import { AsyncLocalStorage } from 'node:async_hooks'
import pg from 'pg'
import { drizzle } from 'drizzle-orm/node-postgres'
import { migrate } from 'drizzle-orm/node-postgres/migrator'
import type { Catalog, ColumnType, Engine, Executor, QueryOptions, SqlValue, TableShape } from './engine.js'
import { projectFile } from '../../src/paths.js'

export interface PostgresOptions {
  /** postgres://user:password@host:port/database */
  url: string
  /** connections in the pool (default 10) */
  poolSize?: number
  /** apply the committed migrations before the pool opens (default true) */
  migrate?: boolean
  /** errors of idle pooled connections (the server restarted, the network dropped); the pool replaces them */
  onError?: (err: Error) => void
}

/** Every nianbao transaction holds this advisory lock (a constant of our own) until it ends. */
const WRITE_LOCK = 7_411_902_415
/** Held while migrations are applied, so instances starting together migrate once. */
const MIGRATE_LOCK = 7_411_902_416

// --- placeholders ------------------------------------------------------------------------------------------

/**
 * `?` → `$1, $2, …`, skipping string literals ('…', E'…' with backslash escapes), quoted names ("…"), comments
 * (`--`, nested block comments) and dollar-quoted bodies ($$…$$, $tag$…$tag$).
 */
export function numberPlaceholders(sql: string): string {
  let out = ''
  let n = 0
  let i = 0
  const len = sql.length
  while (i < len) {
    const c = sql[i]
    if (c === '?') {
      out += `$${++n}`
      i++
    } else if (c === "'") {
      const escapes = i > 0 && (sql[i - 1] === 'E' || sql[i - 1] === 'e') && !/[\w$]/.test(sql[i - 2] ?? ' ')
      let j = i + 1
      while (j < len) {
        if (escapes && sql[j] === '\\') j += 2
        else if (sql[j] === "'" && sql[j + 1] === "'") j += 2
        else if (sql[j] === "'") break
        else j++
      }
      out += sql.slice(i, j + 1)
      i = j + 1
    } else if (c === '"') {
      let j = i + 1
      while (j < len && !(sql[j] === '"' && sql[j + 1] !== '"')) j += sql[j] === '"' ? 2 : 1
      out += sql.slice(i, j + 1)
      i = j + 1
    } else if (c === '-' && sql[i + 1] === '-') {
      const j = sql.indexOf('\n', i)
      const end = j === -1 ? len : j
      out += sql.slice(i, end)
      i = end
    } else if (c === '/' && sql[i + 1] === '*') {
      let depth = 1
      let j = i + 2
      while (j < len && depth > 0) {
        if (sql[j] === '/' && sql[j + 1] === '*') {
          depth++
          j += 2
        } else if (sql[j] === '*' && sql[j + 1] === '/') {
          depth--
          j += 2
        } else j++
      }
      out += sql.slice(i, j)
      i = j
    } else if (c === '$' && !/[\w$]/.test(sql[i - 1] ?? ' ')) {
      const tag = /^\$([A-Za-z_][A-Za-z_0-9]*)?\$/.exec(sql.slice(i))
      if (tag) {
        const end = sql.indexOf(tag[0], i + tag[0].length)
        const stop = end === -1 ? len : end + tag[0].length
        out += sql.slice(i, stop)
        i = stop
      } else {
        out += c
        i++
      }
    } else {
      out += c
      i++
    }
  }
  return out
}

const converted = new Map<string, string>()
/** numberPlaceholders, remembered for the SQL texts the code uses (a bounded set; dropped wholesale if not) */
function toPg(sql: string): string {
  let text = converted.get(sql)
  if (text === undefined) {
    if (converted.size >= 2000) converted.clear()
    text = numberPlaceholders(sql)
    converted.set(sql, text)
  }
  return text
}

// --- values ------------------------------------------------------------------------------------------------

const OID = { bool: 16, int8: 20, int2: 21, int4: 23, numeric: 1700, date: 1082, timestamp: 1114, timestamptz: 1184 }

const integral = /^-?\d+$/
/** an integer as a number when it is exact, else as a bigint */
const exactInteger = (s: string): number | bigint => {
  const n = Number(s)
  return Number.isSafeInteger(n) ? n : BigInt(s)
}
const asText = (s: string) => s
const asBit = (s: string) => (s === 't' ? 1 : 0)

function parsers(bigints: boolean): pg.CustomTypesConfig {
  const parse: Record<number, (s: string) => unknown> = {
    [OID.bool]: asBit,
    [OID.int2]: bigints ? BigInt : Number,
    [OID.int4]: bigints ? BigInt : Number,
    [OID.int8]: bigints ? BigInt : exactInteger,
    [OID.numeric]: (s) => (integral.test(s) ? (bigints ? BigInt(s) : exactInteger(s)) : Number(s)),
    [OID.date]: asText,
    [OID.timestamp]: asText,
    [OID.timestamptz]: asText
  }
  return {
    getTypeParser: ((oid: number, format?: string) =>
      parse[oid] ?? pg.types.getTypeParser(oid, format as 'text')) as pg.CustomTypesConfig['getTypeParser']
  }
}
const NUMBERS = parsers(false)
const BIGINTS = parsers(true)

/** booleans bound as 1/0, as SQLite stores them; everything else as node-postgres sends it */
const bind = (params: readonly SqlValue[]): unknown[] => params.map((p) => (typeof p === 'boolean' ? (p ? 1 : 0) : p))

// --- the engine --------------------------------------------------------------------------------------------

type Queryable = pg.Pool | pg.PoolClient

function executor(target: Queryable): Executor {
  const query = async <T>(sql: string, params: readonly SqlValue[] = [], options?: QueryOptions): Promise<T[]> => {
    const types = options?.bigints ? BIGINTS : NUMBERS
    if (options?.firstColumn) {
      const result = await target.query<unknown[]>({ text: toPg(sql), values: bind(params), types, rowMode: 'array' })
      return result.rows.map((row) => row[0] as T)
    }
    return (await target.query<T & pg.QueryResultRow>({ text: toPg(sql), values: bind(params), types })).rows
  }
  return {
    remote: true,
    async all<T>(sql: string, params?: readonly SqlValue[], options?: QueryOptions) {
      return query<T>(sql, params, options)
    },
    async get<T>(sql: string, params?: readonly SqlValue[], options?: QueryOptions) {
      return (await query<T>(sql, params, options))[0]
    },
    async run(sql: string, params?: readonly SqlValue[]) {
      return { changes: (await target.query({ text: toPg(sql), values: bind(params ?? []), types: NUMBERS })).rowCount ?? 0 }
    }
  }
}

/** A first-come first-served queue of one: the process's transactions, one at a time. */
function createQueue() {
  let tail: Promise<unknown> = Promise.resolve()
  return <T>(fn: () => Promise<T>): Promise<T> => {
    const result = tail.then(fn, fn)
    tail = result.catch(() => undefined)
    return result
  }
}

/** Applies the committed PostgreSQL migrations, once even when several instances start together. */
export async function migratePostgres(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, application_name: 'nianbao-migrate' })
  await client.connect()
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATE_LOCK])
    try {
      await migrate(drizzle(client), { migrationsFolder: projectFile('db/migrations-pg') })
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATE_LOCK])
    }
  } finally {
    await client.end()
  }
}

export async function openPostgres(options: PostgresOptions): Promise<Engine> {
  if (options.migrate !== false) await migratePostgres(options.url)
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize ?? 10,
    application_name: 'nianbao',
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 10_000
  })
  pool.on('error', (err) => options.onError?.(err))
  const direct = executor(pool)
  const queue = createQueue()
  // A call on the engine itself from inside one of its transactions is refused, as on SQLite: it would run
  // outside the transaction (another connection), and a write there could wait on the transaction's locks.
  const inside = new AsyncLocalStorage<true>()
  const outside = () => {
    if (inside.getStore()) throw new Error('a statement on the engine inside its own transaction: use the transaction executor')
  }

  function transaction<T>(fn: (tx: Executor) => Promise<T>): Promise<T> {
    outside()
    return queue(async () => {
      const client = await pool.connect()
      // a connection that could not begin or roll back is closed rather than given back to the pool
      let broken: Error | undefined
      try {
        await client.query(`BEGIN; SELECT pg_advisory_xact_lock(${WRITE_LOCK})`)
      } catch (err) {
        client.release((broken = err as Error))
        throw err
      }
      const tx = executor(client)
      try {
        const result = await inside.run(true, () => fn(tx))
        await client.query('COMMIT')
        return result
      } catch (err) {
        await client.query('ROLLBACK').catch((e: Error) => (broken = e))
        throw err
      } finally {
        client.release(broken)
      }
    })
  }

  let closed = false
  return {
    kind: 'postgres',
    remote: true,
    // its lists go through the serializer: no stored summaries (json_build_object writes other JSON than JSON.stringify)
    storesSummaries: false,
    all: async (sql, params, options) => {
      outside()
      return direct.all(sql, params, options)
    },
    get: async (sql, params, options) => {
      outside()
      return direct.get(sql, params, options)
    },
    run: async (sql, params) => {
      outside()
      return direct.run(sql, params)
    },
    transaction,
    async reserveIds(tx, table, count) {
      if (count === 0) return []
      const rows = await tx.all<{ id: number }>(
        'SELECT nextval(pg_get_serial_sequence(?, ?)) AS id FROM generate_series(1, CAST(? AS INTEGER))',
        [quoteName(table), 'id', count]
      )
      return rows.map((r) => Number(r.id)).sort((a, b) => a - b)
    },
    async dataVersion() {
      outside()
      const row = await direct.get<{ version: string }>('SELECT version::text AS version FROM data_version WHERE id = 1')
      if (!row) throw new Error('data_version has no row: the PostgreSQL migrations were not applied')
      return row.version
    },
    catalog: postgresCatalog,
    async close() {
      if (closed) return
      closed = true
      // the queued transactions finish before the pool goes
      await queue(async () => undefined)
      await pool.end()
    }
  }
}

/** A column's type as the dump carries it: integers exactly, floating point as doubles, text; nothing else. */
function typeOf(dataType: string, scale: number | null, table: string, column: string): ColumnType {
  if (dataType === 'smallint' || dataType === 'integer' || dataType === 'bigint' || dataType === 'boolean') return 'integer'
  if (dataType === 'numeric') return scale === 0 ? 'integer' : 'real'
  if (dataType === 'real' || dataType === 'double precision') return 'real'
  if (dataType === 'text' || dataType === 'character varying' || dataType === 'character') return 'text'
  throw new Error(`column ${table}.${column} is of type ${dataType}, which the dump cannot carry`)
}

/** The tables of the current schema (drizzle keeps its journal in a schema of its own), but data_version. */
export const postgresCatalog: Catalog = {
  async tables(ex) {
    const cols = await ex.all<{ table: string; name: string; type: string; scale: number | null; identity: string; serial: number }>(
      `SELECT c.table_name AS "table", c.column_name AS name, c.data_type AS type, c.numeric_scale AS scale,
              c.is_identity AS identity, CASE WHEN c.column_default LIKE 'nextval(%' THEN 1 ELSE 0 END AS serial
         FROM information_schema.columns c
         JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
        WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE' AND c.table_name <> 'data_version'
        ORDER BY c.table_name, c.ordinal_position`
    )
    const keys = await ex.all<{ table: string; name: string }>(
      `SELECT k.table_name AS "table", k.column_name AS name
         FROM information_schema.table_constraints tc
         JOIN information_schema.key_column_usage k
           ON k.constraint_schema = tc.constraint_schema AND k.constraint_name = tc.constraint_name AND k.table_name = tc.table_name
        WHERE tc.table_schema = current_schema() AND tc.constraint_type = 'PRIMARY KEY'
        ORDER BY k.table_name, k.ordinal_position`
    )
    const byName = new Map<string, TableShape>()
    for (const c of cols) {
      let t = byName.get(c.table)
      if (!t) byName.set(c.table, (t = { name: c.table, columns: [], primaryKey: [], identity: null }))
      t.columns.push({ name: c.name, type: typeOf(c.type, c.scale, c.table, c.name) })
      if (c.identity === 'YES' || c.serial) t.identity = c.name
    }
    for (const k of keys) byName.get(k.table)?.primaryKey.push(k.name)
    return [...byName.values()]
  },
  async lastIds(ex) {
    const ids: Record<string, number> = {}
    for (const t of await postgresCatalog.tables(ex)) {
      if (!t.identity) continue
      const row = await ex.get<{ last: number | null }>('SELECT pg_sequence_last_value(pg_get_serial_sequence(?, ?)::regclass) AS last', [
        quoteName(t.name),
        t.identity
      ])
      ids[t.name] = Number(row?.last ?? 0)
    }
    return ids
  },
  async setLastIds(ex, ids) {
    const tables = new Map((await postgresCatalog.tables(ex)).map((t) => [t.name, t]))
    for (const [name, last] of Object.entries(ids)) {
      const identity = tables.get(name)?.identity
      if (!identity) continue
      // setval(…, n, true): the next is n + 1; (…, 1, false): the next is 1
      await ex.get('SELECT setval(pg_get_serial_sequence(?, ?), ?, ?) AS v', [quoteName(name), identity, Math.max(last, 1), last >= 1])
    }
  }
}

const quoteName = (name: string) => `"${name.replaceAll('"', '""')}"`
