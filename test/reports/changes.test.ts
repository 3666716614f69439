// The change feed: a mirror that follows GET /v1/changes while concurrent writers create, replace, move along
// their life, review, delete reports and change agencies ends equal to the source, and sees every change once,
// in commit order.
import t from 'tap'
import { buildTestApp, correctReport, createAgency, json, sampleReport, type TestApp } from '../helper.js'

interface Mirror {
  cursor: string | undefined
  seen: number[]
  reports: Map<number, string>
  findings: Map<number, string>
  agencies: Map<number, string>
}

/** One round of the mirror's loop: follow `next` to the end, re-read what each change names, keep `cursor`. */
async function sync(app: TestApp, mirror: Mirror) {
  for (;;) {
    const res = await app.inject(`/v1/changes?limit=7${mirror.cursor ? `&cursor=${mirror.cursor}` : ''}`)
    if (res.statusCode !== 200) throw new Error(res.body)
    const page = json(res)
    const reports = new Set<number>()
    const agencies = new Set<number>()
    for (const change of page.items) {
      mirror.seen.push(change.seq)
      if (change.reportId !== null) reports.add(change.reportId)
      if (change.kind.startsWith('agency.')) agencies.add(change.agencyId)
    }
    for (const id of reports) {
      const doc = await app.inject(`/v1/reports/${id}`)
      if (doc.statusCode === 404) {
        mirror.reports.delete(id)
        mirror.findings.delete(id)
        continue
      }
      mirror.reports.set(id, doc.body)
      mirror.findings.set(id, (await app.inject(`/v1/reports/${id}/findings`)).body)
    }
    for (const id of agencies) {
      const agency = await app.inject(`/v1/agencies/${id}`)
      if (agency.statusCode === 404) mirror.agencies.delete(id)
      else mirror.agencies.set(id, agency.body)
    }
    mirror.cursor = page.cursor
    if (page.next === null) return
    t.equal(page.next, page.cursor, 'next continues where this page ended')
  }
}

/** Everything the source holds now, as the mirror keeps it. */
async function source(app: TestApp) {
  const reports = new Map<number, string>()
  const findings = new Map<number, string>()
  const agencies = new Map<number, string>()
  for (let cursor: string | null = ''; cursor !== null; ) {
    const page: { items: Array<{ id: number }>; next: string | null } = json(
      await app.inject(`/v1/reports?limit=500${cursor ? `&cursor=${cursor}` : ''}`)
    )
    for (const r of page.items) {
      reports.set(r.id, (await app.inject(`/v1/reports/${r.id}`)).body)
      findings.set(r.id, (await app.inject(`/v1/reports/${r.id}/findings`)).body)
    }
    cursor = page.next
  }
  for (let cursor: string | null = ''; cursor !== null; ) {
    const page: { items: Array<{ id: number }>; next: string | null } = json(
      await app.inject(`/v1/agencies?limit=500${cursor ? `&cursor=${cursor}` : ''}`)
    )
    for (const a of page.items) agencies.set(a.id, (await app.inject(`/v1/agencies/${a.id}`)).body)
    cursor = page.next
  }
  return { reports, findings, agencies }
}

t.test('a mirror following the change feed ends equal to the source after a concurrent write storm', async (t) => {
  const app = await buildTestApp()
  t.teardown(() => app.close())
  const submitter = json(
    await app.inject({ method: 'POST', url: '/v1/keys', payload: { name: '报送', role: 'submitter', regions: ['63'] } })
  ).key
  const reviewer = json(
    await app.inject({ method: 'POST', url: '/v1/keys', payload: { name: '审核', role: 'reviewer', regions: ['63'] } })
  ).key
  const agencies = [
    await createAgency(app, { regionCode: '630223' }),
    await createAgency(app, { regionCode: '630202' }),
    await createAgency(app, { regionCode: '630121' }),
    await createAgency(app, { regionCode: '630200', level: 'prefectural', kind: 'government' })
  ]
  const mirror: Mirror = { cursor: undefined, seen: [], reports: new Map(), findings: new Map(), agencies: new Map() }
  await sync(app, mirror)

  const ok = (res: { statusCode: number; body: string }, ...codes: number[]) => {
    if (!codes.includes(res.statusCode)) throw new Error(`${res.statusCode} ${res.body}`)
    return res
  }
  // each writer: a report's whole life, or an admin's writes, corrections and deletes, or agency changes
  const lifeOf = async (agencyId: number, year: number) => {
    const id = json(
      ok(
        await app.injectAs(submitter, {
          method: 'PUT',
          url: `/v1/agencies/${agencyId}/reports/${year}`,
          payload: sampleReport(agencyId, { year })
        }),
        201
      )
    ).id
    ok(
      await app.injectAs(submitter, {
        method: 'PUT',
        url: `/v1/reports/${id}`,
        payload: sampleReport(agencyId, { year, title: `${year} 年度报告（修改）` })
      }),
      200
    )
    ok(await app.injectAs(submitter, { method: 'POST', url: `/v1/reports/${id}/transitions`, payload: { to: 'submitted' } }), 200)
    ok(
      await app.injectAs(reviewer, {
        method: 'POST',
        url: `/v1/reports/${id}/transitions`,
        payload: { to: 'returned', comment: '请补充' }
      }),
      200
    )
    ok(await app.injectAs(submitter, { method: 'POST', url: `/v1/reports/${id}/transitions`, payload: { to: 'submitted' } }), 200)
    const items = json(await app.inject(`/v1/findings?reportId=${id}`)).items
    if (items.length)
      ok(await app.injectAs(reviewer, { method: 'PATCH', url: `/v1/findings/${items[0].id}`, payload: { status: 'confirmed' } }), 200)
    ok(await app.injectAs(reviewer, { method: 'POST', url: `/v1/reports/${id}/transitions`, payload: { to: 'accepted' } }), 200)
  }
  const adminWrites = async (agencyId: number, year: number) => {
    const id = json(
      ok(
        await app.inject({ method: 'PUT', url: `/v1/agencies/${agencyId}/reports/${year}`, payload: sampleReport(agencyId, { year }) }),
        201
      )
    ).id
    // an admin's report is accepted at once: it changes by a correction
    ok(await correctReport(app, id, sampleReport(agencyId, { year, publishedAt: `${year + 1}-01-20` }), '更正发布日期'), 200)
    if (year % 2 === 0) ok(await app.inject({ method: 'DELETE', url: `/v1/reports/${id}` }), 204)
  }
  const agencyChanges = async (i: number) => {
    const id = await createAgency(app, { regionCode: '630222' })
    ok(await app.inject({ method: 'PATCH', url: `/v1/agencies/${id}`, payload: { name: `改名后的局${i}` } }), 200)
    if (i % 2 === 0) ok(await app.inject({ method: 'DELETE', url: `/v1/agencies/${id}` }), 204)
  }
  let writing = true
  const writers = Promise.all([
    ...[2021, 2022, 2023].flatMap((year) => [lifeOf(agencies[0], year), lifeOf(agencies[1], year)]),
    ...[2020, 2021, 2022, 2023, 2024].map((year) => adminWrites(agencies[2], year)),
    adminWrites(agencies[3], 2024),
    ...[0, 1, 2, 3].map(agencyChanges)
  ]).finally(() => {
    writing = false
  })
  // the mirror polls while the storm goes on
  let rounds = 0
  while (writing) {
    await sync(app, mirror)
    rounds++
    await new Promise((resolve) => setImmediate(resolve))
  }
  await writers
  await sync(app, mirror)
  t.ok(rounds > 1, `the mirror polled during the writes (${rounds} rounds)`)

  // every change once, in order
  t.same(
    mirror.seen,
    [...mirror.seen].sort((a, b) => a - b),
    'changes come in sequence order'
  )
  t.equal(new Set(mirror.seen).size, mirror.seen.length, 'no change is served twice')
  const kinds = new Set(json(await app.inject('/v1/changes?limit=500')).items.map((c: { kind: string }) => c.kind))
  t.same([...kinds].sort(), [
    'agency.deleted',
    'agency.written',
    'finding.reviewed',
    'findings.checked',
    'report.deleted',
    'report.state',
    'report.written'
  ])

  const truth = await source(app)
  t.equal(truth.reports.size, 6 + 2, 'the storm left its reports (six lives, two of five admin reports)')
  t.same(
    [...mirror.reports.keys()].sort((a, b) => a - b),
    [...truth.reports.keys()].sort((a, b) => a - b),
    'the same reports'
  )
  for (const [id, doc] of truth.reports) t.equal(mirror.reports.get(id), doc, `report ${id} as the source has it`)
  for (const [id, items] of truth.findings) t.equal(mirror.findings.get(id), items, `report ${id}'s findings and reviews`)
  t.same(
    [...mirror.agencies.keys()].sort((a, b) => a - b),
    [...truth.agencies.keys()].sort((a, b) => a - b),
    'the same agencies'
  )
  for (const [id, body] of truth.agencies) t.equal(mirror.agencies.get(id), body, `agency ${id}`)
  for (const doc of mirror.reports.values()) t.equal(JSON.parse(doc).state, 'accepted')

  // an empty page keeps the cursor; a bad cursor is a 400 naming it
  const idle = json(await app.inject(`/v1/changes?cursor=${mirror.cursor}`))
  t.same(idle, { items: [], next: null, cursor: mirror.cursor })
  const bad = await app.inject('/v1/changes?cursor=nonsense')
  t.equal(bad.statusCode, 400)
  t.match(json(bad).errors, [{ parameter: 'cursor' }])
})

t.test('a reader who may not see the last changes is not made to read them again on every poll', async (t) => {
  const app = await buildTestApp()
  t.teardown(() => app.close())
  const submitter = json(
    await app.inject({ method: 'POST', url: '/v1/keys', payload: { name: '报送', role: 'submitter', regions: ['63'] } })
  ).key
  const agency = await createAgency(app, { regionCode: '630223' })
  const accepted = json(
    await app.inject({ method: 'PUT', url: `/v1/agencies/${agency}/reports/2020`, payload: sampleReport(agency, { year: 2020 }) })
  ).id
  const anonymous = async (cursor?: string, limit = 3) => {
    const res = await app.injectAs(null, `/v1/changes?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`)
    t.equal(res.statusCode, 200)
    return json(res) as {
      items: Array<{ seq: number; reportId: number | null; state: string | null }>
      next: string | null
      cursor: string
    }
  }
  const everything = async () => json(await app.inject('/v1/changes?limit=500'))

  // the anonymous reader has read to the end; then drafts are written and rewritten, which it may not see
  let page = await anonymous()
  while (page.next !== null) page = await anonymous(page.next)
  const before = page.cursor
  const drafts: number[] = []
  for (const year of [2021, 2022, 2023]) {
    const res = await app.injectAs(submitter, {
      method: 'PUT',
      url: `/v1/agencies/${agency}/reports/${year}`,
      payload: sampleReport(agency, { year })
    })
    t.equal(res.statusCode, 201)
    drafts.push(json(res).id)
    t.equal(
      (
        await app.injectAs(submitter, {
          method: 'PUT',
          url: `/v1/reports/${json(res).id}`,
          payload: sampleReport(agency, { year, title: `${year} 年度报告（修改）` })
        })
      ).statusCode,
      200
    )
  }
  const all = await everything()
  t.ok(all.items.filter((c: { reportId: number }) => drafts.includes(c.reportId)).length >= 6, 'the drafts wrote changes')

  // its next poll finds nothing it may see, and its cursor moves past the drafts' changes: the same cursor as a
  // reader who sees everything holds at the end
  const idle = await anonymous(before)
  t.same(idle.items, [])
  t.equal(idle.next, null)
  t.not(idle.cursor, before, 'the cursor moved past the changes it may not see')
  t.equal(idle.cursor, all.cursor, 'to the last change there is')
  const again = await anonymous(idle.cursor)
  t.same(again, { items: [], next: null, cursor: idle.cursor }, 'an empty page after it keeps the cursor')

  // nothing it may see is passed over: a draft accepted later is a change after the cursor
  await app.injectAs(submitter, { method: 'POST', url: `/v1/reports/${drafts[0]}/transitions`, payload: { to: 'submitted' } })
  t.equal((await app.inject({ method: 'POST', url: `/v1/reports/${drafts[0]}/transitions`, payload: { to: 'accepted' } })).statusCode, 200)
  const after = await anonymous(idle.cursor)
  t.same(
    after.items.map((c) => [c.reportId, c.state]),
    [[drafts[0], 'accepted']],
    'the acceptance, and not the submission before it'
  )
  t.equal(after.next, null)
  t.equal(after.cursor, (await everything()).cursor)

  // a page that is full ends at its last item, whatever the reader may not see after it
  const visible = (await anonymous(undefined, 500)).items
  t.ok(
    visible.some((c) => c.reportId === accepted),
    'the accepted report is in the feed'
  )
  const first = await anonymous(undefined, visible.length - 1)
  t.same(first.items, visible.slice(0, -1))
  t.equal(first.next, first.cursor)
  const rest = await anonymous(first.next!)
  t.same(rest.items, visible.slice(-1), 'the last visible change on the next page')
})
