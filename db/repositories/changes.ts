// The change feed's rows: appended inside the transaction of the write they describe, read in sequence
// order. The sequence is taken inside a serialized write transaction (SQLite has one writer; every
// PostgreSQL transaction of nianbao's holds one advisory lock until it commits), so a greater number is
// always committed later: a reader that has seen number n has seen every committed change below n, and a
// cursor (the last number served) never skips or repeats one. A rolled-back write leaves a gap, never a row.
import type { Executor } from '../engines/engine.js'
import { visibleSql } from './visibility.js'
import { bySize, inChunks, valuesOf } from './sql.js'
import type { Visibility } from '../../src/auth/keys.js'

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
    FROM changes WHERE seq > ? ORDER BY seq LIMIT ?`,
  // what a reader may see: agency changes, deletions (state null), and changes that left a report accepted or in its scope
  visible: (
    condition: string
  ) => `SELECT c.seq, c.kind, c.report_id AS "reportId", c.agency_id AS "agencyId", c.revision, c.state, c.fingerprint, c.at
    FROM changes c LEFT JOIN agencies a ON a.id = c.agency_id WHERE c.seq > ? AND (c.state IS NULL OR ${condition}) ORDER BY c.seq LIMIT ?`
}

/** A change as recorded. */
export interface ChangeRow {
  kind: ChangeKind
  reportId?: number | null
  agencyId?: number | null
  revision?: number | null
  state?: string | null
  fingerprint?: string | null
  at?: string
}

const paramsOf = (change: ChangeRow) => [
  change.kind,
  change.reportId ?? null,
  change.agencyId ?? null,
  change.revision ?? null,
  change.state ?? null,
  change.fingerprint ?? null,
  change.at ?? new Date().toISOString()
]

const insertMany = bySize(
  (rows: number) => `INSERT INTO changes (kind, report_id, agency_id, revision, state, fingerprint, at) VALUES ${valuesOf(rows, 7)}`
)

export function createChangeLog() {
  return {
    /** Appends a change; call it inside the write's transaction. */
    async record(ex: Executor, change: ChangeRow): Promise<void> {
      await ex.run(SQL.insert, paramsOf(change))
    },
    /** Appends changes in their order (their sequence numbers follow it), a few hundred rows a statement. */
    async recordMany(ex: Executor, changes: readonly ChangeRow[]): Promise<void> {
      await inChunks(changes, 7, (chunk) => ex.run(insertMany(chunk.length), chunk.flatMap(paramsOf)), ex.remote ? 256 : 64)
    },
    /** Up to `limit` changes after sequence number `after`, in order. */
    after(ex: Executor, after: number, limit: number, visibility?: Visibility) {
      const visible = visibleSql(visibility, { state: 'c.state', region: 'a.region_code', agency: 'c.agency_id' })
      if (!visible) return ex.all<Change>(SQL.after, [after, limit])
      return ex.all<Change>(SQL.visible(visible.sql), [after, ...visible.params, limit])
    }
  }
}
export type ChangeLog = ReturnType<typeof createChangeLog>
