// Reports: the write path (document, cells, roll-up and findings in one transaction), reads by id and by
import type Database from 'better-sqlite3'
// natural key, and filtered keyset lists of summaries.
import type { Db } from '../client.js'
import { ConflictError, NotFoundError, preconditionFailed, unprocessable, type FieldError } from '../../src/errors.js'
import { CELLS } from '../../src/format/registry.js'
import { emptyTables, getCell, setCell, toStoredMoney, type ReportInput } from '../../src/format/document.js'
import { decodeCursor, encodeCursor, keyset, regionRange, type SortSpec } from '../../src/pagination.js'
import { createConditions, createStatementCache, pageOf } from './sql.js'
import type { Rollup, RollupKey } from './rollup.js'
import type { FindingStore } from './findings.js'
import { aggregateCellsOf, checkReport, hasErrors, type Finding, type OwnSums } from '../../src/checks/index.js'
import type { Format } from '../../src/format/registry.js'
import { SYSTEM_ACTOR, type Actor } from '../../src/auth/keys.js'


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
}

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
  limit: number
  cursor?: string
  sort?: string
}

export interface StoredReport {
  id: number
  agencyId: number
  year: number
  revision: number
  document: string
}

export interface WriteResult {
  id: number
  status: 'created' | 'replaced'
  revision: number
  document: string
}

/** What a write may do when the (agency, year) already has a report. */
export type WriteMode = 'create' | 'replace' | 'upsert'

export interface WriteOptions {
  /** reject (422, nothing stored) a report with any error finding */
  strict?: boolean
  /** who writes: scopes are checked against the report's agency, and the history names the key */
  actor?: Actor
  /** If-Match: the revision the writer last saw (412 when the report has moved on) */
  ifMatch?: number
  /** If-None-Match: * — create only (412 when the report exists) */
  createOnly?: boolean
}

export interface RevisionEntry {
  revision: number
  operation: 'created' | 'replaced' | 'deleted'
  keyName: string | null
  writtenAt: string
}

/** The figures a strict write was refused for, each pointing at its first cell. */
function strictErrors(findings: Finding[], base: string): FieldError[] {
  return findings
    .filter((f) => f.severity === 'error')
    .map((f) => ({
      pointer: `${base}/${(f.cells[0] ?? '').replaceAll('.', '/')}`,
      message: f.message,
      rule: f.rule,
      cells: f.cells,
      expected: f.expected,
      actual: f.actual
    }))
}

/** The region prefix an aggregate report of an agency at this level covers. */
export function areaPrefix(regionCode: string, level: string): string {
  if (level === 'national') return ''
  if (level === 'provincial') return regionCode.slice(0, 2)
  if (level === 'prefectural') return regionCode.slice(0, 4)
  return regionCode
}

export const REPORT_SORTS: Record<string, SortSpec> = {
  id: { name: 'id', column: 'r.id', desc: false },
  '-id': { name: '-id', column: 'r.id', desc: true },
  year: { name: 'year', column: 'r.year', desc: false },
  '-year': { name: '-year', column: 'r.year', desc: true },
  updatedAt: { name: 'updatedAt', column: 'r.updated_at', desc: false },
  '-updatedAt': { name: '-updatedAt', column: 'r.updated_at', desc: true }
}

interface AgencyKeyRow {
  id: number
  regionCode: string
  level: string
  kind: string
}

/** The stored form of every cell, in CELLS order: money as integer 分, blanks as null. */
export function storedCells(doc: ReportInput): Array<number | null> {
  return CELLS.map((cell) => {
    const value = getCell(doc as unknown as Record<string, unknown>, cell)
    if (value === null || !cell.formats.includes(doc.format)) return null
    return cell.kind === 'money' ? (toStoredMoney(value, cell) ?? null) : value
  })
}

/** The document as served: canonical key order, every cell of the format present, blanks null. */
export function canonicalDocument(
  input: ReportInput,
  meta: { id: number; revision: number; createdAt: string; updatedAt: string }
): Record<string, unknown> {
  const tables = emptyTables(input.format)
  const target = tables as unknown as Record<string, unknown>
  for (const cell of CELLS) {
    if (!cell.formats.includes(input.format) && cell.table !== 'applications') continue
    setCell(target, cell, getCell(input as unknown as Record<string, unknown>, cell))
  }
  return {
    id: meta.id,
    agencyId: input.agencyId,
    year: input.year,
    format: input.format,
    scope: input.scope ?? 'own',
    publishedAt: input.publishedAt ?? null,
    title: input.title ?? null,
    sourceUrl: input.sourceUrl ?? null,
    sections: {
      overview: input.sections?.overview ?? null,
      problems: input.sections?.problems ?? null,
      otherMatters: input.sections?.otherMatters ?? null
    },
    proactive: tables.proactive,
    applications: tables.applications,
    reviewLitigation: tables.reviewLitigation,
    revision: meta.revision,
    createdAt: meta.createdAt,
    updatedAt: meta.updatedAt
  }
}

export function createReportRepository(db: Db, deps: { rollup: Rollup; findings: FindingStore }) {
  const sqlite = db.$client
  const agencyKey = sqlite.prepare(
    'SELECT id, region_code AS regionCode, level, kind FROM agencies WHERE id = ?'
  )
  // A report's current document is its latest revision: the history holds every document once, and the
  // reports table stays narrow (summaries and lists read small rows).
  const CURRENT = 'FROM reports r JOIN report_revisions v ON v.report_id = r.id AND v.revision = r.revision'
  const byId = sqlite.prepare(`SELECT r.id, r.agency_id AS agencyId, r.year, r.revision, v.document ${CURRENT} WHERE r.id = ?`)
  const documentById = sqlite.prepare(`SELECT r.revision, v.document ${CURRENT} WHERE r.id = ?`).raw()
  const insertRevision = sqlite.prepare(
    `INSERT INTO report_revisions (report_id, revision, operation, document, key_id, key_name, written_at) VALUES (?, ?, ?, ?, ?, ?, ?)`
  )
  const revisionList = sqlite.prepare(
    `SELECT revision, operation, key_name AS keyName, written_at AS writtenAt FROM report_revisions WHERE report_id = ? ORDER BY revision`
  )
  const revisionOne = sqlite.prepare(
    `SELECT revision, operation, key_name AS keyName, written_at AS writtenAt, document FROM report_revisions WHERE report_id = ? AND revision = ?`
  )
  const byKey = sqlite.prepare(
    `SELECT r.id, r.agency_id AS agencyId, r.year, r.revision, v.document ${CURRENT} WHERE r.agency_id = ? AND r.year = ?`
  )
  const documentByKey = sqlite.prepare(`SELECT r.revision, v.document ${CURRENT} WHERE r.agency_id = ? AND r.year = ?`).raw()
  const insertReport = sqlite.prepare(
    `INSERT INTO reports (agency_id, year, format, scope, published_at, revision, created_at, updated_at, error_count, warning_count)
     VALUES (?, ?, ?, ?, ?, 1, ?, ?, 0, 0) RETURNING id`
  ).pluck()
  const updateReport = sqlite.prepare(
    `UPDATE reports SET format = ?, scope = ?, published_at = ?, revision = ?, updated_at = ? WHERE id = ?`
  )
  const cellColumns = CELLS.map((c) => c.sqlName)
  const upsertCells = sqlite.prepare(
    `INSERT OR REPLACE INTO report_cells (report_id, ${cellColumns.join(', ')}) VALUES (?${', ?'.repeat(cellColumns.length)})`
  )
  const readCells = sqlite.prepare(`SELECT ${cellColumns.join(', ')} FROM report_cells WHERE report_id = ?`).raw()
  const deleteReport = sqlite.prepare('DELETE FROM reports WHERE id = ?')
  const reportsOfAgency = sqlite.prepare(
    `SELECT r.id, r.year, r.format, r.scope FROM reports r WHERE r.agency_id = ?`
  )
  const statement = createStatementCache(sqlite)

  const keyOf = (agency: AgencyKeyRow, doc: { year: number; format: string; scope: string }): RollupKey => ({
    year: doc.year,
    regionCode: agency.regionCode,
    level: agency.level,
    kind: agency.kind,
    format: doc.format,
    scope: doc.scope
  })

  function getAgencyKey(agencyId: number, pointer: string): AgencyKeyRow {
    const agency = agencyKey.get(agencyId) as AgencyKeyRow | undefined
    if (!agency) {
      throw unprocessable(`Agency ${agencyId} does not exist.`, [{ pointer, message: `agency ${agencyId} does not exist` }])
    }
    return agency
  }

  /**
   * Writes one report; the caller holds the transaction. `expectedId` is set when the URL names the report
   * by id. Returns what was done.
   */
  function writeOne(input: ReportInput, mode: WriteMode, pointerBase = '', expectedId?: number, options: WriteOptions = {}): WriteResult {
    const result = store(input, mode, pointerBase, expectedId, options)
    const agency = agencyKey.get(input.agencyId) as AgencyKeyRow
    const findings = findingsOf(input, agency)
    if (options.strict && hasErrors(findings)) {
      throw unprocessable(
        'The report has error findings and strict mode is on; nothing was stored. See errors.',
        strictErrors(findings, pointerBase)
      )
    }
    deps.findings.replace(result.id, findings)
    const actor = options.actor ?? SYSTEM_ACTOR
    insertRevision.run(result.id, result.revision, result.status, result.document, actor.keyId, actor.keyName, new Date().toISOString())
    touchNeighbours(agency, input.year, input.scope)
    return result
  }

  function store(input: ReportInput, mode: WriteMode, pointerBase: string, expectedId: number | undefined, options: WriteOptions): WriteResult {
    const agency = getAgencyKey(input.agencyId, `${pointerBase}/agencyId`)
    ;(options.actor ?? SYSTEM_ACTOR).check({ id: agency.id, regionCode: agency.regionCode })
    const existing = byKey.get(input.agencyId, input.year) as StoredReport | undefined
    if (options.createOnly && existing) {
      throw preconditionFailed(`Agency ${input.agencyId} already has report ${existing.id} for ${input.year} (If-None-Match: *).`, existing.revision)
    }
    if (options.ifMatch !== undefined && (existing?.revision ?? null) !== options.ifMatch) {
      throw preconditionFailed(
        existing
          ? `Report ${existing.id} is at revision ${existing.revision}, not ${options.ifMatch}: re-read it and retry.`
          : `The report does not exist, so it cannot be at revision ${options.ifMatch}.`,
        existing?.revision ?? null
      )
    }
    if (expectedId !== undefined && existing && existing.id !== expectedId) {
      throw new ConflictError(
        `Agency ${input.agencyId} already has report ${existing.id} for ${input.year}; a report cannot be moved onto it.`
      )
    }
    const now = new Date().toISOString()
    const cells = storedCells(input)
    if (existing && mode === 'create') {
      throw new ConflictError(
        `Agency ${input.agencyId} already has a report for ${input.year} (report ${existing.id}); PUT /v1/agencies/${input.agencyId}/reports/${input.year} replaces it.`
      )
    }
    if (existing) {
      const previous = JSON.parse(existing.document) as ReportInput & { createdAt: string }
      deps.rollup.apply(keyOf(agency, previous), readCells.get(existing.id) as Array<number | null>, -1)
      const revision = existing.revision + 1
      const document = JSON.stringify(
        canonicalDocument(input, { id: existing.id, revision, createdAt: previous.createdAt, updatedAt: now })
      )
      updateReport.run(input.format, input.scope, input.publishedAt ?? null, revision, now, existing.id)
      upsertCells.run(existing.id, ...cells)
      deps.rollup.apply(keyOf(agency, input), cells, 1)
      return { id: existing.id, status: 'replaced', revision, document }
    }
    const id = insertReport.get(input.agencyId, input.year, input.format, input.scope, input.publishedAt ?? null, now, now) as number
    const document = JSON.stringify(canonicalDocument(input, { id, revision: 1, createdAt: now, updatedAt: now }))
    upsertCells.run(id, ...cells)
    deps.rollup.apply(keyOf(agency, input), cells, 1)
    return { id, status: 'created', revision: 1, document }
  }

  // Reports whose cross-report findings depend on what this transaction wrote: the next year's report of
  // the same agency (CY rules) and the aggregate reports covering the region (AG-01). Rechecked once, at
  // the end of the transaction.
  const pending = new Set<number>()
  const nextYear = sqlite.prepare('SELECT id FROM reports WHERE agency_id = ? AND year = ?').pluck()
  const covering = sqlite.prepare(
    // CROSS JOIN fixes the order: the few agencies of these four codes, then each one's report of the year.
    // Left to itself the planner may walk every report of the year instead (a second per write at 500 000).
    `SELECT r.id, a.region_code AS regionCode, a.level FROM agencies a CROSS JOIN reports r ON r.agency_id = a.id AND r.year = ?
     WHERE a.region_code IN (?, ?, ?, '000000') AND r.scope = 'aggregate'`
  )

  // The covering aggregate reports of a (year, region), remembered for the rest of the transaction: a batch
  // usually brings many reports of one area. Forgotten when an aggregate report is written.
  const coveringMemo = new Map<string, number[]>()

  function touchNeighbours(agency: AgencyKeyRow, year: number, scope: string) {
    const next = nextYear.get(agency.id, year + 1) as number | undefined
    if (next !== undefined) pending.add(next)
    if (scope === 'aggregate') coveringMemo.clear()
    const code = agency.regionCode
    const key = `${year}:${code}`
    let ids = coveringMemo.get(key)
    if (!ids) {
      ids = (covering.all(year, code, code.slice(0, 4) + '00', code.slice(0, 2) + '0000') as Array<{ id: number; regionCode: string; level: string }>)
        .filter((row) => code.startsWith(areaPrefix(row.regionCode, row.level)))
        .map((row) => row.id)
      coveringMemo.set(key, ids)
    }
    for (const id of ids) pending.add(id)
  }

  const ownSumStatements = new Map<Format, Database.Statement<unknown[]>>()
  function ownSums(format: Format, prefix: string, year: number): OwnSums {
    const cells = aggregateCellsOf(format)
    let stmt = ownSumStatements.get(format)
    if (!stmt) {
      stmt = sqlite
        .prepare(
          `SELECT coalesce(sum(reports), 0), ${cells.map((c) => `sum(s_${c.sqlName}), sum(n_${c.sqlName})`).join(', ')}
           FROM rollup WHERE year = ? AND scope = 'own' AND region_code BETWEEN ? AND ?`
        )
        .raw()
      ownSumStatements.set(format, stmt)
    }
    const [low, high] = prefix ? regionRange(prefix) : ['000000', '999999']
    const row = stmt.get(year, low, high) as Array<number | null>
    const sums: Record<string, number | null> = {}
    cells.forEach((cell, i) => {
      const sum = row[1 + 2 * i]
      const n = row[2 + 2 * i]
      sums[cell.code] = !n ? null : cell.kind === 'money' ? (sum as number) / (cell.scale ?? 1) : (sum as number)
    })
    return { reports: row[0] ?? 0, sums }
  }

  function findingsOf(doc: ReportInput, agency: AgencyKeyRow): Finding[] {
    const prev = byKey.get(doc.agencyId, doc.year - 1) as StoredReport | undefined
    return checkReport(doc, {
      previous: prev ? { id: prev.id, doc: JSON.parse(prev.document) as ReportInput } : undefined,
      own: doc.scope === 'aggregate' ? ownSums(doc.format, areaPrefix(agency.regionCode, agency.level), doc.year) : undefined
    })
  }

  function flushPending() {
    for (const id of pending) {
      const current = byId.get(id) as StoredReport | undefined
      if (!current) continue
      const doc = JSON.parse(current.document) as ReportInput
      deps.findings.replace(id, findingsOf(doc, agencyKey.get(current.agencyId) as AgencyKeyRow))
    }
    pending.clear()
  }

  /** Runs a write in one transaction, rechecking the neighbours it affected before it commits. */
  function transaction<T>(work: () => T): T {
    return sqlite.transaction(() => {
      pending.clear()
      coveringMemo.clear()
      try {
        const result = work()
        flushPending()
        return result
      } finally {
        pending.clear()
        coveringMemo.clear()
      }
    })()
  }

  const create = (input: ReportInput, options: WriteOptions = {}) => transaction(() => writeOne(input, 'create', '', undefined, options))

  const putByKey = (input: ReportInput, options: WriteOptions = {}) => transaction(() => writeOne(input, 'upsert', '', undefined, options))

  /** The stored findings of a report (404 when it does not exist). */
  function findingsOfReport(id: number) {
    if (!byId.get(id)) throw new NotFoundError(`Report ${id} does not exist.`)
    return deps.findings.ofReport(id)
  }

  /** Checks a document without storing it; with a stored agency, cross-report rules run against the stored neighbours. */
  function validate(doc: ReportInput): Finding[] {
    const agency = doc.agencyId ? (agencyKey.get(doc.agencyId) as AgencyKeyRow | undefined) : undefined
    return agency ? findingsOf(doc, agency) : checkReport(doc)
  }

  function replaceById(id: number, input: Omit<ReportInput, 'agencyId' | 'year'> & Partial<ReportInput>, options: WriteOptions = {}): WriteResult {
    return transaction(() => {
      const current = byId.get(id) as StoredReport | undefined
      if (!current) throw new NotFoundError(`Report ${id} does not exist.`)
      const errors: FieldError[] = []
      if (input.agencyId !== undefined && input.agencyId !== current.agencyId) {
        errors.push({ pointer: '/agencyId', message: `report ${id} belongs to agency ${current.agencyId}; omit agencyId or send ${current.agencyId}` })
      }
      if (input.year !== undefined && input.year !== current.year) {
        errors.push({ pointer: '/year', message: `report ${id} is for ${current.year}; omit year or send ${current.year}` })
      }
      if (errors.length) throw unprocessable('The body names another report than the URL.', errors)
      return writeOne({ ...input, agencyId: current.agencyId, year: current.year } as ReportInput, 'replace', '', id, options)
    })
  }

  /** Up to 1 000 reports upserted by natural key, all or nothing. */
  function batch(inputs: ReportInput[], options: WriteOptions = {}): Array<{ index: number; id: number; status: 'created' | 'replaced' }> {
    const seen = new Map<string, number>()
    const errors: FieldError[] = []
    inputs.forEach((input, index) => {
      const key = `${input.agencyId}/${input.year}`
      const first = seen.get(key)
      if (first !== undefined) {
        errors.push({ pointer: `/reports/${index}`, message: `same agency and year as /reports/${first}` })
      } else seen.set(key, index)
    })
    if (errors.length) throw unprocessable('The batch names one report twice; nothing was written.', errors)
    return transaction(() => {
      const refused: FieldError[] = []
      const items = inputs.map((input, index) => {
        try {
          const result = writeOne(input, 'upsert', `/reports/${index}`, undefined, options)
          return { index, id: result.id, status: result.status }
        } catch (err) {
          // in strict mode, collect every refused report before rolling the whole batch back
          const errors = (err as { errors?: FieldError[]; statusCode?: number }).errors
          if (options.strict && errors && (err as { statusCode?: number }).statusCode === 422 && errors[0]?.rule) {
            refused.push(...errors)
            return { index, id: 0, status: 'created' as const }
          }
          throw err
        }
      })
      if (refused.length) throw unprocessable('Some reports have error findings and strict mode is on; nothing was written. See errors.', refused)
      return items
    })
  }

  function remove(id: number, options: Pick<WriteOptions, 'actor' | 'ifMatch'> = {}): void {
    transaction(() => {
      const current = byId.get(id) as StoredReport | undefined
      if (!current) throw new NotFoundError(`Report ${id} does not exist.`)
      const doc = JSON.parse(current.document) as ReportInput
      const agency = getAgencyKey(current.agencyId, '/agencyId')
      const actor = options.actor ?? SYSTEM_ACTOR
      actor.check({ id: agency.id, regionCode: agency.regionCode })
      if (options.ifMatch !== undefined && options.ifMatch !== current.revision) {
        throw preconditionFailed(`Report ${id} is at revision ${current.revision}, not ${options.ifMatch}: re-read it and retry.`, current.revision)
      }
      deps.rollup.apply(keyOf(agency, doc), readCells.get(id) as Array<number | null>, -1)
      deleteReport.run(id)
      // the tombstone: the history outlives the report
      insertRevision.run(id, current.revision + 1, 'deleted', null, actor.keyId, actor.keyName, new Date().toISOString())
      touchNeighbours(agency, current.year, doc.scope)
    })
  }

  function revisions(id: number): RevisionEntry[] {
    const rows = revisionList.all(id) as RevisionEntry[]
    if (rows.length === 0) throw new NotFoundError(`Report ${id} has never existed.`)
    return rows
  }

  function revisionOf(id: number, revision: number): RevisionEntry & { document: string | null } {
    const row = revisionOne.get(id, revision) as (RevisionEntry & { document: string | null }) | undefined
    if (!row) throw new NotFoundError(`Report ${id} has no revision ${revision}.`)
    return row
  }

  /** Moves an agency's reports to another roll-up key (its region, level or kind changed); caller holds the transaction. */
  function moveAgencyRollup(from: AgencyKeyRow, to: AgencyKeyRow) {
    for (const r of reportsOfAgency.all(from.id) as Array<{ id: number; year: number; format: string; scope: string }>) {
      const cells = readCells.get(r.id) as Array<number | null>
      deps.rollup.apply(keyOf(from, r), cells, -1)
      deps.rollup.apply(keyOf(to, r), cells, 1)
    }
  }

  /**
   * A page of summaries. With a region filter the region's agencies lead (their index, then each one's
   * reports): the planner would otherwise walk reports in id or year order and test every row's agency.
   */
  function list(filter: ReportFilter): { items: ReportSummary[]; next: string | null } {
    const sort = REPORT_SORTS[filter.sort ?? 'id']
    const after = decodeCursor(filter.cursor, sort.name)
    const c = createConditions()
    c.eq('r.agency_id = ?', filter.agencyId)
    c.eq('r.year = ?', filter.year)
    c.eq('r.year >= ?', filter.yearFrom)
    c.eq('r.year <= ?', filter.yearTo)
    c.eq('a.level = ?', filter.level)
    c.eq('a.kind = ?', filter.kind)
    c.eq('r.format = ?', filter.format)
    c.eq('r.scope = ?', filter.scope)
    if (filter.hasErrors !== undefined) c.add(filter.hasErrors ? 'r.error_count > 0' : 'r.error_count = 0')
    c.region('a.region_code', filter.regionCode)
    const page = keyset(sort, after, 'r.id')
    c.add(page.where, ...page.params)
    const sql = `SELECT r.id, r.agency_id AS agencyId, a.name AS agencyName, a.region_code AS regionCode, r.year, r.format,
      r.scope, r.published_at AS publishedAt, r.updated_at AS updatedAt, r.error_count AS errorCount, r.warning_count AS warningCount
      FROM ${filter.regionCode ? 'agencies a CROSS JOIN reports r ON r.agency_id = a.id' : 'reports r JOIN agencies a ON a.id = r.agency_id'}
      ${c.toSql()} ORDER BY ${page.order} LIMIT ?`
    const rows = statement(sql).all(...c.params, filter.limit + 1) as ReportSummary[]
    const value = (s: ReportSummary) => (sort.column === 'r.year' ? s.year : sort.column === 'r.updated_at' ? s.updatedAt : s.id)
    return pageOf(rows, filter.limit, (last) => encodeCursor({ s: sort.name, v: value(last), id: last.id }))
  }

  return {
    /** the stored JSON text of a report, ready to send */
    /** [revision, stored JSON text] of a report, ready to send */
    documentById: (id: number) => documentById.get(id) as [number, string] | undefined,
    documentByKey: (agencyId: number, year: number) => documentByKey.get(agencyId, year) as [number, string] | undefined,
    revisions,
    revisionOf,
    get: (id: number) => byId.get(id) as StoredReport | undefined,
    getByKey: (agencyId: number, year: number) => byKey.get(agencyId, year) as StoredReport | undefined,
    create,
    putByKey,
    replaceById,
    batch,
    remove,
    list,
    moveAgencyRollup,
    findingsOfReport,
    validate
  }
}
export type ReportRepository = ReturnType<typeof createReportRepository>
