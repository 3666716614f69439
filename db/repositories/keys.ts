// Stored API keys: created (the key is returned once), listed without secrets, revoked. Only the hash of a
// key is stored.
import type { Executor } from '../engines/engine.js'
import { hashKey, keyMatches, type ApiKey, type Role } from '../../src/auth/keys.js'

export interface KeyRecord extends ApiKey {
  createdAt: string
  revokedAt: string | null
}

interface Row {
  id: number
  name: string
  role: Role
  regions: string
  agencies: string
  secretHash: string
  createdAt: string
  revokedAt: string | null
}

const toRecord = (r: Row): KeyRecord => ({
  id: r.id,
  name: r.name,
  role: r.role,
  regions: JSON.parse(r.regions) as string[],
  agencies: JSON.parse(r.agencies) as number[],
  createdAt: r.createdAt,
  revokedAt: r.revokedAt
})

const COLUMNS = `id, name, role, regions, agencies, secret_hash AS "secretHash", created_at AS "createdAt", revoked_at AS "revokedAt"`
const SQL = {
  insert: `INSERT INTO api_keys (name, role, regions, agencies, secret_hash, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING ${COLUMNS}`,
  byId: `SELECT ${COLUMNS} FROM api_keys WHERE id = ?`,
  byHash: `SELECT ${COLUMNS} FROM api_keys WHERE secret_hash = ?`,
  all: `SELECT ${COLUMNS} FROM api_keys ORDER BY id`,
  revoke: 'UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL',
  count: 'SELECT count(*) AS n FROM api_keys'
}

export function createKeyRepository() {
  return {
    /** Stores a key by its hash; `key` is the secret, returned with the record and never stored. */
    async create(ex: Executor, input: { name: string; role: Role; regions?: string[]; agencies?: number[] }, key: string) {
      const row = (await ex.get<Row>(SQL.insert, [
        input.name,
        input.role,
        JSON.stringify(input.regions ?? []),
        JSON.stringify(input.agencies ?? []),
        hashKey(key),
        new Date().toISOString()
      ]))!
      return { ...toRecord(row), key }
    },
    /** The live key a bearer token is, or undefined. */
    async authenticate(ex: Executor, token: string): Promise<ApiKey | undefined> {
      const row = await ex.get<Row>(SQL.byHash, [hashKey(token)])
      if (!row || row.revokedAt !== null || !keyMatches(token, row.secretHash)) return undefined
      return toRecord(row)
    },
    list: async (ex: Executor) => (await ex.all<Row>(SQL.all)).map(toRecord),
    async get(ex: Executor, id: number): Promise<KeyRecord | undefined> {
      const row = await ex.get<Row>(SQL.byId, [id])
      return row ? toRecord(row) : undefined
    },
    /** Marks a key revoked (a revoked key stays revoked at its first time). */
    async revoke(ex: Executor, id: number): Promise<void> {
      await ex.run(SQL.revoke, [new Date().toISOString(), id])
    },
    count: async (ex: Executor) => (await ex.get<{ n: number }>(SQL.count))!.n
  }
}
export type KeyRepository = ReturnType<typeof createKeyRepository>
