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
  // what a reader may see: agency changes, deletions (state null), and changes that left a report accepted or in its
  // scope; beside them, in the same statement (one snapshot), the last sequence number of all, so that a page that
  // ends before the limit can say that every change up to it was looked at. A row with a null `seq` carries it
  // when the page is empty.
  visible: (condition: string) => `WITH page AS (
      SELECT c.seq, c.kind, c.report_id AS "reportId", c.agency_id AS "agencyId", c.revision, c.state, c.fingerprint, c.at
      FROM changes c LEFT JOIN agencies a ON a.id = c.agency_id WHERE c.seq > ? AND (c.state IS NULL OR ${condition})
      ORDER BY c.seq LIMIT ?)
    SELECT page.*, (SELECT max(seq) FROM changes) AS "lastSeq" FROM (SELECT 1 AS one) o LEFT JOIN page ON true ORDER BY page.seq`
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
    /**
     * Up to `limit` changes after sequence number `after` that the reader may see, in order, and how far they were
     * looked for: `lookedTo` is the last sequence number of all when fewer than `limit` were found (the changes the
     * reader may not see between are passed over for good: a later poll starts after them, instead of reading them
     * again every time), else the last one found.
     */
    async after(ex: Executor, after: number, limit: number, visibility?: Visibility): Promise<{ items: Change[]; lookedTo: number }> {
      const visible = visibleSql(visibility, { state: 'c.state', region: 'a.region_code', agency: 'c.agency_id' })
      if (!visible) {
        const items = await ex.all<Change>(SQL.after, [after, limit])
        return { items, lookedTo: items.length ? items[items.length - 1].seq : after }
      }
      const rows = await ex.all<Change & { lastSeq: number | string | null }>(SQL.visible(visible.sql), [after, ...visible.params, limit])
      const lastSeq = Number(rows[0]?.lastSeq ?? 0)
      const items = rows.filter((row) => row.seq !== null).map(({ lastSeq: _, ...change }) => change)
      const lookedTo = items.length === limit ? items[items.length - 1].seq : Math.max(after, lastSeq)
      return { items, lookedTo }
    }
  }
}
export type ChangeLog = ReturnType<typeof createChangeLog>
