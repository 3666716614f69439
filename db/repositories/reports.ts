// Report rows: the narrow `reports` row, its cells, its revisions (the current document is the latest
// one), and the reads the write path and the lists need. Every function takes the executor it runs on:
// the engine for a read, the transaction's for everything a write does. Rows in, values out: what a
// write means is decided in src/reports/.
import { CELLS, type CellDef, type Format } from '../../src/format/registry.js'
import { MoneySum, bigintOf, joinMoney } from '../../src/format/money.js'
import { aggregateCellsOf, type OwnSums, type SubdivisionSummaries } from '../../src/checks/index.js'
import { decodeCursor, encodeCursor, keyset, regionRange, type SortSpec } from '../../src/pagination.js'
import type { Engine, Executor, SqlValue } from '../engines/engine.js'
import { allByKeys, bySize, createConditions, inChunks, pageOf, valuesOf } from './sql.js'
import { visibleSql } from './visibility.js'
import type { Visibility } from '../../src/auth/keys.js'

export interface ReportSummary {
  id: number
  agencyId: number
  agencyName: string
  regionCode: string
  year: number
  format: string
  scope: string
  publishedAt: string | null
  updatedAt: string
  errorCount: number
  warningCount: number
  state: ReportState
  submittedAt: string | null
  acceptedAt: string | null
}

/** Where a report is in its life (README: The life of a report). */
export const REPORT_STATES = ['draft', 'submitted', 'returned', 'accepted'] as const
export type ReportState = (typeof REPORT_STATES)[number]

export interface ReportFilter {
  agencyId?: number
  year?: number
  yearFrom?: number
  yearTo?: number
  regionCode?: string
  level?: string
  kind?: string
  format?: string
  scope?: string
  hasErrors?: boolean
  state?: ReportState
  /** which reports never accepted the reader may see (none given: all) */
  visibility?: Visibility
  limit: number
  cursor?: string
  sort?: string
}

/** A report as stored: its key, its revision and its current document (JSON text as served). */
export interface StoredReport {
  id: number
  agencyId: number
  year: number
  revision: number
  document: string
  state: ReportState
  /** the key that last submitted it (null when never, or by the service itself) */
  submittedBy: number | null
}

export type ReportHead = Pick<StoredReport, 'id' | 'agencyId' | 'year' | 'revision' | 'state'>

/**
 * What a read of a document needs: its revision (the ETag), its state and agency (who may read it) and the UTF-8
 * bytes of its JSON text, sent as they are.
 */
export interface StoredReportBytes extends Pick<StoredReport, 'agencyId' | 'revision' | 'state'> {
  document: Buffer
}

export interface RevisionEntry {
  revision: number
  operation: 'created' | 'replaced' | 'corrected' | 'transition' | 'deleted'
  /** the state after this revision; null for a deletion */
  state: ReportState | null
  /** a transition: the state it left */
  fromState: ReportState | null
  /** a transition's comment, a correction's reason */
  comment: string | null
  keyName: string | null
  writtenAt: string
}

/** What a report's roll-up key and scope checks need of its agency. */
export interface AgencyKey {
  id: number
  regionCode: string
  level: string
  kind: string
}

/** An aggregate report that may cover a region, with its agency's region and level. */
export interface CoveringReport {
  id: number
  regionCode: string
  level: string
}

export const REPORT_SORTS: Record<string, SortSpec> = {
  id: { name: 'id', column: 'r.id', desc: false },
  '-id': { name: '-id', column: 'r.id', desc: true },
  year: { name: 'year', column: 'r.year', desc: false },
  '-year': { name: '-year', column: 'r.year', desc: true },
  updatedAt: { name: 'updatedAt', column: 'r.updated_at', desc: false },
  '-updatedAt': { name: '-updatedAt', column: 'r.updated_at', desc: true }
}

// A report's current document is its latest revision: the history holds every document once, and the
// reports table stays narrow (summaries and lists read small rows).
const CURRENT = 'FROM reports r JOIN report_revisions v ON v.report_id = r.id AND v.revision = r.revision'
const STORED = `SELECT r.id, r.agency_id AS "agencyId", r.year, r.revision, v.document, r.state, r.submitted_by AS "submittedBy" ${CURRENT}`
/**
 * The document as bytes, with the three columns a read decides on: the database hands over the UTF-8 it holds, and
 * no string is made of it (SQLite: a random document read took ~12 µs less CPU so, and the reply has nothing to
 * encode again); every column more is a property more to make for each read (7 → 4: ~2 µs less on SQLite).
 */
const storedBytes = (bytes: string) => {
  const select = `SELECT r.revision, r.state, r.agency_id AS "agencyId", ${bytes} AS document ${CURRENT}`
  return { byId: `${select} WHERE r.id = ?`, byKey: `${select} WHERE r.agency_id = ? AND r.year = ?` }
}
const STORED_BYTES = {
  sqlite: storedBytes('CAST(v.document AS BLOB)'),
  postgres: storedBytes(`convert_to(v.document, 'UTF8')`)
}
const SQL = {
  agencyKey: 'SELECT id, region_code AS "regionCode", level, kind FROM agencies WHERE id = ?',
  byId: `${STORED} WHERE r.id = ?`,
  byKey: `${STORED} WHERE r.agency_id = ? AND r.year = ?`,
  idByKey: 'SELECT id FROM reports WHERE agency_id = ? AND year = ?',
  headById: 'SELECT id, agency_id AS "agencyId", year, revision, state FROM reports WHERE id = ?',
  headByKey: 'SELECT id, agency_id AS "agencyId", year, revision, state FROM reports WHERE agency_id = ? AND year = ?',
  exists: 'SELECT id FROM reports WHERE id = ?',
  insertReport: `INSERT INTO reports (agency_id, year, format, scope, published_at, revision, created_at, updated_at, error_count, warning_count, state, accepted_at,
     region_code) VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
  insertReports: bySize(
    (rows: number) => `INSERT INTO reports (id, agency_id, year, format, scope, published_at, revision, created_at, updated_at,
     error_count, warning_count, state, accepted_at, region_code) VALUES ${valuesOf(rows, 14)}`
  ),
  setRegionOfAgency: 'UPDATE reports SET region_code = ? WHERE agency_id = ?',
  updateReport: 'UPDATE reports SET format = ?, scope = ?, published_at = ?, revision = ?, updated_at = ?, state = ? WHERE id = ?',
  /** many rows a statement (UPDATE … FROM, which both engines read; VALUES names its columns column1, …) */
  updateReports: bySize(
    (rows: number) => `UPDATE reports SET format = v.column2, scope = v.column3, published_at = v.column4, revision = v.column5,
       updated_at = v.column6, state = v.column7
     FROM (VALUES ${Array(rows)
       .fill('(CAST(? AS BIGINT), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS BIGINT), CAST(? AS TEXT), CAST(? AS TEXT))')
       .join(', ')}) AS v
     WHERE reports.id = v.column1`
  ),
  setState: `UPDATE reports SET state = ?, revision = ?, updated_at = ?, submitted_at = coalesce(?, submitted_at), submitted_by = coalesce(?, submitted_by),
     accepted_at = coalesce(accepted_at, ?) WHERE id = ?`,
  deleteReport: 'DELETE FROM reports WHERE id = ?',
  insertRevision: `INSERT INTO report_revisions (report_id, revision, operation, document, key_id, key_name, written_at, state, from_state, comment)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  revisions: `SELECT revision, operation, state, from_state AS "fromState", comment, key_name AS "keyName", written_at AS "writtenAt"
     FROM report_revisions WHERE report_id = ? ORDER BY revision`,
  revision: `SELECT revision, operation, state, from_state AS "fromState", comment, key_name AS "keyName", written_at AS "writtenAt", document
     FROM report_revisions WHERE report_id = ? AND revision = ?`,
  ofAgency: 'SELECT id, year, format, scope, state FROM reports WHERE agency_id = ? ORDER BY id',
  writeCells: (() => {
    const columns = CELLS.map((c) => c.sqlName)
    return `INSERT INTO report_cells (report_id, ${columns.join(', ')}) VALUES (?${', ?'.repeat(columns.length)})
      ON CONFLICT (report_id) DO UPDATE SET ${columns.map((c) => `${c} = excluded.${c}`).join(', ')}`
  })(),
  /** the same for many reports: `VALUES` then the tuples, then `upsert` */
  writeCellsMany: bySize((rows: number) => {
    const columns = CELLS.map((c) => c.sqlName)
    return `INSERT INTO report_cells (report_id, ${columns.join(', ')}) VALUES ${valuesOf(rows, columns.length + 1)}
      ON CONFLICT (report_id) DO UPDATE SET ${columns.map((c) => `${c} = excluded.${c}`).join(', ')}`
  }),
  insertRevisions: bySize(
    (rows: number) =>
      `INSERT INTO report_revisions (report_id, revision, operation, document, key_id, key_name, written_at, state, from_state, comment)
     VALUES ${valuesOf(rows, 10)}`
  ),
  byKeysOfYear: bySize((count: number) => `${STORED} WHERE r.year = ? AND r.agency_id IN (${Array(count).fill('?').join(', ')})`),
  idsOfYear: bySize(
    (count: number) =>
      `SELECT id, agency_id AS "agencyId" FROM reports WHERE year = ? AND agency_id IN (${Array(count).fill('?').join(', ')})`
  ),
  coveringAt: bySize(
    (count: number) => `SELECT r.id, a.region_code AS "regionCode", a.level FROM agencies a CROSS JOIN reports r
     WHERE a.region_code IN (${Array(count).fill('?').join(', ')}) AND r.agency_id = a.id AND r.year = ? AND r.scope = 'aggregate'`
  ),
  agencyKeys: bySize(
    (count: number) =>
      `SELECT id, region_code AS "regionCode", level, kind FROM agencies WHERE id IN (${Array(count).fill('?').join(', ')})`
  ),
  byIds: bySize((count: number) => `${STORED} WHERE r.id IN (${Array(count).fill('?').join(', ')})`),
  readCells: `SELECT ${CELLS.map((c) => c.sqlName).join(', ')} FROM report_cells WHERE report_id = ?`,
  // CROSS JOIN fixes SQLite's order: the few agencies of these four codes, then each one's report of the
  // year. Left to itself its planner may walk every report of the year instead (a second per write at
  // 500 000). The join condition sits in WHERE: PostgreSQL takes no ON after CROSS JOIN.
  covering: `SELECT r.id, a.region_code AS "regionCode", a.level FROM agencies a CROSS JOIN reports r
     WHERE a.region_code IN (?, ?, ?, ?) AND r.agency_id = a.id AND r.year = ? AND r.scope = 'aggregate'`,
  ownSums: new Map<string, string>(),
  summaries: new Map<string, string>()
}

/** Per cell its sum (s), for money its whole part too (w: the sum is w × MONEY_SPLIT + s), and its count (n). */
const sumColumns = (cells: readonly CellDef[]) =>
  cells
    .map(
      (c, i) => `sum(s_${c.sqlName}) AS s${i}, ${c.kind === 'money' ? `sum(w_${c.sqlName}) AS w${i}, ` : ''}sum(n_${c.sqlName}) AS n${i}`
    )
    .join(', ')

/** A cell's sum from a row of sumColumns, in stored units (money exact in 分 as a bigint). */
const storedSum = (row: Record<string, unknown>, cell: CellDef, i: number): bigint =>
  cell.kind === 'money' ? joinMoney(row[`w${i}`], row[`s${i}`]) : bigintOf(row[`s${i}`])

/** Stored units as a number in the cell's unit: money as its exact decimal while a double holds it. */
function valueOfStored(units: bigint, cell: CellDef): number {
  if (cell.kind !== 'money') return Number(units)
  const sum = new MoneySum(units, cell.scale ?? 1)
  return sum.toNumber()
}

/** The aggregate reports of a year at each of `count` region codes, per code, from the roll-up (accepted reports). */
function summariesSql(format: Format, count: number): string {
  const key = `${format}:${count}`
  let sql = SQL.summaries.get(key)
  if (!sql) {
    const cells = aggregateCellsOf(format)
    sql = `SELECT region_code AS "regionCode", sum(reports) AS reports, ${sumColumns(cells)}
      FROM rollup WHERE year = ? AND scope = 'aggregate' AND state = 'accepted' AND region_code IN (${Array(count).fill('?').join(', ')})
      GROUP BY region_code ORDER BY region_code`
    SQL.summaries.set(key, sql)
  }
  return sql
}

/**
 * The own sums of an area: a province (prefix of 2) or the whole country ('') from the per-province
 * table, a few dozen rows; a prefecture or a county from the county-level one.
 */
function ownSumsSql(format: Format, area: 'country' | 'province' | 'range'): string {
  const key = `${format}:${area}`
  let sql = SQL.ownSums.get(key)
  if (!sql) {
    const cells = aggregateCellsOf(format)
    const where =
      area === 'country'
        ? 'rollup_province WHERE year = ?'
        : area === 'province'
          ? 'rollup_province WHERE year = ? AND province = ?'
          : 'rollup WHERE year = ? AND region_code BETWEEN ? AND ?'
    sql = `SELECT coalesce(sum(reports), 0) AS reports, ${sumColumns(cells)}
      FROM ${where} AND scope = 'own' AND state = 'accepted'`
    SQL.ownSums.set(key, sql)
  }
  return sql
}

/** The region codes whose aggregate reports may cover `code`: its own, its prefecture's, its province's and the country's. */
export const coveringCodes = (code: string) => [code, `${code.slice(0, 4)}00`, `${code.slice(0, 2)}0000`, '000000'] as const

/** What a write changes in a stored report's row. */
export interface ReportUpdate {
  format: string
  scope: string
  publishedAt: string | null
  revision: number
  now: string
  state: ReportState
}

/** A new report row, with the error and warning counts of the findings about to be stored with it. */
export interface NewReport {
  agencyId: number
  /** the agency's region code (reports carry it for the region-filtered lists) */
  regionCode: string
  year: number
  format: string
  scope: string
  publishedAt: string | null
  now: string
  errors: number
  warnings: number
  state: ReportState
}

/** agency_id … accepted_at of a new row (revision 1; accepted_at when it is published at once) */
const newReportParams = (row: NewReport): SqlValue[] => [
  row.agencyId,
  row.year,
  row.format,
  row.scope,
  row.publishedAt,
  1,
  row.now,
  row.now,
  row.errors,
  row.warnings,
  row.state,
  row.state === 'accepted' ? row.now : null,
  row.regionCode
]

/** A revision row as written. */
export interface RevisionRow {
  reportId: number
  revision: number
  operation: RevisionEntry['operation']
  document: string | null
  keyId: number | null
  keyName: string | null
  writtenAt: string
  state: ReportState | null
  fromState?: ReportState | null
  comment?: string | null
}

const revisionParams = (entry: RevisionRow): SqlValue[] => [
  entry.reportId,
  entry.revision,
  entry.operation,
  entry.document,
  entry.keyId,
  entry.keyName,
  entry.writtenAt,
  entry.state,
  entry.fromState ?? null,
  entry.comment ?? null
]

/** Keys per `IN (…)` list of the batch reads. */
const KEYS_PER_READ = 256

export function createReportRepository() {
  return {
    agencyKey: (ex: Executor, agencyId: number) => ex.get<AgencyKey>(SQL.agencyKey, [agencyId]),
    byId: (ex: Executor, id: number) => ex.get<StoredReport>(SQL.byId, [id]),
    /** byId, the document as bytes (`kind`: the engine's, whose SQL turns text into bytes) */
    bytesById: (ex: Executor, kind: Engine['kind'], id: number) => ex.get<StoredReportBytes>(STORED_BYTES[kind].byId, [id]),
    bytesByKey: (ex: Executor, kind: Engine['kind'], agencyId: number, year: number) =>
      ex.get<StoredReportBytes>(STORED_BYTES[kind].byKey, [agencyId, year]),
    byKey: (ex: Executor, agencyId: number, year: number) => ex.get<StoredReport>(SQL.byKey, [agencyId, year]),
    /** The row without its document: what a conditional read needs (revision) and the visibility rule (state, agency). */
    headById: (ex: Executor, id: number) => ex.get<ReportHead>(SQL.headById, [id]),
    headByKey: (ex: Executor, agencyId: number, year: number) => ex.get<ReportHead>(SQL.headByKey, [agencyId, year]),
    async exists(ex: Executor, id: number): Promise<boolean> {
      return (await ex.get(SQL.exists, [id])) !== undefined
    },
    async idByKey(ex: Executor, agencyId: number, year: number): Promise<number | undefined> {
      return (await ex.get<{ id: number }>(SQL.idByKey, [agencyId, year]))?.id
    },

    /** A new report row, with the error and warning counts of the findings about to be stored with it. */
    async insert(ex: Executor, row: NewReport): Promise<number> {
      const params = newReportParams(row)
      params.splice(5, 1) // the revision is the statement's 1
      const inserted = await ex.get<{ id: number }>(SQL.insertReport, params)
      return inserted!.id
    },
    /** New report rows with the ids reserved for them (Engine.reserveIds), in order, a few hundred a statement. */
    async insertMany(ex: Executor, rows: ReadonlyArray<NewReport & { id: number }>): Promise<void> {
      await inChunks(
        rows,
        14,
        (chunk) =>
          ex.run(
            SQL.insertReports(chunk.length),
            chunk.flatMap((row) => [row.id, ...newReportParams(row)])
          ),
        ex.remote ? 256 : 64
      )
    },
    /** An agency moved to another region: its reports follow, in the move's transaction. */
    async setRegionOfAgency(ex: Executor, agencyId: number, regionCode: string): Promise<void> {
      await ex.run(SQL.setRegionOfAgency, [regionCode, agencyId])
    },
    async update(ex: Executor, id: number, row: ReportUpdate): Promise<void> {
      await ex.run(SQL.updateReport, [row.format, row.scope, row.publishedAt, row.revision, row.now, row.state, id])
    },
    /** The same for many reports, a few hundred a statement (where a statement is a round trip). */
    async updateMany(ex: Executor, rows: ReadonlyArray<ReportUpdate & { id: number }>): Promise<void> {
      await inChunks(
        rows,
        7,
        (chunk) =>
          ex.run(
            SQL.updateReports(chunk.length),
            chunk.flatMap((r) => [r.id, r.format, r.scope, r.publishedAt, r.revision, r.now, r.state])
          ),
        256
      )
    },
    /** A transition: the new state and revision; a submission notes when and by whom, the first acceptance when. */
    async setState(
      ex: Executor,
      id: number,
      row: { state: ReportState; revision: number; now: string; submittedBy?: number | null }
    ): Promise<void> {
      const submitted = row.state === 'submitted'
      await ex.run(SQL.setState, [
        row.state,
        row.revision,
        row.now,
        submitted ? row.now : null,
        submitted ? (row.submittedBy ?? null) : null,
        row.state === 'accepted' ? row.now : null,
        id
      ])
    },
    async delete(ex: Executor, id: number): Promise<void> {
      await ex.run(SQL.deleteReport, [id])
    },

    /** Stores a report's cells (CELLS order, money as integer 分, blanks null), replacing any it had. */
    async writeCells(ex: Executor, id: number, cells: ReadonlyArray<number | null>): Promise<void> {
      await ex.run(SQL.writeCells, [id, ...cells])
    },
    /** A report's stored cells, in CELLS order. */
    async readCells(ex: Executor, id: number): Promise<Array<number | null>> {
      const row = await ex.get<Record<string, number | null>>(SQL.readCells, [id])
      return row ? CELLS.map((c) => row[c.sqlName]) : CELLS.map(() => null)
    },

    async insertRevision(ex: Executor, entry: RevisionRow): Promise<void> {
      await ex.run(SQL.insertRevision, revisionParams(entry))
    },
    /** Many revisions, in order, a few hundred rows a statement. */
    async insertRevisions(ex: Executor, entries: readonly RevisionRow[]): Promise<void> {
      await inChunks(entries, 10, (chunk) => ex.run(SQL.insertRevisions(chunk.length), chunk.flatMap(revisionParams)), ex.remote ? 128 : 1)
    },
    /** Many reports' cells (CELLS order), each report once: 64 rows a statement where a statement is a round trip (the rollup's reason: a wide upsert). */
    async writeCellsMany(ex: Executor, rows: ReadonlyArray<readonly [number, ReadonlyArray<number | null>]>): Promise<void> {
      await inChunks(
        rows,
        CELLS.length + 1,
        (chunk) =>
          ex.run(
            SQL.writeCellsMany(chunk.length),
            chunk.flatMap(([id, cells]) => [id, ...cells])
          ),
        ex.remote ? 64 : 1
      )
    },
    /** The stored reports of these agencies for one year (those that have one). */
    byKeysOfYear: (ex: Executor, year: number, agencyIds: readonly number[]) =>
      allByKeys<StoredReport, number>(ex, agencyIds, SQL.byKeysOfYear, (chunk) => [year, ...chunk], KEYS_PER_READ),
    /** The ids of these agencies' reports of one year (those that have one). */
    idsOfYear: (ex: Executor, year: number, agencyIds: readonly number[]) =>
      allByKeys<{ id: number; agencyId: number }, number>(ex, agencyIds, SQL.idsOfYear, (chunk) => [year, ...chunk], KEYS_PER_READ),
    /** The keys of these agencies (those that exist). */
    agencyKeys: (ex: Executor, ids: readonly number[]) => allByKeys<AgencyKey, number>(ex, ids, SQL.agencyKeys, undefined, KEYS_PER_READ),
    /** The stored reports of these ids (those that exist), in no particular order. */
    byIds: (ex: Executor, ids: readonly number[]) => allByKeys<StoredReport, number>(ex, ids, SQL.byIds, undefined, KEYS_PER_READ),
    revisions: (ex: Executor, id: number) => ex.all<RevisionEntry>(SQL.revisions, [id]),
    revision: (ex: Executor, id: number, revision: number) =>
      ex.get<RevisionEntry & { document: string | null }>(SQL.revision, [id, revision]),

    ofAgency: (ex: Executor, agencyId: number) =>
      ex.all<{ id: number; year: number; format: string; scope: string; state: ReportState }>(SQL.ofAgency, [agencyId]),

    /** The aggregate reports of a year whose agency sits at one of the region codes that may cover `code`. */
    covering: (ex: Executor, year: number, code: string) => ex.all<CoveringReport>(SQL.covering, [...coveringCodes(code), year]),

    /** The aggregate reports of a year whose agency sits at one of these region codes (`coveringCodes` of the regions asked about). */
    coveringAt: (ex: Executor, year: number, codes: readonly string[]) =>
      allByKeys<CoveringReport, string>(ex, codes, SQL.coveringAt, (chunk) => [...chunk, year], KEYS_PER_READ),

    /** The sums of the accepted own reports of a year in a region prefix ('' for the whole country), from the roll-up. */
    async ownSums(ex: Executor, format: Format, prefix: string, year: number): Promise<OwnSums> {
      const cells = aggregateCellsOf(format)
      const row =
        prefix === ''
          ? (await ex.get<Record<string, number | null>>(ownSumsSql(format, 'country'), [year]))!
          : prefix.length === 2
            ? (await ex.get<Record<string, number | null>>(ownSumsSql(format, 'province'), [year, prefix]))!
            : (await ex.get<Record<string, number | null>>(ownSumsSql(format, 'range'), [year, ...regionRange(prefix)]))!
      const sums: Record<string, number | null> = {}
      cells.forEach((cell, i) => {
        sums[cell.code] = !row[`n${i}`] ? null : valueOfStored(storedSum(row, cell, i), cell)
      })
      return { reports: row.reports ?? 0, sums }
    },

    /**
     * The `aggregate` reports of a year stored at each of the region codes (AG-02's sub-divisions): per code,
     * how many and, per additive cell, the sum in stored units (money in 分) and how many filled it. Codes
     * without any are absent.
     */
    async summariesAt(ex: Executor, format: Format, year: number, codes: readonly string[]): Promise<SubdivisionSummaries[]> {
      if (codes.length === 0) return []
      const cells = aggregateCellsOf(format)
      const rows = await ex.all<Record<string, string | number | null>>(summariesSql(format, codes.length), [year, ...codes])
      return rows.map((row) => ({
        regionCode: row.regionCode as string,
        reports: Number(row.reports),
        cells: Object.fromEntries(
          cells.map((cell, i) => [cell.code, { sum: Number(storedSum(row, cell, i)), filled: Number(row[`n${i}`] ?? 0) }])
        )
      }))
    },

    /**
     * A page of summaries. Filtered by province and year, the page's ids are a range of the reports' (year,
     * province, state, id) index; by a longer region prefix and year, they come from the (year, region, state)
     * index alone, sorted; either way only the page's rows are read. By region without a year, the region's agencies lead
     * (their index, then each one's reports). Either way the planner would otherwise walk reports in id or year order
     * and test every row.
     */
    async list(ex: Executor, filter: ReportFilter): Promise<{ items: ReportSummary[]; next: string | null }> {
      const query = listQuery(filter)
      const rows = await ex.all<ReportSummary>(query.sql, query.params)
      return pageOf(rows, filter.limit, (last) => encodeCursor({ s: query.sort.name, v: sortValue(query.sort, last), id: last.id }))
    },

    /**
     * The same page as `list`, as the JSON text its serializer writes: each summary is the report's stored one
     * (`reports.summary`, written by `json_object` in migration 0006's triggers on every write of the row and every
     * rename of its agency; SQLite's alone, see `Engine.storesSummaries`), the only column of its row (`firstColumn`:
     * a string per row, no object), and the page is their concatenation, without a serializer between and without
     * the agencies' join. The cursor is read from the last summary's own JSON. (Each summary as bytes instead, `CAST(…
     * AS BLOB)`, saved decoding and encoding the text but made 51 `Buffer`s a page: measured in the server, the page
     * then cost more CPU, not less.)
     */
    async listText(ex: Executor, filter: ReportFilter): Promise<string> {
      const query = listQuery(filter, STORED_SUMMARY)
      const rows = await ex.all<string>(query.sql, query.params, { firstColumn: true })
      const page = pageOf(rows, filter.limit, (last) => {
        const summary = JSON.parse(last) as ReportSummary
        return encodeCursor({ s: query.sort.name, v: sortValue(query.sort, summary), id: summary.id })
      })
      return `{"items":[${page.items.join(',')}],"next":${page.next === null ? 'null' : JSON.stringify(page.next)}}`
    }
  }
}

/** A summary's value of the sort column (what a cursor carries beside the id). */
const sortValue = (sort: SortSpec, s: ReportSummary) =>
  sort.column === 'r.year' ? s.year : sort.column === 'r.updated_at' ? s.updatedAt : s.id

/**
 * A summary's fields and the SQL of each over `reports r` and its agency `a`: what `list` reads, and what migration
 * 0006's triggers write into `reports.summary` with `json_object` (test/db/stored-summaries.test.ts holds them to it).
 */
export const SUMMARY_COLUMNS: ReadonlyArray<[name: string, sql: string]> = [
  ['id', 'r.id'],
  ['agencyId', 'r.agency_id'],
  ['agencyName', 'a.name'],
  ['regionCode', 'r.region_code'],
  ['year', 'r.year'],
  ['format', 'r.format'],
  ['scope', 'r.scope'],
  ['publishedAt', 'r.published_at'],
  ['updatedAt', 'r.updated_at'],
  ['errorCount', 'r.error_count'],
  ['warningCount', 'r.warning_count'],
  ['state', 'r.state'],
  ['submittedAt', 'r.submitted_at'],
  ['acceptedAt', 'r.accepted_at']
]
const SUMMARY_SELECT = SUMMARY_COLUMNS.map(([name, sql]) => `${sql} AS "${name}"`).join(', ')
/** the stored summary (SQLite): one column, no agency to join */
const STORED_SUMMARY = 'r.summary'

/** The sort column as an expression no index orders (SQLite then sorts what the filter's index found). */
const unordered = (column: string) => (column === 'r.updated_at' ? `${column} || ''` : `+${column}`)

const seesOnlyAccepted = (v: Visibility | undefined) => v !== undefined && !v.all && v.regions.length === 0 && v.agencies.length === 0

/** The SQL of a page of summaries (limit + 1 rows) and its sort. */
function listQuery(filter: ReportFilter, select = SUMMARY_SELECT): { sql: string; params: SqlValue[]; sort: SortSpec } {
  const sort = REPORT_SORTS[filter.sort ?? 'id']
  const after = decodeCursor(filter.cursor, sort.name)
  const byYearAndRegion = filter.regionCode !== undefined && filter.year !== undefined
  const needsAgency = filter.level !== undefined || filter.kind !== undefined
  // the stored summary names its agency itself: the agencies are joined only where a filter asks about them
  const selectsAgency = select !== STORED_SUMMARY
  const c = createConditions()
  c.eq('r.agency_id = ?', filter.agencyId)
  c.eq('r.year = ?', filter.year)
  c.eq('r.year >= ?', filter.yearFrom)
  c.eq('r.year <= ?', filter.yearTo)
  c.eq('a.level = ?', filter.level)
  c.eq('a.kind = ?', filter.kind)
  c.eq('r.format = ?', filter.format)
  c.eq('r.scope = ?', filter.scope)
  c.eq('r.state = ?', filter.state)
  if (filter.hasErrors !== undefined) c.add(filter.hasErrors ? 'r.error_count > 0' : 'r.error_count = 0')
  // A province of a year in id order, one state asked (by the filter, or by the visibility rule of a reader who sees
  // only accepted reports): a range of reports_year_province_idx, already in the page's order (the expression must be
  // the index's). Otherwise the (year, region, state) index gives the ids, sorted after: the province index would give
  // no order, and the planner, comparing it with the year's index, walks the latter.
  const inIdOrder =
    byYearAndRegion &&
    filter.regionCode!.length === 2 &&
    sort.column === 'r.id' &&
    (filter.state !== undefined || seesOnlyAccepted(filter.visibility))
  if (inIdOrder) c.eq('substr(r.region_code, 1, 2) = ?', filter.regionCode)
  else c.region(byYearAndRegion ? 'r.region_code' : 'a.region_code', filter.regionCode)
  const visible = visibleSql(filter.visibility, { state: 'r.state', region: 'r.region_code', agency: 'r.agency_id' })
  if (visible) c.add(visible.sql, ...visible.params)
  const page = keyset(sort, after, 'r.id')
  c.add(page.where, ...page.params)
  if (inIdOrder && !needsAgency && !selectsAgency) {
    // the province index gives the page's rows in order, and the stored summary needs nothing else: read them as the
    // index finds them (the statement alone 48–49 µs of CPU against 61–64 with the ids first and the page sorted again)
    const sql = `SELECT ${select} FROM reports r ${c.toSql()} ORDER BY ${page.order} LIMIT ?`
    return { sql, params: [...c.params, filter.limit + 1], sort }
  }
  if (byYearAndRegion) {
    // the ids of the page first, from the index, then only their rows
    const order = inIdOrder ? page.order : page.order.replace(sort.column, unordered(sort.column))
    const from = needsAgency ? 'reports r JOIN agencies a ON a.id = r.agency_id' : 'reports r'
    const sql = `SELECT ${select} FROM (SELECT r.id FROM ${from} ${c.toSql()} ORDER BY ${order} LIMIT ?) p
      JOIN reports r ON r.id = p.id${selectsAgency ? ' JOIN agencies a ON a.id = r.agency_id' : ''} ORDER BY ${page.order}`
    return { sql, params: [...c.params, filter.limit + 1], sort }
  }
  if (filter.regionCode) c.add('r.agency_id = a.id')
  const from = filter.regionCode
    ? 'agencies a CROSS JOIN reports r'
    : needsAgency || selectsAgency
      ? 'reports r JOIN agencies a ON a.id = r.agency_id'
      : 'reports r'
  const sql = `SELECT ${select} FROM ${from} ${c.toSql()} ORDER BY ${page.order} LIMIT ?`
  return { sql, params: [...c.params, filter.limit + 1], sort }
}

export type ReportRepository = ReturnType<typeof createReportRepository>
