// Builds the app on a fresh database of its own, as the server does, so each test runs alone: in memory on
// SQLite, or, when TEST_DATABASE_URL names a PostgreSQL server, a database of its own there (test/postgres.ts),
// dropped when the app closes.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FastifyInstance, InjectOptions } from 'fastify'
import { buildApp } from '../src/app.js'
import type { AppOptions } from '../src/config.js'
import type { ReportInput } from '../src/format/document.js'
import { readSampleData } from '../src/sample.js'
import { createTestDatabase, TEST_DATABASE_URL } from './postgres.js'

/** The engine the tests run on: PostgreSQL when TEST_DATABASE_URL is set, else SQLite. */
export const TEST_ENGINE: 'sqlite' | 'postgres' = TEST_DATABASE_URL ? 'postgres' : 'sqlite'

/** Connections of a test app's pool: tests run in parallel processes on one server, so each keeps few. */
const TEST_POOL_SIZE = 4
/** The import time budget of test apps (IMPORT_TIME_LIMIT_MS is 10 s by default). */
const TEST_IMPORT_BUDGET_MS = 120_000

export type DatabaseOptions = Pick<AppOptions, 'databaseFile' | 'databaseUrl' | 'databasePoolSize'>

/**
 * A database of its own: in memory on SQLite, a fresh migrated database on PostgreSQL. `drop` removes it
 * (nothing to do in memory); call it once every app on it is closed.
 */
export async function testDatabase(): Promise<{ options: DatabaseOptions; drop(): Promise<void> }> {
  if (!TEST_DATABASE_URL) return { options: { databaseFile: ':memory:' }, drop: async () => undefined }
  const db = await createTestDatabase()
  return { options: { databaseFile: ':memory:', databaseUrl: db.url, databasePoolSize: TEST_POOL_SIZE }, drop: db.drop }
}

/**
 * A database several apps open at once, as instances of one deployment do: a file on SQLite (in memory
 * would be one database per connection), a database of its own on PostgreSQL. Removed at the test's end.
 */
export async function sharedDatabase(t: { teardown(fn: () => unknown): void }): Promise<DatabaseOptions> {
  if (TEST_DATABASE_URL) {
    const db = await testDatabase()
    t.teardown(db.drop)
    return db.options
  }
  const dir = mkdtempSync(join(tmpdir(), 'nianbao-shared-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  return { databaseFile: join(dir, 'shared.db') }
}

/** The admin key every test app starts with (BOOTSTRAP_ADMIN_KEY). */
export const ADMIN_KEY = 'test-admin-key-not-secret-0001'

export interface TestApp extends FastifyInstance {
  /** inject without the admin key the test app's inject adds by default */
  injectAs(key: string | null, opts: InjectOptions | string): ReturnType<FastifyInstance['inject']>
}

/**
 * The app on a fresh database of its own (testDatabase), unless the options name one (databaseFile or
 * databaseUrl). Its inject() sends the admin key unless the request names its own Authorization; injectAs()
 * sends another key, or none.
 */
export async function buildTestApp(options: Partial<AppOptions> = {}): Promise<TestApp> {
  const own = options.databaseFile === undefined && options.databaseUrl === undefined ? await testDatabase() : undefined
  let app: TestApp
  try {
    app = (await buildApp({
      databaseFile: ':memory:',
      ...own?.options,
      sampleData: false,
      logger: false,
      bootstrapAdminKey: ADMIN_KEY,
      ...options,
      // the import budget is wall-clock time: a test machine running the suite's files in parallel must not
      // turn a slow reading into a refusal (the budget's own tests set theirs)
      imports: { timeoutMs: TEST_IMPORT_BUDGET_MS, ...options.imports }
    })) as TestApp
    await app.ready()
  } catch (err) {
    await own?.drop()
    throw err
  }
  if (own) dropAfterClose(app, own.drop)
  const inject = app.inject.bind(app) as (opts: InjectOptions) => ReturnType<FastifyInstance['inject']>
  const withKey = (key: string | null, opts: InjectOptions | string): InjectOptions => {
    const o: InjectOptions = typeof opts === 'string' ? { url: opts } : { ...opts }
    const headers = { ...(o.headers ?? {}) } as Record<string, string>
    if (key !== null && headers.authorization === undefined) headers.authorization = `Bearer ${key}`
    return { ...o, headers }
  }
  app.injectAs = (key, opts) => inject(withKey(key, opts))
  ;(app as { inject: unknown }).inject = (opts: InjectOptions | string) => inject(withKey(ADMIN_KEY, opts))
  return app
}

/** app.close() then drops the app's own database (once; a second close finds nothing to drop). */
export function dropAfterClose(app: FastifyInstance, drop: () => Promise<void>) {
  const close = app.close.bind(app) as () => Promise<undefined>
  let dropped: Promise<void> | undefined
  ;(app as { close: unknown }).close = (done?: (err?: Error) => void) => {
    const closed = close().then(() => (dropped ??= drop()))
    if (done) closed.then(() => done(), done)
    return closed
  }
}

export const json = (res: { body: string }) => JSON.parse(res.body)

let agencySeq = 0
/** Creates an agency through the API and returns its id. */
export async function createAgency(
  app: FastifyInstance,
  fields: Partial<{ name: string; regionCode: string; level: string; kind: string; uscc: string | null; parentId: number | null }> = {}
): Promise<number> {
  const res = await app.inject({
    method: 'POST',
    url: '/v1/agencies',
    payload: { name: `测试局${++agencySeq}`, regionCode: '630223', level: 'county', kind: 'department', ...fields }
  })
  if (res.statusCode !== 201) throw new Error(`agency not created: ${res.statusCode} ${res.body}`)
  return json(res).id
}

/** The sample report's body (every cell of the published 2025 report), for the given agency. */
export function sampleReport(agencyId: number, overrides: Partial<ReportInput> = {}): ReportInput {
  const sample = readSampleData()
  return structuredClone({ ...sample.report, agencyId, ...overrides }) as ReportInput
}

/** How many rows a table holds, through the app's engine (whichever it is). */
export async function countRows(app: FastifyInstance, table: string, where = '', params: Array<string | number> = []): Promise<number> {
  const row = await app.engine.get<{ n: number }>(`SELECT count(*) AS n FROM ${table}${where ? ` WHERE ${where}` : ''}`, params)
  return Number(row!.n)
}

/**
 * A correction of an accepted report by the admin (POST /v1/reports/{id}/corrections): the whole report (its
 * agencyId and year left out, they are the report's) and the reason. An accepted report changes only so.
 */
export function correctReport(app: FastifyInstance, reportId: number, doc: Partial<ReportInput>, reason = '更正：重新核对数据') {
  const { agencyId: _agency, year: _year, ...report } = doc
  return app.inject({ method: 'POST', url: `/v1/reports/${reportId}/corrections`, payload: { reason, report } })
}

/**
 * Records a published report as the admin: a PUT by natural key when the agency has none for the year, a
 * correction (with `reason`) when it has an accepted one. Answers the response of whichever was made.
 */
export async function publishReport(app: FastifyInstance, doc: ReportInput, reason?: string) {
  const stored = await app.inject(`/v1/agencies/${doc.agencyId}/reports/${doc.year}`)
  if (stored.statusCode === 404) return app.inject({ method: 'PUT', url: `/v1/agencies/${doc.agencyId}/reports/${doc.year}`, payload: doc })
  return correctReport(app, json(stored).id, doc, reason)
}

/** A key of a role and scope (region prefixes), made by the admin: the key itself. */
export async function createKey(app: FastifyInstance, name: string, role: string, regions: string[] = []): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/v1/keys', payload: { name, role, ...(regions.length ? { regions } : {}) } })
  if (res.statusCode !== 201) throw new Error(`key not created: ${res.statusCode} ${res.body}`)
  return json(res).key
}
