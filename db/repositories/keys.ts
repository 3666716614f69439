// Stored API keys: created (the key is returned once), listed without secrets, revoked.
import type Database from 'better-sqlite3'
import { NotFoundError } from '../../src/errors.js'
import { hashKey, keyMatches, newKey, type ApiKey, type Role } from '../../src/auth/keys.js'

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

export function createKeyRepository(sqlite: Database.Database) {
  const columns = `id, name, role, regions, agencies, secret_hash AS secretHash, created_at AS createdAt, revoked_at AS revokedAt`
  const insert = sqlite.prepare(
    `INSERT INTO api_keys (name, role, regions, agencies, secret_hash, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING ${columns}`
  )
  const byId = sqlite.prepare(`SELECT ${columns} FROM api_keys WHERE id = ?`)
  const byHash = sqlite.prepare(`SELECT ${columns} FROM api_keys WHERE secret_hash = ?`)
  const all = sqlite.prepare(`SELECT ${columns} FROM api_keys ORDER BY id`)
  const revoke = sqlite.prepare('UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL')
  const count = sqlite.prepare('SELECT count(*) FROM api_keys').pluck()

  /** Creates a key; `key` is given only for a bootstrap key whose value the deployment chose. */
  function create(input: { name: string; role: Role; regions?: string[]; agencies?: number[] }, key = newKey()) {
    const row = insert.get(
      input.name,
      input.role,
      JSON.stringify(input.regions ?? []),
      JSON.stringify(input.agencies ?? []),
      hashKey(key),
      new Date().toISOString()
    ) as Row
    return { ...toRecord(row), key }
  }

  /** The live key a bearer token is, or undefined. */
  function authenticate(token: string): ApiKey | undefined {
    const row = byHash.get(hashKey(token)) as Row | undefined
    if (!row || row.revokedAt !== null || !keyMatches(token, row.secretHash)) return undefined
    return toRecord(row)
  }

  return {
    create,
    authenticate,
    list: () => (all.all() as Row[]).map(toRecord),
    get: (id: number) => {
      const row = byId.get(id) as Row | undefined
      return row ? toRecord(row) : undefined
    },
    revoke(id: number) {
      if (!byId.get(id)) throw new NotFoundError(`Key ${id} does not exist.`)
      revoke.run(new Date().toISOString(), id)
    },
    count: () => count.get() as number
  }
}
export type KeyRepository = ReturnType<typeof createKeyRepository>
