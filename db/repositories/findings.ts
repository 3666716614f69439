// Stored findings of each report, replaced whenever the report (or a neighbour it is checked against)
// is written, with the report's error and warning counts kept beside them.
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

const SQL = {
  clear: 'DELETE FROM findings WHERE report_id = ?',
  insert: `INSERT INTO findings (report_id, rule, severity, fingerprint, message, cells, expected, actual, other_report_id, other_year)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  counts: 'UPDATE reports SET error_count = ?, warning_count = ? WHERE id = ?',
  byReport: `SELECT ${FINDING_COLUMNS} FROM findings WHERE report_id = ? ORDER BY id`
}

export function createFindingStore() {
  /** Replaces a report's findings, and its error and warning counts. */
  async function replace(ex: Executor, reportId: number, findings: readonly Finding[]) {
    await ex.run(SQL.clear, [reportId])
    let errors = 0
    let warnings = 0
    for (const f of findings) {
      if (f.severity === 'error') errors++
      else if (f.severity === 'warning') warnings++
      await ex.run(SQL.insert, [reportId, f.rule, f.severity, f.fingerprint, f.message, JSON.stringify(f.cells), f.expected, f.actual, f.otherReportId ?? null, f.otherYear ?? null])
    }
    await ex.run(SQL.counts, [errors, warnings, reportId])
  }

  async function ofReport(ex: Executor, reportId: number): Promise<StoredFinding[]> {
    return (await ex.all<Row>(SQL.byReport, [reportId])).map(fromRow)
  }

  return { replace, ofReport }
}
export type FindingStore = ReturnType<typeof createFindingStore>
