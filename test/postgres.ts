// Test databases on PostgreSQL. When TEST_DATABASE_URL names a server, every test app and every test that opens
// a database gets a database of its own, so test files running in parallel never see each other's data and a
// run leaves nothing behind:
// - a new one is created from a migrated template (CREATE DATABASE … TEMPLATE copies a few pages: much cheaper
//   than migrating);
// - when a test is done with it, it is emptied (TRUNCATE … RESTART IDENTITY, a migration's own rows put back)
//   and the same process's next test gets it: creating and dropping a database each costs the server a
//   checkpoint, emptying one does not;
// - the template is made once per run by test/run.ts (NIANBAO_TEST_TEMPLATE), which drops every database of the
//   run at its end; a test file run on its own (`TEST_DATABASE_URL=… npx tap test/x.test.ts`) makes a template
//   for its process, and drops what earlier such runs left behind.
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { migratePostgres } from '../db/engines/postgres.js'

/** The PostgreSQL server the tests run on, or undefined: SQLite. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL || undefined

/** Every database of a run starts with this prefix (and the run's id), so the run can drop what a crash left. */
export const DATABASE_PREFIX = 'nianbao_test_'

/** postgres://…/name: the server's URL with another database */
export function databaseUrl(server: string, name: string): string {
  const url = new URL(server)
  url.pathname = `/${name}`
  return url.toString()
}

/** Runs `fn` on a connection to the server's maintenance database (the one TEST_DATABASE_URL names). */
export async function onServer<T>(server: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: server, application_name: 'nianbao-test' })
  await client.connect()
  try {
    return await fn(client)
  } finally {
    await client.end()
  }
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`

/** Creates a database and applies the migrations: the run's template. */
export async function createTemplate(server: string, name: string): Promise<void> {
  await onServer(server, (c) => c.query(`CREATE DATABASE ${quote(name)}`))
  await migratePostgres(databaseUrl(server, name))
}

export async function dropDatabase(server: string, name: string): Promise<void> {
  await onServer(server, (c) => c.query(`DROP DATABASE IF EXISTS ${quote(name)} WITH (FORCE)`))
}

/** Drops every database whose name starts with `prefix` (what a crashed test left), a few at a time. */
export async function dropDatabases(server: string, prefix: string, keep: (name: string) => boolean = () => false): Promise<string[]> {
  const names = await onServer(server, async (c) => {
    const { rows } = await c.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE starts_with(datname, $1) ORDER BY datname`, [
      prefix
    ])
    return rows.map((r) => r.datname).filter((name) => !keep(name))
  })
  // drops running together share the checkpoint each one waits for
  const queue = [...names]
  await Promise.all(
    Array.from({ length: Math.min(6, queue.length) }, async () => {
      for (let name = queue.shift(); name !== undefined; name = queue.shift()) await dropDatabase(server, name)
    })
  )
  return names
}

const alivePid = (pid: number) => {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

const run = process.env.NIANBAO_TEST_RUN ?? randomBytes(4).toString('hex')
let ownTemplate: Promise<string> | undefined
let seq = 0
/** every database this process made (dropped when it exits) */
const made = new Set<string>()

function template(server: string): Promise<string> {
  if (process.env.NIANBAO_TEST_TEMPLATE) return Promise.resolve(process.env.NIANBAO_TEST_TEMPLATE)
  ownTemplate ??= (async () => {
    // a test file run on its own: first drop what earlier such runs left (their processes are gone)
    await dropDatabases(server, DATABASE_PREFIX, (name) => {
      const pid = /^nianbao_test_[0-9a-f]+_(\d+)_/.exec(name)?.[1]
      return pid === undefined || alivePid(Number(pid))
    }).catch(() => undefined)
    const name = `${DATABASE_PREFIX}${run}_${process.pid}_template`
    await createTemplate(server, name)
    made.add(name)
    return name
  })()
  return ownTemplate
}

// whatever this process made goes when it is about to exit (when the test runner lets it: a run drops what is
// left by the run's prefix, and a file run on its own drops what the last such run left)
process.once('beforeExit', () => {
  if (TEST_DATABASE_URL && made.size) {
    const server = TEST_DATABASE_URL
    const names = [...made]
    made.clear()
    void Promise.all(names.map((name) => dropDatabase(server, name).catch(() => undefined)))
  }
})

export interface TestDatabase {
  /** postgres://… of the database, migrated and empty */
  url: string
  name: string
  /** done with it: emptied and kept for the process's next test (connections to it must be closed) */
  drop(): Promise<void>
}

interface Reusable {
  name: string
  /** the rows a migration put in a table (none today but the data version's), restored on reuse */
  seeds: Array<{ table: string; rows: string }>
  tables: string[]
}

/** Emptied databases of this process, ready for the next test: a TRUNCATE costs far less than a new database. */
const free: Reusable[] = []

const tablesSql = `SELECT quote_ident(tablename) AS t FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'data_version' ORDER BY tablename`

async function onDatabase<T>(server: string, name: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  return onServer(databaseUrl(server, name), fn)
}

async function fresh(server: string): Promise<Reusable> {
  const from = await template(server)
  const name = `${DATABASE_PREFIX}${run}_${process.pid}_${++seq}`
  await onServer(server, (c) => c.query(`CREATE DATABASE ${quote(name)} TEMPLATE ${quote(from)}`))
  made.add(name)
  return onDatabase(server, name, async (c) => {
    const tables = (await c.query<{ t: string }>(tablesSql)).rows.map((r) => r.t)
    const seeds: Reusable['seeds'] = []
    for (const table of tables) {
      const { rows } = await c.query<{ rows: string | null }>(`SELECT json_agg(x)::text AS rows FROM ${table} x`)
      if (rows[0].rows) seeds.push({ table, rows: rows[0].rows })
    }
    return { name, seeds, tables }
  })
}

/** Back to what the template holds: every table emptied, identities restarted, a migration's own rows put back. */
async function empty(server: string, db: Reusable): Promise<void> {
  await onDatabase(server, db.name, async (c) => {
    await c.query(`SET lock_timeout = '5s'`)
    await c.query('BEGIN')
    await c.query(`TRUNCATE ${db.tables.join(', ')} RESTART IDENTITY CASCADE`)
    for (const seed of db.seeds)
      await c.query(`INSERT INTO ${seed.table} SELECT * FROM json_populate_recordset(NULL::${seed.table}, $1)`, [seed.rows])
    await c.query('COMMIT')
  })
}

/** A migrated, empty database of its own on the test server. */
export async function createTestDatabase(server = TEST_DATABASE_URL): Promise<TestDatabase> {
  if (!server) throw new Error('TEST_DATABASE_URL is not set')
  const db = free.pop() ?? (await fresh(server))
  let done = false
  return {
    url: databaseUrl(server, db.name),
    name: db.name,
    async drop() {
      if (done) return
      done = true
      try {
        await empty(server, db)
        free.push(db)
      } catch {
        made.delete(db.name)
        await dropDatabase(server, db.name)
      }
    }
  }
}
