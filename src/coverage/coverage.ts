// Who in a region has published the year's report, who is late and who has not published at all.
// Pure: the agencies of the region with their report of the year (if any) in, the coverage view out.
import type { Kind, Level, Scope } from '../format/registry.js'
import { deadlineOf, timelinessOf } from './deadline.js'

export interface AgencyWithReport {
  agencyId: number
  name: string
  regionCode: string
  level: string
  kind: string
  /** null when the agency has no report for the year */
  reportId: number | null
  scope: string | null
  publishedAt: string | null
}

interface AgencyRef {
  agencyId: number
  name: string
  regionCode: string
  level: string
  kind: string
}

export interface MissingReport extends AgencyRef {
  /** the date its report was due by (as an `own` report) */
  deadline: string
}

export interface PublishedReport extends AgencyRef {
  reportId: number
  scope: string
  deadline: string
}

export interface LateReport extends PublishedReport {
  publishedAt: string
  daysLate: number
}

export interface Coverage {
  year: number
  regionCode: string
  regionName: string | null
  /** agencies in the region (and level/kind, when filtered) */
  agencies: number
  /** of which have a report for the year */
  reported: number
  /** of which published on or before their deadline */
  onTime: number
  missing: MissingReport[]
  late: LateReport[]
  unknownDate: PublishedReport[]
}

export function createCoverage(
  rows: readonly AgencyWithReport[],
  region: { year: number; regionCode: string; regionName: string | null }
): Coverage {
  const coverage: Coverage = { ...region, agencies: rows.length, reported: 0, onTime: 0, missing: [], late: [], unknownDate: [] }
  for (const row of rows) {
    const agency: AgencyRef = { agencyId: row.agencyId, name: row.name, regionCode: row.regionCode, level: row.level, kind: row.kind }
    const subject = { level: row.level as Level, kind: row.kind as Kind }
    if (row.reportId === null) {
      coverage.missing.push({ ...agency, deadline: deadlineOf({ ...subject, scope: 'own' }, region.year) })
      continue
    }
    coverage.reported++
    const scope = (row.scope ?? 'own') as Scope
    const published: PublishedReport = {
      ...agency,
      reportId: row.reportId,
      scope,
      deadline: deadlineOf({ ...subject, scope }, region.year)
    }
    const timeliness = timelinessOf(row.publishedAt, published.deadline)
    if (timeliness.status === 'onTime') coverage.onTime++
    else if (timeliness.status === 'late')
      coverage.late.push({ ...published, publishedAt: row.publishedAt as string, daysLate: timeliness.daysLate })
    else coverage.unknownDate.push(published)
  }
  return coverage
}

/** A direct sub-division of the region, with its summary (`aggregate`) reports of the year. */
export interface SubdivisionSummary {
  regionCode: string
  regionName: string
  /** AG-02 needs exactly one: with none the sum is incomplete, with two the government's is unknown */
  reportIds: number[]
}

export interface SubdivisionSummaryCoverage {
  /** the province or prefecture whose summary adds up those of its sub-divisions */
  regionCode: string
  /** every sub-division has exactly one summary stored: the region's summary is checked against them (AG-02) */
  complete: boolean
  subdivisions: SubdivisionSummary[]
}

/** The sub-divisions of a province or prefecture with their summary reports of the year, in code order. */
export function createSubdivisionSummaryCoverage(
  regionCode: string,
  subdivisions: ReadonlyArray<{ code: string; name: string }>,
  summaries: ReadonlyArray<{ regionCode: string; reportId: number }>
): SubdivisionSummaryCoverage {
  const list = subdivisions.map((s) => ({
    regionCode: s.code,
    regionName: s.name,
    reportIds: summaries.filter((r) => r.regionCode === s.code).map((r) => r.reportId)
  }))
  return { regionCode, complete: list.length > 0 && list.every((s) => s.reportIds.length === 1), subdivisions: list }
}
