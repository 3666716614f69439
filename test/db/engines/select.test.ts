// Which engine a deployment gets: DATABASE_URL (PostgreSQL) wins over DATABASE_FILE (SQLite, the default).
import t from 'tap'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { databaseFromEnv } from '../../../db/engines/index.js'
import { TEST_DATABASE_URL, databaseUrl, dropDatabase, onServer } from '../../postgres.js'
import { ADMIN_KEY } from '../../helper.js'
import { call, killAll, startServer } from '../../durability/server.js'

t.test('the command-line tools read the database as the server does', async (t) => {
  t.same(databaseFromEnv({}), { file: 'data/nianbao.db', url: undefined, poolSize: undefined }, 'SQLite by default')
  t.same(databaseFromEnv({ DATABASE_FILE: 'x.db' }), { file: 'x.db', url: undefined, poolSize: undefined })
  t.same(
    databaseFromEnv({ DATABASE_FILE: 'x.db', DATABASE_URL: 'postgres://u@h:5432/n', DATABASE_POOL_SIZE: '4' }),
    { file: 'x.db', url: 'postgres://u@h:5432/n', poolSize: 4 },
    'the URL is there to win'
  )
  t.same(databaseFromEnv({ DATABASE_URL: '' }).url, undefined, 'an empty URL is SQLite')
  t.throws(() => databaseFromEnv({ DATABASE_URL: 'mysql://h/n' }), /DATABASE_URL must start with postgres/)
  t.throws(() => databaseFromEnv({ DATABASE_POOL_SIZE: '0' }), /DATABASE_POOL_SIZE/)
})

t.test('the server refuses a DATABASE_URL that is not PostgreSQL', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'nianbao-select-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  await t.rejects(startServer(join(dir, 'n.db'), { DATABASE_URL: 'mysql://127.0.0.1/n' }), /invalid configuration[^\n]*DATABASE_URL/)
  t.notOk(existsSync(join(dir, 'n.db')), 'and opens no SQLite file instead')
})

t.test(
  'DATABASE_URL wins over DATABASE_FILE; instances starting together on an empty database migrate, bootstrap and load the sample once',
  { skip: TEST_DATABASE_URL ? false : 'TEST_DATABASE_URL is not set' },
  async (t) => {
    const server = TEST_DATABASE_URL!
    const name = `nianbao_test_select_${process.pid}`
    await onServer(server, (c) => c.query(`CREATE DATABASE ${name}`))
    t.teardown(() => dropDatabase(server, name))
    const dir = mkdtempSync(join(tmpdir(), 'nianbao-select-'))
    t.teardown(() => rmSync(dir, { recursive: true, force: true }))
    t.teardown(killAll)

    const file = join(dir, 'n.db')
    const env = { DATABASE_URL: databaseUrl(server, name), DATABASE_POOL_SIZE: '3', SAMPLE_DATA: 'true', BOOTSTRAP_ADMIN_KEY: ADMIN_KEY }
    const servers = await Promise.all([1, 2, 3].map(() => startServer(file, env, 120_000)))
    t.notOk(existsSync(file), 'no SQLite file was opened')

    for (const s of servers) {
      const agencies = await call(`${s.url}/v1/agencies`, 'GET')
      t.equal(agencies.status, 200)
      t.same(
        agencies.body.items.map((a: { name: string }) => a.name),
        ['互助县城市管理综合行政执法局'],
        'one sample agency, seen by every instance'
      )
      const keys = await call(`${s.url}/v1/keys`, 'GET')
      t.same(
        keys.body.items.map((k: { name: string; role: string }) => [k.name, k.role]),
        [['bootstrap admin', 'admin']],
        'one bootstrap key'
      )
    }
    const stored = await onServer(databaseUrl(server, name), async (c) => ({
      reports: (await c.query('SELECT agency_id, year FROM reports')).rows,
      migrations: Number((await c.query('SELECT count(*) AS n FROM drizzle.__drizzle_migrations')).rows[0].n)
    }))
    t.equal(stored.reports.length, 1, 'the sample report, stored once in PostgreSQL')
    t.ok(stored.migrations >= 2, 'migrated')
    t.same(await Promise.all(servers.map((s) => s.stop())), [0, 0, 0], 'each closes cleanly')
  }
)
