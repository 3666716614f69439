// Builds the app on a fresh in-memory database, as the server does, so each test file runs alone.
import type { FastifyInstance, InjectOptions } from 'fastify'
import { buildApp } from '../src/app.js'
import type { AppOptions } from '../src/config.js'
import type { ReportInput } from '../src/format/document.js'
import { readSampleData } from '../src/sample.js'

/** The admin key every test app starts with (BOOTSTRAP_ADMIN_KEY). */
export const ADMIN_KEY = 'test-admin-key-not-secret-0001'

export interface TestApp extends FastifyInstance {
  /** inject without the admin key the test app's inject adds by default */
  injectAs(key: string | null, opts: InjectOptions | string): ReturnType<FastifyInstance['inject']>
}

/**
 * The app on a fresh in-memory database. Its inject() sends the admin key unless the request names
 * its own Authorization; injectAs() sends another key, or none.
 */
export async function buildTestApp(options: Partial<AppOptions> = {}): Promise<TestApp> {
  const app = (await buildApp({
    databaseFile: ':memory:',
    sampleData: false,
    logger: false,
    bootstrapAdminKey: ADMIN_KEY,
    ...options
  })) as TestApp
  await app.ready()
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
