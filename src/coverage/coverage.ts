// Who in a region has filed the year's report, when, and where each report is in its life: on time, late,
// returned and not resubmitted, submitted and awaiting review, a draft only, or missing. Pure: the agencies
// of the region with their report of the year (if any) in, the coverage view out.
import type { Kind, Level, Scope } from '../format/registry.js'
import { chinaDateOf, daysBetween, deadlineOf, timelinessOf } from './deadline.js'

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
  /** the report's state (null without a report) */
  state: string | null
  /** the last submission (an ISO timestamp), null when never submitted */
  submittedAt: string | null
  /** the last write or transition (an ISO timestamp): a returned report's return */
  updatedAt: string | null
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

/** What an accepted report's timeliness is measured by: its last submission, or its publication date. */
export type FiledBy = 'submission' | 'publication'

export interface LateReport extends PublishedReport {
  /** the publication date the document states (null when it states none) */
  publishedAt: string | null
  /** the date measured against the deadline (China Standard Time) */
  filedAt: string
  filedBy: FiledBy
  daysLate: number
}

export interface ReturnedReport extends PublishedReport {
  /** when it was last submitted (ISO timestamp) */
  submittedAt: string | null
  /** when it was returned (ISO timestamp) */
  returnedAt: string
}

export interface AwaitingReport extends PublishedReport {
  submittedAt: string
  /** calendar days the submission came after the deadline (China Standard Time); 0 when by it */
  daysLate: number
}

export interface DraftReport extends PublishedReport {
  /** a draft that was submitted before (then withdrawn or returned, and edited since): that submission */
  submittedAt: string | null
  updatedAt: string
}

/** How many agencies of the region are in each category; they add up to `agencies`. */
export interface CoverageCounts {
  onTime: number
  late: number
  unknownDate: number
  returned: number
  awaitingReview: number
  draft: number
  missing: number
}

export interface Coverage {
  year: number
  regionCode: string
  regionName: string | null
  /** agencies in the region (and level/kind, when filtered) */
  agencies: number
  /** of which have an accepted (published) report for the year */
  reported: number
  /** of which filed it by their deadline */
  onTime: number
  counts: CoverageCounts
  missing: MissingReport[]
  late: LateReport[]
  unknownDate: PublishedReport[]
  returned: ReturnedReport[]
  awaitingReview: AwaitingReport[]
  drafts: DraftReport[]
}

export function createCoverage(
  rows: readonly AgencyWithReport[],
  region: { year: number; regionCode: string; regionName: string | null }
): Coverage {
  const coverage: Coverage = {
    ...region,
    agencies: rows.length,
    reported: 0,
    onTime: 0,
    counts: { onTime: 0, late: 0, unknownDate: 0, returned: 0, awaitingReview: 0, draft: 0, missing: 0 },
    missing: [],
    late: [],
    unknownDate: [],
    returned: [],
    awaitingReview: [],
    drafts: []
  }
  const { counts } = coverage
  for (const row of rows) {
    const agency: AgencyRef = { agencyId: row.agencyId, name: row.name, regionCode: row.regionCode, level: row.level, kind: row.kind }
    const subject = { level: row.level as Level, kind: row.kind as Kind }
    if (row.reportId === null) {
      counts.missing++
      coverage.missing.push({ ...agency, deadline: deadlineOf({ ...subject, scope: 'own' }, region.year) })
      continue
    }
    const scope = (row.scope ?? 'own') as Scope
    const report: PublishedReport = { ...agency, reportId: row.reportId, scope, deadline: deadlineOf({ ...subject, scope }, region.year) }
    switch (row.state) {
      case 'draft':
        counts.draft++
        coverage.drafts.push({ ...report, submittedAt: row.submittedAt, updatedAt: row.updatedAt as string })
        continue
      case 'returned':
        counts.returned++
        coverage.returned.push({ ...report, submittedAt: row.submittedAt, returnedAt: row.updatedAt as string })
        continue
      case 'submitted': {
        counts.awaitingReview++
        const submittedAt = row.submittedAt as string
        const days = daysBetween(report.deadline, chinaDateOf(submittedAt))
        coverage.awaitingReview.push({ ...report, submittedAt, daysLate: Math.max(0, days) })
        continue
      }
    }
    // accepted: filed when last submitted, or, never submitted (written by an admin, imported), when published
    coverage.reported++
    const filedBy: FiledBy = row.submittedAt !== null ? 'submission' : 'publication'
    const filedAt = row.submittedAt !== null ? chinaDateOf(row.submittedAt) : row.publishedAt
    const timeliness = timelinessOf(filedAt, report.deadline)
    if (timeliness.status === 'onTime') {
      counts.onTime++
      coverage.onTime++
    } else if (timeliness.status === 'late') {
      counts.late++
      coverage.late.push({
        ...report,
        publishedAt: row.publishedAt,
        filedAt: filedAt as string,
        filedBy,
        daysLate: timeliness.daysLate
      })
    } else {
      counts.unknownDate++
      coverage.unknownDate.push(report)
    }
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
