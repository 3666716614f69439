// Agencies: CRUD, filtered keyset lists, and keeping the roll-up right when an agency's region, level or
import type Database from 'better-sqlite3'
// kind changes (its reports move to another roll-up key).
import type { Db } from '../client.js'
import { ConflictError, ForbiddenError, NotFoundError, preconditionFailed, unprocessable } from '../../src/errors.js'
import { SYSTEM_ACTOR, type Actor } from '../../src/auth/keys.js'
import { decodeCursor, encodeCursor, keyset, type SortSpec } from '../../src/pagination.js'
import { createConditions, createStatementCache, pageOf } from './sql.js'
import { isValidRegionCode } from '../../src/regions/index.js'
import { plainLineFault } from '../../src/schemas/text.js'
import type { Rollup } from './rollup.js'
import type { ReportRepository } from './reports.js'

export interface Agency {
  id: number
  name: string
  regionCode: string
  level: string
  kind: string
  uscc: string | null
  parentId: number | null
  revision: number
  createdAt: string
  updatedAt: string
}

export interface AgencyInput {
  name: string
  regionCode: string
  level: string
  kind: string
  uscc?: string | null
  parentId?: number | null
}

export interface AgencyFilter {
  q?: string
  regionCode?: string
  level?: string
  kind?: string
  limit: number
  cursor?: string
  sort?: string
}

const COLUMNS = `id, name, region_code AS regionCode, level, kind, uscc, parent_id AS parentId, revision,
  created_at AS createdAt, updated_at AS updatedAt`

export const AGENCY_SORTS: Record<string, SortSpec> = {
  id: { name: 'id', column: 'id', desc: false },
  '-id': { name: '-id', column: 'id', desc: true },
  name: { name: 'name', column: 'name', desc: false },
  '-name': { name: '-name', column: 'name', desc: true }
}

export function createAgencyRepository(db: Db, deps: { rollup: Rollup; store: ReportRepository }) {
  const sqlite = db.$client
  const byId = sqlite.prepare(`SELECT ${COLUMNS} FROM agencies WHERE id = ?`)
  const byUscc = sqlite.prepare('SELECT id FROM agencies WHERE uscc = ?')
  const byName = sqlite.prepare(`SELECT ${COLUMNS} FROM agencies WHERE name = ? ORDER BY id`)
  const insert = sqlite.prepare(
    `INSERT INTO agencies (name, region_code, level, kind, uscc, parent_id, revision, created_at, updated_at)
     VALUES (@name, @regionCode, @level, @kind, @uscc, @parentId, 1, @now, @now) RETURNING ${COLUMNS}`
  )
  const update = sqlite.prepare(
    `UPDATE agencies SET name = @name, region_code = @regionCode, level = @level, kind = @kind, uscc = @uscc,
     parent_id = @parentId, revision = revision + 1, updated_at = @now WHERE id = @id RETURNING ${COLUMNS}`
  )
  const remove = sqlite.prepare('DELETE FROM agencies WHERE id = ?')
  const reportCount = sqlite.prepare('SELECT count(*) AS n FROM reports WHERE agency_id = ?')
  const childCount = sqlite.prepare('SELECT count(*) AS n FROM agencies WHERE parent_id = ?')
  const statement = createStatementCache(sqlite)

  function get(id: number): Agency | undefined {
    return byId.get(id) as Agency | undefined
  }

  function require(id: number): Agency {
    const agency = get(id)
    if (!agency) throw new NotFoundError(`Agency ${id} does not exist.`)
    return agency
  }

  /**
   * Checks what the schema cannot: a known region code, a unique USCC, an existing parent that is not itself;
   * and, for names that reach here without the schema (an imported report's agency), one line of plain text.
   */
  function validate(input: AgencyInput, id?: number, actor: Actor = SYSTEM_ACTOR) {
    const errors = []
    const nameFault = plainLineFault(input.name)
    if (nameFault) errors.push({ pointer: '/name', message: nameFault })
    if (!isValidRegionCode(input.regionCode)) {
      errors.push({ pointer: '/regionCode', message: `${input.regionCode} is not a GB/T 2260 region code` })
    }
    if (input.parentId != null) {
      if (input.parentId === id) errors.push({ pointer: '/parentId', message: 'an agency cannot be its own parent' })
      else if (!get(input.parentId)) errors.push({ pointer: '/parentId', message: `agency ${input.parentId} does not exist` })
      else if (id !== undefined && isAncestor(id, input.parentId)) {
        errors.push({ pointer: '/parentId', message: `agency ${input.parentId} is below agency ${id}: that would make a cycle` })
      }
    }
    if (errors.length) throw unprocessable('The agency is invalid; see errors.', errors)
    if (input.uscc) {
      const other = byUscc.get(input.uscc) as { id: number } | undefined
      if (other && other.id !== id) {
        // an agency outside the key's scope is not named
        const visible = actor.may(get(other.id)!)
        throw new ConflictError(
          visible
            ? `Agency ${other.id} already has 统一社会信用代码 ${input.uscc}.`
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
  function checkReferences(actor: Actor, next: AgencyInput, current?: Agency) {
    if (next.parentId != null && next.parentId !== current?.parentId) {
      const parent = get(next.parentId)
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

  function isAncestor(id: number, of: number): boolean {
    let current: Agency | undefined = get(of)
    for (let depth = 0; current && depth < 100; depth++) {
      if (current.parentId === id) return true
      current = current.parentId ? get(current.parentId) : undefined
    }
    return false
  }

  function checkRevision(agency: Agency, ifMatch: number | undefined) {
    if (ifMatch !== undefined && ifMatch !== agency.revision) {
      throw preconditionFailed(`Agency ${agency.id} is at revision ${agency.revision}, not ${ifMatch}: re-read it and retry.`, agency.revision)
    }
  }

  function create(input: AgencyInput, actor: Actor = SYSTEM_ACTOR): Agency {
    return sqlite.transaction(() => {
      actor.check({ regionCode: input.regionCode })
      checkReferences(actor, input)
      validate(input, undefined, actor)
      return insert.get({
        name: input.name,
        regionCode: input.regionCode,
        level: input.level,
        kind: input.kind,
        uscc: input.uscc ?? null,
        parentId: input.parentId ?? null,
        now: new Date().toISOString()
      }) as Agency
    })()
  }

  function patch(id: number, changes: Partial<AgencyInput>, opts: { actor?: Actor; ifMatch?: number } = {}): Agency {
    return sqlite.transaction(() => {
      const current = require(id)
      const actor = opts.actor ?? SYSTEM_ACTOR
      actor.check(current)
      checkRevision(current, opts.ifMatch)
      const next = { ...current, ...changes }
      // the destination of a move is asked as a region: a key for this agency alone covers no other region
      if (next.regionCode !== current.regionCode) actor.check({ regionCode: next.regionCode })
      checkReferences(actor, next, current)
      validate(next, id, actor)
      const moved = next.regionCode !== current.regionCode || next.level !== current.level || next.kind !== current.kind
      if (moved) deps.store.moveAgencyRollup(current, { ...next, id })
      return update.get({ ...next, uscc: next.uscc ?? null, parentId: next.parentId ?? null, id, now: new Date().toISOString() }) as Agency
    })()
  }

  function remove_(id: number, opts: { actor?: Actor; ifMatch?: number } = {}): void {
    sqlite.transaction(() => {
      const current = require(id)
      ;(opts.actor ?? SYSTEM_ACTOR).check(current)
      checkRevision(current, opts.ifMatch)
      const { n } = reportCount.get(id) as { n: number }
      if (n > 0) throw new ConflictError(`Agency ${id} has ${n} report(s); delete them first.`)
      const { n: children } = childCount.get(id) as { n: number }
      if (children > 0) throw new ConflictError(`Agency ${id} is the parent of ${children} agency(ies); move or delete them first.`)
      remove.run(id)
    })()
  }

  function list(filter: AgencyFilter): { items: Agency[]; next: string | null } {
    const sort = AGENCY_SORTS[filter.sort ?? 'id']
    const after = decodeCursor(filter.cursor, sort.name)
    const c = createConditions()
    c.eq('instr(name, ?) > 0', filter.q)
    c.region('region_code', filter.regionCode)
    c.eq('level = ?', filter.level)
    c.eq('kind = ?', filter.kind)
    const page = keyset(sort, after)
    c.add(page.where, ...page.params)
    const sql = `SELECT ${COLUMNS} FROM agencies ${c.toSql()} ORDER BY ${page.order} LIMIT ?`
    const rows = statement(sql).all(...c.params, filter.limit + 1) as Agency[]
    return pageOf(rows, filter.limit, (last) => encodeCursor({ s: sort.name, v: sort.column === 'name' ? last.name : last.id, id: last.id }))
  }

  function findByName(name: string): Agency[] {
    return byName.all(name) as Agency[]
  }

  return { get, require, create, patch, remove: remove_, list, findByName }
}
export type AgencyRepository = ReturnType<typeof createAgencyRepository>
