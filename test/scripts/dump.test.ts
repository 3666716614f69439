// npm run dump / restore / move: a database carried SQLite → PostgreSQL → SQLite (or SQLite → SQLite without a
// PostgreSQL server) holds exactly what it held, table by table and row by row, and the API reads the same.
import t, { type Test } from 'tap'
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { getTableName, is } from 'drizzle-orm'
import { SQLiteTable } from 'drizzle-orm/sqlite-core'
import { PgTable } from 'drizzle-orm/pg-core'
import * as sqliteSchema from '../../db/schema.js'
import * as pgSchema from '../../db/schema-pg.js'
import type { Engine } from '../../db/engines/engine.js'
import { createSqliteEngine } from '../../db/engines/sqlite.js'
import { openPostgres } from '../../db/engines/postgres.js'
import { dumpDatabase, TABLES } from '../../db/dump.js'
import { dumpToFile, move, restoreFromFile } from '../../scripts/dump.js'
import { buildTestApp, createAgency, json, sampleReport, type TestApp } from '../helper.js'
import { report2019 } from '../fixtures/report-2019.js'
import { createTestDatabase, TEST_DATABASE_URL } from '../postgres.js'
import { childEnv, nodeCommand } from '../child.js'

const run = promisify(execFile)
/** scripts/dump.ts, which npm run dump, restore and move run */
const dump = (...args: string[]) => run(...nodeCommand('scripts/dump.ts', args), { env: childEnv() })
const needsServer = TEST_DATABASE_URL ? false : 'TEST_DATABASE_URL is not set: the PostgreSQL leg needs a server'

function tempDir(t: Test): string {
  const dir = mkdtempSync(join(tmpdir(), 'nianbao-dump-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

/** Every row of every table, in key order, integers as decimal text: what "holds exactly the same" means. */
async function snapshot(engine: Engine) {
  const tables: Record<string, unknown[]> = {}
  for (const shape of (await engine.catalog.tables(engine)).sort((a, b) => a.name.localeCompare(b.name))) {
    const cols = shape.columns.map((c) => `"${c.name}"`).join(', ')
    const rows = await engine.all(`SELECT ${cols} FROM "${shape.name}" ORDER BY ${shape.primaryKey.map((k) => `"${k}"`).join(', ')}`, [], {
      bigints: true
    })
    tables[shape.name] = rows.map((r) =>
      Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'bigint' ? v.toString() : v]))
    )
  }
  return { tables, lastIds: await engine.catalog.lastIds(engine) }
}

/** A SQLite snapshot as PostgreSQL holds it: without the stored summaries, which are SQLite's alone (migration 0006). */
function withoutSummaries(snap: Awaited<ReturnType<typeof snapshot>>) {
  const reports = (snap.tables.reports as Array<Record<string, unknown>>).map(({ summary: _summary, ...row }) => row)
  return { ...snap, tables: { ...snap.tables, reports } }
}

const FEE = 87654321.654321 // 万元, six decimals: 87 654 321 654 321 分, exact only as an integer
const _ADMIN = { authorization: 'Bearer test-admin-key-not-secret-0001' }

/**
 * A database with one of everything: agencies (one referring to a later one), reports of both formats with
 * several revisions, a deleted report (its id must never be given again), findings, keys (one revoked),
 * remembered Idempotency-Key answers, blank cells and money beyond a double's exact cents.
 */
async function populate(t: Test, app: TestApp) {
  const a = await createAgency(app, { name: '互助县教育局', regionCode: '630223' })
  const b = await createAgency(app, { name: '海东市人民政府', regionCode: '630200', level: 'prefectural', kind: 'government' })
  const c = await createAgency(app, { name: '西宁市城东区民政局', regionCode: '630102' })
  const patched = await app.inject({ method: 'PATCH', url: `/v1/agencies/${a}`, headers: { 'if-match': '"1"' }, payload: { parentId: b } })
  t.equal(patched.statusCode, 200, 'an agency refers to a later one')

  const r2025 = sampleReport(a)
  ;(r2025.proactive as { fees: { amountWanYuan: number } }).fees.amountWanYuan = FEE
  const created = await app.inject({ method: 'POST', url: '/v1/reports', headers: { 'idempotency-key': 'first-2025' }, payload: r2025 })
  t.equal(created.statusCode, 201)
  const id = json(created).id
  // the admin's report is accepted: its second version is a correction (a revision with its reason)
  const { agencyId: _agency, year: _year, ...body } = r2025
  const replaced = await app.inject({
    method: 'POST',
    url: `/v1/reports/${id}/corrections`,
    headers: { 'if-match': created.headers.etag as string },
    payload: { reason: '更正：第二稿', report: { ...body, title: '第二稿' } }
  })
  t.equal(replaced.statusCode, 200)
  t.equal((await app.inject({ method: 'POST', url: '/v1/reports', payload: sampleReport(a, { year: 2024 }) })).statusCode, 201)
  t.equal((await app.inject({ method: 'POST', url: '/v1/reports', payload: report2019(b, 2020) })).statusCode, 201)
  const batch = await app.inject({
    method: 'POST',
    url: '/v1/reports/batch',
    headers: { 'idempotency-key': 'batch-1' },
    payload: { reports: [report2019(c, 2020), report2019(c, 2021)] }
  })
  t.equal(batch.statusCode, 200)
  const doomed = json(await app.inject({ method: 'POST', url: '/v1/reports', payload: sampleReport(c, { year: 2025 }) })).id
  t.equal((await app.inject({ method: 'DELETE', url: `/v1/reports/${doomed}` })).statusCode, 204)

  const reader = json(await app.inject({ method: 'POST', url: '/v1/keys', payload: { name: '看板', role: 'reader' } }))
  const gone = json(await app.inject({ method: 'POST', url: '/v1/keys', payload: { name: '旧钥', role: 'submitter', regions: ['6302'] } }))
  t.equal((await app.inject({ method: 'DELETE', url: `/v1/keys/${gone.id}` })).statusCode, 204)
  return { reportId: id, doomed, readerKey: reader.key as string }
}

/** What the API says about the data: every read a client makes, with its status and body. */
const READS = [
  '/v1/agencies',
  '/v1/agencies/1',
  '/v1/reports',
  '/v1/reports?format=2019',
  '/v1/reports/1',
  '/v1/reports/1/revisions',
  '/v1/reports/1/revisions/1',
  '/v1/reports/1/findings',
  '/v1/agencies/1/reports/2025',
  '/v1/findings',
  '/v1/findings/summary',
  '/v1/aggregates?groupBy=province,year',
  '/v1/aggregates?groupBy=level&year=2020',
  '/v1/statistics?year=2025',
  '/v1/coverage?year=2025&region=63',
  '/v1/keys'
]

async function reads(app: TestApp) {
  const out: Record<string, { status: number; body: unknown }> = {}
  for (const url of READS) {
    const res = await app.inject({ url })
    out[url] = { status: res.statusCode, body: res.headers['content-type']?.toString().includes('json') ? json(res) : res.body }
  }
  return out
}

t.test('every table of the schema is carried, and none is forgotten', async (t) => {
  const planned = TABLES.map((p) => p.name).sort()
  const sqliteTables = Object.values(sqliteSchema)
    .filter((v) => is(v, SQLiteTable))
    .map((v) => getTableName(v as SQLiteTable))
    .sort()
  const pgTables = Object.values(pgSchema)
    .filter((v) => is(v, PgTable))
    .map((v) => getTableName(v as never))
    .filter((n) => n !== 'data_version')
    .sort()
  t.same(planned, sqliteTables, 'TABLES in db/dump.ts lists every table of db/schema.ts: add a new one there')
  t.same(planned, pgTables, '… and of db/schema-pg.ts')
  const engine = await createSqliteEngine({ file: ':memory:' })
  t.same((await engine.catalog.tables(engine)).map((s) => s.name).sort(), planned, 'a migrated SQLite database holds exactly those')
  // a table the dump does not know stops it, rather than being left behind
  await engine.run('CREATE TABLE report_reviews (id INTEGER PRIMARY KEY, note TEXT)')
  await t.rejects(
    dumpDatabase(engine, () => undefined),
    { name: 'DumpError', message: /table report_reviews is not known to the dump/ }
  )
  await engine.close()
})

t.test('SQLite → PostgreSQL → SQLite: the same rows, ids, counters and API answers', { skip: needsServer }, async (t) => {
  const dir = tempDir(t)
  const first = join(dir, 'first.db')
  const app = await buildTestApp({ databaseFile: first })
  const { doomed, readerKey } = await populate(t, app)
  const before = await reads(app)
  t.equal(before['/v1/reports/1'].status, 200)
  t.ok((before['/v1/findings'].body as { items: unknown[] }).items.length > 0, 'the data has findings')
  await app.close()

  // file → PostgreSQL by the command, PostgreSQL → file by the command
  const pg = await createTestDatabase()
  t.teardown(() => pg.drop())
  const dumpFile = join(dir, 'first.ndjson.gz')
  const dumped = JSON.parse((await dump('dump', '--database', first, dumpFile)).stdout)
  t.match(dumped, { from: 'sqlite', dumped: { agencies: 3, reports: 5, report_revisions: 8, api_keys: 3, idempotency_keys: 2 } })
  const restored = JSON.parse((await dump('restore', '--database', pg.url, dumpFile)).stdout)
  t.same(restored, { restored: dumped.dumped, into: 'postgres' })
  const onPg = await buildTestApp({ databaseUrl: pg.url })
  t.same(await reads(onPg), before, 'every read answers the same on PostgreSQL')
  await onPg.close()
  const last = join(dir, 'last.db')
  const moved = JSON.parse((await dump('move', '--from', pg.url, '--to', last)).stdout)
  t.same(moved, { moved: dumped.dumped, into: 'sqlite' })

  const engines = {
    first: await createSqliteEngine({ file: first }),
    pg: await openPostgres({ url: pg.url, poolSize: 2 }),
    last: await createSqliteEngine({ file: last })
  }
  const want = await snapshot(engines.first)
  t.same(await snapshot(engines.pg), withoutSummaries(want), 'PostgreSQL holds every row of every table, and the same id counters')
  const unanalyzed = await engines.pg.all<{ relname: string }>(
    "SELECT relname FROM pg_stat_user_tables WHERE relname IN ('reports', 'agencies', 'report_cells', 'findings') AND last_analyze IS NULL AND last_autoanalyze IS NULL"
  )
  t.same(unanalyzed, [], 'the restore left PostgreSQL statistics of the tables it filled, for its plans')
  t.same(await snapshot(engines.last), want, 'and so does the SQLite file made back from it, its summaries written again by its triggers')
  const cells = await engines.pg.get<{ fee: bigint; blank: unknown }>(
    `SELECT c.proactive_fees_amount_wan_yuan AS fee, c.proactive_other_services_decisions AS blank FROM report_cells c JOIN reports r ON r.id = c.report_id WHERE r.year = 2025 AND r.agency_id = 1`,
    [],
    { bigints: true }
  )
  t.equal(cells?.fee, 87654321654321n, 'money exact, in 分')
  const blank2019 = await engines.pg.get<{ n: number }>(
    `SELECT count(*) AS n FROM report_cells WHERE proactive_other_services_decisions IS NULL`
  )
  t.ok(blank2019!.n >= 3, 'blank cells are null, not 0')
  t.equal(want.lastIds.reports, doomed, 'the deleted report’s id is the last given')
  for (const e of Object.values(engines)) await e.close()

  // the API answers the same on the copy, and goes on where the original stopped
  const copy = await buildTestApp({ databaseFile: last })
  t.same(await reads(copy), before, 'every read answers the same')
  const next = await copy.inject({ method: 'POST', url: '/v1/reports', payload: sampleReport(3, { year: 2023 }) })
  t.equal(json(next).id, doomed + 1, 'a new report gets a new id, not the deleted one’s')
  t.equal((await copy.injectAs(readerKey, '/v1/reports/1')).statusCode, 200, 'a key made before the move still works')
  const replay = await copy.inject({
    method: 'POST',
    url: '/v1/reports/batch',
    headers: { 'idempotency-key': 'batch-1' },
    payload: { reports: [report2019(3, 2020), report2019(3, 2021)] }
  })
  t.equal(replay.headers['idempotent-replayed'], 'true', 'an Idempotency-Key answered before the move replays after it')
  await copy.close()
})

t.test('SQLite → SQLite through a dump file; refusals leave the target as it was', async (t) => {
  const dir = tempDir(t)
  const first = join(dir, 'first.db')
  const app = await buildTestApp({ databaseFile: first })
  await populate(t, app)
  const before = await reads(app)
  await app.close()

  const file = join(dir, 'dump.ndjson')
  t.match(await dumpToFile(first, file), { engine: 'sqlite', tables: { agencies: 3, reports: 5, findings: Number } })
  const lines = readFileSync(file, 'utf8').trimEnd().split('\n')
  t.match(JSON.parse(lines[0]), { format: 'nianbao-dump', version: 1, engine: 'sqlite', tables: TABLES.map((p) => p.name) })
  t.match(JSON.parse(lines.at(-1)!), { end: { agencies: 3 } })
  await t.rejects(dumpToFile(first, file), { message: /dump\.ndjson exists; choose another name/ }, 'a dump never overwrites a file')

  const reportsSection = lines.map((l) => JSON.parse(l)).find((l) => l.table === 'reports')
  t.notOk(reportsSection.columns.includes('summary'), 'the stored summaries are not carried')
  t.ok(reportsSection.columns.includes('region_code'), 'the other columns are')

  const second = join(dir, 'second.db')
  await restoreFromFile(second, file, false)
  const e1 = await createSqliteEngine({ file: first })
  const e2 = await createSqliteEngine({ file: second })
  const restored = await snapshot(e2)
  t.same(restored, await snapshot(e1), 'every row, the summaries written again by the triggers')
  t.ok(
    (restored.tables.reports as Array<{ summary: string | null }>).every(
      (r) => typeof r.summary === 'string' && r.summary.startsWith('{"id":')
    ),
    'every report has its summary'
  )
  await e1.close()
  await e2.close()
  const copy = await buildTestApp({ databaseFile: second })
  t.same(await reads(copy), before)
  await copy.close()

  // refused: a target that is not empty (unless --force), a truncated dump, a damaged one
  await t.rejects(restoreFromFile(second, file, false), {
    name: 'DumpError',
    message:
      /^the target database is not empty \(agencies, api_keys, .*\): restore into an empty one, or pass --force to replace what it holds$/
  })
  const truncated = join(dir, 'truncated.ndjson')
  writeFileSync(truncated, `${lines.slice(0, -3).join('\n')}\n`)
  const third = join(dir, 'third.db')
  await t.rejects(restoreFromFile(third, truncated, false), { message: 'the dump is truncated (it has no end line): nothing was restored' })
  const e3 = await createSqliteEngine({ file: third })
  t.same((await snapshot(e3)).tables.agencies, [], 'nothing of a truncated dump was written')
  await e3.close()
  const damaged = join(dir, 'damaged.ndjson')
  writeFileSync(damaged, `${lines.map((l, i) => (i === 2 ? l.replace(/^\[(\d+)/, '["x"') : l)).join('\n')}\n`)
  await t.rejects(restoreFromFile(third, damaged, false), { message: 'line 3, agencies.id: "x" is not a value of a integer column' })

  const gz = join(dir, 'dump.ndjson.gz')
  await dumpToFile(first, gz)
  writeFileSync(join(dir, 'cut.ndjson.gz'), readFileSync(gz).subarray(0, 2000))
  await t.rejects(restoreFromFile(third, join(dir, 'cut.ndjson.gz'), false), {
    message: 'the dump cannot be read (unexpected end of file): nothing was restored'
  })
  await restoreFromFile(join(dir, 'from-gz.db'), gz, false)
  const fromGz = await buildTestApp({ databaseFile: join(dir, 'from-gz.db') })
  t.same(await reads(fromGz), before, 'a gzip’d dump restores the same')
  await fromGz.close()

  // --force replaces what the target held; move carries file to file directly
  const other = await buildTestApp({ databaseFile: third })
  await createAgency(other, { name: '另一个局' })
  await other.close()
  await restoreFromFile(third, file, true)
  const forced = await buildTestApp({ databaseFile: third })
  t.same(await reads(forced), before, 'what the target held is gone, the dump is in')
  await forced.close()
  const fourth = join(dir, 'fourth.db')
  await move(first, fourth, false)
  await t.rejects(
    move(first, fourth, false),
    { message: /^the target database is not empty/ },
    'move refuses a target that is not empty too'
  )
  const moved = await buildTestApp({ databaseFile: fourth })
  t.same(await reads(moved), before, 'moved file to file')
  await moved.close()
})

t.test('the commands: --help, and one line on stderr for every mistake', async (t) => {
  const help = await dump('dump', '--help')
  t.match(help.stdout, /^usage:\n {2}npm run dump -- /)
  t.match(help.stdout, /npm run move -- --from <file\|url> --to <file\|url> \[--force\]/)
  const fails = async (args: string[], code: number, stderr: RegExp) => {
    const err = await dump(...args).catch((e) => e)
    t.equal(err.code, code, args.join(' '))
    t.match(err.stderr, stderr)
    t.equal(err.stderr.split('\n').length, 2, 'one line')
  }
  await fails(['dump'], 2, /^nianbao dump: dump takes one dump file \(or -\), and --database \(see --help\)\n$/)
  await fails(['dump', '--bogus', 'x'], 2, /^nianbao dump: Unknown option '--bogus'.* \(see --help\)\n$/)
  await fails(
    ['dump', '--database', join(tmpdir(), 'nianbao-no-such.db'), join(tmpdir(), 'x.ndjson')],
    1,
    /^nianbao dump: .*nianbao-no-such\.db: no such database file\n$/
  )
  await fails(['move', '--from', 'a.db'], 2, /^nianbao move: move takes --from and --to \(and --force\) \(see --help\)\n$/)
  await fails(
    ['move', '--from', join(tmpdir(), 'nianbao-no-such.db'), '--to', 'postgres://nobody@127.0.0.1:1/none'],
    1,
    /^nianbao move: .*no such database file\n$/
  )
  await t.rejects(restoreFromFile(':memory:', join(tmpdir(), 'nianbao-no-such.ndjson'), false), {
    message: /nianbao-no-such\.ndjson: no such file$/
  })
  await t.rejects(move('a.db', 'a.db', false), { message: '--from and --to are the same database' })
})
