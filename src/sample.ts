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
  const sample = readSampleData()
  // one transaction with the look that finds the database empty: instances starting together load it once
  const loaded = await app.engine.transaction(async (tx) => {
    if ((await app.repos.agencies.count(tx)) > 0) return undefined
    const agency = await app.services.agencies.createIn(tx, sample.agency)
    const report = await app.services.reports.putByKeyIn(tx, { ...sample.report, agencyId: agency.id } as ReportInput)
    return { agencyId: agency.id, reportId: report.id }
  })
  if (loaded) app.log.info(loaded, 'loaded the sample report into the empty database')
}
