// The embedded engine: one SQLite file over better-sqlite3, the default.
//
// better-sqlite3 is synchronous and the service is not: a transaction's function awaits between its
// statements, and other requests run meanwhile. Two rules keep that safe:
// - writers are serialized: one transaction (or lone write) at a time holds the write connection, the
//   others queue behind it in arrival order;
// - a read outside a transaction never sees another's uncommitted write. On a file it runs on a second,
//   read-only connection: WAL gives each statement the last committed snapshot, and readers never wait for
//   writers. ':memory:' has one connection only (a second would be another database), so there a read
//   waits until no transaction is open.
//
// Statements are prepared once per connection and kept by SQL text (a bounded cache: list and aggregate
// SQL varies with the filters).
import { AsyncLocalStorage } from 'node:async_hooks'
import { closeSync, mkdirSync, openSync, readSync, realpathSync } from 'node:fs'
import { endianness } from 'node:os'
import { dirname } from 'node:path'
import Database from 'better-sqlite3'
import { drizzle } from 'drizzle-orm/better-sqlite3'
import { migrate } from 'drizzle-orm/better-sqlite3/migrator'
import { projectFile } from '../../src/paths.js'
import { isDefaultDataDirectory } from '../../src/startup.js'
import type { Catalog, ColumnType, Engine, Executor, QueryOptions, SqlValue, TableShape } from './engine.js'

export interface SqliteOptions {
  /** a file path, or ':memory:' */
  file: string
}

const STATEMENT_CACHE = 512

/** Sets the pragmas nianbao relies on. */
function configure(db: Database.Database) {
  // WAL lets readers go on while a write commits; synchronous=FULL makes an acknowledged write survive a
  // power cut, not only a crash of the process.
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = FULL')
  db.pragma('foreign_keys = ON')
  db.pragma('busy_timeout = 5000')
  db.pragma('cache_size = -32000')
  db.pragma('temp_store = MEMORY')
}

/** SQLite binds no booleans: they are stored as 1 and 0, as SQLite itself reads TRUE and FALSE. */
function bindable(params: readonly SqlValue[]): unknown[] {
  let out: unknown[] | undefined
  for (let i = 0; i < params.length; i++) {
    const v = params[i]
    if (typeof v === 'boolean') {
      out ??= params.slice()
      out[i] = v ? 1 : 0
    }
  }
  return out ?? (params as unknown[])
}

/**
 * Prepared statements of one connection, by SQL text (and integer and row mode); the least recently used dropped
 * first.
 */
function statementsOf(db: Database.Database) {
  const cache = new Map<string, Database.Statement<unknown[]>>()
  return (sql: string, options?: QueryOptions): Database.Statement<unknown[]> => {
    const bigints = options?.bigints === true
    const pluck = options?.firstColumn === true
    const key = bigints || pluck ? `${bigints ? 'b' : ''}${pluck ? 'p' : ''}:${sql}` : sql
    let stmt = cache.get(key)
    if (stmt) cache.delete(key)
    else {
      stmt = db.prepare(sql)
      if (bigints) stmt.safeIntegers(true)
      if (pluck) stmt.pluck(true)
      if (cache.size >= STATEMENT_CACHE) cache.delete(cache.keys().next().value!)
    }
    cache.set(key, stmt)
    return stmt
  }
}

/** The three calls of an Executor over one connection, synchronous underneath. */
function executorOf(db: Database.Database): Executor {
  const statement = statementsOf(db)
  return {
    remote: false,
    async all<T>(sql: string, params: readonly SqlValue[] = [], options?: QueryOptions) {
      return statement(sql, options).all(bindable(params)) as T[]
    },
    async get<T>(sql: string, params: readonly SqlValue[] = [], options?: QueryOptions) {
      return statement(sql, options).get(bindable(params)) as T | undefined
    },
    async run(sql: string, params: readonly SqlValue[] = []) {
      return { changes: statement(sql).run(bindable(params)).changes }
    }
  }
}

/** A first-come, first-served lock: `hold(fn)` runs fn when every earlier holder has finished. */
function createLock() {
  let tail: Promise<unknown> = Promise.resolve()
  let held = 0
  return {
    get held() {
      return held > 0
    },
    hold<T>(fn: () => Promise<T>): Promise<T> {
      held++
      const run = tail.then(fn)
      tail = run.then(
        () => held--,
        () => held--
      )
      return run
    }
  }
}

export function openSqlite({ file }: SqliteOptions): Database.Database {
  // the default data/ folder is created on first start; any other folder must exist (a mistyped path is an
  // error, never a new folder somewhere)
  if (file !== ':memory:' && isDefaultDataDirectory(dirname(file))) mkdirSync(dirname(file), { recursive: true })
  const db = new Database(file)
  configure(db)
  return db
}

/**
 * The migrated schema of the first ':memory:' database this process opened: every later one starts as a copy of
 * it (better-sqlite3 opens a serialized image in memory in about a millisecond) instead of applying each
 * migration again, which took a few hundred milliseconds — the tests open hundreds of such databases.
 */
let migratedMemoryImage: Buffer | undefined

export async function createSqliteEngine({ file }: SqliteOptions): Promise<Engine> {
  const memory = file === ':memory:'
  let writer: Database.Database
  if (memory && migratedMemoryImage) {
    writer = new Database(migratedMemoryImage)
    configure(writer)
  } else {
    writer = openSqlite({ file })
    migrate(drizzle(writer), { migrationsFolder: projectFile('db/migrations') })
    if (memory) migratedMemoryImage = writer.serialize()
  }
  const reader = memory ? writer : new Database(file, { readonly: true, fileMustExist: true })
  if (!memory) {
    reader.pragma('busy_timeout = 5000')
    reader.pragma('cache_size = -32000')
  }
  const write = executorOf(writer)
  const read = memory ? write : executorOf(reader)
  const lock = createLock()
  // data_version moves when another connection commits, total_changes with every row this one writes
  const version = memory
    ? writer.prepare("SELECT total_changes() || ':' || (SELECT data_version FROM pragma_data_version)").pluck()
    : reader.prepare('SELECT data_version FROM pragma_data_version').pluck()
  // on a file in WAL mode, the same answer from the WAL index without a statement (see walIndexVersion)
  const walVersion = memory ? undefined : walIndexVersion(file, writer)

  // On ':memory:' (the tests) a call on the engine from inside a transaction would wait for that very
  // transaction forever: it is refused instead, naming the mistake (use the transaction's executor).
  const inside = memory ? new AsyncLocalStorage<true>() : undefined
  const outside = () => {
    if (inside?.getStore()) throw new Error('a statement on the engine inside its own transaction: use the transaction executor')
  }

  /** A read outside any transaction: at once on a file; on ':memory:' once no transaction is open. */
  const reading = <T>(fn: () => Promise<T>): Promise<T> => {
    if (!memory) return fn()
    outside()
    return lock.held ? lock.hold(fn) : fn()
  }

  let closed = false
  const engine: Engine = {
    kind: 'sqlite',
    remote: false,
    storesSummaries: true,
    all: (sql, params, options) => reading(() => read.all(sql, params, options)),
    get: (sql, params, options) => reading(() => read.get(sql, params, options)),
    // a lone write is a transaction of its own: it must not land inside another request's open one
    run: (sql, params) => {
      outside()
      return lock.hold(() => write.run(sql, params))
    },
    transaction<T>(fn: (tx: Executor) => Promise<T>): Promise<T> {
      outside()
      return lock.hold(async () => {
        writer.exec('BEGIN IMMEDIATE')
        try {
          const result = inside ? await inside.run(true, () => fn(write)) : await fn(write)
          writer.exec('COMMIT')
          return result
        } catch (err) {
          if (writer.inTransaction) writer.exec('ROLLBACK')
          throw err
        }
      })
    },
    dataVersion: walVersion ? walVersion.read : () => reading(async () => String(version.get())),
    // AUTOINCREMENT gives max(sqlite_sequence, max(id)) + 1: the reservation moves sqlite_sequence past the ids taken
    async reserveIds(tx, table, count) {
      if (count === 0) return []
      const row = await tx.get<{ last: number }>(
        `SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = ?), 0), coalesce((SELECT max(id) FROM "${table}"), 0)) AS last`,
        [table]
      )
      const last = Number(row?.last ?? 0)
      const { changes } = await tx.run('UPDATE sqlite_sequence SET seq = ? WHERE name = ?', [last + count, table])
      if (changes === 0) await tx.run('INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)', [table, last + count])
      return Array.from({ length: count }, (_, i) => last + 1 + i)
    },
    catalog: sqliteCatalog,
    async close() {
      if (closed) return
      closed = true
      // let the queued writers finish before the connections go
      await lock.hold(async () => undefined)
      walVersion?.close()
      if (!memory) reader.close()
      writer.close()
    }
  }
  return engine
}

/** WALINDEX_MAX_VERSION: the wal-index format every SQLite since 3.7.0 writes */
const WAL_INDEX_FORMAT = 3_007_000
/** the first copy of the wal-index header: 48 bytes at the start of the -shm file */
const WAL_INDEX_HEADER = 48

/**
 * The data version of a database in WAL mode, read from its wal-index header — the first 48 bytes of the
 * `-shm` file, which every connection of every process maps, and which holds a counter incremented with each
 * transaction, the last committed frame and a checksum of both (https://www.sqlite.org/walformat.html, "the
 * wal-index header"). A commit rewrites it before COMMIT returns, so a header unchanged since the last look
 * means nothing was committed since, by anyone; that is how SQLite itself tells whether a reader's snapshot
 * is current. The version is a count of the changes seen, so it only moves forward.
 *
 * `PRAGMA data_version` answers the same question through a read transaction (locking and unlocking a read
 * mark, and a stat of the file): some 5–10 µs, a tenth of the cost of a 304. This is one `pread`. Whatever
 * else rewrites the header (a checkpoint restarting the log) only moves the version too: a cache misses once,
 * nothing is ever answered stale. Undefined when the header is not there or not of this format (the
 * database is not in WAL mode, or a future SQLite changed it): the pragma is then asked, as before.
 */
export function walIndexVersion(file: string, db: Database.Database): { read: () => string; close: () => void } | undefined {
  if (db.pragma('journal_mode', { simple: true }) !== 'wal') return undefined
  let fd: number
  try {
    // SQLite names the -shm after the database file's real path
    fd = openSync(`${realpathSync(file)}-shm`, 'r')
  } catch {
    return undefined
  }
  const header = Buffer.alloc(WAL_INDEX_HEADER)
  const seen = Buffer.alloc(WAL_INDEX_HEADER)
  const formatOf = endianness() === 'LE' ? () => header.readUInt32LE(0) : () => header.readUInt32BE(0)
  // byte 12: isInit, set once a connection has read the log
  if (readSync(fd, header, 0, WAL_INDEX_HEADER, 0) !== WAL_INDEX_HEADER || formatOf() !== WAL_INDEX_FORMAT || header[12] !== 1) {
    closeSync(fd)
    return undefined
  }
  header.copy(seen)
  let changes = 0
  return {
    read() {
      // a short read (the file replaced under us) counts as a change: a miss, never a stale answer
      if (readSync(fd, header, 0, WAL_INDEX_HEADER, 0) !== WAL_INDEX_HEADER || !header.equals(seen)) {
        header.copy(seen)
        changes++
      }
      return String(changes)
    },
    close: () => closeSync(fd)
  }
}

/** A declared column type's affinity (https://sqlite.org/datatype3.html §3.1), as the dump carries it. */
function affinity(declared: string, table: string, column: string): ColumnType {
  const t = declared.toUpperCase()
  if (t.includes('INT')) return 'integer'
  if (t.includes('CHAR') || t.includes('CLOB') || t.includes('TEXT')) return 'text'
  if (t.includes('REAL') || t.includes('FLOA') || t.includes('DOUB')) return 'real'
  throw new Error(`column ${table}.${column} is of type ${declared || '(none)'}, which the dump cannot carry`)
}

/** SQLite's catalog: sqlite_master, pragma_table_info and sqlite_sequence (AUTOINCREMENT's counters). */
export const sqliteCatalog: Catalog = {
  async tables(ex) {
    const tables = await ex.all<{ name: string; sql: string }>(
      `SELECT name, sql FROM sqlite_master WHERE type = 'table' AND substr(name, 1, 7) <> 'sqlite_' AND substr(name, 1, 2) <> '__' ORDER BY name`
    )
    const out: TableShape[] = []
    for (const { name, sql } of tables) {
      const cols = await ex.all<{ name: string; type: string; pk: number }>(
        'SELECT name, type, pk FROM pragma_table_info(?) ORDER BY cid',
        [name]
      )
      const primaryKey = cols
        .filter((c) => c.pk > 0)
        .sort((a, b) => a.pk - b.pk)
        .map((c) => c.name)
      out.push({
        name,
        columns: cols.map((c) => ({ name: c.name, type: affinity(c.type, name, c.name) })),
        primaryKey,
        identity: /\bAUTOINCREMENT\b/i.test(sql) && primaryKey.length === 1 ? primaryKey[0] : null
      })
    }
    return out
  },
  async lastIds(ex) {
    const ids: Record<string, number> = {}
    for (const t of await sqliteCatalog.tables(ex)) if (t.identity) ids[t.name] = 0
    const hasSequence = await ex.get(`SELECT 1 AS x FROM sqlite_master WHERE name = 'sqlite_sequence'`)
    if (hasSequence) {
      for (const r of await ex.all<{ name: string; seq: number }>('SELECT name, seq FROM sqlite_sequence')) {
        if (r.name in ids) ids[r.name] = Number(r.seq)
      }
    }
    return ids
  },
  async setLastIds(ex, ids) {
    for (const [name, last] of Object.entries(ids)) {
      // sqlite_sequence exists once any AUTOINCREMENT table does; its row for a table once that table had a row
      const { changes } = await ex.run('UPDATE sqlite_sequence SET seq = ? WHERE name = ?', [last, name])
      if (changes === 0 && last > 0) await ex.run('INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)', [name, last])
    }
  }
}
