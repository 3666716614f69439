// Builds the app on a fresh in-memory database, as the server does, so each test file runs alone.
import type { FastifyInstance } from 'fastify'
import { buildApp } from '../src/app.js'
import type { AppOptions } from '../src/config.js'
import type { ReportInput } from '../src/format/document.js'
import { readSampleData } from '../src/sample.js'

export async function buildTestApp(options: Partial<AppOptions> = {}): Promise<FastifyInstance> {
  const app = await buildApp({ databaseFile: ':memory:', sampleData: false, logger: false, ...options })
  await app.ready()
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
