// Migrations 0003 and 0004 on a populated database: the roll-ups gain the report state and a money cell's sum in
// two parts, and are filled again from the stored reports; the reports gain their agency's region code. A deployment that upgrades must answer every
// aggregate as a database written afresh does: the same reports are written through the API (database A),
// copied into a database at migration 0002 whose roll-ups hold what the previous version kept there (accepted
// reports only, each money sum whole), and that database is opened — and so migrated — by the service (B).
import t from 'tap'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import pg from 'pg'
import { drizzle as drizzleSqlite } from 'drizzle-orm/better-sqlite3'
import { migrate as migrateSqlite } from 'drizzle-orm/better-sqlite3/migrator'
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres'
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator'
import { buildConsistentReport } from '../../src/checks/consistent-report.js'
import { CELLS } from '../../src/format/registry.js'
import { projectFile } from '../../src/paths.js'
import { buildTestApp, createAgency, json, type TestApp } from '../helper.js'
import { DATABASE_PREFIX, TEST_DATABASE_URL, databaseUrl, dropDatabase, onServer } from '../postgres.js'

/** The tables a report lives in (0003 changes none of them); the roll-ups are what 0003 rebuilds. */
const TABLES = ['agencies', 'reports', 'report_cells', 'report_revisions', 'findings', 'finding_reviews', 'changes']

/** A folder with the first `count` migrations of an engine. */
function migrationsUpTo(t: { teardown(fn: () => unknown): void }, folder: string, count: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'nianbao-migrations-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const journal = JSON.parse(readFileSync(projectFile(`${folder}/meta/_journal.json`), 'utf8'))
  const entries = journal.entries.slice(0, count) as Array<{ tag: string }>
  mkdirSync(join(dir, 'meta'))
  writeFileSync(join(dir, 'meta/_journal.json'), JSON.stringify({ ...journal, entries }))
  for (const e of entries) writeFileSync(join(dir, `${e.tag}.sql`), readFileSync(projectFile(`${folder}/${e.tag}.sql`)))
  return dir
}

/** What the previous version kept in a roll-up: accepted reports only, per key without state, whole sums. */
function previousRollup(table: string, region: string, regionExpr: string): string {
  const columns = CELLS.flatMap((c) => [`s_${c.sqlName}`, `n_${c.sqlName}`])
  const sums = CELLS.flatMap((c) => [`coalesce(sum(c.${c.sqlName}), 0)`, `count(c.${c.sqlName})`])
  return `INSERT INTO ${table} (year, ${region}, level, kind, format, scope, reports, ${columns.join(', ')})
    SELECT r.year, ${regionExpr}, a.level, a.kind, r.format, r.scope, count(*), ${sums.join(', ')}
    FROM reports r JOIN agencies a ON a.id = r.agency_id LEFT JOIN report_cells c ON c.report_id = r.id
    WHERE r.state = 'accepted' GROUP BY r.year, ${regionExpr}, a.level, a.kind, r.format, r.scope`
}

/** Reports of every state, of both formats, with money, own and aggregate, in several regions. */
async function populate(app: TestApp) {
  const keys = {
    submitter: json(
      await app.inject({ method: 'POST', url: '/v1/keys', payload: { name: '互助县某局', role: 'submitter', regions: ['630223'] } })
    ).key as string
  }
  const put = async (
    agencyId: number,
    year: number,
    format: '2019' | '2021',
    money: number,
    key?: string,
    scope: 'own' | 'aggregate' = 'own'
  ) => {
    const doc = buildConsistentReport(
      format,
      { 'applications.outcomes.granted.naturalPerson': Math.round(money) % 97 },
      { agencyId, year, scope }
    ) as unknown as {
      proactive: { fees?: { amountWanYuan: number }; procurement?: { amountYuan: number } }
    }
    if (format === '2021') doc.proactive.fees!.amountWanYuan = money
    else doc.proactive.procurement!.amountYuan = money
    const request = { method: 'PUT' as const, url: `/v1/agencies/${agencyId}/reports/${year}`, payload: doc }
    const res = key ? await app.injectAs(key, request) : await app.inject(request)
    if (res.statusCode !== 201) throw new Error(`${res.statusCode} ${res.body}`)
    return json(res).id as number
  }
  const a = await createAgency(app, { regionCode: '630223', level: 'county', kind: 'department' })
  const b = await createAgency(app, { regionCode: '630102', level: 'county', kind: 'department' })
  const c = await createAgency(app, { regionCode: '110105', level: 'county', kind: 'department' })
  const gov = await createAgency(app, { regionCode: '630000', level: 'provincial', kind: 'government' })
  const draftAgency = await createAgency(app, { regionCode: '630223', level: 'county', kind: 'department' })
  const submittedAgency = await createAgency(app, { regionCode: '630223', level: 'county', kind: 'department' })
  await put(a, 2024, '2021', 1234.567891)
  await put(a, 2025, '2021', 99_999_999.999999)
  await put(b, 2025, '2021', 0.000001)
  await put(c, 2025, '2021', 42)
  await put(c, 2019, '2019', 123_456_789.12)
  await put(b, 2019, '2019', 0.01)
  await put(gov, 2025, '2021', 99_999_999.5, undefined, 'aggregate')
  await put(draftAgency, 2025, '2021', 7.5, keys.submitter)
  const submitted = await put(submittedAgency, 2025, '2021', 3.25, keys.submitter)
  const moved = await app.injectAs(keys.submitter, {
    method: 'POST',
    url: `/v1/reports/${submitted}/transitions`,
    payload: { to: 'submitted' }
  })
  if (moved.statusCode !== 200) throw new Error(`${moved.statusCode} ${moved.body}`)
}

const QUERIES = [
  '/v1/aggregates?metrics=reports,proactive.fees.amountWanYuan,proactive.procurement.amountYuan,applications.newReceived.total&groupBy=year,county',
  '/v1/aggregates?metrics=reports,proactive.fees.amountWanYuan&groupBy=year,province&scope=all',
  '/v1/aggregates?metrics=reports,proactive.fees.amountWanYuan&groupBy=year&state=all',
  '/v1/aggregates?metrics=reports,proactive.fees.amountWanYuan&groupBy=county&state=draft',
  '/v1/aggregates?metrics=reports,proactive.fees.amountWanYuan&groupBy=county&state=submitted',
  '/v1/aggregates?metrics=reports,proactive.fees.amountWanYuan&year=2025&regionCode=6302&groupBy=prefecture&state=all',
  '/v1/aggregates?metrics=reports,proactive.procurement.amountYuan&year=2019&compare=previousYear',
  '/v1/aggregates?metrics=reports,proactive.fees.amountWanYuan&groupBy=agency,year&state=all',
  // 0004: reports carry their agency's region code, filled in by the migration
  '/v1/reports?regionCode=63&year=2025',
  '/v1/reports?regionCode=6302&year=2025&limit=1',
  '/v1/reports?regionCode=63'
]

const ROLLUP_ORDER = {
  rollup: 'year, region_code, level, kind, format, scope, state',
  rollup_province: 'year, province, level, kind, format, scope, state'
}

async function answers(app: TestApp) {
  const out: Record<string, unknown> = {}
  for (const q of QUERIES) {
    const res = await app.inject(q)
    if (res.statusCode !== 200) throw new Error(`${q}: ${res.statusCode} ${res.body}`)
    out[q] = json(res)
  }
  for (const [table, order] of Object.entries(ROLLUP_ORDER)) out[table] = await app.engine.all(`SELECT * FROM ${table} ORDER BY ${order}`)
  out.regions = await app.engine.all(
    'SELECT r.id, r.region_code AS "regionCode", a.region_code AS "agencyRegion" FROM reports r JOIN agencies a ON a.id = r.agency_id ORDER BY r.id'
  )
  return out
}

t.test(
  '0003 and 0004 on a populated database: the roll-ups are refilled from the reports, the reports get their region codes, and every aggregate and list answers as written afresh',
  async (t) => {
    const fresh = await buildTestApp()
    t.teardown(() => fresh.close())
    await populate(fresh)
    const expected = await answers(fresh)
    t.ok((expected.rollup as unknown[]).length > 5, 'the fresh roll-up has rows')

    const rows: Record<string, Array<Record<string, unknown>>> = {}
    for (const table of TABLES) rows[table] = await fresh.engine.all(`SELECT * FROM ${table}`)
    const insertSql = (table: string, placeholder: (i: number) => string) => {
      // the reports' region code comes with 0004, which fills it in from the agencies; their summary with 0006, which
      // writes it from the rows
      const columns = Object.keys(rows[table][0] ?? {}).filter((c) => table !== 'reports' || (c !== 'region_code' && c !== 'summary'))
      return { columns, sql: `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((_, i) => placeholder(i)).join(', ')})` }
    }

    let options: { databaseFile?: string; databaseUrl?: string }
    if (!TEST_DATABASE_URL) {
      const dir = mkdtempSync(join(tmpdir(), 'nianbao-0003-'))
      t.teardown(() => rmSync(dir, { recursive: true, force: true }))
      const file = join(dir, 'previous.db')
      const db = new Database(file)
      migrateSqlite(drizzleSqlite(db), { migrationsFolder: migrationsUpTo(t, 'db/migrations', 3) })
      db.transaction(() => {
        for (const table of TABLES) {
          if (rows[table].length === 0) continue
          const { columns, sql } = insertSql(table, () => '?')
          const statement = db.prepare(sql)
          for (const row of rows[table]) statement.run(...columns.map((c) => row[c]))
        }
        db.exec(previousRollup('rollup', 'region_code', 'a.region_code'))
        db.exec(previousRollup('rollup_province', 'province', 'substr(a.region_code, 1, 2)'))
      })()
      t.ok((db.prepare('SELECT count(*) AS n FROM rollup').get() as { n: number }).n > 0, 'the previous roll-up has rows')
      db.close()
      options = { databaseFile: file }
    } else {
      const name = `${DATABASE_PREFIX}0003_${randomBytes(4).toString('hex')}`
      await onServer(TEST_DATABASE_URL, (c) => c.query(`CREATE DATABASE "${name}"`))
      t.teardown(() => dropDatabase(TEST_DATABASE_URL!, name))
      const url = databaseUrl(TEST_DATABASE_URL, name)
      const client = new pg.Client({ connectionString: url })
      await client.connect()
      try {
        await migratePg(drizzlePg(client), { migrationsFolder: migrationsUpTo(t, 'db/migrations-pg', 3) })
        await client.query('BEGIN')
        for (const table of TABLES) {
          if (rows[table].length === 0) continue
          const { columns, sql } = insertSql(table, (i) => `$${i + 1}`)
          for (const row of rows[table])
            await client.query(
              sql,
              columns.map((c) => row[c])
            )
        }
        await client.query(previousRollup('rollup', 'region_code', 'a.region_code'))
        await client.query(previousRollup('rollup_province', 'province', 'substr(a.region_code, 1, 2)'))
        await client.query('COMMIT')
      } finally {
        await client.end()
      }
      options = { databaseUrl: url }
    }

    const upgraded = await buildTestApp(options)
    t.teardown(() => upgraded.close())
    const actual = await answers(upgraded)
    for (const key of Object.keys(expected)) t.same(actual[key], expected[key], key)
    const regions = actual.regions as Array<{ regionCode: string; agencyRegion: string }>
    t.ok(
      regions.length > 5 && regions.every((r) => /^[0-9]{6}$/.test(r.regionCode) && r.regionCode === r.agencyRegion),
      "every report has its agency's region"
    )
    t.equal(
      (expected['/v1/reports?regionCode=63&year=2025'] as { items: unknown[] }).items.length,
      5,
      "province 63's five reports of 2025 are listed"
    )
  }
)
