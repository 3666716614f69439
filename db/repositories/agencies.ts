// Agency rows: reads by id, USCC and name, inserts and updates, the counts that guard a delete, and
// filtered keyset lists. Every function takes the executor it runs on; what a change means (validation,
// scopes, moving an agency's reports in the roll-up) is decided in src/agencies/.
import type { Executor, SqlValue } from '../engines/engine.js'
import { decodeCursor, encodeCursor, keyset, type SortSpec } from '../../src/pagination.js'
import { createConditions, pageOf } from './sql.js'

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

const COLUMNS = `id, name, region_code AS "regionCode", level, kind, uscc, parent_id AS "parentId", revision,
  created_at AS "createdAt", updated_at AS "updatedAt"`

export const AGENCY_SORTS: Record<string, SortSpec> = {
  id: { name: 'id', column: 'id', desc: false },
  '-id': { name: '-id', column: 'id', desc: true },
  name: { name: 'name', column: 'name', desc: false },
  '-name': { name: '-name', column: 'name', desc: true }
}

const SQL = {
  byId: `SELECT ${COLUMNS} FROM agencies WHERE id = ?`,
  byUscc: 'SELECT id FROM agencies WHERE uscc = ?',
  byName: `SELECT ${COLUMNS} FROM agencies WHERE name = ? ORDER BY id`,
  insert: `INSERT INTO agencies (name, region_code, level, kind, uscc, parent_id, revision, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?) RETURNING ${COLUMNS}`,
  update: `UPDATE agencies SET name = ?, region_code = ?, level = ?, kind = ?, uscc = ?, parent_id = ?, revision = revision + 1,
     updated_at = ? WHERE id = ? RETURNING ${COLUMNS}`,
  remove: 'DELETE FROM agencies WHERE id = ?',
  reportCount: 'SELECT count(*) AS n FROM reports WHERE agency_id = ?',
  childCount: 'SELECT count(*) AS n FROM agencies WHERE parent_id = ?',
  count: 'SELECT count(*) AS n FROM agencies'
}

export function createAgencyRepository() {
  return {
    get: (ex: Executor, id: number) => ex.get<Agency>(SQL.byId, [id]),
    async idByUscc(ex: Executor, uscc: string): Promise<number | undefined> {
      return (await ex.get<{ id: number }>(SQL.byUscc, [uscc]))?.id
    },
    byName: (ex: Executor, name: string) => ex.all<Agency>(SQL.byName, [name]),
    async insert(ex: Executor, input: AgencyInput, now: string): Promise<Agency> {
      return (await ex.get<Agency>(SQL.insert, [
        input.name,
        input.regionCode,
        input.level,
        input.kind,
        input.uscc ?? null,
        input.parentId ?? null,
        now,
        now
      ]))!
    },
    async update(ex: Executor, id: number, next: AgencyInput, now: string): Promise<Agency> {
      return (await ex.get<Agency>(SQL.update, [
        next.name,
        next.regionCode,
        next.level,
        next.kind,
        next.uscc ?? null,
        next.parentId ?? null,
        now,
        id
      ]))!
    },
    async delete(ex: Executor, id: number): Promise<void> {
      await ex.run(SQL.remove, [id])
    },
    reportCount: async (ex: Executor, id: number) => (await ex.get<{ n: number }>(SQL.reportCount, [id]))!.n,
    childCount: async (ex: Executor, id: number) => (await ex.get<{ n: number }>(SQL.childCount, [id]))!.n,
    count: async (ex: Executor) => (await ex.get<{ n: number }>(SQL.count))!.n,

    async list(ex: Executor, filter: AgencyFilter): Promise<{ items: Agency[]; next: string | null }> {
      const sort = AGENCY_SORTS[filter.sort ?? 'id']
      const after = decodeCursor(filter.cursor, sort.name)
      const c = createConditions()
      // "name contains q", case-sensitive, in SQL both engines read alike (neither instr nor strpos is portable)
      c.eq("replace(name, ?, '') <> name", filter.q)
      c.region('region_code', filter.regionCode)
      c.eq('level = ?', filter.level)
      c.eq('kind = ?', filter.kind)
      const page = keyset(sort, after)
      c.add(page.where, ...page.params)
      const sql = `SELECT ${COLUMNS} FROM agencies ${c.toSql()} ORDER BY ${page.order} LIMIT ?`
      const rows = await ex.all<Agency>(sql, [...c.params, filter.limit + 1] as SqlValue[])
      return pageOf(rows, filter.limit, (last) =>
        encodeCursor({ s: sort.name, v: sort.column === 'name' ? last.name : last.id, id: last.id })
      )
    }
  }
}
export type AgencyRepository = ReturnType<typeof createAgencyRepository>
