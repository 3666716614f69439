// The seam between the engine-neutral repositories and services and the two databases nianbao runs on.
// Everything that differs between SQLite and PostgreSQL sits behind this interface, and nothing else does.
//
// SQL is written once, in the subset both engines read the same way:
// - placeholders are `?` (the PostgreSQL engine numbers them `$1, $2, …`); never put a `?` inside a literal;
// - camelCase result names are quoted (`region_code AS "regionCode"`): PostgreSQL folds unquoted names to
//   lower case;
// - upserts are `INSERT … ON CONFLICT (…) DO UPDATE SET … = excluded.…` (both engines), never `INSERT OR REPLACE`;
// - integers come back as JS numbers when they fit in 2^53, and as bigint when asked (`bigints: true`), so
//   money sums in 分 stay exact whatever the engine; `count(*)` and `sum()` of integers are numbers too;
// - booleans are bound as values (SQLite stores 1 and 0); compare them, never sum them (`sum(x = 'a')` is
//   SQLite only: write `sum(CASE WHEN x = 'a' THEN 1 ELSE 0 END)`);
// - only functions both engines have: coalesce, substr, abs, count, sum, min, max, CAST(… AS BIGINT | DOUBLE
//   PRECISION | TEXT); no instr, strftime, printf, total_changes, pragmas (anything SQLite-only lives in
//   db/engines/sqlite.ts); `NULLS LAST` where the order of nulls matters.
//
// How it is used:
// - the engine's own all/get are reads of committed data (on SQLite they may run on a read-only
//   connection); a write is `run`, or any statement inside `transaction`;
// - inside `transaction(fn)` every statement goes through `tx`: a call on the engine itself would wait for
//   the very transaction it runs in.

export type SqlValue = string | number | bigint | boolean | null

export interface QueryOptions {
  /** return every integer column as bigint (exact sums of money) */
  bigints?: boolean
  /** each row as the value of its first column, not an object (a page of JSON texts: no object is made per row) */
  firstColumn?: boolean
}

/** Reads and writes; a transaction's handle and the engine itself both are one. */
export interface Executor {
  /**
   * Whether each statement is a round trip to a server (PostgreSQL), so that writing many rows a statement
   * pays; on SQLite a statement is a function call, and a wide multi-row upsert is slower than a prepared
   * one-row statement run again.
   */
  readonly remote: boolean
  /** every row, as objects keyed by the result column names */
  all<T = Record<string, unknown>>(sql: string, params?: readonly SqlValue[], options?: QueryOptions): Promise<T[]>
  /** the first row, or undefined */
  get<T = Record<string, unknown>>(sql: string, params?: readonly SqlValue[], options?: QueryOptions): Promise<T | undefined>
  /** a statement that returns no rows: how many rows it changed */
  run(sql: string, params?: readonly SqlValue[]): Promise<{ changes: number }>
}

export interface Engine extends Executor {
  readonly kind: 'sqlite' | 'postgres'
  /**
   * Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. No request ever
   * observes another's uncommitted write: SQLite serializes writers and reads outside a transaction see
   * only committed data; PostgreSQL runs each transaction on its own pooled connection.
   */
  transaction<T>(fn: (tx: Executor) => Promise<T>): Promise<T>
  /**
   * `count` ids of `table`'s identity that it will give no one else, ascending, inside the transaction `tx`: rows
   * inserted later with these ids (a batch inserts its new rows together) keep the order and numbers they would
   * have had inserted one by one.
   */
  reserveIds(tx: Executor, table: string, count: number): Promise<number[]>
  /**
   * A value that changes whenever any process commits a write to the database: the never-stale caches
   * (aggregates, ETags of lists) compare it before answering from memory. A string when the engine knows it
   * without waiting (SQLite on a file), so that a 304 waits for nothing; a promise otherwise.
   */
  dataVersion(): string | Promise<string>
  /**
   * Whether `reports.summary` holds each report's summary as the JSON text a list serves, byte for byte what the
   * serializer writes (SQLite: kept by migration 0006's triggers, written by `json_object`, which escapes as
   * JSON.stringify does), so that a page is the concatenation of stored texts; false where the engine keeps no such
   * column and a page goes through the serializer (PostgreSQL).
   */
  readonly storesSummaries: boolean
  /** What the database holds, for the tools that move it between engines (db/dump.ts) */
  readonly catalog: Catalog
  close(): Promise<void>
}

/** How a column's values are carried between engines: integers exactly, reals as doubles, text as text. */
export type ColumnType = 'integer' | 'real' | 'text'

export interface TableShape {
  name: string
  /** in the table's order */
  columns: Array<{ name: string; type: ColumnType }>
  /** the primary key's columns, in the key's order */
  primaryKey: string[]
  /** the column whose values the database gives (SQLite AUTOINCREMENT, a PostgreSQL identity), if any */
  identity: string | null
}

/**
 * The engine's own catalog, read through an executor (the engine, or a transaction's handle). The engines'
 * bookkeeping (drizzle's migration journal, SQLite's sqlite_sequence, PostgreSQL's data_version) is not listed:
 * only the tables the service stores its data in.
 */
export interface Catalog {
  tables(ex: Executor): Promise<TableShape[]>
  /** per table with an identity: the highest id it ever gave (0 when none yet), so ids are never reused */
  lastIds(ex: Executor): Promise<Record<string, number>>
  /** makes each table's next given id `ids[table] + 1` (for a restore: the rows written hold no higher id) */
  setLastIds(ex: Executor, ids: Record<string, number>): Promise<void>
}
