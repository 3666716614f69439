// The supervisors' reads across reports: stored findings filtered by rule, severity, year and agency,
// as keyset pages or as counts per group, and the agencies of a region with their report of a year
// (for coverage). Read-only: the write path keeps the `findings` table.
import type { Engine, SqlValue } from '../engines/engine.js'
import { decodeCursor, encodeCursor, keyset, type SortSpec } from '../../src/pagination.js'
import { createConditions, pageOf } from './sql.js'
import { RULES, ruleName, type Severity } from '../../src/checks/rules.js'
import type { Finding } from '../../src/checks/finding.js'
import type { AgencyWithReport } from '../../src/coverage/coverage.js'
import type { FindingStatus } from '../../src/reports/reviews.js'
import { REVIEW_JOIN, STATUS_SQL, reviewOf, type FindingReview, type ReviewColumns } from './findings.js'
import { visibleSql } from './visibility.js'
import type { Visibility } from '../../src/auth/keys.js'

export interface FindingFilter {
  rule?: string
  severity?: string
  year?: number
  /** GB/T 2260 prefix of the agency's region code */
  regionCode?: string
  level?: string
  kind?: string
  agencyId?: number
  reportId?: number
  /** open, confirmed, dismissed or explained */
  status?: FindingStatus
  /** the report's state */
  state?: string
  /** which reports never accepted the reader may see (none given: all) */
  visibility?: Visibility
}

/** A stored finding with the report and agency it belongs to. */
export interface FindingListItem extends Finding {
  id: number
  reportId: number
  agencyId: number
  agencyName: string
  regionCode: string
  year: number
  status: FindingStatus
  review: FindingReview | null
}

export const FINDING_GROUPINGS = ['rule', 'severity', 'year', 'province', 'status'] as const
export type FindingGrouping = (typeof FINDING_GROUPINGS)[number]

/** The SQL of each grouping's key; provinces are the first two digits of the agency's region code. */
const GROUP_KEYS: Record<FindingGrouping, string> = {
  rule: 'f.rule',
  severity: 'f.severity',
  year: 'r.year',
  province: 'substr(a.region_code, 1, 2)',
  status: STATUS_SQL
}

/** An agency of the region with its report of the year, if it has one: what the coverage view is made of. */
export type CoverageRow = AgencyWithReport

interface FindingRow
  extends Omit<FindingListItem, 'cells' | 'ruleName' | 'otherReportId' | 'otherYear' | 'status' | 'review'>,
    ReviewColumns {
  cells: string
  otherReportId: number | null
  otherYear: number | null
}

const RULE_RANK = new Map<string, number>(RULES.map((r, i) => [r.id, i]))
const SEVERITIES: Severity[] = ['error', 'warning', 'info']
const SEVERITY_RANK = new Map<string, number>(SEVERITIES.map((s, i) => [s, i]))

const BY_ID: SortSpec = { name: 'id', column: 'f.id', desc: false }

export function createFindingsQuery(engine: Engine) {
  /** WHERE conditions over f (findings), r (reports) and a (agencies). */
  function conditions(filter: FindingFilter) {
    const c = createConditions()
    c.eq('f.rule = ?', filter.rule)
    c.eq('f.severity = ?', filter.severity)
    c.eq('r.year = ?', filter.year)
    c.eq('r.agency_id = ?', filter.agencyId)
    c.eq('f.report_id = ?', filter.reportId)
    c.eq(`${STATUS_SQL} = ?`, filter.status)
    c.eq('r.state = ?', filter.state)
    c.eq('a.level = ?', filter.level)
    c.eq('a.kind = ?', filter.kind)
    c.region('a.region_code', filter.regionCode)
    const visible = visibleSql(filter.visibility, { state: 'r.state', region: 'a.region_code', agency: 'r.agency_id' })
    if (visible) c.add(visible.sql, ...visible.params)
    return c
  }

  async function list(
    filter: FindingFilter & { limit: number; cursor?: string }
  ): Promise<{ items: FindingListItem[]; next: string | null }> {
    const after = decodeCursor(filter.cursor, BY_ID.name)
    const c = conditions(filter)
    const page = keyset(BY_ID, after, 'f.id')
    c.add(page.where, ...page.params)
    // with a region: its agencies first, in SQLite's fixed CROSS JOIN order (conditions in WHERE: PostgreSQL takes no ON there)
    if (filter.regionCode) c.add('r.agency_id = a.id AND f.report_id = r.id')
    const sql = `SELECT f.id, f.report_id AS "reportId", r.agency_id AS "agencyId", a.name AS "agencyName",
        a.region_code AS "regionCode", r.year, f.rule, f.severity, f.message, f.cells, f.expected, f.actual,
        f.fingerprint, f.other_report_id AS "otherReportId", f.other_year AS "otherYear", fr.status, fr.reason AS "reviewReason",
        fr.explanation, fr.key_name AS "reviewKeyName", fr.reviewed_at AS "reviewedAt"
      FROM ${filter.regionCode ? 'agencies a CROSS JOIN reports r CROSS JOIN findings f' : 'findings f JOIN reports r ON r.id = f.report_id JOIN agencies a ON a.id = r.agency_id'}
      ${REVIEW_JOIN}
      ${c.toSql()} ORDER BY ${page.order} LIMIT ?`
    const rows = await engine.all<FindingRow>(sql, [...c.params, filter.limit + 1] as SqlValue[])
    const { items, next } = pageOf(rows, filter.limit, (last) => encodeCursor({ s: BY_ID.name, v: last.id, id: last.id }))
    return { items: items.map(toFinding), next }
  }

  /**
   * Counts per group; groups without findings are absent. Rules come in the order of FORMAT.md §7,
   * severities from error to info, years and provinces ascending.
   */
  async function summary(groupBy: FindingGrouping, filter: FindingFilter): Promise<Array<{ key: string | number; count: number }>> {
    const c = conditions(filter)
    const key = GROUP_KEYS[groupBy]
    const sql = `SELECT ${key} AS key, count(*) AS count
      FROM findings f JOIN reports r ON r.id = f.report_id JOIN agencies a ON a.id = r.agency_id
      ${filter.status !== undefined || groupBy === 'status' ? REVIEW_JOIN : ''}
      ${c.toSql()} GROUP BY ${key} ORDER BY ${key}`
    const groups = await engine.all<{ key: string | number; count: number }>(sql, c.params)
    const rank = groupBy === 'rule' ? RULE_RANK : groupBy === 'severity' ? SEVERITY_RANK : undefined
    if (rank) groups.sort((x, y) => (rank.get(String(x.key)) ?? rank.size) - (rank.get(String(y.key)) ?? rank.size))
    return groups
  }

  /** Every agency of the region (prefix), by id, with its report of the year if it has one. */
  async function agenciesWithReport(filter: { year: number; regionCode: string; level?: string; kind?: string }): Promise<CoverageRow[]> {
    const c = createConditions()
    c.region('a.region_code', filter.regionCode)
    c.eq('a.level = ?', filter.level)
    c.eq('a.kind = ?', filter.kind)
    const sql = `SELECT a.id AS "agencyId", a.name, a.region_code AS "regionCode", a.level, a.kind,
        r.id AS "reportId", r.scope, r.published_at AS "publishedAt", r.state,
        r.submitted_at AS "submittedAt", r.updated_at AS "updatedAt"
      FROM agencies a LEFT JOIN reports r ON r.agency_id = a.id AND r.year = ?
      ${c.toSql()} ORDER BY a.id`
    return engine.all<CoverageRow>(sql, [filter.year, ...c.params])
  }

  /** The `aggregate` reports of a year whose agency sits at one of the region codes, by id. */
  async function summariesAt(year: number, codes: readonly string[]): Promise<Array<{ regionCode: string; reportId: number }>> {
    if (codes.length === 0) return []
    // the few agencies of these codes first, then each one's report of the year (as the covering lookup does)
    const sql = `SELECT a.region_code AS "regionCode", r.id AS "reportId" FROM agencies a CROSS JOIN reports r
      WHERE a.region_code IN (${codes.map(() => '?').join(', ')}) AND r.agency_id = a.id AND r.year = ? AND r.scope = 'aggregate'
      ORDER BY r.id`
    return engine.all(sql, [...codes, year])
  }

  return { list, summary, agenciesWithReport, summariesAt }
}
export type FindingsQuery = ReturnType<typeof createFindingsQuery>

function toFinding(row: FindingRow): FindingListItem {
  const { otherReportId, otherYear, cells, status, reviewReason, explanation, reviewKeyName, reviewedAt, ...rest } = row
  return {
    ...rest,
    ...reviewOf({ status, reviewReason, explanation, reviewKeyName, reviewedAt }),
    ruleName: ruleName(rest.rule),
    cells: JSON.parse(cells) as string[],
    ...(otherReportId !== null ? { otherReportId } : {}),
    ...(otherYear !== null ? { otherYear } : {})
  }
}
