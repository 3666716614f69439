// The schemas (db/schema.ts for SQLite, db/schema-pg.ts for PostgreSQL) and their committed migrations agree:
// drizzle-kit finds nothing left to generate, and a database built by the migrations has exactly the tables,
// columns, types, keys and indexes the schema declares. The two schemas describe the same storage.
import t from 'tap'
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { drizzle } from 'drizzle-orm/better-sqlite3'
import { migrate } from 'drizzle-orm/better-sqlite3/migrator'
import { getTableConfig as sqliteTableConfig, SQLiteTable } from 'drizzle-orm/sqlite-core'
import { getTableConfig as pgTableConfig, PgTable } from 'drizzle-orm/pg-core'
import { generateDrizzleJson, generateMigration, generateSQLiteDrizzleJson, generateSQLiteMigration } from 'drizzle-kit/api'
import pg from 'pg'
import * as sqliteSchema from '../../db/schema.js'
import * as pgSchema from '../../db/schema-pg.js'
import { projectFile } from '../../src/paths.js'
import { CELLS } from '../../src/format/registry.js'
import { createTestDatabase, TEST_DATABASE_URL } from '../postgres.js'

/** the newest snapshot drizzle-kit keeps beside a migrations folder */
function lastSnapshot(folder: string) {
  const meta = projectFile(`${folder}/meta`)
  const last = readdirSync(meta)
    .filter((f) => f.endsWith('_snapshot.json'))
    .sort()
    .at(-1)!
  return JSON.parse(readFileSync(`${meta}/${last}`, 'utf8'))
}

/** how an index column that is an expression, not a column, is listed */
const EXPRESSION = '(expression)'

interface Shape {
  columns: Array<{ name: string; type: string; notNull: boolean }>
  primaryKey: string[]
  indexes: Array<{ name: string; columns: string[]; unique: boolean }>
  foreignKeys: Array<{ columns: string[]; table: string; onDelete: string }>
}
const byName = <T extends { name: string }>(a: T, b: T) => (a.name < b.name ? -1 : 1)

/** What each table of a drizzle schema module declares, with types as the database names them. */
function declared(schema: Record<string, unknown>, dialect: 'sqlite' | 'pg'): Map<string, Shape> {
  const tables = new Map<string, Shape>()
  for (const table of Object.values(schema)) {
    if (dialect === 'sqlite' ? !(table instanceof SQLiteTable) : !(table instanceof PgTable)) continue
    const config = dialect === 'sqlite' ? sqliteTableConfig(table as SQLiteTable) : pgTableConfig(table as PgTable)
    const pk = config.columns.filter((c) => c.primary).map((c) => c.name)
    for (const key of config.primaryKeys) pk.push(...key.columns.map((c) => c.name))
    tables.set(config.name, {
      columns: config.columns.map((c) => ({ name: c.name, type: c.getSQLType().toLowerCase(), notNull: c.notNull })),
      primaryKey: pk,
      indexes: config.indexes
        .map((i) => ({
          name: i.config.name!,
          // an expression (a province's substr of the region code) has no name: said so on every side
          columns: i.config.columns.map((c) => (c as { name?: string }).name ?? EXPRESSION),
          unique: Boolean(i.config.unique)
        }))
        .sort(byName),
      foreignKeys: config.foreignKeys.map((fk) => {
        const ref = fk.reference()
        const target =
          dialect === 'sqlite' ? sqliteTableConfig(ref.foreignTable as SQLiteTable) : pgTableConfig(ref.foreignTable as PgTable)
        return { columns: ref.columns.map((c) => c.name), table: target.name, onDelete: fk.onDelete ?? 'no action' }
      })
    })
  }
  return tables
}

t.test('drizzle-kit has nothing to generate: every schema change has its committed migration', async (t) => {
  const sqlitePrev = lastSnapshot('db/migrations')
  t.same(await generateSQLiteMigration(sqlitePrev, await generateSQLiteDrizzleJson(sqliteSchema, sqlitePrev.id)), [], 'SQLite')
  const pgPrev = lastSnapshot('db/migrations-pg')
  t.same(await generateMigration(pgPrev, generateDrizzleJson(pgSchema, pgPrev.id)), [], 'PostgreSQL')
})

t.test('a SQLite database built by the migrations is the schema', async (t) => {
  const sqlite = new Database(':memory:')
  t.teardown(() => sqlite.close())
  migrate(drizzle(sqlite), { migrationsFolder: projectFile('db/migrations') })
  const want = declared(sqliteSchema, 'sqlite')
  const tables = sqlite
    .prepare(
      `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '__drizzle%' ORDER BY name`
    )
    .pluck()
    .all() as string[]
  t.same(tables, [...want.keys()].sort())
  for (const [name, shape] of want) {
    const columns = sqlite.prepare(`PRAGMA table_info(${name})`).all() as Array<{ name: string; type: string; notnull: number; pk: number }>
    t.same(
      columns.map((c) => ({ name: c.name, type: c.type.toLowerCase(), notNull: c.notnull === 1 || (c.pk > 0 && c.type === 'INTEGER') })),
      shape.columns,
      `${name}: columns`
    )
    t.same(
      columns
        .filter((c) => c.pk > 0)
        .sort((a, b) => a.pk - b.pk)
        .map((c) => c.name),
      shape.primaryKey,
      `${name}: primary key`
    )
    const indexes = (sqlite.prepare(`PRAGMA index_list(${name})`).all() as Array<{ name: string; unique: number; origin: string }>)
      .filter((i) => i.origin === 'c')
      .map((i) => ({
        name: i.name,
        columns: (sqlite.prepare(`PRAGMA index_info(${i.name})`).all() as Array<{ name: string | null }>).map((c) => c.name ?? EXPRESSION),
        unique: i.unique === 1
      }))
      .sort(byName)
    t.same(indexes, shape.indexes, `${name}: indexes`)
    const fks = sqlite.prepare(`PRAGMA foreign_key_list(${name})`).all() as Array<{ from: string; table: string; on_delete: string }>
    t.same(
      fks.map((f) => ({ columns: [f.from], table: f.table, onDelete: f.on_delete.toLowerCase() })),
      shape.foreignKeys,
      `${name}: foreign keys`
    )
  }
})

t.test('the SQLite migration that shortened storage names keeps every value in its column', async (t) => {
  // a database as the first migration left it, with a distinct value in every cell column
  const first = mkdtempSync(join(tmpdir(), 'nianbao-migrations-'))
  t.teardown(() => rmSync(first, { recursive: true, force: true }))
  const journal = JSON.parse(readFileSync(projectFile('db/migrations/meta/_journal.json'), 'utf8'))
  mkdirSync(join(first, 'meta'))
  writeFileSync(join(first, 'meta/_journal.json'), JSON.stringify({ ...journal, entries: journal.entries.slice(0, 1) }))
  writeFileSync(join(first, '0000_init.sql'), readFileSync(projectFile('db/migrations/0000_init.sql')))
  const sqlite = new Database(':memory:')
  t.teardown(() => sqlite.close())
  sqlite.pragma('foreign_keys = ON')
  migrate(drizzle(sqlite), { migrationsFolder: first })
  const oldName = (code: string) =>
    code
      .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
      .replace(/\./g, '_')
      .toLowerCase()
  sqlite.exec(`INSERT INTO agencies (id, name, region_code, level, kind, created_at, updated_at) VALUES (1, 'a', '630223', 'county', 'department', 'x', 'x');
               INSERT INTO reports (id, agency_id, year, format, scope, created_at, updated_at) VALUES (1, 1, 2025, '2021', 'own', 'x', 'x')`)
  sqlite
    .prepare(
      `INSERT INTO report_cells (report_id, ${CELLS.map((c) => oldName(c.code)).join(', ')}) VALUES (1${', ?'.repeat(CELLS.length)})`
    )
    .run(...CELLS.map((_, i) => i + 1))
  for (const [table, region] of [
    ['rollup', 'region_code'],
    ['rollup_province', 'province']
  ]) {
    const columns = CELLS.flatMap((c) => [`s_${oldName(c.code)}`, `n_${oldName(c.code)}`])
    sqlite
      .prepare(
        `INSERT INTO ${table} (year, ${region}, level, kind, format, scope, reports, ${columns.join(', ')}) VALUES (2025, '63', 'county', 'department', '2021', 'own', 7${', ?'.repeat(columns.length)})`
      )
      .run(...CELLS.flatMap((_, i) => [1000 + i, 2000 + i]))
  }
  // up to 0002: 0003 fills the roll-ups again from the reports (test/db/migration-rollup.test.ts)
  const upTo0002 = mkdtempSync(join(tmpdir(), 'nianbao-migrations-'))
  t.teardown(() => rmSync(upTo0002, { recursive: true, force: true }))
  mkdirSync(join(upTo0002, 'meta'))
  const entries = journal.entries.slice(0, 3) as Array<{ tag: string }>
  writeFileSync(join(upTo0002, 'meta/_journal.json'), JSON.stringify({ ...journal, entries }))
  for (const e of entries) writeFileSync(join(upTo0002, `${e.tag}.sql`), readFileSync(projectFile(`db/migrations/${e.tag}.sql`)))
  migrate(drizzle(sqlite), { migrationsFolder: upTo0002 })
  const cells = sqlite.prepare(`SELECT * FROM report_cells`).get() as Record<string, number>
  t.same(cells, { report_id: 1, ...Object.fromEntries(CELLS.map((c, i) => [c.sqlName, i + 1])) })
  for (const [table, region] of [
    ['rollup', 'region_code'],
    ['rollup_province', 'province']
  ]) {
    t.same(
      sqlite.prepare(`SELECT * FROM ${table}`).get(),
      {
        year: 2025,
        [region]: '63',
        level: 'county',
        kind: 'department',
        format: '2021',
        scope: 'own',
        reports: 7,
        ...Object.fromEntries(
          CELLS.flatMap((c, i) => [
            [`s_${c.sqlName}`, 1000 + i],
            [`n_${c.sqlName}`, 2000 + i]
          ])
        )
      },
      table
    )
  }
  t.same(sqlite.pragma('foreign_key_check'), [], 'foreign keys hold')
})

t.test("the PostgreSQL schema has the same tables, columns, keys and indexes as SQLite's", async (t) => {
  const lite = declared(sqliteSchema, 'sqlite')
  const post = declared(pgSchema, 'pg')
  t.same([...post.keys()].filter((n) => n !== 'data_version').sort(), [...lite.keys()].sort(), "tables (data_version is PostgreSQL's own)")
  // SQLite's integer is 64-bit: PostgreSQL keeps ids, years and counters as integer and every cell as bigint
  const equivalent: Record<string, string[]> = { integer: ['integer', 'bigint'], text: ['text collate "c"'], real: ['double precision'] }
  // SQLite's own: the summaries its triggers store for the lists (migration 0006); PostgreSQL's lists use the serializer
  const sqliteOnly = new Set(['reports.summary'])
  t.ok(
    lite.get('reports')!.columns.some((c) => c.name === 'summary'),
    'reports.summary is in the SQLite schema'
  )
  for (const [name, shape] of lite) {
    const other = post.get(name)!
    const columns = shape.columns.filter((c) => !sqliteOnly.has(`${name}.${c.name}`))
    t.same(
      other.columns.map((c) => [c.name, c.notNull]),
      columns.map((c) => [c.name, c.notNull]),
      `${name}: columns and NOT NULL`
    )
    for (const [i, c] of columns.entries()) {
      if (!equivalent[c.type]?.includes(other.columns[i].type))
        t.fail(`${name}.${c.name}: ${c.type} on SQLite, ${other.columns[i].type} on PostgreSQL`)
    }
    t.same(other.primaryKey, shape.primaryKey, `${name}: primary key`)
    t.same(other.indexes, shape.indexes, `${name}: indexes`)
    t.same(other.foreignKeys, shape.foreignKeys, `${name}: foreign keys`)
  }
  const cells = post.get('report_cells')!.columns.filter((c) => c.name !== 'report_id')
  t.ok(cells.length > 200 && cells.every((c) => c.type === 'bigint'), 'every cell is a bigint: counts up to 10^15 and money in 分, exact')
})

t.test(
  'a PostgreSQL database built by the migrations is the schema',
  { skip: TEST_DATABASE_URL ? false : 'TEST_DATABASE_URL is not set' },
  async (t) => {
    const db = await createTestDatabase()
    const client = new pg.Client({ connectionString: db.url })
    await client.connect()
    t.teardown(async () => {
      await client.end()
      await db.drop()
    })
    const want = declared(pgSchema, 'pg')
    const q = async <T extends pg.QueryResultRow>(sql: string, params: unknown[] = []) => (await client.query<T>(sql, params)).rows
    const tables = await q<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`
    )
    t.same(
      tables.map((r) => r.table_name),
      [...want.keys()].sort()
    )
    for (const [name, shape] of want) {
      const columns = await q<{ name: string; type: string; collation: string | null; nullable: string }>(
        `SELECT column_name AS name, data_type AS type, collation_name AS collation, is_nullable AS nullable
       FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 ORDER BY ordinal_position`,
        [name]
      )
      t.same(
        columns.map((c) => ({
          name: c.name,
          type: c.collation ? `${c.type} collate "${c.collation.toLowerCase()}"` : c.type,
          notNull: c.nullable === 'NO'
        })),
        shape.columns,
        `${name}: columns`
      )
      const pk = await q<{ name: string }>(
        `SELECT a.attname AS name FROM pg_index i CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, n)
       JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
       WHERE i.indrelid = $1::regclass AND i.indisprimary ORDER BY k.n`,
        [name]
      )
      t.same(
        pk.map((r) => r.name),
        shape.primaryKey,
        `${name}: primary key`
      )
      const indexes = await q<{ name: string; columns: string[]; unique: boolean }>(
        `SELECT c.relname AS name, i.indisunique AS unique,
              array(SELECT coalesce(a.attname, $2) FROM unnest(i.indkey) WITH ORDINALITY AS k(attnum, n)
                    LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum ORDER BY k.n)::text[] AS columns
       FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
       WHERE i.indrelid = $1::regclass AND NOT i.indisprimary ORDER BY c.relname`,
        [name, EXPRESSION]
      )
      t.same(indexes, shape.indexes, `${name}: indexes`)
      const fks = await q<{ columns: string[]; table: string; onDelete: string }>(
        `SELECT array(SELECT a.attname FROM unnest(c.conkey) AS k(attnum) JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum)::text[] AS columns,
              c.confrelid::regclass::text AS table,
              CASE c.confdeltype WHEN 'a' THEN 'no action' WHEN 'r' THEN 'restrict' WHEN 'c' THEN 'cascade' WHEN 'n' THEN 'set null' ELSE 'set default' END AS "onDelete"
       FROM pg_constraint c WHERE c.conrelid = $1::regclass AND c.contype = 'f'`,
        [name]
      )
      t.same(fks, shape.foreignKeys, `${name}: foreign keys`)
    }
    const triggers = await q<{ table: string }>(
      `SELECT event_object_table AS table FROM information_schema.triggers
     WHERE trigger_schema = 'public' AND action_statement LIKE '%nianbao_touch_data_version%' GROUP BY 1 ORDER BY 1`
    )
    t.same(
      triggers.map((r) => r.table),
      [...want.keys()].filter((n) => n !== 'data_version').sort(),
      'every table but data_version bumps the data version'
    )
    t.same(await q(`SELECT id, version::text AS version FROM data_version`), [{ id: 1, version: '0' }], 'the data version starts at 0')
  }
)
