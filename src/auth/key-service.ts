// API keys as the service manages them: a new key is generated here and returned once; only its hash
// reaches the database.
import type { Engine } from '../../db/engines/engine.js'
import type { KeyRepository } from '../../db/repositories/keys.js'
import { NotFoundError } from '../errors.js'
import { newKey, type Role } from './keys.js'

export function createKeyService(engine: Engine, keys: KeyRepository) {
  return {
    /** Creates a key; `key` is given only for a bootstrap key whose value the deployment chose. */
    create: (input: { name: string; role: Role; regions?: string[]; agencies?: number[] }, key = newKey()) =>
      engine.transaction((tx) => keys.create(tx, input, key)),
    /**
     * The first key of an empty database, in one transaction with the look that finds none: instances starting
     * together on one database create it once. Undefined when a key exists already.
     */
    bootstrap: (input: { name: string; role: Role }, key = newKey()) =>
      engine.transaction(async (tx) => ((await keys.count(tx)) > 0 ? undefined : keys.create(tx, input, key))),
    /** The live key a bearer token is, or undefined. */
    authenticate: (token: string) => keys.authenticate(engine, token),
    list: () => keys.list(engine),
    get: (id: number) => keys.get(engine, id),
    revoke: (id: number) =>
      engine.transaction(async (tx) => {
        if (!(await keys.get(tx, id))) throw new NotFoundError(`Key ${id} does not exist.`)
        await keys.revoke(tx, id)
      }),
    count: () => keys.count(engine)
  }
}
export type KeyService = ReturnType<typeof createKeyService>
