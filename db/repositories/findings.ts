// Stored findings of each report, replaced whenever the report (or a neighbour it is checked against)
// is written, with the report's error and warning counts kept beside them. A replacement is a diff: the
// stored findings that lead the new list unchanged stay as they are (rows and ids), the rest are deleted
// and the new tail inserted, so that a recheck that finds what was found writes nothing, and the order by
// id stays the order of the list. And the reviews of findings, kept by (report, fingerprint) and applying
// while the finding's values key is the one reviewed (src/reports/reviews.ts).
import type { Executor, SqlValue } from '../engines/engine.js'
import { bySize, inChunks, valuesOf } from './sql.js'
import { type Finding, ruleName } from '../../src/checks/index.js'
import type { FindingStatus, ReviewStatus } from '../../src/reports/reviews.js'

/** The review a stored finding carries (null while open). */
export interface FindingReview {
  /** the latest decision's text: a dismissal's reason, the explanation, a confirmation's comment */
  reason: string | null
  /** the submitter's explanation (情况说明), kept when a reviewer decides after it */
  explanation: string | null
  keyName: string | null
  reviewedAt: string
}

export interface StoredFinding extends Finding {
  id: number
  reportId: number
  status: FindingStatus
  review: FindingReview | null
}

interface Row extends ReviewColumns {
  id: number
  reportId: number
  rule: string
  severity: Finding['severity']
  fingerprint: string
  message: string
  cells: string
  expected: number | null
  actual: number | null
  otherReportId: number | null
  otherYear: number | null
}

/** A finding's review as its joined columns (REVIEW_JOIN, STATUS_SQL) read it: all null when never reviewed. */
export interface ReviewColumns {
  status: ReviewStatus | null
  reviewReason: string | null
  explanation: string | null
  reviewKeyName: string | null
  reviewedAt: string | null
}

/** A finding's status and review from its joined review columns. */
export function reviewOf(row: ReviewColumns): {
  status: FindingStatus
  review: FindingReview | null
} {
  if (row.status === null || row.reviewedAt === null) return { status: 'open', review: null }
  return {
    status: row.status,
    review: { reason: row.reviewReason, explanation: row.explanation, keyName: row.reviewKeyName, reviewedAt: row.reviewedAt }
  }
}

export function fromRow(row: Row): StoredFinding {
  const finding: StoredFinding = {
    id: row.id,
    reportId: row.reportId,
    rule: row.rule,
    ruleName: ruleName(row.rule),
    severity: row.severity,
    message: row.message,
    cells: JSON.parse(row.cells) as string[],
    expected: row.expected,
    actual: row.actual,
    fingerprint: row.fingerprint,
    ...reviewOf(row)
  }
  if (row.otherReportId !== null) finding.otherReportId = row.otherReportId
  if (row.otherYear !== null) finding.otherYear = row.otherYear
  return finding
}

export const FINDING_COLUMNS = `f.id, f.report_id AS "reportId", f.rule, f.severity, f.fingerprint, f.message, f.cells, f.expected, f.actual,
  f.other_report_id AS "otherReportId", f.other_year AS "otherYear", fr.status, fr.reason AS "reviewReason", fr.explanation,
  fr.key_name AS "reviewKeyName", fr.reviewed_at AS "reviewedAt"`

/** A finding's review applies while its values are the ones reviewed. */
export const REVIEW_JOIN =
  'LEFT JOIN finding_reviews fr ON fr.report_id = f.report_id AND fr.fingerprint = f.fingerprint AND fr.values_key = f.values_key'
/** The SQL of a finding's status (alias f for findings, fr for its review). */
export const STATUS_SQL = "coalesce(fr.status, 'open')"

export interface ReviewRow {
  reportId: number
  fingerprint: string
  valuesKey: string
  status: ReviewStatus
  reason: string | null
  explanation: string | null
  keyId: number | null
  keyName: string | null
  reviewedAt: string
}

const INSERT_COLUMNS = 'report_id, rule, severity, fingerprint, message, cells, expected, actual, other_report_id, other_year, values_key'
const insertOf = bySize((rows: number) => `INSERT INTO findings (${INSERT_COLUMNS}) VALUES ${valuesOf(rows, 11)}`)

/** Finding rows waiting to be inserted, each its eleven values: a unit of work inserts them together, in order. */
export type FindingRows = SqlValue[][]

const SQL = {
  clearFrom: 'DELETE FROM findings WHERE report_id = ? AND id >= ?',
  counts: 'UPDATE reports SET error_count = ?, warning_count = ? WHERE id = ?',
  byReport: `SELECT ${FINDING_COLUMNS} FROM findings f ${REVIEW_JOIN} WHERE f.report_id = ? ORDER BY f.id`,
  /** what a replacement compares: the stored rows with their values keys */
  storedOf: bySize(
    (count: number) => `SELECT report_id AS "reportId", id, rule, severity, fingerprint, message, cells, expected, actual,
     other_report_id AS "otherReportId", other_year AS "otherYear", values_key AS "valuesKey" FROM findings
     WHERE report_id IN (${Array(count).fill('?').join(', ')}) ORDER BY report_id, id`
  ),
  stored: `SELECT id, rule, severity, fingerprint, message, cells, expected, actual, other_report_id AS "otherReportId", other_year AS "otherYear",
     values_key AS "valuesKey" FROM findings WHERE report_id = ? ORDER BY id`,
  byId: `SELECT ${FINDING_COLUMNS}, f.values_key AS "valuesKey" FROM findings f ${REVIEW_JOIN} WHERE f.id = ?`,
  review: `SELECT report_id AS "reportId", fingerprint, values_key AS "valuesKey", status, reason, explanation, key_id AS "keyId",
     key_name AS "keyName", reviewed_at AS "reviewedAt" FROM finding_reviews WHERE report_id = ? AND fingerprint = ?`,
  saveReview: `INSERT INTO finding_reviews (report_id, fingerprint, values_key, status, reason, explanation, key_id, key_name, reviewed_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (report_id, fingerprint) DO UPDATE SET values_key = excluded.values_key, status = excluded.status, reason = excluded.reason,
       explanation = excluded.explanation, key_id = excluded.key_id, key_name = excluded.key_name, reviewed_at = excluded.reviewed_at`
}

/** A report's error and warning counts, as kept beside its findings. */
export function countsOf(findings: ReadonlyArray<{ severity: string }>): { errors: number; warnings: number } {
  let errors = 0
  let warnings = 0
  for (const f of findings) {
    if (f.severity === 'error') errors++
    else if (f.severity === 'warning') warnings++
  }
  return { errors, warnings }
}

export type StoredRow = Omit<Row, 'reportId' | 'status' | 'reviewReason' | 'explanation' | 'reviewKeyName' | 'reviewedAt'> & {
  valuesKey: string
}

/** Whether a stored row says exactly what a finding says, about the same values. */
const sameAs = (row: StoredRow, f: Finding, valuesKey: string) =>
  row.valuesKey === valuesKey &&
  row.rule === f.rule &&
  row.severity === f.severity &&
  row.fingerprint === f.fingerprint &&
  row.message === f.message &&
  row.cells === JSON.stringify(f.cells) &&
  row.expected === f.expected &&
  row.actual === f.actual &&
  row.otherReportId === (f.otherReportId ?? null) &&
  row.otherYear === (f.otherYear ?? null)

/** A report's findings as rows to insert, in order. */
function rowsOf(reportId: number, findings: readonly Finding[], valuesKeys: readonly string[]): FindingRows {
  return findings.map((f, i) => [
    reportId,
    f.rule,
    f.severity,
    f.fingerprint,
    f.message,
    JSON.stringify(f.cells),
    f.expected,
    f.actual,
    f.otherReportId ?? null,
    f.otherYear ?? null,
    valuesKeys[i] ?? ''
  ])
}

/**
 * What replacements leave to be written later, together (where a statement is a round trip): the stored
 * findings to delete, by id, and the reports' new error and warning counts (the last one given wins).
 */
export interface FindingChanges {
  deletes: number[]
  counts: Map<number, [errors: number, warnings: number]>
}

export const findingChanges = (): FindingChanges => ({ deletes: [], counts: new Map() })

const deleteOf = bySize((n: number) => `DELETE FROM findings WHERE id IN (${Array(n).fill('?').join(', ')})`)
/** Many reports' counts a statement (UPDATE … FROM, which both engines read; VALUES names its columns column1, …). */
const setCountsOf = bySize(
  (rows: number) => `UPDATE reports SET error_count = v.column2, warning_count = v.column3
     FROM (VALUES ${Array(rows).fill('(CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT))').join(', ')}) AS v
     WHERE reports.id = v.column1`
)

export interface ReplaceOptions {
  /** the report has no findings yet (just inserted, with its counts): nothing is read or deleted */
  fresh?: boolean
  /** collect the rows to insert here instead of inserting them (the caller inserts them with `insertRows`, in order) */
  into?: FindingRows
  /** the report's stored findings, already read (`storedOf`) */
  stored?: StoredRow[]
  /** collect the deletions and the new counts here instead of writing them (the caller writes them with `writeChanges`) */
  later?: FindingChanges
}

export function createFindingStore() {
  /** Inserts finding rows in order, a few hundred rows a statement. */
  async function insertRows(ex: Executor, rows: FindingRows) {
    await inChunks(rows, 11, (chunk) => ex.run(insertOf(chunk.length), chunk.flat()), ex.remote ? 256 : 64)
  }

  /**
   * Replaces a report's findings (each with its values key, in the same order), and its error and warning
   * counts: the unchanged leading findings stay, the rest is deleted and inserted anew.
   */
  async function replace(
    ex: Executor,
    reportId: number,
    findings: readonly Finding[],
    valuesKeys: readonly string[],
    { fresh = false, into, stored: given, later }: ReplaceOptions = {}
  ) {
    const insert = (from: number) => {
      const rows = rowsOf(reportId, findings.slice(from), valuesKeys.slice(from))
      if (into) {
        for (const row of rows) into.push(row)
        return undefined
      }
      return insertRows(ex, rows)
    }
    if (fresh) {
      await insert(0)
      return
    }
    const stored = given ?? (await ex.all<StoredRow>(SQL.stored, [reportId]))
    let same = 0
    while (same < stored.length && same < findings.length && sameAs(stored[same], findings[same], valuesKeys[same] ?? '')) same++
    if (same === stored.length && same === findings.length) return
    // deferred, the stale rows are named by id: the rows inserted meanwhile (higher ids) are not among them
    if (same < stored.length) {
      if (later) for (let i = same; i < stored.length; i++) later.deletes.push(stored[i].id)
      else await ex.run(SQL.clearFrom, [reportId, stored[same].id])
    }
    await insert(same)
    const before = countsOf(stored)
    const after = countsOf(findings)
    if (before.errors !== after.errors || before.warnings !== after.warnings) {
      if (later) later.counts.set(reportId, [after.errors, after.warnings])
      else await ex.run(SQL.counts, [after.errors, after.warnings, reportId])
    }
  }

  /** Writes what replacements left for later: the deletions, a few hundred a statement, and the counts. */
  async function writeChanges(ex: Executor, { deletes, counts }: FindingChanges) {
    await inChunks(deletes, 1, (chunk) => ex.run(deleteOf(chunk.length), chunk), 256)
    const rows = [...counts].map(([id, [errors, warnings]]) => [id, errors, warnings])
    await inChunks(rows, 3, (chunk) => ex.run(setCountsOf(chunk.length), chunk.flat()), 256)
  }

  /** The stored findings of many reports, per report in id order (none: an empty list). */
  async function storedOf(ex: Executor, reportIds: readonly number[]): Promise<Map<number, StoredRow[]>> {
    const out = new Map<number, StoredRow[]>(reportIds.map((id) => [id, []]))
    await inChunks(
      reportIds,
      1,
      async (chunk) => {
        for (const { reportId, ...row } of await ex.all<StoredRow & { reportId: number }>(SQL.storedOf(chunk.length), chunk)) {
          out.get(reportId)!.push(row)
        }
      },
      256
    )
    return out
  }

  async function ofReport(ex: Executor, reportId: number): Promise<StoredFinding[]> {
    return (await ex.all<Row>(SQL.byReport, [reportId])).map(fromRow)
  }

  return {
    replace,
    writeChanges,
    insertRows,
    storedOf,
    ofReport,
    /** One stored finding with its review and values key. */
    async byId(ex: Executor, id: number): Promise<(StoredFinding & { valuesKey: string }) | undefined> {
      const row = await ex.get<Row & { valuesKey: string }>(SQL.byId, [id])
      return row && { ...fromRow(row), valuesKey: row.valuesKey }
    },
    /** The review stored for a fingerprint of a report, whatever values it was made on. */
    review: (ex: Executor, reportId: number, fingerprint: string) => ex.get<ReviewRow>(SQL.review, [reportId, fingerprint]),
    async saveReview(ex: Executor, r: ReviewRow): Promise<void> {
      await ex.run(SQL.saveReview, [
        r.reportId,
        r.fingerprint,
        r.valuesKey,
        r.status,
        r.reason,
        r.explanation,
        r.keyId,
        r.keyName,
        r.reviewedAt
      ])
    }
  }
}
export type FindingStore = ReturnType<typeof createFindingStore>
