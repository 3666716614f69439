// The storage layout. Three ideas:
// - `report_revisions` keeps every JSON document as served, the current one being the report's latest
//   revision: a read by id is two index lookups and no assembly, and `reports` stays narrow for lists;
// - `report_cells` keeps every cell of every report as a column (money as integer 分), the source of truth
//   for statistics, per-agency aggregates and checks across reports;
// - `rollup` keeps, per (year, county code, level, kind, format, scope, state), the sum and the count of
//   non-null values of every cell, updated in the same transaction as each write (and each change of state),
//   so national aggregates read a few thousand rows instead of 500 000. A money cell's sum is kept in two
//   parts, `w_` (whole multiples of MONEY_SPLIT 分) and `s_` (the rest), so that no sum overflows 64 bits.
// The cell columns are generated from the format registry: a new cell in the registry is a new column here
// and a new drizzle-kit migration.
import { sql } from 'drizzle-orm'
import { type AnySQLiteColumn, index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'
import { CELLS } from '../src/format/registry.js'

export const agencies = sqliteTable(
  'agencies',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    name: text('name').notNull(),
    regionCode: text('region_code').notNull(),
    level: text('level').notNull(),
    kind: text('kind').notNull(),
    uscc: text('uscc'),
    parentId: integer('parent_id').references((): AnySQLiteColumn => agencies.id, { onDelete: 'restrict' }),
    revision: integer('revision').notNull().default(1),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull()
  },
  (t) => [
    uniqueIndex('agencies_uscc_unique').on(t.uscc),
    index('agencies_region_idx').on(t.regionCode, t.id),
    index('agencies_name_idx').on(t.name),
    index('agencies_parent_idx').on(t.parentId)
  ]
)

export const reports = sqliteTable(
  'reports',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    agencyId: integer('agency_id')
      .notNull()
      .references(() => agencies.id, { onDelete: 'restrict' }),
    year: integer('year').notNull(),
    format: text('format').notNull(),
    scope: text('scope').notNull(),
    publishedAt: text('published_at'),
    revision: integer('revision').notNull().default(1),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
    errorCount: integer('error_count').notNull().default(0),
    warningCount: integer('warning_count').notNull().default(0),
    /** draft, submitted, returned or accepted (README: The life of a report) */
    state: text('state').notNull().default('accepted'),
    /** when it was last submitted (null when never), and by which key (a submitter may not accept its own) */
    submittedAt: text('submitted_at'),
    submittedBy: integer('submitted_by'),
    /** when it was first accepted (null while never accepted) */
    acceptedAt: text('accepted_at'),
    /**
     * its agency's region code, kept in step by the agency's writes (a move rewrites it in the same
     * transaction): a list filtered by region and year reads one index of reports instead of joining every
     * agency of the region
     */
    regionCode: text('region_code').notNull(),
    /**
     * the report's summary as a list serves it: the JSON text `json_object` writes from this row and its agency's
     * name (db/repositories/reports.ts, SUMMARY_COLUMNS), kept by triggers (migration 0006) on every write of the
     * row and every rename of the agency, so that a page of a list reads 51 stored texts instead of joining the
     * agencies and writing each one. SQLite's alone: PostgreSQL's lists go through the serializer, and a dump
     * never carries it (the target's triggers write it again).
     */
    summary: text('summary')
  },
  (t) => [
    uniqueIndex('reports_agency_year_unique').on(t.agencyId, t.year),
    index('reports_year_idx').on(t.year, t.id),
    // a region's reports of a year, with their state: the visibility rule is read from the index too
    index('reports_year_region_idx').on(t.year, t.regionCode, t.state),
    // a province's reports of a year by state and id: a page of a province's reports of a year is a range of this
    // index, as long as the page asked for (the region index above orders them by region code, not id)
    index('reports_year_province_idx').on(t.year, sql`substr(${t.regionCode}, 1, 2)`, t.state, t.id),
    index('reports_updated_idx').on(t.updatedAt, t.id),
    index('reports_state_idx').on(t.state, t.id)
  ]
)

const cellColumns = () => Object.fromEntries(CELLS.map((c) => [c.code, integer(c.sqlName)])) as Record<string, ReturnType<typeof integer>>

export const reportCells = sqliteTable('report_cells', {
  reportId: integer('report_id')
    .primaryKey()
    .references(() => reports.id, { onDelete: 'cascade' }),
  ...cellColumns()
})

/** Everything of a roll-up row but its year and region: the rest of the key, and per cell a sum and a count. */
const rollupColumns = () => ({
  level: text('level').notNull(),
  kind: text('kind').notNull(),
  format: text('format').notNull(),
  scope: text('scope').notNull(),
  /** the reports' state (draft, submitted, returned, accepted): dashboards count the accepted ones unless asked */
  state: text('state').notNull(),
  reports: integer('reports').notNull().default(0),
  ...(Object.fromEntries(
    CELLS.flatMap((c) => [
      [`s:${c.code}`, integer(`s_${c.sqlName}`).notNull().default(0)],
      ...(c.kind === 'money' ? [[`w:${c.code}`, integer(`w_${c.sqlName}`).notNull().default(0)]] : []),
      [`n:${c.code}`, integer(`n_${c.sqlName}`).notNull().default(0)]
    ])
  ) as Record<string, ReturnType<typeof integer>>)
})

export const rollup = sqliteTable(
  'rollup',
  {
    year: integer('year').notNull(),
    regionCode: text('region_code').notNull(),
    ...rollupColumns()
  },
  (t) => [primaryKey({ columns: [t.year, t.regionCode, t.level, t.kind, t.format, t.scope, t.state] })]
)

/**
 * The same sums per province (2-digit code) instead of county: the national dashboard questions (by year,
 * province, level, kind, format) read a few thousand rows here rather than one per county.
 */
export const rollupProvince = sqliteTable(
  'rollup_province',
  {
    year: integer('year').notNull(),
    province: text('province').notNull(),
    ...rollupColumns()
  },
  (t) => [primaryKey({ columns: [t.year, t.province, t.level, t.kind, t.format, t.scope, t.state] })]
)

export const findings = sqliteTable(
  'findings',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    reportId: integer('report_id')
      .notNull()
      .references(() => reports.id, { onDelete: 'cascade' }),
    rule: text('rule').notNull(),
    severity: text('severity').notNull(),
    fingerprint: text('fingerprint').notNull(),
    message: text('message').notNull(),
    cells: text('cells').notNull(),
    expected: real('expected'),
    actual: real('actual'),
    otherReportId: integer('other_report_id'),
    otherYear: integer('other_year'),
    createdAt: text('created_at').notNull().default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`),
    /** a digest of the values of the finding's cells and of its expected and actual figures: a review holds while it is unchanged */
    valuesKey: text('values_key').notNull().default('')
  },
  (t) => [
    index('findings_report_idx').on(t.reportId),
    index('findings_rule_idx').on(t.rule, t.id),
    index('findings_other_idx').on(t.otherReportId)
  ]
)

export const apiKeys = sqliteTable(
  'api_keys',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    name: text('name').notNull(),
    role: text('role').notNull(),
    regions: text('regions').notNull().default('[]'),
    agencies: text('agencies').notNull().default('[]'),
    /** sha-256 of the key: the key itself is never stored */
    secretHash: text('secret_hash').notNull(),
    createdAt: text('created_at').notNull(),
    revokedAt: text('revoked_at')
  },
  (t) => [uniqueIndex('api_keys_secret_unique').on(t.secretHash)]
)

/** Every version of every report ever written, and a tombstone for each delete. */
export const reportRevisions = sqliteTable(
  'report_revisions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    reportId: integer('report_id').notNull(),
    revision: integer('revision').notNull(),
    operation: text('operation').notNull(),
    document: text('document'),
    keyId: integer('key_id'),
    keyName: text('key_name'),
    writtenAt: text('written_at').notNull(),
    /** the report's state after this revision (null for a deletion), the state before a transition, and its comment or reason */
    state: text('state'),
    fromState: text('from_state'),
    comment: text('comment')
  },
  (t) => [uniqueIndex('report_revisions_unique').on(t.reportId, t.revision)]
)

/**
 * The review of a finding, kept by (report, fingerprint) across re-checks: it applies to the stored finding
 * of that fingerprint while the finding's values key is the one reviewed, and reopens when it changes.
 */
export const findingReviews = sqliteTable(
  'finding_reviews',
  {
    reportId: integer('report_id')
      .notNull()
      .references(() => reports.id, { onDelete: 'cascade' }),
    fingerprint: text('fingerprint').notNull(),
    valuesKey: text('values_key').notNull(),
    /** confirmed, dismissed or explained: the latest decision */
    status: text('status').notNull(),
    reason: text('reason'),
    /** the submitter's explanation (情况说明), kept when a reviewer decides after it */
    explanation: text('explanation'),
    keyId: integer('key_id'),
    keyName: text('key_name'),
    reviewedAt: text('reviewed_at').notNull()
  },
  (t) => [primaryKey({ columns: [t.reportId, t.fingerprint] })]
)

/**
 * The change feed: one row per change (a report written or deleted, a state changed, a finding reviewed, an
 * agency written or deleted), numbered in commit order — every write runs in a serialized transaction
 * (SQLite has one writer; the PostgreSQL engine holds one advisory lock per transaction), so the number
 * taken inside it grows with the order of commits.
 */
export const changes = sqliteTable(
  'changes',
  {
    seq: integer('seq').primaryKey({ autoIncrement: true }),
    kind: text('kind').notNull(),
    reportId: integer('report_id'),
    agencyId: integer('agency_id'),
    revision: integer('revision'),
    state: text('state'),
    fingerprint: text('fingerprint'),
    at: text('at').notNull()
  },
  (t) => [index('changes_report_idx').on(t.reportId)]
)

/** Responses kept for Idempotency-Key retries. */
export const idempotencyKeys = sqliteTable(
  'idempotency_keys',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** who sent it (API key id, or 0 without a key) and the key they chose */
    owner: integer('owner').notNull(),
    key: text('key').notNull(),
    method: text('method').notNull(),
    path: text('path').notNull(),
    bodyHash: text('body_hash').notNull(),
    status: integer('status').notNull(),
    headers: text('headers').notNull(),
    body: text('body').notNull(),
    createdAt: text('created_at').notNull()
  },
  (t) => [uniqueIndex('idempotency_keys_unique').on(t.owner, t.key), index('idempotency_keys_created_idx').on(t.createdAt)]
)
