// Requests running at the same time on one app: the service is asynchronous, so a write's transaction may
// be open while other requests are answered. None of them may observe a write before it commits, writers
// take turns, and If-Match has exactly one winner. On SQLite on a file (reads on their own connection) and in
// memory; on PostgreSQL (TEST_DATABASE_URL) on a database of its own (reads on other pooled connections).
import t, { type Test } from 'tap'
import { join } from 'node:path'
import { buildTestApp, createAgency, createKey, json, sampleReport, TEST_ENGINE, type TestApp } from '../helper.js'

const YEARS = [2023, 2024, 2025]

const PLACES = TEST_ENGINE === 'postgres' ? (['postgres'] as const) : (['file', 'memory'] as const)

async function appOn(t: Test, where: (typeof PLACES)[number]): Promise<TestApp> {
  const app = await buildTestApp(where === 'file' ? { databaseFile: join(t.testdir({}), 'n.db') } : {})
  t.teardown(() => app.close())
  return app
}

for (const where of PLACES) {
  t.test(`${where}: while a batch is being written, every read sees all of it or none of it`, async (t) => {
    const app = await appOn(t, where)
    const agencies: number[] = []
    for (let i = 0; i < 8; i++) agencies.push(await createAgency(app))
    const reports = agencies.flatMap((agencyId) => YEARS.map((year) => sampleReport(agencyId, { year })))
    const total = reports.length

    let done = false
    const batch = app.inject({ method: 'POST', url: '/v1/reports/batch', payload: { reports } }).then((res) => {
      done = true
      return res
    })
    const seen: Array<{ list: number; aggregate: number; findings: number }> = []
    let duringBatch = 0
    // reads interleave with the batch's statements; 25 rounds sent while it is in flight are plenty
    while (!done && duringBatch < 25) {
      duringBatch++
      const [list, aggregate, findings] = await Promise.all([
        app.inject('/v1/reports?limit=500'),
        app.inject('/v1/aggregates?metrics=reports'),
        app.inject('/v1/findings/summary?groupBy=severity')
      ])
      seen.push({
        list: json(list).items.length,
        aggregate: json(aggregate).groups[0]?.reports ?? 0,
        findings: json(findings).total
      })
    }
    t.equal((await batch).statusCode, 200)
    t.ok(duringBatch > 0, 'reads were sent while the batch was in flight')
    const after = json(await app.inject('/v1/findings/summary?groupBy=severity')).total
    for (const s of seen) {
      t.ok(s.list === 0 || s.list === total, `list saw ${s.list} of ${total}`)
      t.ok(s.aggregate === 0 || s.aggregate === total, `aggregate saw ${s.aggregate} of ${total}`)
      t.ok(s.findings === 0 || s.findings === after, `findings saw ${s.findings} of ${after}`)
      // three requests sent together read one snapshot on SQLite (its reads are synchronous calls between the
      // same two awaits); on PostgreSQL each runs on its own connection, so a commit may fall between them (each
      // still sees all of the batch or none of it, above) — seen once the batch got fast enough to commit while
      // the rounds still run
      if (app.engine.kind === 'sqlite') t.ok(s.list === s.aggregate, 'the list and the aggregate saw the same state')
    }
  })

  t.test(`${where}: concurrent writers take turns; If-Match has exactly one winner`, async (t) => {
    const app = await appOn(t, where)
    const agencyId = await createAgency(app)
    // a submitter's reports are drafts, which writes replace (an accepted report changes only by a correction)
    const submitter = await createKey(app, '报送', 'submitter', ['630223'])
    const write = (url: string, payload: object, headers: Record<string, string> = {}) =>
      app.injectAs(submitter, { method: 'PUT', url, headers, payload })
    const created = json(await write(`/v1/agencies/${agencyId}/reports/2025`, sampleReport(agencyId)))
    t.equal(created.state, 'draft')
    const { agencyId: _a, year: _y, ...body } = sampleReport(agencyId)
    const put = (title: string) => write(`/v1/reports/${created.id}`, { ...body, title }, { 'if-match': '"1"' })
    const answers = await Promise.all([put('甲'), put('乙'), put('丙'), put('丁')])
    const statuses = answers.map((r) => r.statusCode).sort()
    t.same(statuses, [200, 412, 412, 412], 'one replace, three refused')
    const winner = json(answers.find((r) => r.statusCode === 200)!)
    for (const loser of answers.filter((r) => r.statusCode === 412)) t.equal(json(loser).currentRevision, 2)
    const stored = json(await app.inject(`/v1/reports/${created.id}`))
    t.equal(stored.title, winner.title)
    t.equal(stored.revision, 2)
    t.same(
      json(await app.inject(`/v1/reports/${created.id}/revisions`)).items.map((r: { revision: number }) => r.revision),
      [1, 2]
    )

    // natural-key upserts of one (agency, year) at once: one report, every write a revision of it
    const upserts = await Promise.all(
      ['一', '二', '三'].map((title) => write(`/v1/agencies/${agencyId}/reports/2024`, sampleReport(agencyId, { year: 2024, title })))
    )
    // requests sent together have no order of their own (on PostgreSQL their key look-ups run on different
    // pooled connections): one of them creates, each other replaces what the one before it wrote
    t.same(upserts.map((r) => r.statusCode).sort(), [200, 200, 201], 'created once, then replaced')
    t.same(new Set(upserts.map((r) => json(r).id)).size, 1)
    const byRevision = upserts.map((r) => ({ status: r.statusCode, revision: json(r).revision })).sort((a, b) => a.revision - b.revision)
    t.same(
      byRevision,
      [
        { status: 201, revision: 1 },
        { status: 200, revision: 2 },
        { status: 200, revision: 3 }
      ],
      'one revision each, the creation first'
    )
    t.equal(json(await app.inject(`/v1/agencies/${agencyId}/reports`)).items.length, 2)
  })
}
