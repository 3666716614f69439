// Stored findings of each report, replaced whenever the report (or a neighbour it is checked against)
// is written, with the report's error and warning counts kept beside them. A replacement is a diff: the
// stored findings that lead the new list unchanged stay as they are (rows and ids), the rest are deleted
// and the new tail inserted, so that a recheck that finds what was found writes nothing, and the order by
// id stays the order of the list.
import type { Executor } from '../engines/engine.js'
import { type Finding, ruleName } from '../../src/checks/index.js'

export interface StoredFinding extends Finding {
  id: number
  reportId: number
}

interface Row {
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
    fingerprint: row.fingerprint
  }
  if (row.otherReportId !== null) finding.otherReportId = row.otherReportId
  if (row.otherYear !== null) finding.otherYear = row.otherYear
  return finding
}

export const FINDING_COLUMNS = `id, report_id AS "reportId", rule, severity, fingerprint, message, cells, expected, actual,
  other_report_id AS "otherReportId", other_year AS "otherYear"`

const INSERT_COLUMNS = 'report_id, rule, severity, fingerprint, message, cells, expected, actual, other_report_id, other_year'
/** Rows per INSERT: ten parameters each, well under either engine's limit. */
const ROWS_PER_INSERT = 50
const insertSql = new Map<number, string>()
const insertOf = (rows: number) => {
  let sql = insertSql.get(rows)
  if (!sql) {
    sql = `INSERT INTO findings (${INSERT_COLUMNS}) VALUES ${Array(rows).fill('(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`
    insertSql.set(rows, sql)
  }
  return sql
}

const SQL = {
  clearFrom: 'DELETE FROM findings WHERE report_id = ? AND id >= ?',
  counts: 'UPDATE reports SET error_count = ?, warning_count = ? WHERE id = ?',
  byReport: `SELECT ${FINDING_COLUMNS} FROM findings WHERE report_id = ? ORDER BY id`
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

/** Whether a stored row says exactly what a finding says. */
const sameAs = (row: Row, f: Finding) =>
  row.rule === f.rule &&
  row.severity === f.severity &&
  row.fingerprint === f.fingerprint &&
  row.message === f.message &&
  row.cells === JSON.stringify(f.cells) &&
  row.expected === f.expected &&
  row.actual === f.actual &&
  row.otherReportId === (f.otherReportId ?? null) &&
  row.otherYear === (f.otherYear ?? null)

export function createFindingStore() {
  /** Inserts findings of a report in order, a few dozen rows a statement. */
  async function insert(ex: Executor, reportId: number, findings: readonly Finding[]) {
    for (let i = 0; i < findings.length; i += ROWS_PER_INSERT) {
      const chunk = findings.slice(i, i + ROWS_PER_INSERT)
      const params = []
      for (const f of chunk) {
        params.push(reportId, f.rule, f.severity, f.fingerprint, f.message, JSON.stringify(f.cells), f.expected, f.actual, f.otherReportId ?? null, f.otherYear ?? null)
      }
      await ex.run(insertOf(chunk.length), params)
    }
  }

  /**
   * Replaces a report's findings, and its error and warning counts: the unchanged leading findings stay,
   * the rest is deleted and inserted anew. `fresh` says the report has no findings yet (just inserted, with
   * its counts): nothing is read or deleted.
   */
  async function replace(ex: Executor, reportId: number, findings: readonly Finding[], fresh = false) {
    if (fresh) {
      await insert(ex, reportId, findings)
      return
    }
    const stored = await ex.all<Row>(SQL.byReport, [reportId])
    let same = 0
    while (same < stored.length && same < findings.length && sameAs(stored[same], findings[same])) same++
    if (same === stored.length && same === findings.length) return
    if (same < stored.length) await ex.run(SQL.clearFrom, [reportId, stored[same].id])
    await insert(ex, reportId, findings.slice(same))
    const before = countsOf(stored)
    const after = countsOf(findings)
    if (before.errors !== after.errors || before.warnings !== after.warnings) await ex.run(SQL.counts, [after.errors, after.warnings, reportId])
  }

  async function ofReport(ex: Executor, reportId: number): Promise<StoredFinding[]> {
    return (await ex.all<Row>(SQL.byReport, [reportId])).map(fromRow)
  }

  return { replace, ofReport }
}
export type FindingStore = ReturnType<typeof createFindingStore>
