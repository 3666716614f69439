import { readFileSync } from 'node:fs'
import t, { type Test } from 'tap'
import { numberPlaceholders, openPostgres } from '../../../db/engines/postgres.js'
import type { Engine } from '../../../db/engines/engine.js'
import { createTestDatabase, TEST_DATABASE_URL } from '../../postgres.js'

const needsServer = TEST_DATABASE_URL ? false : 'TEST_DATABASE_URL is not set'

t.test('? becomes $n outside literals, quoted names, comments and dollar quotes', async (t) => {
  t.equal(numberPlaceholders('SELECT ? AS "a?", ?'), 'SELECT $1 AS "a?", $2')
  t.equal(numberPlaceholders(`SELECT '?', 'it''s ?', ? -- why?\n, ?`), `SELECT '?', 'it''s ?', $1 -- why?\n, $2`)
  t.equal(numberPlaceholders(`SELECT E'\\' ?', ?`), `SELECT E'\\' ?', $1`)
  t.equal(numberPlaceholders(`SELECT /* ? /* nested ? */ ? */ ?`), `SELECT /* ? /* nested ? */ ? */ $1`)
  t.equal(numberPlaceholders(`SELECT $$ ? $$, $tag$ ?$$ ? $tag$, ?`), `SELECT $$ ? $$, $tag$ ?$$ ? $tag$, $1`)
  t.equal(numberPlaceholders(`SELECT "x""?" , ?`), `SELECT "x""?" , $1`)
  t.equal(numberPlaceholders('SELECT a$b, ?'), 'SELECT a$b, $1', 'a $ inside a name starts no dollar quote')
  t.equal(
    numberPlaceholders('INSERT INTO t (a, b) VALUES (?, ?) ON CONFLICT (a) DO UPDATE SET b = excluded.b + ?'),
    'INSERT INTO t (a, b) VALUES ($1, $2) ON CONFLICT (a) DO UPDATE SET b = excluded.b + $3'
  )
})

async function engineOnFreshDatabase(t: Test, poolSize = 4): Promise<{ engine: Engine; url: string }> {
  const db = await createTestDatabase()
  const engine = await openPostgres({ url: db.url, poolSize })
  t.teardown(async () => {
    await engine.close()
    await db.drop()
  })
  return { engine, url: db.url }
}

t.test('reads and writes in the portable subset', { skip: needsServer }, async (t) => {
  const { engine } = await engineOnFreshDatabase(t)
  t.equal(engine.kind, 'postgres')
  const now = '2026-01-01T00:00:00.000Z'
  t.same(
    await engine.run(`INSERT INTO agencies (name, region_code, level, kind, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)`, [
      '甲局',
      '630223',
      'county',
      'department',
      now,
      now
    ]),
    { changes: 1 }
  )
  await engine.run(`INSERT INTO agencies (name, region_code, level, kind, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)`, [
    '乙局',
    '630200',
    'prefectural',
    'government',
    now,
    now
  ])
  t.same(await engine.all(`SELECT id, region_code AS "regionCode", uscc FROM agencies ORDER BY id`), [
    { id: 1, regionCode: '630223', uscc: null },
    { id: 2, regionCode: '630200', uscc: null }
  ])
  t.same(await engine.get(`SELECT name FROM agencies WHERE region_code BETWEEN ? AND ?`, ['6302', '6302\uffff'], {}), { name: '甲局' })
  t.equal(await engine.get(`SELECT name FROM agencies WHERE id = ?`, [99]), undefined)
  t.same(await engine.run(`UPDATE agencies SET revision = revision + 1 WHERE level = ?`, ['nowhere']), { changes: 0 })
  t.same(
    await engine.all(`SELECT count(*) AS n, count(*) > 1 AS "many", ? AS flag FROM agencies`, [true]),
    [{ n: 2, many: 1, flag: '1' }],
    'count is a number, booleans are 1/0'
  )
  t.same(
    await engine.all(`SELECT name FROM agencies ORDER BY name`),
    [{ name: '乙局' }, { name: '甲局' }],
    'text sorts by code point (乙 U+4E59 before 甲 U+7532), whatever the locale'
  )
  await t.rejects(engine.run(`INSERT INTO agencies (name) VALUES (?)`, ['no region']), { code: '23502' }, 'errors keep their SQLSTATE')
})

t.test('integers are exact: numbers within 2^53, bigint beyond or when asked', { skip: needsServer }, async (t) => {
  const { engine } = await engineOnFreshDatabase(t)
  const now = '2026-01-01T00:00:00.000Z'
  await engine.run(
    `INSERT INTO agencies (name, region_code, level, kind, created_at, updated_at) VALUES ('a', '630223', 'county', 'department', ?, ?)`,
    [now, now]
  )
  const big = 2 ** 53 - 1 // the largest money value a cell may hold, in 分
  for (const [id, year] of [
    [1, 2024],
    [2, 2025]
  ]) {
    await engine.run(
      `INSERT INTO reports (id, agency_id, year, format, scope, created_at, updated_at, region_code) VALUES (?, 1, ?, '2021', 'own', ?, ?, ?)`,
      [id, year, now, now, '630223']
    )
    await engine.run(
      `INSERT INTO report_cells (report_id, proactive_fees_amount_wan_yuan, proactive_licensing_decisions) VALUES (?, ?, ?)`,
      [id, big, 3]
    )
  }
  const sql = `SELECT sum(proactive_fees_amount_wan_yuan) AS fees, sum(proactive_licensing_decisions) AS decisions, max(proactive_fees_amount_wan_yuan) AS "maxFee",
               avg(proactive_licensing_decisions) AS "avg", 1.5::numeric AS half, count(*) AS n FROM report_cells`
  t.same(
    await engine.get(sql),
    { fees: 2n * BigInt(big), decisions: 6, maxFee: big, avg: 3, half: 1.5, n: 2 },
    'a sum beyond 2^53 comes back as an exact bigint'
  )
  t.same(await engine.get(sql, [], { bigints: true }), {
    fees: 2n * BigInt(big),
    decisions: 6n,
    maxFee: BigInt(big),
    avg: 3n,
    half: 1.5,
    n: 2n
  })
  t.same(await engine.get(`SELECT id FROM reports WHERE id = ?`, [2n]), { id: 2 }, 'bigint parameters bind')
  t.same(
    await engine.all(`SELECT id, year FROM reports ORDER BY id`, [], { firstColumn: true }),
    [1, 2],
    'each row as its first column when asked'
  )
  t.same(await engine.get(`SELECT year, id FROM reports WHERE id = ?`, [2], { firstColumn: true }), 2025)
  t.same(await engine.all(`SELECT id FROM reports WHERE id > 2`, [], { firstColumn: true }), [], 'no row, no value')
})

t.test('a transaction commits when fn resolves and rolls back when it throws', { skip: needsServer }, async (t) => {
  const { engine } = await engineOnFreshDatabase(t)
  const now = '2026-01-01T00:00:00.000Z'
  const insert = `INSERT INTO api_keys (name, role, secret_hash, created_at) VALUES (?, 'admin', ?, ?) RETURNING id`
  const id = await engine.transaction(async (tx) => (await tx.get<{ id: number }>(insert, ['a', 'h1', now]))!.id)
  t.equal(id, 1)
  await t.rejects(
    engine.transaction(async (tx) => {
      await tx.run(insert, ['b', 'h2', now])
      throw new Error('changed my mind')
    }),
    { message: 'changed my mind' }
  )
  t.same(await engine.all(`SELECT name FROM api_keys`), [{ name: 'a' }], 'the rolled-back insert is gone')
  await t.rejects(
    engine.transaction((tx) => tx.run(insert, ['c', 'h1', now])),
    { code: '23505' },
    'a failed statement rolls back'
  )
  const misuse = /inside its own transaction/
  await t.rejects(
    engine.transaction(() => engine.get(`SELECT 1`)),
    misuse,
    'a read on the engine inside its own transaction is refused'
  )
  await t.rejects(
    engine.transaction(() => engine.run(insert, ['d', 'h4', now])),
    misuse,
    'so is a write'
  )
  await t.rejects(
    engine.transaction(() => engine.transaction(async () => 1)),
    misuse,
    'and a nested transaction'
  )
  t.same(await engine.all(`SELECT name FROM api_keys ORDER BY id`), [{ name: 'a' }], 'none of them wrote anything')
  t.same(await engine.get(`SELECT 1 AS ok`), { ok: 1 }, 'the pool still serves after failures')
})

t.test('transactions of two instances on one database run one at a time: no lost update', { skip: needsServer }, async (t) => {
  const { engine: a, url } = await engineOnFreshDatabase(t)
  const b = await openPostgres({ url, poolSize: 4 })
  t.teardown(() => b.close())
  const now = '2026-01-01T00:00:00.000Z'
  await a.run(
    `INSERT INTO agencies (name, region_code, level, kind, created_at, updated_at) VALUES ('a', '630223', 'county', 'department', ?, ?)`,
    [now, now]
  )
  // read, wait, write back + 1: a lost update shows as a final revision below 1 + the number of increments
  const increment = (engine: Engine) =>
    engine.transaction(async (tx) => {
      const { revision } = (await tx.get<{ revision: number }>(`SELECT revision FROM agencies WHERE id = 1`))!
      await new Promise((resolve) => setTimeout(resolve, 2))
      await tx.run(`UPDATE agencies SET revision = ? WHERE id = 1`, [revision + 1])
    })
  await Promise.all(Array.from({ length: 40 }, (_, i) => increment(i % 2 ? a : b)))
  t.same(await b.get(`SELECT revision FROM agencies WHERE id = 1`), { revision: 41 })
})

t.test('dataVersion changes with every committed write, in every instance, and with nothing else', { skip: needsServer }, async (t) => {
  const { engine: a, url } = await engineOnFreshDatabase(t)
  const b = await openPostgres({ url, poolSize: 2, migrate: false })
  t.teardown(() => b.close())
  const now = '2026-01-01T00:00:00.000Z'
  const v0 = await b.dataVersion()
  t.equal(await a.dataVersion(), v0)
  await a.all(`SELECT * FROM agencies`)
  t.equal(await b.dataVersion(), v0, 'a read changes nothing')

  let release!: () => void
  const held = new Promise<void>((resolve) => (release = resolve))
  let written!: () => void
  const wrote = new Promise<void>((resolve) => (written = resolve))
  const tx = a.transaction(async (tx) => {
    await tx.run(
      `INSERT INTO agencies (name, region_code, level, kind, created_at, updated_at) VALUES ('a', '630223', 'county', 'department', ?, ?)`,
      [now, now]
    )
    await tx.run(`UPDATE agencies SET revision = 2`)
    written()
    await held
  })
  await wrote
  t.equal(await b.dataVersion(), v0, 'an uncommitted write is not visible in the version')
  release()
  await tx
  const v1 = await b.dataVersion()
  t.not(v1, v0, 'a committed write changes it, seen from the other instance')
  t.equal(BigInt(v1) - BigInt(v0), 1n, 'once per transaction, however many statements')

  await t.rejects(
    a.transaction(async (tx) => {
      await tx.run(`DELETE FROM agencies`)
      throw new Error('no')
    })
  )
  t.equal(await b.dataVersion(), v1, 'a rolled-back write leaves it')
  await b.run(`UPDATE agencies SET name = 'b'`)
  t.not(await a.dataVersion(), v1, 'a write outside a transaction changes it too')
})

t.test('instances starting together migrate once', { skip: needsServer }, async (t) => {
  const { onServer, databaseUrl } = await import('../../postgres.js')
  const name = `nianbao_test_migrate_${process.pid}`
  await onServer(TEST_DATABASE_URL!, (c) => c.query(`CREATE DATABASE ${name}`))
  t.teardown(() => onServer(TEST_DATABASE_URL!, (c) => c.query(`DROP DATABASE ${name} WITH (FORCE)`)))
  const url = databaseUrl(TEST_DATABASE_URL!, name)
  const engines = await Promise.all([openPostgres({ url }), openPostgres({ url }), openPostgres({ url })])
  t.teardown(() => Promise.all(engines.map((e) => e.close())))
  const journal = JSON.parse(readFileSync(new URL('../../../db/migrations-pg/meta/_journal.json', import.meta.url), 'utf8')) as {
    entries: unknown[]
  }
  t.same(
    await engines[0].get(`SELECT count(*) AS n FROM drizzle.__drizzle_migrations`),
    { n: journal.entries.length },
    'each migration applied once'
  )
  t.same(await engines[2].get(`SELECT count(*) AS n FROM agencies`), { n: 0 })
})
