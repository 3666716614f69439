// The change feed's rows: appended inside the transaction of the write they describe, read in sequence
// order. The sequence is taken inside a serialized write transaction (SQLite has one writer; every
// PostgreSQL transaction of nianbao's holds one advisory lock until it commits), so a greater number is
// always committed later: a reader that has seen number n has seen every committed change below n, and a
// cursor (the last number served) never skips or repeats one. A rolled-back write leaves a gap, never a row.
import type { Executor } from '../engines/engine.js'

export const CHANGE_KINDS = [
  'report.written',
  'report.deleted',
  'report.state',
  'findings.checked',
  'finding.reviewed',
  'agency.written',
  'agency.deleted'
] as const
export type ChangeKind = (typeof CHANGE_KINDS)[number]

export interface Change {
  seq: number
  kind: ChangeKind
  reportId: number | null
  agencyId: number | null
  /** the report's revision after the change (report.* kinds) */
  revision: number | null
  /** the report's state after the change (report.written, report.state) */
  state: string | null
  /** the finding reviewed (finding.reviewed) */
  fingerprint: string | null
  at: string
}

const SQL = {
  insert: 'INSERT INTO changes (kind, report_id, agency_id, revision, state, fingerprint, at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  after: `SELECT seq, kind, report_id AS "reportId", agency_id AS "agencyId", revision, state, fingerprint, at
    FROM changes WHERE seq > ? ORDER BY seq LIMIT ?`
}

export function createChangeLog() {
  return {
    /** Appends a change; call it inside the write's transaction. */
    async record(
      ex: Executor,
      change: {
        kind: ChangeKind
        reportId?: number | null
        agencyId?: number | null
        revision?: number | null
        state?: string | null
        fingerprint?: string | null
        at?: string
      }
    ): Promise<void> {
      await ex.run(SQL.insert, [
        change.kind,
        change.reportId ?? null,
        change.agencyId ?? null,
        change.revision ?? null,
        change.state ?? null,
        change.fingerprint ?? null,
        change.at ?? new Date().toISOString()
      ])
    },
    /** Up to `limit` changes after sequence number `after`, in order. */
    after: (ex: Executor, after: number, limit: number) => ex.all<Change>(SQL.after, [after, limit])
  }
}
export type ChangeLog = ReturnType<typeof createChangeLog>
