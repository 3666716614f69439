// What happens when a report is written, in the order of the README's Checks section, inside one
// transaction:
//   1. load the context: the agency (roll-up key, writer's scope), the stored report of that agency and
//      year, the previous year's report (cross-year rules), and for an aggregate report the sums of the
//      own reports of its area (AG-01) and, for a province's or prefecture's, its direct sub-divisions'
//      summaries with the own reports at its own code (AG-02);
//   2. run the pure functions: the canonical document, the stored cells, every rule (src/checks);
//   3. decide: preconditions (If-Match, If-None-Match, create vs replace), the strict gate;
//   4. persist: report row, cells, roll-up delta (under the report's state: dashboards and AG-01/AG-02
//      count what was accepted), findings with their values keys, revision, change; and note the neighbours whose
//      cross-report findings depend on what was written (next year's report, the covering aggregate
//      reports — AG-01's and AG-02's inputs both lie in the areas they cover), rechecked once before the
//      transaction commits.
// A write whose document is the stored one (same content) changes nothing: no revision, the same ETag,
// status `unchanged`.
// A unit of work (one write, or a batch of 1 000) keeps what it can for its whole length: the agencies
// it has read, the stored reports by key, the covering reports per year and region, the roll-up deltas
// (written once per key, many keys a statement, before anything reads the roll-up and at the end), and the
// neighbours to recheck (each once, read together). Findings are diffed against the stored ones, so a
// recheck that finds the same writes nothing. A batch reads ahead in a few statements what its writes need
// (readAhead), reserves the ids of the reports it creates, and keeps back the rows nothing reads before it
// ends — new reports, cells, findings, revisions, changes, and where a statement is a round trip the stored reports'
// updated rows and the findings' deletions and counts — writing them together, in order (flushWrites):
// a dozen statements a table for 1 000 reports instead of one a report, which is what PostgreSQL's round
// trips needed.
// Repositories only read and write rows; every decision is here, the life of a report too: which state a
// write leaves a report in, which transitions each key may make, the gate on submission, corrections of
// accepted reports and the reviews of findings (README: The life of a report).
import type { Engine, Executor } from '../../db/engines/engine.js'
import {
  coveringCodes,
  type AgencyKey,
  type CoveringReport,
  type NewReport,
  type ReportFilter,
  type ReportHead,
  type ReportRepository,
  type ReportUpdate,
  type ReportState,
  type RevisionEntry,
  type RevisionRow,
  type StoredReport
} from '../../db/repositories/reports.js'
import type { Rollup, RollupDelta, RollupKey } from '../../db/repositories/rollup.js'
import {
  countsOf,
  findingChanges,
  type FindingChanges,
  type FindingRows,
  type FindingStore,
  type StoredFinding,
  type StoredRow
} from '../../db/repositories/findings.js'
import type { ChangeLog, ChangeRow } from '../../db/repositories/changes.js'
import { SYSTEM_ACTOR, mayRead, type Actor, type Visibility } from '../auth/keys.js'
import { valuesKeyOf, type ReviewStatus } from './reviews.js'
import { checkReport, hasErrors, subdivisionCodesOf, subdivisionSums, type Finding, type SubdivisionSums } from '../checks/index.js'
import { areaPrefix, canonicalJson, storedCells } from '../format/canonical.js'
import type { ReportInput } from '../format/document.js'
import { ConflictError, ForbiddenError, conflict, NotFoundError, preconditionFailed, unprocessable, type FieldError } from '../errors.js'

export interface WriteResult {
  id: number
  /** `unchanged`: the document sent is the stored one; nothing was written (same revision, same ETag) */
  status: 'created' | 'replaced' | 'unchanged'
  revision: number
  /** the stored JSON text, as served */
  document: string
}

/** What a write may do when the (agency, year) already has a report. */
export type WriteMode = 'create' | 'replace' | 'upsert'

export interface WriteOptions {
  /** refuse (422, nothing stored) a report with any error finding */
  strict?: boolean
  /** who writes: scopes are checked against the report's agency, and the history names the key */
  actor?: Actor
  /** If-Match: the revision the writer last saw (412 when the report has moved on) */
  ifMatch?: number
  /** If-None-Match: * — create only (412 when the report exists) */
  createOnly?: boolean
  /** a correction of an accepted report: its reason (更正说明) */
  correction?: string
  /** a batch's reason: each accepted report the batch changes is corrected with it (others are written as usual) */
  correctAccepted?: string
}

/** The transitions of the life of a report: from each state, where it may go. */
export const TRANSITIONS: Record<ReportState, readonly ReportState[]> = {
  draft: ['submitted'],
  submitted: ['accepted', 'returned', 'draft'],
  returned: ['submitted', 'draft'],
  accepted: []
}

export interface TransitionResult {
  id: number
  revision: number
  state: ReportState
  document: string
}

/** Admin keys and the service itself (imports, sample data, tools) write published reports: accepted at once. */
const publishes = (actor: Actor) => actor.role === 'admin' || actor.role === 'system'

export interface ReportServiceDeps {
  reports: ReportRepository
  rollup: Rollup
  findings: FindingStore
  changes: ChangeLog
  /** the time writes and transitions are stamped with (default: the system clock; tests fix it) */
  clock?: () => Date
}

/** One write's unit of work: its transaction, and the neighbours to recheck before it commits. */
interface Work {
  tx: Executor
  /** reports whose cross-report findings depend on what was written */
  pending: Set<number>
  /** covering aggregate reports by year and region code: a batch usually brings many reports of one area */
  covering: Map<string, number[]>
  /** a strict batch collects every refused report before refusing the whole batch */
  refused?: FieldError[]
  /** the roll-up deltas of the unit, written once per key (before any read of the roll-up, and at the end) */
  rollup: RollupDelta
  /** agencies read in this unit */
  agencies: Map<number, AgencyKey | undefined>
  /** reports written in this unit (their change says their findings changed: no recheck change for them) */
  written: Set<number>
  /** stored reports by `agencyId/year` as this unit sees them (null: none), read once or read ahead by a batch */
  stored: Map<string, StoredReport | null>
  /** report ids by `agencyId/year` (null: none): the next years whose cross-year findings a write may change */
  ids: Map<string, number | null>
  /** read ahead by a batch, each used once: the stored findings of the reports it replaces */
  storedFindings: Map<number, StoredRow[]>
  /**
   * What the unit writes to tables nobody reads before it ends, in order: cells, findings, revisions and
   * changes, inserted together (one multi-row statement a table and a few hundred rows) before the
   * neighbours are rechecked and again at the end; the order of the rows, and so their ids and the change
   * feed's sequence, is the order of the writes.
   */
  out: {
    /** new report rows (a batch's, with ids reserved for them: nothing reads them before they are inserted) */
    reports: Array<NewReport & { id: number }>
    /**
     * where a statement is a round trip: the stored reports' new rows, and the findings' deletions and new counts
     * (nothing in the unit reads them from the database before they are written: it keeps its own stored reports)
     */
    updates: Map<number, ReportUpdate>
    findingChanges: FindingChanges
    cells: Map<number, Array<number | null>>
    findings: FindingRows
    revisions: RevisionRow[]
    changes: ChangeRow[]
    /** the `agencyId/year` keys of the reports written since the last flush (a read of one of them flushes first) */
    keys: Set<string>
  }
  /** a batch: the ids reserved for the reports it creates, in order */
  newIds?: number[]
}

const keyText = (agencyId: number, year: number) => `${agencyId}/${year}`

const emptyOut = (): Work['out'] => ({
  reports: [],
  updates: new Map(),
  findingChanges: findingChanges(),
  cells: new Map(),
  findings: [],
  revisions: [],
  changes: [],
  keys: new Set()
})

/** Where a statement is a round trip, findings' deletions and counts wait for flushWrites with the rest. */
const laterOf = (work: Work) => (work.tx.remote ? { later: work.out.findingChanges } : {})

/**
 * Reports a batch writes before inserting the rows it kept back (Work.out): a few hundred where a statement is
 * a round trip; on SQLite the 64 rows of its multi-row statements, so that a batch holds few documents.
 */
const flushEvery = (ex: Executor) => (ex.remote ? 256 : 64)

/** Of the aggregate reports at the codes that may cover `code` (coveringCodes), those whose area holds it, by id. */
const coveringOf = (rows: readonly CoveringReport[], code: string) => {
  const candidates = coveringCodes(code) as readonly string[]
  return rows
    .filter((row) => candidates.includes(row.regionCode) && code.startsWith(areaPrefix(row.regionCode, row.level)))
    .map((row) => row.id)
    .sort((a, b) => a - b)
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

const keyOf = (agency: AgencyKey, doc: { year: number; format: string; scope: string }, state: ReportState): RollupKey => ({
  year: doc.year,
  regionCode: agency.regionCode,
  level: agency.level,
  kind: agency.kind,
  format: doc.format,
  scope: doc.scope,
  state
})

/** report heads kept for conditional reads (see headOf) */
const MAX_HEADS = 4096

export function createReportService(engine: Engine, { reports, rollup, findings, changes, clock = () => new Date() }: ReportServiceDeps) {
  /** Runs `fn` as one unit of work in `tx`, rechecking the neighbours it touched at its end. */
  async function unitOfWork<T>(tx: Executor, fn: (work: Work) => Promise<T>, batch = false): Promise<T> {
    const work: Work = {
      tx,
      pending: new Set(),
      covering: new Map(),
      rollup: rollup.delta(),
      agencies: new Map(),
      written: new Set(),
      stored: new Map(),
      ids: new Map(),
      storedFindings: new Map(),
      out: emptyOut(),
      ...(batch ? { refused: [] } : {})
    }
    const result = await fn(work)
    await flushWrites(work)
    await recheckNeighbours(work)
    await flushWrites(work)
    await work.rollup.flush(tx)
    return result
  }

  /** Writes what the unit has kept back (Work.out), in the order it was written. */
  async function flushWrites(work: Work) {
    const { tx, out } = work
    if (out.reports.length) await reports.insertMany(tx, out.reports)
    if (out.updates.size)
      await reports.updateMany(
        tx,
        [...out.updates].map(([id, row]) => ({ ...row, id }))
      )
    if (out.findingChanges.deletes.length || out.findingChanges.counts.size) await findings.writeChanges(tx, out.findingChanges)
    if (out.cells.size) await reports.writeCellsMany(tx, [...out.cells])
    if (out.findings.length) await findings.insertRows(tx, out.findings)
    if (out.revisions.length) await reports.insertRevisions(tx, out.revisions)
    if (out.changes.length) await changes.recordMany(tx, out.changes)
    work.out = emptyOut()
  }

  /** The stored report of an (agency, year) as the unit sees it: read ahead, written in it, or read now. */
  async function storedByKey(work: Work, agencyId: number, year: number): Promise<StoredReport | undefined> {
    const key = keyText(agencyId, year)
    // on SQLite the unit holds no documents (see readAhead): the read is the database's, after what the unit kept
    // back of that report has gone in; a key the unit knows has no report (read ahead, not written since) is not read
    if (!work.tx.remote) {
      if (work.ids.get(key) === null) return undefined
      if (work.out.keys.has(key)) await flushWrites(work)
      return reports.byKey(work.tx, agencyId, year)
    }
    const known = work.stored.get(key)
    if (known !== undefined) return known ?? undefined
    const row = await reports.byKey(work.tx, agencyId, year)
    work.stored.set(key, row ?? null)
    return row
  }

  /** The id of an (agency, year)'s report, as the unit sees it. */
  async function idByKey(work: Work, agencyId: number, year: number): Promise<number | undefined> {
    const key = keyText(agencyId, year)
    const known = work.ids.get(key) ?? work.stored.get(key)?.id
    if (known !== undefined && known !== null) return known
    if (work.ids.has(key)) return undefined
    const id = await reports.idByKey(work.tx, agencyId, year)
    work.ids.set(key, id ?? null)
    return id
  }

  /**
   * A batch reads ahead what its writes would otherwise read one by one: the agencies, the stored reports of
   * their years and of the years before (cross-year rules), the ids of the years after (neighbours), and the
   * findings of the reports it replaces.
   */
  async function readAhead(work: Work, inputs: readonly ReportInput[]) {
    const agencyIds = [...new Set(inputs.map((i) => i.agencyId))]
    for (const agency of await reports.agencyKeys(work.tx, agencyIds)) work.agencies.set(agency.id, agency)
    for (const id of agencyIds) if (!work.agencies.has(id)) work.agencies.set(id, undefined)
    const byYear = new Map<number, Set<number>>()
    const want = (year: number, agencyId: number) => {
      let set = byYear.get(year)
      if (!set) byYear.set(year, (set = new Set()))
      set.add(agencyId)
    }
    // Documents (and the replaced reports' findings) are read ahead only where a statement is a round
    // trip: on SQLite reading them one by one costs as little, and holding a batch's documents (some 4 000 of
    // them, the years before and the rechecked neighbours included) measured 50–250 MB more resident memory.
    const remote = work.tx.remote
    for (const input of inputs) {
      want(input.year, input.agencyId)
      if (remote) want(input.year - 1, input.agencyId)
    }
    // the reports the batch replaces: their findings are read ahead too
    const own = new Set(inputs.map((i) => keyText(i.agencyId, i.year)))
    const replaced: number[] = []
    if (!remote) {
      for (const [year, agencies] of byYear) {
        const ids = [...agencies]
        for (const id of ids) work.ids.set(keyText(id, year), null)
        for (const row of await reports.idsOfYear(work.tx, year, ids)) {
          work.ids.set(keyText(row.agencyId, year), row.id)
          replaced.push(row.id)
        }
      }
      byYear.clear()
    }
    for (const [year, agencies] of byYear) {
      const ids = [...agencies]
      for (const id of ids) work.stored.set(keyText(id, year), null)
      for (const row of await reports.byKeysOfYear(work.tx, year, ids)) {
        const key = keyText(row.agencyId, year)
        work.stored.set(key, row)
        if (own.has(key)) replaced.push(row.id)
      }
    }
    const next = new Map<number, number[]>()
    for (const input of inputs) {
      const year = input.year + 1
      if (work.stored.has(keyText(input.agencyId, year))) continue
      let list = next.get(year)
      if (!list) next.set(year, (list = []))
      list.push(input.agencyId)
    }
    for (const [year, ids] of next) {
      for (const id of ids) work.ids.set(keyText(id, year), null)
      for (const row of await reports.idsOfYear(work.tx, year, ids)) work.ids.set(keyText(row.agencyId, year), row.id)
    }
    // the ids of the reports it creates (the rest of the batch reads no reports row it has written)
    work.newIds = await engine.reserveIds(work.tx, 'reports', inputs.length - replaced.length)
    if (replaced.length && remote) work.storedFindings = await findings.storedOf(work.tx, replaced)
    // the aggregate reports that cover each region of the batch, per year
    const regions = new Map<number, Set<string>>()
    for (const input of inputs) {
      const code = work.agencies.get(input.agencyId)?.regionCode
      if (code === undefined) continue
      let set = regions.get(input.year)
      if (!set) regions.set(input.year, (set = new Set()))
      set.add(code)
    }
    for (const [year, codes] of regions) {
      const rows = await reports.coveringAt(work.tx, year, [...new Set([...codes].flatMap((c) => coveringCodes(c)))])
      for (const code of codes) work.covering.set(`${year}:${code}`, coveringOf(rows, code))
    }
  }

  const inTransaction = <T>(fn: (work: Work) => Promise<T>, batch = false) => engine.transaction((tx) => unitOfWork(tx, fn, batch))

  /**
   * Every rule the stored context allows: cross-year against the previous report, AG-01 against the own
   * sums of the area, AG-02 against the sub-divisions' summaries once every one of them is stored.
   */
  async function findingsOf(ex: Executor, doc: ReportInput, agency: AgencyKey, work?: Work): Promise<Finding[]> {
    const prev = work ? await storedByKey(work, doc.agencyId, doc.year - 1) : await reports.byKey(ex, doc.agencyId, doc.year - 1)
    const aggregate = doc.scope === 'aggregate'
    // AG-01 and AG-02 read the roll-up: the unit's deltas go in first
    if (aggregate && work) await work.rollup.flush(work.tx)
    return checkReport(doc, {
      previous: prev ? { id: prev.id, doc: JSON.parse(prev.document) as ReportInput } : undefined,
      own: aggregate ? await reports.ownSums(ex, doc.format, areaPrefix(agency.regionCode, agency.level), doc.year) : undefined,
      subdivisions: aggregate ? await hierarchyOf(ex, doc, agency) : undefined
    })
  }

  /** AG-02's inputs for a government's summary: its sub-divisions' summaries and its own-level reports, when all are stored. */
  async function hierarchyOf(ex: Executor, doc: ReportInput, agency: AgencyKey): Promise<SubdivisionSums | undefined> {
    const codes = subdivisionCodesOf(agency.regionCode, agency.level)
    if (codes.length === 0) return undefined
    const stored = await reports.summariesAt(ex, doc.format, doc.year, codes)
    if (stored.length < codes.length) return undefined // some sub-division has no summary: not evaluated
    return subdivisionSums(codes, stored, await reports.ownSums(ex, doc.format, agency.regionCode, doc.year)) ?? undefined
  }

  /** An agency's key, read once per unit of work. */
  async function agencyKeyIn(work: Work, agencyId: number): Promise<AgencyKey | undefined> {
    if (work.agencies.has(agencyId)) return work.agencies.get(agencyId)
    const agency = await reports.agencyKey(work.tx, agencyId)
    work.agencies.set(agencyId, agency)
    return agency
  }

  async function agencyOf(work: Work, agencyId: number, pointer: string): Promise<AgencyKey> {
    const agency = await agencyKeyIn(work, agencyId)
    if (!agency) throw unprocessable(`Agency ${agencyId} does not exist.`, [{ pointer, message: `agency ${agencyId} does not exist` }])
    return agency
  }

  /**
   * The state a write leaves the report in, and the history's operation: a new report is accepted when an
   * admin or the service writes it and a draft otherwise; a draft stays one and a returned report becomes one
   * again; a submitted report is under review and only an admin may change it. An accepted report changes only
   * by a correction (with its reason), whoever writes: `locked` says that a write of other content is refused
   * (the same content is still `unchanged`, so that re-syncing published reports keeps working).
   */
  function stateOfWrite(
    existing: StoredReport | undefined,
    actor: Actor,
    options: WriteOptions
  ): { state: ReportState; operation: RevisionEntry['operation']; locked?: boolean } {
    if (!existing) return { state: publishes(actor) ? 'accepted' : 'draft', operation: 'created' }
    if (options.correction !== undefined) {
      if (existing.state !== 'accepted') {
        throw new ConflictError(
          `Report ${existing.id} is ${existing.state}, not accepted: only an accepted report is corrected; change it by PUT.`
        )
      }
      return { state: 'accepted', operation: 'corrected' }
    }
    switch (existing.state) {
      case 'draft':
      case 'returned':
        return { state: 'draft', operation: 'replaced' }
      case 'submitted':
        if (publishes(actor)) return { state: 'submitted', operation: 'replaced' }
        throw new ConflictError(
          `Report ${existing.id} is submitted and under review: withdraw it first (POST /v1/reports/${existing.id}/transitions with { "to": "draft" }).`
        )
      case 'accepted':
        return { state: 'accepted', operation: 'replaced', locked: true }
    }
  }

  /** The refusal of a write that would change an accepted report in place: a correction is the way. */
  function acceptedConflict(existing: StoredReport, base: string): Error {
    const route = `/v1/reports/${existing.id}/corrections`
    return conflict(`Report ${existing.id} is accepted: it changes only by a correction with its reason (POST ${route}).`, [
      { pointer: base || '/', message: `report ${existing.id} is accepted: correct it by POST ${route} with { "reason": …, "report": … }` }
    ])
  }

  /** The preconditions of a write against the stored report of its (agency, year). */
  function decide(
    input: ReportInput,
    existing: StoredReport | undefined,
    mode: WriteMode,
    expectedId: number | undefined,
    options: WriteOptions,
    base: string
  ) {
    if (options.createOnly && existing) {
      throw preconditionFailed(
        `Agency ${input.agencyId} already has report ${existing.id} for ${input.year} (If-None-Match: *).`,
        existing.revision
      )
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
    if (existing && mode === 'create' && existing.state === 'accepted') throw acceptedConflict(existing, base)
    if (existing && mode === 'create') {
      throw new ConflictError(
        `Agency ${input.agencyId} already has a report for ${input.year} (report ${existing.id}); PUT /v1/agencies/${input.agencyId}/reports/${input.year} replaces it.`
      )
    }
  }

  /** Writes one report in the unit of work. `expectedId` is set when the URL names the report by id. */
  async function write(
    work: Work,
    input: ReportInput,
    mode: WriteMode,
    base: string,
    expectedId: number | undefined,
    options: WriteOptions
  ): Promise<WriteResult> {
    const { tx } = work
    const actor = options.actor ?? SYSTEM_ACTOR
    // 1. context
    const agency = await agencyOf(work, input.agencyId, `${base}/agencyId`)
    actor.check({ id: agency.id, regionCode: agency.regionCode })
    const existing = await storedByKey(work, input.agencyId, input.year)
    // 3. decide what the request may do
    decide(input, existing, mode, expectedId, options, base)
    // a batch's reason corrects the accepted reports it changes: one it does not change stays unchanged
    const batchCorrection = options.correctAccepted !== undefined && options.correction === undefined && existing?.state === 'accepted'
    if (batchCorrection) options = { ...options, correction: options.correctAccepted }
    const { state, operation, locked } = stateOfWrite(existing, actor, options)
    // 2. the pure parts
    const now = clock().toISOString()
    const previous = existing ? (JSON.parse(existing.document) as ReportInput & { createdAt: string; updatedAt: string }) : undefined
    const documentOf = canonicalJson(input)

    // the same content as stored: nothing to write (a strict write is still refused for the errors it has)
    if (existing && previous && state === existing.state && (options.correction === undefined || batchCorrection)) {
      const meta = { id: existing.id, revision: existing.revision, createdAt: previous.createdAt, updatedAt: previous.updatedAt, state }
      const same = documentOf(meta)
      if (same === existing.document) {
        if (options.strict) refuseIfErrors(work, await findingsOf(tx, input, agency, work), base)
        return { id: existing.id, status: 'unchanged', revision: existing.revision, document: existing.document }
      }
    }
    if (locked && existing) throw acceptedConflict(existing, base)

    // the roll-up delta, then the checks against the stored context (AG-01's own sums see the delta)
    const cells = storedCells(input)
    // what the roll-up counted for the stored report: its document's cells, which its cells row holds (written from
    // the same input as the document; test/reports/batch.test.ts checks both ways agree), without reading that row
    if (existing && previous) work.rollup.add(keyOf(agency, previous, existing.state), storedCells(previous), -1)
    work.rollup.add(keyOf(agency, input, state), cells, 1)
    const found = await findingsOf(tx, input, agency, work)
    const refused = options.strict && hasErrors(found) ? refuseIfErrors(work, found, base) : false

    // 4. persist the report and its cells (a refused report of a batch too: later reports are checked against it)
    let result: WriteResult
    if (existing && previous) {
      const revision = existing.revision + 1
      const document = documentOf({ id: existing.id, revision, createdAt: previous.createdAt, updatedAt: now, state })
      const update: ReportUpdate = {
        format: input.format,
        scope: input.scope,
        publishedAt: input.publishedAt ?? null,
        revision,
        now,
        state
      }
      if (tx.remote) work.out.updates.set(existing.id, update)
      else await reports.update(tx, existing.id, update)
      work.out.cells.set(existing.id, cells)
      work.out.keys.add(keyText(input.agencyId, input.year))
      result = { id: existing.id, status: 'replaced', revision, document }
    } else {
      const counts = refused ? { errors: 0, warnings: 0 } : countsOf(found)
      const row: NewReport = {
        agencyId: input.agencyId,
        regionCode: agency.regionCode,
        year: input.year,
        format: input.format,
        scope: input.scope,
        publishedAt: input.publishedAt ?? null,
        now,
        ...counts,
        state
      }
      const reserved = work.newIds?.shift()
      const id = reserved ?? (await reports.insert(tx, row))
      if (reserved !== undefined) work.out.reports.push({ ...row, id: reserved })
      const document = documentOf({ id, revision: 1, createdAt: now, updatedAt: now, state })
      work.out.cells.set(id, cells)
      work.out.keys.add(keyText(input.agencyId, input.year))
      work.ids.set(keyText(input.agencyId, input.year), id)
      result = { id, status: 'created', revision: 1, document }
    }
    // as the stored report of its key, later writes of the unit see it; a refused one has no revision, so none
    const key = keyText(input.agencyId, input.year)
    if (refused) {
      work.stored.set(key, null)
      return result
    }
    if (work.tx.remote)
      work.stored.set(key, {
        id: result.id,
        agencyId: input.agencyId,
        year: input.year,
        revision: result.revision,
        document: result.document,
        state,
        submittedBy: existing?.submittedBy ?? null
      })
    const stored = work.storedFindings.get(result.id)
    work.storedFindings.delete(result.id)
    await findings.replace(
      tx,
      result.id,
      found,
      found.map((f) => valuesKeyOf(f, input)),
      { fresh: result.status === 'created', into: work.out.findings, ...laterOf(work), ...(stored ? { stored } : {}) }
    )
    work.out.revisions.push({
      reportId: result.id,
      revision: result.revision,
      operation,
      document: result.document,
      keyId: actor.keyId,
      keyName: actor.keyName,
      writtenAt: now,
      state,
      fromState: existing && existing.state !== state ? existing.state : null,
      comment: options.correction ?? null
    })
    work.out.changes.push({
      kind: 'report.written',
      reportId: result.id,
      agencyId: agency.id,
      revision: result.revision,
      state,
      at: now
    })
    work.written.add(result.id)
    await touchNeighbours(work, agency, input.year, input.scope, result.id)
    return result
  }

  /**
   * The strict gate: a lone write with error findings is refused at once (422, nothing stored); a batch
   * notes the refusal and goes on, to name every refused report before refusing the whole batch.
   */
  function refuseIfErrors(work: Work, found: Finding[], base: string): boolean {
    if (!hasErrors(found)) return false
    const refused = strictErrors(found, base)
    if (!work.refused) throw unprocessable('The report has error findings and strict mode is on; nothing was stored. See errors.', refused)
    work.refused.push(...refused)
    return true
  }

  /** Notes the reports whose cross-report findings depend on this agency's report of `year`. */
  async function touchNeighbours(work: Work, agency: AgencyKey, year: number, scope: string, id?: number) {
    const next = await idByKey(work, agency.id, year + 1)
    if (next !== undefined) work.pending.add(next)
    // an aggregate report just written covers the regions remembered that it would be found for
    if (scope === 'aggregate') {
      const row = { id: id ?? -1, regionCode: agency.regionCode, level: agency.level }
      for (const [key, ids] of work.covering) {
        const [y, code] = key.split(':')
        if (id === undefined) work.covering.delete(key)
        else if (Number(y) === year && !ids.includes(id) && coveringOf([row], code).length) {
          ids.push(id)
          ids.sort((a, b) => a - b)
        }
      }
    }
    const code = agency.regionCode
    const key = `${year}:${code}`
    let ids = work.covering.get(key)
    if (!ids) {
      // the aggregate reports kept back go in first: the read must see them
      await flushWrites(work)
      ids = coveringOf(await reports.covering(work.tx, year, code), code)
      work.covering.set(key, ids)
    }
    for (const id of ids) work.pending.add(id)
  }

  /** Rechecks the neighbours the unit touched, each once, reading them and their findings together. */
  async function recheckNeighbours(work: Work) {
    if (work.pending.size === 0) return
    const ids = [...work.pending]
    // read together where a statement is a round trip (see readAhead), one by one on SQLite
    const remote = work.tx.remote
    const rows = remote ? new Map((await reports.byIds(work.tx, ids)).map((r) => [r.id, r])) : undefined
    const stored = remote ? await findings.storedOf(work.tx, ids) : undefined
    for (const id of ids) {
      const current = rows ? rows.get(id) : await reports.byId(work.tx, id)
      if (!current) continue
      const doc = JSON.parse(current.document) as ReportInput
      const agency = (await agencyKeyIn(work, current.agencyId))!
      const found = await findingsOf(work.tx, doc, agency, work)
      await findings.replace(
        work.tx,
        id,
        found,
        found.map((f) => valuesKeyOf(f, doc)),
        { into: work.out.findings, ...laterOf(work), ...(stored ? { stored: stored.get(id) ?? [] } : {}) }
      )
      if (!work.written.has(id))
        work.out.changes.push({
          kind: 'findings.checked',
          reportId: id,
          agencyId: current.agencyId,
          revision: current.revision,
          state: current.state
        })
    }
    work.pending.clear()
  }

  async function requireReport(ex: Executor, id: number): Promise<StoredReport> {
    const current = await reports.byId(ex, id)
    if (!current) throw new NotFoundError(`Report ${id} does not exist.`)
    return current
  }

  /** Whether the reader may see the report (README: Who reads what); none given: the service itself, which sees all. */
  async function readable(row: Pick<StoredReport, 'state' | 'agencyId'>, visibility: Visibility | undefined): Promise<boolean> {
    if (!visibility || visibility.all || row.state === 'accepted') return true
    return mayRead(visibility, row.state, await reports.agencyKey(engine, row.agencyId))
  }

  /** A revision anyone may read: an accepted document, or the tombstone of a report that was accepted. */
  const isPublic = (entry: RevisionEntry) => entry.state === 'accepted' || (entry.operation === 'deleted' && entry.fromState === 'accepted')

  /** Whether the reader may read a report's whole history: its agency (the report's, or its last document's) is in scope. */
  async function historyReadable(id: number, entries: RevisionEntry[], visibility: Visibility | undefined): Promise<boolean> {
    if (!visibility || visibility.all) return true
    let agencyId = (await reports.byId(engine, id))?.agencyId
    if (agencyId === undefined) {
      const last = entries.findLast((e) => e.state !== null)
      const document = last ? (await reports.revision(engine, id, last.revision))?.document : null
      agencyId = document ? (JSON.parse(document) as { agencyId: number }).agencyId : undefined
    }
    return agencyId !== undefined && mayRead(visibility, null, await reports.agencyKey(engine, agencyId))
  }

  // The heads (revision, state, agency) conditional reads asked for, kept while the data version stays: a client that
  // polls a document it holds asks the same row again and again, and where the engine knows its data version at once
  // (SQLite on a file: one read of the WAL index, which every commit of every process moves) comparing it costs a
  // fraction of the statement (its read transaction alone is three system calls). Elsewhere the row is read each time.
  const heads = new Map<string, ReportHead>()
  let headsVersion = ''
  // false once the engine has answered with a promise: it is not asked again for this
  let versionAtOnce = true
  async function headOf(where: { id: number } | { agencyId: number; year: number }): Promise<ReportHead | undefined> {
    let version: string | undefined
    if (versionAtOnce) {
      const v = engine.dataVersion()
      if (typeof v === 'string') version = v
      else {
        versionAtOnce = false
        v.catch(() => undefined)
      }
    }
    const key = 'id' in where ? String(where.id) : `${where.agencyId}/${where.year}`
    if (version !== undefined) {
      if (version !== headsVersion || heads.size >= MAX_HEADS) {
        heads.clear()
        headsVersion = version
      }
      const kept = heads.get(key)
      if (kept !== undefined) return kept
    }
    const row = 'id' in where ? await reports.headById(engine, where.id) : await reports.headByKey(engine, where.agencyId, where.year)
    // read after the version was: kept only under that version (a commit in between has moved it, and empties these)
    if (row !== undefined && version !== undefined && version === headsVersion) heads.set(key, row)
    return row
  }

  return {
    /** The current revision and document (its JSON text's bytes) of a report the reader may see (`visibility`; none: any). */
    async documentById(id: number, visibility?: Visibility): Promise<[number, Buffer] | undefined> {
      const row = await reports.bytesById(engine, engine.kind, id)
      return row && (await readable(row, visibility)) ? [row.revision, row.document] : undefined
    },
    /**
     * The revision of a report the reader may read, without its document (undefined when there is none for this
     * reader): all a conditional read needs to answer 304.
     */
    async currentRevision(
      where: { id: number } | { agencyId: number; year: number },
      visibility?: Visibility
    ): Promise<number | undefined> {
      const row = await headOf(where)
      return row && (await readable(row, visibility)) ? row.revision : undefined
    },
    async documentByKey(agencyId: number, year: number, visibility?: Visibility): Promise<[number, Buffer] | undefined> {
      const row = await reports.bytesByKey(engine, engine.kind, agencyId, year)
      return row && (await readable(row, visibility)) ? [row.revision, row.document] : undefined
    },
    get: (id: number) => reports.byId(engine, id),
    getByKey: (agencyId: number, year: number) => reports.byKey(engine, agencyId, year),
    list: (filter: ReportFilter) => reports.list(engine, filter),
    /** The page as JSON text, of the summaries the database stores as the serializer writes them (SQLite). */
    listText: engine.storesSummaries ? (filter: ReportFilter) => reports.listText(engine, filter) : undefined,

    /** The history: whole for a reader whose scope covers the report, its public revisions for the others. */
    async revisions(id: number, visibility?: Visibility): Promise<RevisionEntry[]> {
      const rows = await reports.revisions(engine, id)
      const shown = (await historyReadable(id, rows, visibility)) ? rows : rows.filter(isPublic)
      if (shown.length === 0) throw new NotFoundError(`Report ${id} has never existed.`)
      return shown
    },
    async revisionOf(id: number, revision: number, visibility?: Visibility): Promise<RevisionEntry & { document: string | null }> {
      const row = await reports.revision(engine, id, revision)
      if (!row || !(isPublic(row) || (await historyReadable(id, [row], visibility))))
        throw new NotFoundError(`Report ${id} has no revision ${revision}.`)
      return row
    },

    /** The stored findings of a report the reader may see (404 when it does not exist, or may not be read). */
    async findingsOfReport(id: number, ex: Executor = engine, visibility?: Visibility): Promise<StoredFinding[]> {
      const row = visibility ? await reports.byId(ex, id) : undefined
      if (visibility ? !row || !(await readable(row, visibility)) : !(await reports.exists(ex, id)))
        throw new NotFoundError(`Report ${id} does not exist.`)
      return findings.ofReport(ex, id)
    },

    /** Checks a document without storing it; with a stored agency, cross-report rules run against the stored neighbours. */
    async validate(doc: ReportInput): Promise<Finding[]> {
      const agency = doc.agencyId ? await reports.agencyKey(engine, doc.agencyId) : undefined
      return agency ? findingsOf(engine, doc, agency) : checkReport(doc)
    },

    create: (input: ReportInput, options: WriteOptions = {}) =>
      inTransaction((work) => write(work, input, 'create', '', undefined, options)),

    putByKey: (input: ReportInput, options: WriteOptions = {}) =>
      inTransaction((work) => write(work, input, 'upsert', '', undefined, options)),

    /** The natural-key upsert inside the caller's transaction (an import that may create the agency first). */
    putByKeyIn: (tx: Executor, input: ReportInput, options: WriteOptions = {}) =>
      unitOfWork(tx, (work) => write(work, input, 'upsert', '', undefined, options)),

    replaceById(
      id: number,
      input: Omit<ReportInput, 'agencyId' | 'year'> & Partial<ReportInput>,
      options: WriteOptions = {}
    ): Promise<WriteResult> {
      return inTransaction(async (work) => {
        const current = await requireReport(work.tx, id)
        const errors: FieldError[] = []
        if (input.agencyId !== undefined && input.agencyId !== current.agencyId) {
          errors.push({
            pointer: '/agencyId',
            message: `report ${id} belongs to agency ${current.agencyId}; omit agencyId or send ${current.agencyId}`
          })
        }
        if (input.year !== undefined && input.year !== current.year) {
          errors.push({ pointer: '/year', message: `report ${id} is for ${current.year}; omit year or send ${current.year}` })
        }
        if (errors.length) throw unprocessable('The body names another report than the URL.', errors)
        return write(work, { ...input, agencyId: current.agencyId, year: current.year } as ReportInput, 'replace', '', id, options)
      })
    },

    /** Up to 1 000 reports upserted by natural key, all or nothing. */
    async batch(
      inputs: ReportInput[],
      options: WriteOptions = {}
    ): Promise<Array<{ index: number; id: number; status: WriteResult['status'] }>> {
      const seen = new Map<string, number>()
      const errors: FieldError[] = []
      inputs.forEach((input, index) => {
        const key = `${input.agencyId}/${input.year}`
        const first = seen.get(key)
        if (first !== undefined) errors.push({ pointer: `/reports/${index}`, message: `same agency and year as /reports/${first}` })
        else seen.set(key, index)
      })
      if (errors.length) throw unprocessable('The batch names one report twice; nothing was written.', errors)
      return inTransaction(async (work) => {
        await readAhead(work, inputs)
        const items = []
        for (const [index, input] of inputs.entries()) {
          const result = await write(work, input, 'upsert', `/reports/${index}`, undefined, options)
          items.push({ index, id: result.id, status: result.status })
          // what is kept back goes in a few hundred reports at a time: a batch's memory stays that of a few hundred
          if (work.out.revisions.length >= flushEvery(work.tx)) await flushWrites(work)
        }
        if (work.refused?.length)
          throw unprocessable('Some reports have error findings and strict mode is on; nothing was written. See errors.', work.refused)
        return items
      }, true)
    },

    /**
     * Moves a report along its life (TRANSITIONS): 409 when its state does not allow the move, 403 when the key
     * may not make it, 422 when a return has no comment or a submission meets the gate. The new state is a new
     * revision of the same document, recorded in the history with who, when and why.
     */
    transition: (id: number, to: ReportState, options: { comment?: string; actor?: Actor; ifMatch?: number } = {}) =>
      inTransaction((work) => transition(work, id, to, options)),

    /** A correction (更正) of an accepted report: a new accepted revision carrying its reason. */
    correct(
      id: number,
      input: Omit<ReportInput, 'agencyId' | 'year'> & Partial<ReportInput>,
      reason: string,
      options: WriteOptions = {}
    ): Promise<WriteResult> {
      return inTransaction(async (work) => {
        const current = await requireReport(work.tx, id)
        const errors: FieldError[] = []
        if (input.agencyId !== undefined && input.agencyId !== current.agencyId)
          errors.push({ pointer: '/report/agencyId', message: `report ${id} belongs to agency ${current.agencyId}` })
        if (input.year !== undefined && input.year !== current.year)
          errors.push({ pointer: '/report/year', message: `report ${id} is for ${current.year}` })
        if (errors.length) throw unprocessable('The body names another report than the URL.', errors)
        return write(work, { ...input, agencyId: current.agencyId, year: current.year } as ReportInput, 'replace', '/report', id, {
          ...options,
          correction: reason
        })
      })
    },

    /** Reviews a stored finding: confirmed or dismissed by a reviewer, explained by a submitter (README). */
    reviewFinding: (findingId: number, decision: { status: ReviewStatus; reason?: string }, actor: Actor = SYSTEM_ACTOR) =>
      engine.transaction((tx) => reviewFinding(tx, findingId, decision, actor)),

    remove: (id: number, options: Pick<WriteOptions, 'actor' | 'ifMatch'> = {}) => engine.transaction((tx) => remove(tx, id, options)),
    /** A delete inside the caller's transaction (tools that delete many reports at once). */
    removeIn: (tx: Executor, id: number, options: Pick<WriteOptions, 'actor' | 'ifMatch'> = {}) => remove(tx, id, options)
  }

  function remove(tx: Executor, id: number, options: Pick<WriteOptions, 'actor' | 'ifMatch'>): Promise<void> {
    return unitOfWork(tx, async (work) => {
      const current = await requireReport(tx, id)
      const doc = JSON.parse(current.document) as ReportInput
      const agency = await agencyOf(work, current.agencyId, '/agencyId')
      const actor = options.actor ?? SYSTEM_ACTOR
      actor.check({ id: agency.id, regionCode: agency.regionCode })
      if (options.ifMatch !== undefined && options.ifMatch !== current.revision) {
        throw preconditionFailed(
          `Report ${id} is at revision ${current.revision}, not ${options.ifMatch}: re-read it and retry.`,
          current.revision
        )
      }
      work.rollup.add(keyOf(agency, doc, current.state), await reports.readCells(tx, id), -1)
      await reports.delete(tx, id)
      // the tombstone: the history outlives the report
      await reports.insertRevision(tx, {
        reportId: id,
        revision: current.revision + 1,
        operation: 'deleted',
        document: null,
        keyId: actor.keyId,
        keyName: actor.keyName,
        writtenAt: clock().toISOString(),
        state: null,
        fromState: current.state
      })
      await changes.record(tx, { kind: 'report.deleted', reportId: id, agencyId: agency.id, revision: current.revision + 1 })
      work.written.add(id)
      await touchNeighbours(work, agency, current.year, doc.scope)
    })
  }
  async function transition(
    work: Work,
    id: number,
    to: ReportState,
    options: { comment?: string; actor?: Actor; ifMatch?: number }
  ): Promise<TransitionResult> {
    const { tx } = work
    const actor = options.actor ?? SYSTEM_ACTOR
    const current = await requireReport(tx, id)
    const agency = await agencyOf(work, current.agencyId, '/agencyId')
    const from = current.state
    if (!TRANSITIONS[from].includes(to)) {
      const allowed = TRANSITIONS[from]
      throw new ConflictError(
        from === 'accepted'
          ? `Report ${id} is accepted: it changes only by a correction (POST /v1/reports/${id}/corrections).`
          : `Report ${id} is ${from}: it may go to ${allowed.join(' or ')}, not to ${to}.`
      )
    }
    const subject = { id: agency.id, regionCode: agency.regionCode }
    if (to === 'accepted' || to === 'returned') {
      if (!actor.mayReview(subject)) {
        throw new ForbiddenError(
          `Key “${actor.keyName}” may not ${to === 'accepted' ? 'accept' : 'return'} reports of agency ${agency.id} in region ${agency.regionCode}: that is a reviewer’s.`
        )
      }
      if (actor.keyId !== null && actor.keyId === current.submittedBy) {
        throw new ForbiddenError(`Key “${actor.keyName}” submitted report ${id}: another key must review it.`)
      }
    } else if (actor.role === 'reviewer' || !actor.may(subject)) {
      throw new ForbiddenError(
        `Key “${actor.keyName}” may not ${to === 'submitted' ? 'submit' : 'withdraw or reopen'} reports of agency ${agency.id} in region ${agency.regionCode}.`
      )
    }
    if (options.ifMatch !== undefined && options.ifMatch !== current.revision) {
      throw preconditionFailed(
        `Report ${id} is at revision ${current.revision}, not ${options.ifMatch}: re-read it and retry.`,
        current.revision
      )
    }
    const comment = options.comment?.trim() ? options.comment : null
    if (to === 'returned' && comment === null) {
      throw unprocessable('A returned report needs a comment saying what to change.', [
        { pointer: '/comment', message: 'is required when returning a report' }
      ])
    }
    if (to === 'submitted') await gate(tx, id)

    const now = clock().toISOString()
    const revision = current.revision + 1
    const doc = JSON.parse(current.document) as Record<string, unknown>
    doc.revision = revision
    doc.updatedAt = now
    doc.state = to
    const document = JSON.stringify(doc)
    await reports.setState(tx, id, { state: to, revision, now, submittedBy: actor.keyId })
    await reports.insertRevision(tx, {
      reportId: id,
      revision,
      operation: 'transition',
      document,
      keyId: actor.keyId,
      keyName: actor.keyName,
      writtenAt: now,
      state: to,
      fromState: from,
      comment
    })
    await changes.record(tx, { kind: 'report.state', reportId: id, agencyId: agency.id, revision, state: to, at: now })
    // the roll-up moves the report's sums from its old state to its new one, in this transaction
    const input = doc as unknown as ReportInput
    const cells = await reports.readCells(tx, id)
    work.rollup.add(keyOf(agency, input, from), cells, -1)
    work.rollup.add(keyOf(agency, input, to), cells, 1)
    if (to === 'accepted') {
      // now counted by dashboards and by the checks of the reports that read accepted sums (AG-01, AG-02)
      work.written.add(id)
      await touchNeighbours(work, agency, current.year, input.scope, id)
    }
    return { id, revision, state: to, document }
  }

  /** The gate: a report is submitted only when each of its error findings is explained (情况说明) or dismissed. */
  async function gate(tx: Executor, id: number) {
    const open = (await findings.ofReport(tx, id)).filter(
      (f) => f.severity === 'error' && !(f.review?.explanation ?? null) && f.status !== 'dismissed'
    )
    if (open.length === 0) return
    throw unprocessable(
      `Report ${id} has ${open.length} error finding(s) without an explanation: explain each (PATCH /v1/findings/{id} with { "status": "explained", "reason": … }) before submitting.`,
      open.map((f) => ({
        pointer: `/findings/${f.id}`,
        message: f.message,
        rule: f.rule,
        cells: f.cells,
        expected: f.expected,
        actual: f.actual
      }))
    )
  }

  async function reviewFinding(tx: Executor, findingId: number, decision: { status: ReviewStatus; reason?: string }, actor: Actor) {
    const finding = await findings.byId(tx, findingId)
    if (!finding)
      throw new NotFoundError(
        `Finding ${findingId} does not exist (ids change when a report is re-checked: list the report's findings again).`
      )
    const report = (await reports.byId(tx, finding.reportId))!
    const agency = await reports.agencyKey(tx, report.agencyId)
    if (!agency) throw new NotFoundError(`Agency ${report.agencyId} does not exist.`)
    const subject = { id: agency.id, regionCode: agency.regionCode }
    const reason = decision.reason?.trim() ? decision.reason : null
    if (decision.status === 'explained') {
      if (actor.role === 'reviewer' || !actor.may(subject)) {
        throw new ForbiddenError(`Key “${actor.keyName}” may not explain findings of agency ${agency.id}: that is its submitter’s.`)
      }
    } else if (!actor.mayReview(subject)) {
      throw new ForbiddenError(
        `Key “${actor.keyName}” may not ${decision.status === 'confirmed' ? 'confirm' : 'dismiss'} findings of agency ${agency.id}: that is a reviewer’s.`
      )
    }
    if (reason === null && decision.status !== 'confirmed') {
      throw unprocessable(`A finding ${decision.status} needs a reason.`, [
        { pointer: '/reason', message: `is required when the status is ${decision.status}` }
      ])
    }
    const now = clock().toISOString()
    const previous = await findings.review(tx, finding.reportId, finding.fingerprint)
    // an explanation stays while the figures it explains do
    const kept = previous && previous.valuesKey === finding.valuesKey ? previous.explanation : null
    await findings.saveReview(tx, {
      reportId: finding.reportId,
      fingerprint: finding.fingerprint,
      valuesKey: finding.valuesKey,
      status: decision.status,
      reason,
      explanation: decision.status === 'explained' ? reason : kept,
      keyId: actor.keyId,
      keyName: actor.keyName,
      reviewedAt: now
    })
    await changes.record(tx, {
      kind: 'finding.reviewed',
      reportId: finding.reportId,
      agencyId: agency.id,
      revision: report.revision,
      state: report.state,
      fingerprint: finding.fingerprint,
      at: now
    })
    const { valuesKey: _v, ...stored } = (await findings.byId(tx, findingId))!
    return stored
  }
}
export type ReportService = ReturnType<typeof createReportService>
