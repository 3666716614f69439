// The SQLite engine: transactions are serialized, a read outside a transaction never sees another's
// uncommitted write (on a file and in memory), rollbacks leave nothing, statements are cached by SQL text,
// and the data version moves with every commit, including another connection's.
import t from 'tap'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { createSqliteEngine, walIndexVersion } from '../../../db/engines/sqlite.js'
import { projectFile } from '../../../src/paths.js'
import type { Engine } from '../../../db/engines/engine.js'

const SQLITE_ONLY = process.env.TEST_DATABASE_URL
  ? 'the SQLite engine itself: the SQLite pass tests it, TEST_DATABASE_URL changes nothing here'
  : false

const NOW = '2025-01-01T00:00:00.000Z'
const insertAgency =
  "INSERT INTO agencies (name, region_code, level, kind, created_at, updated_at) VALUES (?, '630223', 'county', 'department', ?, ?)"
const count = async (engine: Engine) => Number((await engine.get<{ n: number }>('SELECT count(*) AS n FROM agencies'))!.n)

/** A promise and the function that settles it: holds a transaction open at a known point. */
function gate() {
  let open!: () => void
  const opened = new Promise<void>((resolve) => (open = resolve))
  return { opened, open }
}

function fileEngine(t: { teardown(fn: () => void): void }) {
  const dir = mkdtempSync(join(tmpdir(), 'nianbao-engine-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  return join(dir, 'n.db')
}

for (const where of ['file', 'memory'] as const) {
  t.test(`${where}: a read outside the transaction never sees its uncommitted write`, { skip: SQLITE_ONLY }, async (t) => {
    const engine = await createSqliteEngine({ file: where === 'file' ? fileEngine(t) : ':memory:' })
    t.teardown(() => engine.close())
    const inside = gate()
    const release = gate()
    const events: string[] = []
    const writing = engine.transaction(async (tx) => {
      await tx.run(insertAgency, ['甲', NOW, NOW])
      t.equal(Number((await tx.get<{ n: number }>('SELECT count(*) AS n FROM agencies'))!.n), 1, 'the transaction sees its own write')
      inside.open()
      await release.opened
      events.push('commit')
    })
    await inside.opened
    // while the transaction is open: on a file the read answers at once from the last commit; in memory it
    // waits for the commit. Either way it never answers 1 before the commit.
    const reading = count(engine).then((n) => {
      events.push(`read ${n}`)
      return n
    })
    await new Promise((resolve) => setTimeout(resolve, 20))
    release.open()
    await writing
    const n = await reading
    if (where === 'file') t.same(events, ['read 0', 'commit'], 'answered from the committed state, without waiting')
    else t.same(events, ['commit', 'read 1'], 'waited for the commit')
    t.equal(n, where === 'file' ? 0 : 1)
    t.equal(await count(engine), 1, 'committed')
  })

  t.test(`${where}: a failed transaction leaves nothing, and nobody saw it`, { skip: SQLITE_ONLY }, async (t) => {
    const engine = await createSqliteEngine({ file: where === 'file' ? fileEngine(t) : ':memory:' })
    t.teardown(() => engine.close())
    const inside = gate()
    const failing = engine.transaction(async (tx) => {
      await tx.run(insertAgency, ['乙', NOW, NOW])
      inside.open()
      await new Promise((resolve) => setTimeout(resolve, 10))
      throw new Error('refused')
    })
    await inside.opened
    const seen = await Promise.all([count(engine), failing.catch((err: Error) => err.message)])
    t.same(seen, [0, 'refused'])
    t.equal(await count(engine), 0, 'rolled back')
  })

  t.test(`${where}: transactions and lone writes run one at a time, in arrival order`, { skip: SQLITE_ONLY }, async (t) => {
    const engine = await createSqliteEngine({ file: where === 'file' ? fileEngine(t) : ':memory:' })
    t.teardown(() => engine.close())
    const order: string[] = []
    const slow = (name: string) =>
      engine.transaction(async (tx) => {
        order.push(`${name} begins`)
        await tx.run(insertAgency, [name, NOW, NOW])
        await new Promise((resolve) => setTimeout(resolve, 5))
        order.push(`${name} ends`)
      })
    const lone = () => engine.run(insertAgency, ['lone', NOW, NOW]).then(() => order.push('lone write'))
    await Promise.all([slow('a'), slow('b'), lone(), slow('c')])
    t.same(order, ['a begins', 'a ends', 'b begins', 'b ends', 'lone write', 'c begins', 'c ends'])
    t.equal(await count(engine), 4)
  })
}

t.test('memory: a statement on the engine inside its own transaction is refused, not a deadlock', { skip: SQLITE_ONLY }, async (t) => {
  const engine = await createSqliteEngine({ file: ':memory:' })
  t.teardown(() => engine.close())
  await t.rejects(
    engine.transaction(async () => count(engine)),
    /use the transaction executor/
  )
  t.equal(await count(engine), 0, 'and the engine still answers')
})

t.test('booleans, bigints and the statement cache', { skip: SQLITE_ONLY }, async (t) => {
  const engine = await createSqliteEngine({ file: ':memory:' })
  t.teardown(() => engine.close())
  t.same(await engine.get('SELECT ? AS yes, ? AS no', [true, false]), { yes: 1, no: 0 })
  const big = 2n ** 60n
  t.same(await engine.get('SELECT ? AS n', [big], { bigints: true }), { n: big }, 'exact beyond 2^53 when asked')
  t.same(await engine.get('SELECT 7 AS n'), { n: 7 }, 'numbers otherwise')
  t.same(await engine.get('SELECT 7 AS n', [], { bigints: true }), { n: 7n }, 'the same SQL in both modes')
  const pairs = 'SELECT 1 AS a, 2 AS b UNION ALL SELECT 3, 4'
  t.same(await engine.all(pairs, [], { firstColumn: true }), [1, 3], 'each row as its first column when asked')
  t.same(
    await engine.all(pairs),
    [
      { a: 1, b: 2 },
      { a: 3, b: 4 }
    ],
    'the same SQL as objects otherwise'
  )
  t.same(await engine.get(pairs, [], { firstColumn: true, bigints: true }), 1n, 'both modes at once')
  const values = { name: '引号"\\反斜杠😀', n: 1, none: null }
  t.equal(
    await engine.get(`SELECT json_object('name', ?, 'n', 1, 'none', NULL)`, [values.name], { firstColumn: true }),
    JSON.stringify(values),
    'json_object writes a JSON object as JSON.stringify writes it (the stored summaries rely on it)'
  )
})

t.test('file: the data version moves with every commit, this process’s or another connection’s', { skip: SQLITE_ONLY }, async (t) => {
  const file = fileEngine(t)
  const engine = await createSqliteEngine({ file })
  t.teardown(() => engine.close())
  const v0 = await engine.dataVersion()
  t.equal(await engine.dataVersion(), v0, 'unchanged without a write')
  await engine.run(insertAgency, ['丙', NOW, NOW])
  const v1 = await engine.dataVersion()
  t.not(v1, v0, 'our own commit')
  const other = new Database(file)
  other.prepare(insertAgency).run('丁', NOW, NOW)
  other.close()
  t.not(await engine.dataVersion(), v1, 'another connection’s commit')
  t.equal(await count(engine), 2)
})

/** Runs SQL on the file from another process, as `npm run import` or `npm run keys` would while the service runs. */
function writeFromAnotherProcess(file: string, sql: string, params: unknown[]) {
  const script = `const D = require('better-sqlite3'); const db = new D(process.argv[1]); db.pragma('busy_timeout = 5000');
    db.prepare(process.argv[2]).run(...JSON.parse(process.argv[3])); db.close()`
  execFileSync(process.execPath, ['-e', script, file, sql, JSON.stringify(params)], { cwd: projectFile('.'), stdio: 'pipe' })
}

t.test(
  'file: the data version is read from the WAL index, at once, and sees another process’s commit',
  { skip: SQLITE_ONLY },
  async (t) => {
    const file = fileEngine(t)
    const engine = await createSqliteEngine({ file })
    t.teardown(() => engine.close())
    const v0 = engine.dataVersion()
    t.type(v0, 'string', 'known without waiting: no promise')
    t.equal(engine.dataVersion(), v0, 'unchanged by looking again')
    t.equal(await count(engine), 0)
    t.equal(engine.dataVersion(), v0, 'unchanged by a read')
    writeFromAnotherProcess(file, insertAgency, ['己', NOW, NOW])
    const v1 = engine.dataVersion()
    t.not(v1, v0, 'another process’s commit, seen by the very next look')
    t.equal(await count(engine), 1, 'and its row by the next read')
    await engine.transaction(async (tx) => {
      await tx.run(insertAgency, ['庚', NOW, NOW])
      t.equal(engine.dataVersion(), v1, 'an uncommitted write does not move it')
    })
    t.not(engine.dataVersion(), v1, 'the commit does')
    const failed = engine.transaction(async (tx) => {
      await tx.run(insertAgency, ['辛', NOW, NOW])
      throw new Error('rolled back')
    })
    await t.rejects(failed, /rolled back/)
    t.equal(await count(engine), 2)
  }
)

t.test('file: without WAL there is no index to read, and the pragma answers', { skip: SQLITE_ONLY }, async (t) => {
  const file = fileEngine(t)
  const db = new Database(file)
  t.teardown(() => db.close())
  db.pragma('journal_mode = DELETE')
  db.exec('CREATE TABLE x (n INTEGER)')
  t.equal(walIndexVersion(file, db), undefined)
  db.pragma('journal_mode = WAL')
  db.exec('INSERT INTO x VALUES (1)')
  const version = walIndexVersion(file, db)
  t.ok(version, 'in WAL mode, once written')
  const v0 = version!.read()
  db.exec('INSERT INTO x VALUES (2)')
  t.not(version!.read(), v0)
  version!.close()
})

t.test('memory: the data version moves with every commit', { skip: SQLITE_ONLY }, async (t) => {
  const engine = await createSqliteEngine({ file: ':memory:' })
  t.teardown(() => engine.close())
  const v0 = await engine.dataVersion()
  await engine.transaction((tx) => tx.run(insertAgency, ['戊', NOW, NOW]))
  t.not(await engine.dataVersion(), v0)
})

t.test('the pragmas nianbao relies on', { skip: SQLITE_ONLY }, async (t) => {
  const file = fileEngine(t)
  const engine = await createSqliteEngine({ file })
  t.teardown(() => engine.close())
  t.same(await engine.get('SELECT * FROM pragma_journal_mode'), { journal_mode: 'wal' })
  t.same(await engine.get('SELECT * FROM pragma_foreign_keys'), { foreign_keys: 1 })
  await t.rejects(
    engine.run(
      "INSERT INTO reports (agency_id, year, format, scope, revision, created_at, updated_at) VALUES (999, 2025, '2021', 'own', 1, 'x', 'x')"
    ),
    /FOREIGN KEY/
  )
  await t.rejects(
    engine.get(
      "INSERT INTO agencies (name, region_code, level, kind, created_at, updated_at) VALUES ('x', '630223', 'county', 'department', 'x', 'x') RETURNING id"
    ),
    /readonly/,
    'reads run on a read-only connection'
  )
})
