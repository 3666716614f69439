// Test databases on PostgreSQL. When TEST_DATABASE_URL names a server, every test app and every test that opens
// a database gets a database of its own, created from a migrated template (a file copy, much cheaper than
// migrating) and dropped when the test is done, so test files running in parallel never see each other's data
// and a run leaves nothing behind.
//
// The template is made once per run by test/run.ts (NIANBAO_TEST_TEMPLATE); a test file run on its own
// (`TEST_DATABASE_URL=… npx tap test/x.test.ts`) makes one for its process and drops it at exit.
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

/** Drops every database whose name starts with `prefix` (what a crashed test left). */
export async function dropDatabases(server: string, prefix: string): Promise<string[]> {
  return onServer(server, async (c) => {
    const { rows } = await c.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE starts_with(datname, $1) ORDER BY datname`,
      [prefix]
    )
    for (const { datname } of rows) await c.query(`DROP DATABASE IF EXISTS ${quote(datname)} WITH (FORCE)`)
    return rows.map((r) => r.datname)
  })
}

const run = process.env.NIANBAO_TEST_RUN ?? randomBytes(4).toString('hex')
let ownTemplate: Promise<string> | undefined
let seq = 0
const alive = new Set<string>()

function template(server: string): Promise<string> {
  if (process.env.NIANBAO_TEST_TEMPLATE) return Promise.resolve(process.env.NIANBAO_TEST_TEMPLATE)
  ownTemplate ??= (async () => {
    const name = `${DATABASE_PREFIX}${run}_${process.pid}_template`
    await createTemplate(server, name)
    alive.add(name)
    return name
  })()
  return ownTemplate
}

// whatever a test did not drop (an app never closed, a failed test) goes when the process is about to exit
process.once('beforeExit', () => {
  if (TEST_DATABASE_URL && alive.size) {
    const server = TEST_DATABASE_URL
    void Promise.all([...alive].map((name) => dropDatabase(server, name).catch(() => undefined))).then(() => alive.clear())
  }
})

export interface TestDatabase {
  /** postgres://… of the new database, migrated and empty */
  url: string
  name: string
  /** drops it (connections still open to it are ended) */
  drop(): Promise<void>
}

/** A fresh, migrated, empty database of its own on the test server. */
export async function createTestDatabase(server = TEST_DATABASE_URL): Promise<TestDatabase> {
  if (!server) throw new Error('TEST_DATABASE_URL is not set')
  const from = await template(server)
  const name = `${DATABASE_PREFIX}${run}_${process.pid}_${++seq}`
  await onServer(server, (c) => c.query(`CREATE DATABASE ${quote(name)} TEMPLATE ${quote(from)}`))
  alive.add(name)
  return {
    url: databaseUrl(server, name),
    name,
    async drop() {
      alive.delete(name)
      await dropDatabase(server, name)
    }
  }
}
