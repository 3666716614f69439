// SQLite stores each report's summary (reports.summary, migration 0006), kept by triggers, and the lists serve it as
// it is. After every kind of write — new, replaced, by batch, corrected, submitted, returned, accepted, deleted, a
// neighbour's findings counted again, an agency renamed or moved, a database restored from a dump — each stored
// summary is the one `json_object` writes from the report's row and its agency now (SUMMARY_COLUMNS, what the lists
// wrote for every page before). With any one trigger dropped, the same writes leave summaries behind.
import t, { type Test } from 'tap'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Engine } from '../../db/engines/engine.js'
import { createSqliteEngine } from '../../db/engines/sqlite.js'
import { SUMMARY_COLUMNS } from '../../db/repositories/reports.js'
import { dumpToFile, restoreFromFile } from '../../scripts/dump.js'
import { buildTestApp, correctReport, createAgency, createKey, json, sampleReport, type TestApp } from '../helper.js'
import { report2019 } from '../fixtures/report-2019.js'

/** Each trigger, and the first write of the script that leaves a summary stale without it. */
const TRIGGERS: Record<string, string> = {
  reports_summary_insert: 'a new report',
  reports_summary_update: 'replaced',
  agencies_name_summary: 'an agency renamed'
}

/** The summary as the lists wrote it before it was stored: json_object over the row and its agency. */
const COMPUTED = `json_object(${SUMMARY_COLUMNS.map(([name, sql]) => `'${name}', ${sql}`).join(', ')})`

/** The reports whose stored summary is not the one computed from their row and agency now. */
async function stale(engine: Engine) {
  const rows = await engine.all<{ id: number; stored: string | null; computed: string }>(
    `SELECT r.id, r.summary AS stored, ${COMPUTED} AS computed FROM reports r JOIN agencies a ON a.id = r.agency_id ORDER BY r.id`
  )
  return { count: rows.length, stale: rows.filter((r) => r.stored !== r.computed) }
}

function tempDir(t: Test): string {
  const dir = mkdtempSync(join(tmpdir(), 'nianbao-summaries-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

/**
 * Every kind of write, in turn; `after(step)` is called after each. Returns what was written, to check against the
 * API's own answers.
 */
async function script(t: Test, app: TestApp, after: (step: string) => Promise<void>) {
  const ok = (res: { statusCode: number; body: string }, status: number, what: string) => {
    t.equal(res.statusCode, status, res.statusCode === status ? what : `${what}: ${res.body}`)
    return res.statusCode < 300 && res.body ? json(res) : undefined
  }
  const a = await createAgency(app, { name: '互助县教育局', regionCode: '630223' })
  const b = await createAgency(app, { name: '引号"与\\反斜杠局', regionCode: '630102' })
  const c = await createAgency(app, { name: '表情😀局', regionCode: '630223' })
  const submitter = await createKey(app, '互助县报送', 'submitter', ['630223'])
  const reviewer = await createKey(app, '海东市审核', 'reviewer', ['6302'])

  const created = ok(await app.inject({ method: 'POST', url: '/v1/reports', payload: sampleReport(a, { year: 2025 }) }), 201, 'create')
  await after('a new report')
  const draft = ok(
    await app.injectAs(submitter, {
      method: 'PUT',
      url: `/v1/agencies/${c}/reports/2025`,
      payload: sampleReport(c, { year: 2025, publishedAt: undefined })
    }),
    201,
    'a draft by natural key'
  )
  await after('a draft')
  ok(
    await app.injectAs(submitter, {
      method: 'PUT',
      url: `/v1/reports/${draft.id}`,
      headers: { 'if-match': `"${draft.revision}"` },
      payload: sampleReport(c, { year: 2025, title: '第二稿' })
    }),
    200,
    'replace'
  )
  await after('replaced')
  const move = (key: string, to: string, comment?: string) =>
    app.injectAs(key, { method: 'POST', url: `/v1/reports/${draft.id}/transitions`, payload: { to, ...(comment ? { comment } : {}) } })
  ok(await move(submitter, 'submitted'), 200, 'submit')
  await after('submitted')
  ok(await move(reviewer, 'returned', '请补充说明'), 200, 'return')
  await after('returned')
  ok(await move(submitter, 'submitted'), 200, 'submit again')
  ok(await move(reviewer, 'accepted'), 200, 'accept')
  await after('accepted')
  ok(
    await app.inject({ method: 'POST', url: '/v1/reports/batch', payload: { reports: [report2019(b, 2020), report2019(b, 2021)] } }),
    200,
    'batch'
  )
  await after('a batch')
  ok(
    await app.inject({
      method: 'POST',
      url: '/v1/reports/batch',
      payload: { reason: '更正：重新核对数据', reports: [{ ...report2019(b, 2021), title: '更正后的标题' }, report2019(b, 2022)] }
    }),
    200,
    'a batch of a new and a replaced report'
  )
  await after('a second batch')
  ok(await correctReport(app, created.id, { ...sampleReport(a, { year: 2025 }), title: '更正稿' }), 200, 'correction')
  await after('corrected')

  // the year before, written after: the stored 2025 is checked again and its counts change, its revision does not
  const before = await app.engine.get<{ revision: number; counts: string }>(
    `SELECT revision, error_count || '/' || warning_count AS counts FROM reports WHERE id = ?`,
    [created.id]
  )
  const previous = sampleReport(a, { year: 2024 })
  ok(await app.inject({ method: 'POST', url: '/v1/reports', payload: previous }), 201, 'the year before')
  const rechecked = await app.engine.get<{ revision: number; counts: string }>(
    `SELECT revision, error_count || '/' || warning_count AS counts FROM reports WHERE id = ?`,
    [created.id]
  )
  t.equal(rechecked?.revision, before?.revision, 'the neighbour was not written')
  t.not(rechecked?.counts, before?.counts, 'but its counts changed')
  await after("a neighbour's counts")

  ok(await app.inject({ method: 'PATCH', url: `/v1/agencies/${a}`, payload: { name: '互助县教育和科技局' } }), 200, 'rename')
  await after('an agency renamed')
  ok(await app.inject({ method: 'PATCH', url: `/v1/agencies/${c}`, payload: { regionCode: '630202' } }), 200, 'move')
  await after('an agency moved')
  const doomed = ok(await app.inject({ method: 'POST', url: '/v1/reports', payload: sampleReport(b, { year: 2025 }) }), 201, 'create')
  ok(await app.inject({ method: 'DELETE', url: `/v1/reports/${doomed.id}` }), 204, 'delete')
  await after('deleted')
  return { renamed: a }
}

t.test('every kind of write leaves each report with the summary computed from its row and agency', async (t) => {
  const probe = await buildTestApp()
  const kind = probe.engine.kind
  await probe.close()
  if (kind !== 'sqlite') return t.pass('stored summaries are SQLite’s (PostgreSQL’s lists go through the serializer)')
  const dir = tempDir(t)
  const file = join(dir, 'first.db')
  const app = await buildTestApp({ databaseFile: file })
  t.teardown(() => app.close())
  const steps: string[] = []
  const { renamed } = await script(t, app, async (step) => {
    const found = await stale(app.engine)
    t.same(found.stale, [], `after ${step}: no stale summary among ${found.count}`)
    steps.push(step)
  })
  t.equal(steps.length, 13, 'every step was checked')

  // what the list serves is the stored text, with the agency's new name
  const page = json(await app.inject('/v1/reports?limit=100'))
  const names = page.items.filter((s: { agencyId: number }) => s.agencyId === renamed).map((s: { agencyName: string }) => s.agencyName)
  t.same(names, ['互助县教育和科技局', '互助县教育和科技局'], 'the renamed agency’s two reports carry its new name')
  const stored = await app.engine.all<string>('SELECT summary FROM reports ORDER BY id', [], { firstColumn: true })
  t.equal(JSON.stringify(page.items), `[${stored.join(',')}]`, 'the page is the stored summaries, byte for byte')
  await app.close()

  // a dump carries no summary; the restore's triggers write every one again
  const dump = join(dir, 'dump.ndjson')
  await dumpToFile(file, dump)
  const restored = join(dir, 'restored.db')
  await restoreFromFile(restored, dump, false)
  const engine = await createSqliteEngine({ file: restored })
  t.teardown(() => engine.close())
  const after = await stale(engine)
  t.equal(after.count, stored.length, 'every report restored')
  t.same(after.stale, [], 'after a restore: no stale summary')
  t.same(await engine.all<string>('SELECT summary FROM reports ORDER BY id', [], { firstColumn: true }), stored, 'the same texts')
})

t.test('with any one trigger dropped, the same writes leave stale summaries', async (t) => {
  const probe = await buildTestApp()
  const kind = probe.engine.kind
  await probe.close()
  if (kind !== 'sqlite') return t.pass('stored summaries are SQLite’s')
  for (const [trigger, first] of Object.entries(TRIGGERS)) {
    const app = await buildTestApp()
    t.teardown(() => app.close())
    t.ok(await app.engine.get(`SELECT 1 AS x FROM sqlite_master WHERE type = 'trigger' AND name = ?`, [trigger]), `${trigger} exists`)
    await app.engine.run(`DROP TRIGGER ${trigger}`)
    const staleAfter: string[] = []
    await script(t, app, async (step) => {
      if ((await stale(app.engine)).stale.length > 0) staleAfter.push(step)
    })
    t.equal(
      staleAfter[0],
      first,
      `without ${trigger}, summaries go stale from the first write it watches (after: ${staleAfter.join(', ')})`
    )
    await app.close()
  }
})
