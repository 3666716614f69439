// The sample report nianbao starts with: 互助县城市管理综合行政执法局's 2025 report, every cell as published.
// Loaded once, into an empty database, so that a fresh `npm start` has something to show.
import { readFileSync } from 'node:fs'
import type { FastifyInstance } from 'fastify'
import { projectFile } from './paths.js'
import type { AgencyInput } from '../db/repositories/agencies.js'
import type { ReportInput } from './format/document.js'

export interface SampleData {
  agency: AgencyInput
  report: Omit<ReportInput, 'agencyId'>
}

export function readSampleData(): SampleData {
  return JSON.parse(readFileSync(projectFile('db/seed/huzhu-urban-management-2025.json'), 'utf8')) as SampleData
}

export async function loadSampleData(app: FastifyInstance): Promise<void> {
  if ((await app.repos.agencies.count(app.engine)) > 0) return
  const sample = readSampleData()
  const agency = await app.services.agencies.create(sample.agency)
  const report = await app.services.reports.create({ ...sample.report, agencyId: agency.id } as ReportInput)
  app.log.info({ agencyId: agency.id, reportId: report.id }, 'loaded the sample report into the empty database')
}
