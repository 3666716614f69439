// A batch does per batch what single writes do per report (reads ahead, keeps rows back and inserts them together,
// reserves the new reports' ids, writes each roll-up key once): here its result is compared with the same reports
// written one at a time, row for row in every table — ids, revisions, documents, findings, the change feed and
// both roll-ups — and a batch that fails in the middle is shown to leave nothing behind.
import t from 'tap'
import { buildTestApp, createAgency, json, sampleReport, type TestApp } from '../helper.js'
import { setCell, type ReportInput } from '../../src/format/document.js'
import { storedCells } from '../../src/format/canonical.js'
import { createReportRepository } from '../../db/repositories/reports.js'

const FIXED = new Date('2026-03-01T08:00:00.000Z')
const clock = () => FIXED

/**
 * Everything a write leaves in the database, in a stable order. Times not taken from the service's clock are left
 * out, and so are finding ids and the neighbours' `findings.checked` changes: one unit of work rechecks each
 * neighbour once at its end (and a report it wrote records no such change), where one write after the other
 * rechecks after each write; a batch has always worked so. What each report's findings say is compared.
 */
async function state(app: TestApp) {
  const all = (sql: string) => app.engine.all(sql)
  return {
    reports: await all('SELECT * FROM reports ORDER BY id'),
    cells: await all('SELECT * FROM report_cells ORDER BY report_id'),
    revisions: await all('SELECT * FROM report_revisions ORDER BY id'),
    findings: (await all('SELECT * FROM findings ORDER BY report_id, id')).map(({ created_at: _c, id: _i, ...row }) => row),
    changes: await all("SELECT kind, report_id, agency_id, revision, state, at FROM changes WHERE kind = 'report.written' ORDER BY seq"),
    rollup: await all('SELECT * FROM rollup ORDER BY year, region_code, level, kind, format, scope, state'),
    rollupProvince: await all('SELECT * FROM rollup_province ORDER BY year, province, level, kind, format, scope, state')
  }
}

/** A report of the sample with some figures of its own, so that reports differ and checks find things. */
function reportOf(agencyId: number, year: number, n: number, fields: Partial<ReportInput> = {}): ReportInput {
  const doc = sampleReport(agencyId, { year, ...fields })
  const tree = doc as unknown as Record<string, unknown>
  setCell(tree, 'applications.newReceived.naturalPerson', 10 + n)
  setCell(tree, 'applications.newReceived.total', 10 + n)
  if (n % 3 === 0) setCell(tree, 'reviewLitigation.review.total', n) // not the sum of its parts: a finding
  return doc
}

/** The same agencies in two apps: one writes by batch, the other one report at a time. */
async function twoApps(t: { teardown(fn: () => unknown): void }) {
  const apps: TestApp[] = []
  for (let i = 0; i < 2; i++) {
    const app = await buildTestApp({ clock })
    t.teardown(() => app.close())
    apps.push(app)
  }
  const agencies: Record<string, number> = {}
  for (const app of apps) {
    // named alike in both apps: the reports' stored summaries (SQLite) carry their agency's name
    // a county's departments (one roll-up key for several), its government (aggregate), the prefecture's and the province's
    agencies.a = await createAgency(app, { name: 'a', regionCode: '630223', level: 'county', kind: 'department' })
    agencies.b = await createAgency(app, { name: 'b', regionCode: '630223', level: 'county', kind: 'department' })
    agencies.c = await createAgency(app, { name: 'c', regionCode: '630202', level: 'county', kind: 'department' })
    agencies.county = await createAgency(app, { name: 'county', regionCode: '630223', level: 'county', kind: 'government' })
    agencies.prefecture = await createAgency(app, { name: 'prefecture', regionCode: '630200', level: 'prefectural', kind: 'government' })
    agencies.province = await createAgency(app, { name: 'province', regionCode: '630000', level: 'provincial', kind: 'government' })
  }
  return { batchApp: apps[0], oneApp: apps[1], agencies }
}

/** Writes the reports by batch in one app and one by one (the same service call, a batch of one) in the other. */
async function writeBoth(batchApp: TestApp, oneApp: TestApp, reports: ReportInput[], reason?: string) {
  const options = reason ? { correctAccepted: reason } : {}
  const items = await batchApp.services.reports.batch(reports, options)
  const single = []
  for (const [index, report] of reports.entries()) {
    const [item] = await oneApp.services.reports.batch([report], options)
    single.push({ ...item, index })
  }
  return { items, single }
}

t.test('a batch leaves exactly what the same reports written one by one leave', async (t) => {
  const { batchApp, oneApp, agencies } = await twoApps(t)
  const { a, b, c, county, prefecture, province } = agencies

  // 1. new reports: two years of one agency (the later first), two agencies under one roll-up key, the
  //    aggregate reports that cover them — one of them before, one after the reports it covers
  const first = [
    reportOf(a, 2025, 1),
    reportOf(a, 2024, 2),
    reportOf(b, 2025, 3),
    reportOf(prefecture, 2025, 4, { scope: 'aggregate' }),
    reportOf(c, 2025, 5),
    reportOf(county, 2025, 6, { scope: 'aggregate' }),
    reportOf(province, 2025, 7, { scope: 'aggregate' })
  ]
  const one = await writeBoth(batchApp, oneApp, first)
  t.same(one.items, one.single)
  t.same(
    one.items.map((i) => i.status),
    first.map(() => 'created')
  )
  t.same(await state(batchApp), await state(oneApp), 'new reports: the same rows in every table')

  // 2. a mix: replaced (corrections of accepted reports), unchanged, and new, with the previous year changed
  //    under a stored next year, and the county's summary corrected
  const second = [
    reportOf(a, 2024, 12),
    reportOf(b, 2025, 3),
    reportOf(b, 2024, 13),
    reportOf(county, 2025, 16, { scope: 'aggregate' }),
    reportOf(c, 2025, 15, { title: '更正后的标题' }),
    reportOf(c, 2023, 14)
  ]
  const two = await writeBoth(batchApp, oneApp, second, '更正：重新核对数据')
  t.same(two.items, two.single)
  t.same(
    two.items.map((i) => i.status),
    ['replaced', 'unchanged', 'created', 'replaced', 'replaced', 'created']
  )
  t.same(await state(batchApp), await state(oneApp), 'a mixed batch: the same rows in every table')
  // the counts beside each report are those of its stored findings (on PostgreSQL both are written at the unit's end)
  const counts = await batchApp.engine.all<{ id: number; errors: number; warnings: number; e: number; w: number }>(
    `SELECT r.id, r.error_count AS errors, r.warning_count AS warnings,
       (SELECT count(*) FROM findings f WHERE f.report_id = r.id AND f.severity = 'error') AS e,
       (SELECT count(*) FROM findings f WHERE f.report_id = r.id AND f.severity = 'warning') AS w
     FROM reports r ORDER BY r.id`
  )
  t.same(
    counts.map(({ id, errors, warnings }) => ({ id, errors, warnings })),
    counts.map(({ id, e, w }) => ({ id, errors: e, warnings: w })),
    'every report counts its stored findings'
  )
  t.ok(
    counts.some((c) => c.errors + c.warnings > 0),
    'some reports have findings'
  )
  // a correction takes out of the roll-up the cells of the stored document (not a second read of its cells row):
  // the two agree for every report
  const repo = createReportRepository()
  const documents = await batchApp.engine.all<{ id: number; document: string }>(
    'SELECT r.id, v.document FROM reports r JOIN report_revisions v ON v.report_id = r.id AND v.revision = r.revision ORDER BY r.id'
  )
  t.equal(documents.length, counts.length, 'every report has its current document')
  for (const { id, document } of documents)
    t.same(
      storedCells(JSON.parse(document) as ReportInput),
      await repo.readCells(batchApp.engine, id),
      `report ${id}: cells row = document`
    )
  const after = await state(batchApp)
  t.ok(
    (await batchApp.engine.all("SELECT seq FROM changes WHERE kind = 'findings.checked'")).length > 0,
    'neighbours not in the batch were rechecked'
  )
  t.ok(
    after.findings.some((f) => f.rule === 'CY-07'),
    'a report written before its previous year was rechecked against it'
  )
  t.ok(
    after.findings.some((f) => f.rule === 'AG-01'),
    'the aggregate reports were checked against what they cover'
  )

  // 3. the same batch again: nothing changes anywhere
  const rows = async () => ({
    changes: await batchApp.engine.all('SELECT * FROM changes ORDER BY seq'),
    findings: await batchApp.engine.all('SELECT * FROM findings ORDER BY id')
  })
  const rowsBefore = await rows()
  const again = await batchApp.services.reports.batch(second, { correctAccepted: '更正：重新核对数据' })
  t.same(
    again.map((i) => i.status),
    second.map(() => 'unchanged')
  )
  t.same(await state(batchApp), after, 'an identical batch writes nothing')
  t.same(await rows(), rowsBefore, 'not a change, not a finding')
})

t.test('a batch that fails in the middle leaves nothing behind', async (t) => {
  const app = await buildTestApp({ clock })
  t.teardown(() => app.close())
  const a = await createAgency(app, { regionCode: '630223', level: 'county', kind: 'department' })
  const b = await createAgency(app, { regionCode: '630223', level: 'county', kind: 'department' })
  const county = await createAgency(app, { regionCode: '630223', level: 'county', kind: 'government' })
  await app.services.reports.batch([reportOf(a, 2024, 1), reportOf(county, 2025, 2, { scope: 'aggregate' })])
  const before = await state(app)
  const nextIds = await app.engine.catalog.lastIds(app.engine)

  // new, replaced and an aggregate's neighbours before the failure; the fourth report's agency does not exist
  const res = await app.inject({
    method: 'POST',
    url: '/v1/reports/batch',
    payload: { reason: '更正', reports: [reportOf(a, 2025, 3), reportOf(b, 2025, 4), reportOf(a, 2024, 5), reportOf(999999, 2025, 6)] }
  })
  t.equal(res.statusCode, 422)
  t.same(json(res).errors, [{ pointer: '/reports/3/agencyId', message: '机关 999999 不存在' }])
  t.same(await state(app), before, 'no row written in any table')

  // a refusal after every report was written: the strict gate
  const strict = await app.inject({
    method: 'POST',
    url: '/v1/reports/batch?strict=true',
    payload: { reason: '更正', reports: [reportOf(a, 2025, 3), reportOf(b, 2025, 4), reportOf(a, 2024, 5)] }
  })
  t.equal(strict.statusCode, 422)
  t.match(json(strict).errors, [{ pointer: /^\/reports\/\d\// }])
  t.same(await state(app), before, 'no row written in any table')

  // the next batch's new reports get the ids they would have had (SQLite gives back the reserved ones; a
  // PostgreSQL sequence moves on, as it does for any rolled-back insert)
  const ok = await app.services.reports.batch([reportOf(a, 2025, 7), reportOf(b, 2025, 8)])
  t.same(
    ok.map((i) => i.status),
    ['created', 'created']
  )
  if (app.engine.kind === 'sqlite')
    t.same(
      ok.map((i) => i.id),
      [nextIds.reports + 1, nextIds.reports + 2]
    )
  t.ok(ok[0].id > nextIds.reports && ok[1].id === ok[0].id + 1, 'ids in the order of the batch')
  const rows = await app.engine.all<{ id: number; revision: number }>(
    'SELECT id, revision FROM reports WHERE year = 2025 AND agency_id IN (?, ?) ORDER BY id',
    [a, b]
  )
  t.same(
    rows.map((r) => r.revision),
    [1, 1]
  )
})
