// What happens when an agency is created, changed or deleted: the checks the schema cannot make (a known
// region code, a unique USCC, an existing parent that makes no cycle), the writer's scope, If-Match, and —
// when its region, level or kind changes — its reports moved to their new roll-up key, all in one
// transaction.
import type { Engine, Executor } from '../../db/engines/engine.js'
import type { Agency, AgencyFilter, AgencyInput, AgencyRepository } from '../../db/repositories/agencies.js'
import type { ReportRepository } from '../../db/repositories/reports.js'
import type { Rollup } from '../../db/repositories/rollup.js'
import type { ChangeLog } from '../../db/repositories/changes.js'
import { SYSTEM_ACTOR, type Actor } from '../auth/keys.js'
import { ConflictError, ForbiddenError, NotFoundError, preconditionFailed, unprocessable, type FieldError } from '../errors.js'
import { isValidRegionCode } from '../regions/index.js'
import { plainLineFault } from '../schemas/text.js'

export interface AgencyServiceDeps {
  agencies: AgencyRepository
  reports: ReportRepository
  rollup: Rollup
  changes: ChangeLog
}

export function createAgencyService(engine: Engine, { agencies, reports, rollup, changes: changeLog }: AgencyServiceDeps) {
  async function require(ex: Executor, id: number): Promise<Agency> {
    const agency = await agencies.get(ex, id)
    if (!agency) throw new NotFoundError(`Agency ${id} does not exist.`)
    return agency
  }

  async function isAncestor(ex: Executor, id: number, of: number): Promise<boolean> {
    let current = await agencies.get(ex, of)
    for (let depth = 0; current && depth < 100; depth++) {
      if (current.parentId === id) return true
      current = current.parentId ? await agencies.get(ex, current.parentId) : undefined
    }
    return false
  }

  /**
   * Checks what the schema cannot: a known region code, a unique USCC, an existing parent that is not itself;
   * and, for names that reach here without the schema (an imported report's agency), one line of plain text.
   */
  async function validate(ex: Executor, input: AgencyInput, id?: number, actor: Actor = SYSTEM_ACTOR) {
    const errors: FieldError[] = []
    const nameFault = plainLineFault(input.name)
    if (nameFault) errors.push({ pointer: '/name', message: nameFault })
    if (!isValidRegionCode(input.regionCode)) {
      errors.push({ pointer: '/regionCode', message: `${input.regionCode} is not a GB/T 2260 region code` })
    }
    if (input.parentId != null) {
      if (input.parentId === id) errors.push({ pointer: '/parentId', message: 'an agency cannot be its own parent' })
      else if (!(await agencies.get(ex, input.parentId)))
        errors.push({ pointer: '/parentId', message: `agency ${input.parentId} does not exist` })
      else if (id !== undefined && (await isAncestor(ex, id, input.parentId))) {
        errors.push({ pointer: '/parentId', message: `agency ${input.parentId} is below agency ${id}: that would make a cycle` })
      }
    }
    if (errors.length) throw unprocessable('The agency is invalid; see errors.', errors)
    if (input.uscc) {
      const other = await agencies.idByUscc(ex, input.uscc)
      if (other !== undefined && other !== id) {
        // an agency outside the key's scope is not named
        const visible = actor.may((await agencies.get(ex, other))!)
        throw new ConflictError(
          visible
            ? `Agency ${other} already has 统一社会信用代码 ${input.uscc}.`
            : `统一社会信用代码 ${input.uscc} is already registered to an agency outside the scope of this key; ask an administrator.`
        )
      }
    }
  }

  /**
   * References a write makes to what lies outside the agency itself, which the key must cover too:
   * - a parent: naming another region's agency as parent would block that agency's deletion;
   * - a USCC: its characters 3–8 are the region code of the authority that issued it (GB 32100-2015). A
   *   submitter may claim only a USCC issued in a region it may write, or in the agency's own region, so
   *   that no one can take another region's codes first. Checked before the USCC's uniqueness, so a refused
   *   key learns nothing about which foreign codes are taken.
   * Only a changed reference is checked: an admin's choice stays valid under a submitter's later edits.
   */
  async function checkReferences(ex: Executor, actor: Actor, next: AgencyInput, current?: Agency) {
    if (next.parentId != null && next.parentId !== current?.parentId) {
      const parent = await agencies.get(ex, next.parentId)
      if (parent && !actor.may(parent)) {
        throw new ForbiddenError(`The parent, agency ${parent.id} in region ${parent.regionCode}, is outside what this key may write.`)
      }
    }
    if (next.uscc && next.uscc !== current?.uscc) {
      const issuedIn = next.uscc.slice(2, 8)
      if (issuedIn !== next.regionCode && !actor.may({ regionCode: issuedIn })) {
        throw new ForbiddenError(
          `统一社会信用代码 ${next.uscc} was issued in region ${issuedIn}: only a key for that region, or an admin, may give it to an agency.`
        )
      }
    }
  }

  function checkRevision(agency: Agency, ifMatch: number | undefined) {
    if (ifMatch !== undefined && ifMatch !== agency.revision) {
      throw preconditionFailed(
        `Agency ${agency.id} is at revision ${agency.revision}, not ${ifMatch}: re-read it and retry.`,
        agency.revision
      )
    }
  }

  /** Creates an agency inside the caller's transaction. */
  async function createIn(tx: Executor, input: AgencyInput, actor: Actor = SYSTEM_ACTOR): Promise<Agency> {
    actor.check({ regionCode: input.regionCode })
    await checkReferences(tx, actor, input)
    await validate(tx, input, undefined, actor)
    const created = await agencies.insert(tx, input, new Date().toISOString())
    await changeLog.record(tx, { kind: 'agency.written', agencyId: created.id, at: created.updatedAt })
    return created
  }

  /** Moves an agency's reports (each under its state) to another roll-up key (its region, level or kind changed). */
  async function moveReports(tx: Executor, from: Agency, to: AgencyInput) {
    for (const r of await reports.ofAgency(tx, from.id)) {
      const cells = await reports.readCells(tx, r.id)
      await rollup.apply(tx, { ...r, regionCode: from.regionCode, level: from.level, kind: from.kind }, cells, -1)
      await rollup.apply(tx, { ...r, regionCode: to.regionCode, level: to.level, kind: to.kind }, cells, 1)
    }
  }

  return {
    get: (id: number) => agencies.get(engine, id),
    require: (id: number) => require(engine, id),
    list: (filter: AgencyFilter) => agencies.list(engine, filter),
    findByName: (name: string) => agencies.byName(engine, name),
    requireIn: require,
    findByNameIn: (tx: Executor, name: string) => agencies.byName(tx, name),
    createIn,
    create: (input: AgencyInput, actor: Actor = SYSTEM_ACTOR) => engine.transaction((tx) => createIn(tx, input, actor)),

    patch(id: number, changes: Partial<AgencyInput>, opts: { actor?: Actor; ifMatch?: number } = {}): Promise<Agency> {
      return engine.transaction(async (tx) => {
        const current = await require(tx, id)
        const actor = opts.actor ?? SYSTEM_ACTOR
        actor.check(current)
        checkRevision(current, opts.ifMatch)
        const next = { ...current, ...changes }
        // the destination of a move is asked as a region: a key for this agency alone covers no other region
        if (next.regionCode !== current.regionCode) actor.check({ regionCode: next.regionCode })
        await checkReferences(tx, actor, next, current)
        await validate(tx, next, id, actor)
        const moved = next.regionCode !== current.regionCode || next.level !== current.level || next.kind !== current.kind
        if (moved) await moveReports(tx, current, next)
        if (next.regionCode !== current.regionCode) await reports.setRegionOfAgency(tx, id, next.regionCode)
        const updated = await agencies.update(tx, id, next, new Date().toISOString())
        await changeLog.record(tx, { kind: 'agency.written', agencyId: id, at: updated.updatedAt })
        return updated
      })
    },

    remove(id: number, opts: { actor?: Actor; ifMatch?: number } = {}): Promise<void> {
      return engine.transaction(async (tx) => {
        const current = await require(tx, id)
        ;(opts.actor ?? SYSTEM_ACTOR).check(current)
        checkRevision(current, opts.ifMatch)
        const n = await agencies.reportCount(tx, id)
        if (n > 0) throw new ConflictError(`Agency ${id} has ${n} report(s); delete them first.`)
        const children = await agencies.childCount(tx, id)
        if (children > 0) throw new ConflictError(`Agency ${id} is the parent of ${children} agency(ies); move or delete them first.`)
        await agencies.delete(tx, id)
        await changeLog.record(tx, { kind: 'agency.deleted', agencyId: id })
      })
    }
  }
}
export type AgencyService = ReturnType<typeof createAgencyService>
