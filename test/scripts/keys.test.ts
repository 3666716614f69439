import t from 'tap'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { childEnv, nodeCommand } from '../child.js'
import { buildTestApp, sharedDatabase } from '../helper.js'

const run = promisify(execFile)

t.test('npm run keys: create, list, revoke on the database (DATABASE_FILE, or DATABASE_URL on PostgreSQL)', async (t) => {
  const database = await sharedDatabase(t)
  const env = childEnv(process.env, { DATABASE_FILE: database.databaseFile, DATABASE_URL: database.databaseUrl ?? '' })
  const keys = (...args: string[]) => run(...nodeCommand('scripts/keys.ts', args), { env })

  const created = JSON.parse(
    (await keys('create', '--role', 'submitter', '--region', '6302', '--name', '海东市政务公开办', '--json')).stdout
  )
  t.match(created, { id: 1, role: 'submitter', regions: ['6302'], name: '海东市政务公开办' })
  t.match(created.key, /^nbk_/)
  t.match((await keys('list')).stdout, /^1\tsubmitter\t海东市政务公开办 regions=6302 agencies=-\tactive$/m)

  // the key works against a service on the same database, until revoked
  const app = await buildTestApp({ ...database, bootstrapAdminKey: undefined })
  const body = { name: '互助县某局', regionCode: '630223', level: 'county', kind: 'department' }
  t.equal((await app.injectAs(created.key, { method: 'POST', url: '/v1/agencies', payload: body })).statusCode, 201)
  await keys('revoke', '1')
  t.equal((await app.injectAs(created.key, { method: 'POST', url: '/v1/agencies', payload: body })).statusCode, 401)
  await app.close()

  await t.rejects(keys('create', '--role', 'submitter', '--name', 'x'), { code: 2 }, 'a submitter needs a scope')
  await t.rejects(keys('create', '--role', 'king', '--name', 'x'), { code: 2 })
})
