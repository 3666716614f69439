// Stored findings of each report, replaced whenever the report (or a neighbour it is checked against)
// is written, with the report's error and warning counts kept beside them.
import type Database from 'better-sqlite3'
import type { Finding } from '../../src/checks/index.js'

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

export const FINDING_COLUMNS = `id, report_id AS reportId, rule, severity, fingerprint, message, cells, expected, actual,
  other_report_id AS otherReportId, other_year AS otherYear`

export function createFindingStore(sqlite: Database.Database) {
  const clear = sqlite.prepare('DELETE FROM findings WHERE report_id = ?')
  const insert = sqlite.prepare(
    `INSERT INTO findings (report_id, rule, severity, fingerprint, message, cells, expected, actual, other_report_id, other_year)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
  )
  const counts = sqlite.prepare('UPDATE reports SET error_count = ?, warning_count = ? WHERE id = ?')
  const byReport = sqlite.prepare(`SELECT ${FINDING_COLUMNS} FROM findings WHERE report_id = ? ORDER BY id`)

  /** Replaces a report's findings; the caller holds the transaction. */
  function replace(reportId: number, findings: readonly Finding[]) {
    clear.run(reportId)
    let errors = 0
    let warnings = 0
    for (const f of findings) {
      if (f.severity === 'error') errors++
      else if (f.severity === 'warning') warnings++
      insert.run(reportId, f.rule, f.severity, f.fingerprint, f.message, JSON.stringify(f.cells), f.expected, f.actual, f.otherReportId ?? null, f.otherYear ?? null)
    }
    counts.run(errors, warnings, reportId)
  }

  function ofReport(reportId: number): StoredFinding[] {
    return (byReport.all(reportId) as Row[]).map(fromRow)
  }

  return { replace, ofReport }
}
export type FindingStore = ReturnType<typeof createFindingStore>
