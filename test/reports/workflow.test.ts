// The life of a report through the API: states and transitions with every role, the gate on submission,
// corrections of accepted reports, what existing writes create, and what the dashboards count.
import t from 'tap'
import { readFileSync } from 'node:fs'
import { buildTestApp, createAgency, json, sampleReport, type TestApp } from '../helper.js'
import { setCell } from '../../src/format/document.js'
import type { ReportInput } from '../../src/format/document.js'

/** A key of a role and scope, made by the admin. */
async function key(app: TestApp, name: string, role: string, regions: string[] = []): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/v1/keys', payload: { name, role, ...(regions.length ? { regions } : {}) } })
  if (res.statusCode !== 201) throw new Error(res.body)
  return json(res).key
}

/** The sample report with two errors: 2 new applications in the total and none in the applicant columns (T3-03), nor in what became of them (T3-01). */
function withError(agencyId: number, year = 2025): ReportInput {
  const doc = sampleReport(agencyId, { year })
  setCell(doc as unknown as Record<string, unknown>, 'applications.newReceived.total', 2)
  setCell(doc as unknown as Record<string, unknown>, 'applications.newReceived.naturalPerson', 0)
  return doc
}

async function setup() {
  const app = await buildTestApp()
  const agency = await createAgency(app, { regionCode: '630223' })
  const keys = {
    submitter: await key(app, '互助县城管局', 'submitter', ['630223']),
    otherSubmitter: await key(app, '北京某局', 'submitter', ['11']),
    reviewer: await key(app, '海东市政务公开办', 'reviewer', ['6302']),
    otherReviewer: await key(app, '北京市政务公开办', 'reviewer', ['11']),
    reader: await key(app, '看板', 'reader'),
    admin: null as unknown as string
  }
  return { app, agency, keys }
}

t.test('draft → submitted → returned → submitted → accepted → corrected, with the right keys only', async (t) => {
  const { app, agency, keys } = await setup()
  t.teardown(() => app.close())
  const move = (k: string | null, id: number, to: string, comment?: string) =>
    (k === null ? app.inject : (o: object) => app.injectAs(k, o as never))({
      method: 'POST',
      url: `/v1/reports/${id}/transitions`,
      payload: { to, ...(comment ? { comment } : {}) }
    } as never)
  const stateOf = async (id: number) => json(await app.inject(`/v1/reports/${id}`)).state
  const countAccepted = async () => json(await app.inject('/v1/aggregates?year=2025&regionCode=630223')).groups[0]?.values.reports ?? 0

  // a submitter's write is a draft; the dashboards do not count it
  const created = await app.injectAs(keys.submitter, {
    method: 'PUT',
    url: `/v1/agencies/${agency}/reports/2025`,
    payload: withError(agency)
  })
  t.equal(created.statusCode, 201)
  const report = json(created)
  t.equal(report.state, 'draft', 'a submitter’s new report is a draft')
  t.equal(report.revision, 1)
  const id = report.id as number
  t.equal(await countAccepted(), 0, 'a draft is not counted by the aggregates')
  t.match(json(await app.inject(`/v1/reports?state=draft`)).items, [{ id, state: 'draft', submittedAt: null, acceptedAt: null }])
  t.same(json(await app.inject(`/v1/reports?state=accepted`)).items, [])

  // the draft may be rewritten by its submitter; it stays a draft
  const rewritten = await app.injectAs(keys.submitter, {
    method: 'PUT',
    url: `/v1/reports/${id}`,
    payload: { ...withError(agency), title: '2025 年度报告（草稿）' }
  })
  t.equal(rewritten.statusCode, 200)
  t.match(json(rewritten), { state: 'draft', revision: 2 })

  // draft → accepted or returned: the state does not allow it, whoever asks
  for (const [k, to] of [
    [keys.reviewer, 'accepted'],
    [null, 'accepted'],
    [keys.reviewer, 'returned']
  ] as const) {
    const res = await move(k, id, to, 'x')
    t.equal(res.statusCode, 409, `draft → ${to} is not a transition`)
    t.match(res.headers['content-type'], /^application\/problem\+json/)
  }
  // draft → submitted: not a reviewer's, not a reader's, not another region's submitter's
  t.equal((await move(keys.reviewer, id, 'submitted')).statusCode, 403, 'a reviewer does not submit')
  t.equal((await move(keys.reader, id, 'submitted')).statusCode, 403, 'a reader does not submit')
  t.equal((await move(keys.otherSubmitter, id, 'submitted')).statusCode, 403, 'a submitter of another region does not submit')
  t.equal(
    (await app.injectAs(null, { method: 'POST', url: `/v1/reports/${id}/transitions`, payload: { to: 'submitted' } })).statusCode,
    401
  )

  // the gate: an error finding without an explanation refuses the submission
  const gated = await move(keys.submitter, id, 'submitted')
  t.equal(gated.statusCode, 422, 'the gate refuses a report with an unexplained error')
  const errors = json(await app.inject(`/v1/findings?reportId=${id}&severity=error`)).items
  t.same(
    errors.map((f: { rule: string }) => f.rule),
    ['T3-01', 'T3-03']
  )
  t.match(errors, [
    { status: 'open', review: null },
    { status: 'open', review: null }
  ])
  t.match(
    json(gated).errors,
    errors.map((f: { id: number; rule: string }) => ({ pointer: `/findings/${f.id}`, rule: f.rule }))
  )
  t.equal(await stateOf(id), 'draft', 'nothing changed')
  // the explanation is its submitter's: a reviewer may not give it
  const explain = (k: string, fid: number, reason?: string) =>
    app.injectAs(k, { method: 'PATCH', url: `/v1/findings/${fid}`, payload: { status: 'explained', ...(reason ? { reason } : {}) } })
  t.equal((await explain(keys.reviewer, errors[0].id, '…')).statusCode, 403)
  t.equal((await explain(keys.otherSubmitter, errors[0].id, '…')).statusCode, 403)
  t.equal((await explain(keys.submitter, errors[0].id)).statusCode, 422, 'an explanation needs its text')
  const explained = await explain(keys.submitter, errors[0].id, '两件申请线下收取，未按申请人类型登记。')
  t.equal(explained.statusCode, 200)
  t.match(json(explained), {
    status: 'explained',
    review: { explanation: '两件申请线下收取，未按申请人类型登记。', keyName: '互助县城管局' }
  })
  const half = await move(keys.submitter, id, 'submitted')
  t.equal(half.statusCode, 422, 'every error needs its explanation')
  t.match(json(half).errors, [{ pointer: `/findings/${errors[1].id}`, rule: 'T3-03' }])
  t.equal(json(half).errors.length, 1)
  t.equal((await explain(keys.submitter, errors[1].id, '同上。')).statusCode, 200)

  const submitted = await move(keys.submitter, id, 'submitted', '请审核')
  t.equal(submitted.statusCode, 200)
  t.match(json(submitted), { id, state: 'submitted', revision: 3 })
  t.equal(submitted.headers.etag, '"3"')
  t.match(json(await app.inject(`/v1/reports?state=submitted`)).items, [{ id, state: 'submitted', submittedAt: String, acceptedAt: null }])
  // under review: its submitter may not change it, nor submit it again
  t.equal((await app.injectAs(keys.submitter, { method: 'PUT', url: `/v1/reports/${id}`, payload: withError(agency) })).statusCode, 409)
  t.equal((await move(keys.submitter, id, 'submitted')).statusCode, 409)

  // submitted → returned: a reviewer of its region, with a comment
  t.equal((await move(keys.submitter, id, 'returned', '自己退回')).statusCode, 403, 'a submitter does not return')
  t.equal((await move(keys.otherReviewer, id, 'returned', '越权')).statusCode, 403, 'a reviewer of another region does not return')
  t.equal((await move(keys.reader, id, 'returned', '只读')).statusCode, 403)
  const noComment = await move(keys.reviewer, id, 'returned')
  t.equal(noComment.statusCode, 422, 'a return needs a comment')
  t.match(json(noComment).errors, [{ pointer: '/comment' }])
  const returned = await move(keys.reviewer, id, 'returned', '请核实表三新收申请数。')
  t.equal(returned.statusCode, 200)
  t.match(json(returned), { state: 'returned', revision: 4 })

  // returned → submitted: its submitter again (the explanation still holds: nothing changed)
  t.equal((await move(keys.reviewer, id, 'submitted')).statusCode, 403)
  t.equal((await move(keys.reviewer, id, 'accepted')).statusCode, 409, 'a returned report is not accepted')
  const resubmitted = await move(keys.submitter, id, 'submitted')
  t.equal(resubmitted.statusCode, 200)
  t.match(json(resubmitted), { state: 'submitted', revision: 5 })

  // submitted → accepted: a reviewer of its region; never a submitter
  t.equal((await move(keys.submitter, id, 'accepted')).statusCode, 403, 'a submitter cannot accept its own report')
  t.equal((await move(keys.otherReviewer, id, 'accepted')).statusCode, 403)
  t.equal((await move(keys.reader, id, 'accepted')).statusCode, 403)
  t.equal(await countAccepted(), 0)
  const accepted = await move(keys.reviewer, id, 'accepted', '同意发布')
  t.equal(accepted.statusCode, 200)
  t.match(json(accepted), { state: 'accepted', revision: 6 })
  t.equal(await countAccepted(), 1, 'accepted: now counted')

  // accepted: no transition, no PUT by its submitter; only a correction with a reason
  for (const to of ['draft', 'submitted', 'returned', 'accepted'])
    t.equal((await move(null, id, to, 'x')).statusCode, 409, `accepted → ${to}`)
  t.equal((await app.injectAs(keys.submitter, { method: 'PUT', url: `/v1/reports/${id}`, payload: sampleReport(agency) })).statusCode, 409)
  const correct = (k: string, body: object) => app.injectAs(k, { method: 'POST', url: `/v1/reports/${id}/corrections`, payload: body })
  const { agencyId: _a, year: _y, ...fixed } = sampleReport(agency)
  t.equal((await correct(keys.submitter, { report: fixed })).statusCode, 422, 'a correction needs its reason')
  t.equal((await correct(keys.submitter, { reason: ' ', report: fixed })).statusCode, 422, 'a blank reason is none')
  t.equal((await correct(keys.reviewer, { reason: '更正', report: fixed })).statusCode, 403, 'a reviewer does not correct')
  t.equal((await correct(keys.otherSubmitter, { reason: '更正', report: fixed })).statusCode, 403)
  const corrected = await correct(keys.submitter, { reason: '更正表三新收申请数（原误填 2）。', report: fixed })
  t.equal(corrected.statusCode, 200)
  t.match(json(corrected), { id, state: 'accepted', revision: 7 })
  t.equal(json(corrected).applications.newReceived.total, 0)
  t.equal(await countAccepted(), 1)
  t.equal(
    json(await app.inject('/v1/aggregates?year=2025&regionCode=630223&metrics=applications.newReceived.total')).groups[0].values[
      'applications.newReceived.total'
    ],
    0,
    'the roll-up holds the corrected figures'
  )

  // the history: who, when, why
  const history = json(await app.inject(`/v1/reports/${id}/revisions`)).items
  t.same(
    history.map((h: Record<string, unknown>) => [h.revision, h.operation, h.fromState, h.state, h.comment, h.keyName]),
    [
      [1, 'created', null, 'draft', null, '互助县城管局'],
      [2, 'replaced', null, 'draft', null, '互助县城管局'],
      [3, 'transition', 'draft', 'submitted', '请审核', '互助县城管局'],
      [4, 'transition', 'submitted', 'returned', '请核实表三新收申请数。', '海东市政务公开办'],
      [5, 'transition', 'returned', 'submitted', null, '互助县城管局'],
      [6, 'transition', 'submitted', 'accepted', '同意发布', '海东市政务公开办'],
      [7, 'corrected', null, 'accepted', '更正表三新收申请数（原误填 2）。', '互助县城管局']
    ]
  )
  for (const h of history) t.match(h.writtenAt, /^\d{4}-\d\d-\d\dT/)
  const rev4 = json(await app.inject(`/v1/reports/${id}/revisions/4`))
  t.match(rev4, { operation: 'transition', state: 'returned', fromState: 'submitted', document: { state: 'returned', revision: 4 } })
  const summary = json(await app.inject(`/v1/reports?agencyId=${agency}`)).items[0]
  t.equal(summary.state, 'accepted')
  t.ok(summary.submittedAt < summary.acceptedAt, 'submitted, then accepted')
})

t.test('withdrawal, a write to a returned report, admin writes, and the four-eyes rule', async (t) => {
  const { app, agency, keys } = await setup()
  t.teardown(() => app.close())
  const move = (k: string, id: number, to: string, comment?: string) =>
    app.injectAs(k, { method: 'POST', url: `/v1/reports/${id}/transitions`, payload: { to, ...(comment ? { comment } : {}) } })

  // an admin's write is accepted at once (and then changes only by a correction: the next test)
  const admin = json(
    await app.inject({ method: 'PUT', url: `/v1/agencies/${agency}/reports/2024`, payload: sampleReport(agency, { year: 2024 }) })
  )
  t.equal(admin.state, 'accepted')

  const id = json(
    await app.injectAs(keys.submitter, { method: 'PUT', url: `/v1/agencies/${agency}/reports/2025`, payload: sampleReport(agency) })
  ).id
  t.equal((await move(keys.submitter, id, 'submitted')).statusCode, 200, 'no error finding: no explanation needed')
  t.equal((await move(keys.reviewer, id, 'draft')).statusCode, 403, 'a reviewer does not withdraw')
  const withdrawn = await move(keys.submitter, id, 'draft')
  t.equal(withdrawn.statusCode, 200, 'its submitter withdraws it')
  t.equal(json(withdrawn).state, 'draft')
  await move(keys.submitter, id, 'submitted')
  await move(keys.reviewer, id, 'returned', '补充说明')
  const rewritten = await app.injectAs(keys.submitter, { method: 'PUT', url: `/v1/reports/${id}`, payload: sampleReport(agency) })
  t.equal(rewritten.statusCode, 200)
  t.equal(json(rewritten).state, 'draft', 'a write to a returned report makes it a draft again')
  const last = json(await app.inject(`/v1/reports/${id}/revisions`)).items.at(-1)
  t.match(last, { operation: 'replaced', fromState: 'returned', state: 'draft' })

  // an admin that submitted a report may not accept it: another key must
  t.equal((await app.inject({ method: 'POST', url: `/v1/reports/${id}/transitions`, payload: { to: 'submitted' } })).statusCode, 200)
  const own = await app.inject({ method: 'POST', url: `/v1/reports/${id}/transitions`, payload: { to: 'accepted' } })
  t.equal(own.statusCode, 403, 'the key that submitted does not accept')
  t.equal((await move(keys.reviewer, id, 'accepted')).statusCode, 200)

  // If-Match guards a transition like a write
  const other = json(
    await app.injectAs(keys.submitter, {
      method: 'PUT',
      url: `/v1/agencies/${agency}/reports/2023`,
      payload: sampleReport(agency, { year: 2023 })
    })
  )
  const stale = await app.injectAs(keys.submitter, {
    method: 'POST',
    url: `/v1/reports/${other.id}/transitions`,
    headers: { 'if-match': '"7"' },
    payload: { to: 'submitted' }
  })
  t.equal(stale.statusCode, 412)
  t.equal((await app.inject(`/v1/reports/${other.id}`)).json().state, 'draft')
  t.equal((await app.inject({ method: 'POST', url: '/v1/reports/999/transitions', payload: { to: 'submitted' } })).statusCode, 404)
  t.equal((await app.inject({ method: 'POST', url: `/v1/reports/${other.id}/transitions`, payload: { to: 'published' } })).statusCode, 422)

  // a reviewer writes nothing else
  t.equal(
    (
      await app.injectAs(keys.reviewer, {
        method: 'PUT',
        url: `/v1/agencies/${agency}/reports/2022`,
        payload: sampleReport(agency, { year: 2022 })
      })
    ).statusCode,
    403
  )
  t.equal(
    (
      await app.injectAs(keys.reviewer, {
        method: 'POST',
        url: '/v1/agencies',
        payload: { name: 'x', regionCode: '630223', level: 'county', kind: 'department' }
      })
    ).statusCode,
    403
  )
})

t.test('an accepted report changes only by a correction: every write path, every role', async (t) => {
  const { app, agency, keys } = await setup()
  t.teardown(() => app.close())
  // one accepted at once (an admin's write), one accepted through review
  const published = json(
    await app.inject({ method: 'PUT', url: `/v1/agencies/${agency}/reports/2024`, payload: sampleReport(agency, { year: 2024 }) })
  )
  t.equal(published.state, 'accepted')
  const reviewed = json(
    await app.injectAs(keys.submitter, { method: 'PUT', url: `/v1/agencies/${agency}/reports/2025`, payload: sampleReport(agency) })
  ).id
  for (const [k, to] of [
    [keys.submitter, 'submitted'],
    [keys.reviewer, 'accepted']
  ] as const) {
    t.equal((await app.injectAs(k, { method: 'POST', url: `/v1/reports/${reviewed}/transitions`, payload: { to } })).statusCode, 200)
  }
  const other = await createAgency(app, { regionCode: '630223' })
  const changed = (year: number) => sampleReport(agency, { year, title: `${year} 年度报告（改动）` })
  const { agencyId: _a, year: _y, ...changedBody } = changed(2024)
  const history = async (id: number) => json(await app.inject(`/v1/reports/${id}/revisions`)).items.length
  const before = {
    published: (await app.inject(`/v1/reports/${published.id}`)).body,
    reviewed: (await app.inject(`/v1/reports/${reviewed}`)).body,
    revisions: [await history(published.id), await history(reviewed)]
  }

  /** a 409 problem naming the report's corrections route, pointing at `pointer` */
  const refused = (
    res: { statusCode: number; headers: Record<string, unknown>; body: string },
    id: number,
    pointer: string,
    what: string
  ) => {
    t.equal(res.statusCode, 409, `${what}: 409`)
    t.match(res.headers['content-type'], /^application\/problem\+json/, `${what}: a problem`)
    const problem = json(res)
    t.equal(
      problem.detail,
      `报告 ${id} 已采纳：只能通过附理由的更正修改（POST /v1/reports/${id}/corrections）。`,
      `${what}: names what to do instead`
    )
    t.match(problem.errors, [{ pointer, message: new RegExp(`/v1/reports/${id}/corrections`) }], `${what}: points at ${pointer}`)
  }
  for (const [who, key] of [
    ['an admin', null],
    ['its submitter', keys.submitter]
  ] as const) {
    const as = (opts: object) => (key === null ? app.inject(opts as never) : app.injectAs(key, opts as never))
    for (const [id, year] of [
      [published.id, 2024],
      [reviewed, 2025]
    ] as const) {
      const { agencyId: _agency, year: _year, ...body } = changed(year)
      refused(await as({ method: 'PUT', url: `/v1/reports/${id}`, payload: body }), id, '/', `${who}: PUT by id of report ${id}`)
      refused(
        await as({ method: 'PUT', url: `/v1/agencies/${agency}/reports/${year}`, payload: changed(year) }),
        id,
        '/',
        `${who}: PUT by natural key of report ${id}`
      )
      refused(await as({ method: 'POST', url: '/v1/reports', payload: changed(year) }), id, '/', `${who}: POST of report ${id}`)
      // a batch: a new report first, the accepted one second; nothing of it is written
      refused(
        await as({ method: 'POST', url: '/v1/reports/batch', payload: { reports: [sampleReport(other, { year: 2023 }), changed(year)] } }),
        id,
        '/reports/1',
        `${who}: a batch item of report ${id}`
      )
    }
  }
  t.equal((await app.inject(`/v1/agencies/${other}/reports/2023`)).statusCode, 404, 'the refused batch wrote nothing')
  // an import committed onto an accepted report: the published page re-read says something else
  const page = readFileSync(new URL('../../examples/report.txt', import.meta.url), 'utf8')
  const importing = (text: string) =>
    app.inject({
      method: 'POST',
      url: `/v1/imports?commit=true&agencyId=${agency}&year=2024`,
      headers: { 'content-type': 'text/plain; charset=utf-8' },
      payload: text
    })
  const reread = await importing(page)
  t.equal(reread.statusCode, 200, 'the page as published reads back as the stored report')
  t.same(json(reread).committed, { reportId: published.id, status: 'unchanged', agencyId: agency, agencyCreated: false })
  const edited = page.replace('2025 年，我局坚持', '2025 年，我局始终坚持')
  t.not(edited, page)
  refused(await importing(edited), published.id, '/', 'an admin’s import of a page that changed')
  // the service itself (the command-line import, the sample data) is held to the same rule
  await t.rejects(
    app.services.reports.putByKey(changed(2024)),
    {
      statusCode: 409,
      message: `Report ${published.id} is accepted: it changes only by a correction with its reason (POST /v1/reports/${published.id}/corrections).`
    },
    'the service itself'
  )
  // keys that may not write there at all get their 403 first
  for (const [who, key] of [
    ['a reviewer', keys.reviewer],
    ['a reader', keys.reader],
    ['a submitter of another region', keys.otherSubmitter]
  ] as const) {
    const res = await app.injectAs(key, { method: 'PUT', url: `/v1/reports/${published.id}`, payload: changedBody })
    t.equal(res.statusCode, 403, `${who}: 403`)
  }
  t.equal(
    (
      await app.injectAs(keys.otherSubmitter, {
        method: 'POST',
        url: `/v1/reports/${published.id}/corrections`,
        payload: { reason: '更正', report: changedBody }
      })
    ).statusCode,
    403,
    'nor may it correct'
  )
  t.same(
    {
      published: (await app.inject(`/v1/reports/${published.id}`)).body,
      reviewed: (await app.inject(`/v1/reports/${reviewed}`)).body,
      revisions: [await history(published.id), await history(reviewed)]
    },
    before,
    'nothing changed'
  )

  // the same content is no change: a re-sync of published reports still answers unchanged
  const same = await app.inject({
    method: 'PUT',
    url: `/v1/agencies/${agency}/reports/2024`,
    payload: sampleReport(agency, { year: 2024 })
  })
  t.equal(same.statusCode, 200)
  t.equal(same.headers['report-unchanged'], 'true')
  const batch = await app.inject({ method: 'POST', url: '/v1/reports/batch', payload: { reports: [sampleReport(agency, { year: 2024 })] } })
  t.same(json(batch).items, [{ index: 0, id: published.id, status: 'unchanged' }])

  // a batch that carries a correction's reason corrects the accepted reports it changes, and writes the others as usual
  const blank = await app.inject({ method: 'POST', url: '/v1/reports/batch', payload: { reports: [changed(2025)], reason: '  ' } })
  t.equal(blank.statusCode, 422)
  t.match(json(blank).errors, [{ pointer: '/reason' }])
  const batched = await app.inject({
    method: 'POST',
    url: '/v1/reports/batch',
    payload: { reports: [sampleReport(other, { year: 2023 }), changed(2025)], reason: '批量更正：标题' }
  })
  t.equal(batched.statusCode, 200)
  t.same(
    json(batched).items.map((i: { index: number; status: string }) => [i.index, i.status]),
    [
      [0, 'created'],
      [1, 'replaced']
    ]
  )
  t.match(json(await app.inject(`/v1/reports/${reviewed}`)), { state: 'accepted', title: '2025 年度报告（改动）' })
  t.match(json(await app.inject(`/v1/reports/${reviewed}/revisions`)).items.at(-1), {
    operation: 'corrected',
    state: 'accepted',
    comment: '批量更正：标题'
  })

  // the correction: a new revision carrying its reason, still accepted
  const corrected = await app.inject({
    method: 'POST',
    url: `/v1/reports/${published.id}/corrections`,
    payload: { reason: '更正：标题与原文不符', report: changedBody }
  })
  t.equal(corrected.statusCode, 200)
  t.match(json(corrected), { state: 'accepted', revision: 2, title: '2024 年度报告（改动）' })
  t.match(json(await app.inject(`/v1/reports/${published.id}/revisions`)).items.at(-1), {
    revision: 2,
    operation: 'corrected',
    state: 'accepted',
    comment: '更正：标题与原文不符',
    keyName: 'bootstrap admin'
  })
})

t.test('reviews of findings survive unchanged re-checks and reopen on change; lists and summaries count by status', async (t) => {
  const { app, agency, keys } = await setup()
  t.teardown(() => app.close())
  const id = json(
    await app.injectAs(keys.submitter, { method: 'PUT', url: `/v1/agencies/${agency}/reports/2025`, payload: withError(agency) })
  ).id
  const findingsOf = async () => json(await app.inject(`/v1/findings?reportId=${id}`)).items as Array<Record<string, any>>
  const t303 = async () => (await findingsOf()).find((f) => f.rule === 'T3-03')!
  const review = (k: string, fid: number, body: object) => app.injectAs(k, { method: 'PATCH', url: `/v1/findings/${fid}`, payload: body })

  const before = await t303()
  t.equal((await review(keys.submitter, before.id, { status: 'confirmed' })).statusCode, 403, 'a submitter does not confirm')
  t.equal((await review(keys.submitter, before.id, { status: 'dismissed', reason: '不是问题' })).statusCode, 403, 'nor dismiss')
  t.equal(
    (await review(keys.otherReviewer, before.id, { status: 'confirmed' })).statusCode,
    403,
    'a reviewer of another region does not review'
  )
  t.equal((await review(keys.reader, before.id, { status: 'confirmed' })).statusCode, 403)
  t.equal((await review(keys.reviewer, before.id, { status: 'dismissed' })).statusCode, 422, 'a dismissal needs its reason')
  t.equal((await review(keys.reviewer, before.id, { status: 'open' })).statusCode, 422)
  t.equal((await review(keys.reviewer, 99999, { status: 'confirmed' })).statusCode, 404)
  t.equal((await review(keys.submitter, before.id, { status: 'explained', reason: '线下收取' })).statusCode, 200)
  const dismissed = await review(keys.reviewer, before.id, { status: 'dismissed', reason: '说明合理' })
  t.equal(dismissed.statusCode, 200)
  t.match(json(dismissed), { status: 'dismissed', review: { reason: '说明合理', explanation: '线下收取', keyName: '海东市政务公开办' } })
  t.match(
    json(await app.inject(`/v1/reports/${id}/findings`)).items.find((f: { rule: string }) => f.rule === 'T3-03'),
    { status: 'dismissed' }
  )

  // the same figures written again (another title): the findings are checked again, the review holds
  const retitled = await app.injectAs(keys.submitter, {
    method: 'PUT',
    url: `/v1/reports/${id}`,
    payload: { ...withError(agency), title: '另一个标题' }
  })
  t.equal(json(retitled).revision, 2, 'a real write')
  const again = await t303()
  t.match(again, { fingerprint: before.fingerprint, status: 'dismissed', review: { reason: '说明合理', explanation: '线下收取' } })
  // a re-check caused by a neighbour (the next year's report) keeps it too
  await app.injectAs(keys.submitter, {
    method: 'PUT',
    url: `/v1/agencies/${agency}/reports/2026`,
    payload: sampleReport(agency, { year: 2026 })
  })
  t.equal((await t303()).status, 'dismissed')

  // summaries and filters by status
  const byStatus = json(await app.inject(`/v1/findings/summary?groupBy=status&reportId=${id}`))
  const all = await findingsOf()
  const open = all.filter((f) => f.status === 'open').length
  t.same(
    byStatus.groups,
    [...(open ? [{ key: 'open', count: open }] : []), { key: 'dismissed', count: 1 }].sort((a, b) => (a.key < b.key ? -1 : 1))
  )
  t.same(
    json(await app.inject(`/v1/findings?status=dismissed&reportId=${id}`)).items.map((f: { id: number }) => f.id),
    [again.id]
  )
  t.equal(json(await app.inject(`/v1/findings/summary?groupBy=rule&status=dismissed`)).total, 1)
  t.same(json(await app.inject(`/v1/findings?status=confirmed`)).items, [])

  // a figure of the finding changes: it is open again, with no review, and the gate asks again
  const changed = withError(agency)
  setCell(changed as unknown as Record<string, unknown>, 'applications.newReceived.total', 3)
  await app.injectAs(keys.submitter, { method: 'PUT', url: `/v1/reports/${id}`, payload: changed })
  t.match(await t303(), { fingerprint: before.fingerprint, status: 'open', review: null })
  const gated = await app.injectAs(keys.submitter, { method: 'POST', url: `/v1/reports/${id}/transitions`, payload: { to: 'submitted' } })
  t.equal(gated.statusCode, 422, 'a reopened error needs a new explanation')
  // and back to the reviewed figures: the old review applies again (it was about those figures)
  await app.injectAs(keys.submitter, { method: 'PUT', url: `/v1/reports/${id}`, payload: withError(agency) })
  t.equal((await t303()).status, 'dismissed')
  // a confirmation keeps the submitter's explanation; the CSV carries the review
  const confirmed = await review(keys.reviewer, (await t303()).id, { status: 'confirmed' })
  t.match(json(confirmed), { status: 'confirmed', review: { reason: null, explanation: '线下收取' } })
  const csv = (await app.inject({ url: `/v1/findings?reportId=${id}&status=confirmed`, headers: { accept: 'text/csv' } })).body
  t.match(csv.split('\r\n')[0] ?? csv.split('\n')[0], /审核状态,审核意见,情况说明/)
  t.match(csv, /,confirmed,,线下收取/)
})

t.test('the role matrix: every pair of states, every kind of key', async (t) => {
  const { app, keys } = await setup()
  t.teardown(() => app.close())
  const STATES = ['draft', 'submitted', 'returned', 'accepted'] as const
  type State = (typeof STATES)[number]
  // who may make each allowed move; every other pair is a 409 whoever asks (past the 401 and the reader's 403)
  const ALLOWED: Record<string, string[]> = {
    'draft→submitted': ['admin', 'submitter'],
    'submitted→accepted': ['admin', 'reviewer'],
    'submitted→returned': ['admin', 'reviewer'],
    'submitted→draft': ['admin', 'submitter'],
    'returned→submitted': ['admin', 'submitter'],
    'returned→draft': ['admin', 'submitter']
  }
  const ROLES: Array<[string, string | null | undefined]> = [
    ['admin', undefined],
    ['submitter', keys.submitter],
    ['otherSubmitter', keys.otherSubmitter],
    ['reviewer', keys.reviewer],
    ['otherReviewer', keys.otherReviewer],
    ['reader', keys.reader],
    ['none', null]
  ]
  const move = (key: string | null | undefined, id: number, to: string) => {
    const opts = { method: 'POST' as const, url: `/v1/reports/${id}/transitions`, payload: { to, comment: '请核实' } }
    return key === undefined ? app.inject(opts) : app.injectAs(key, opts)
  }
  /** a fresh report of the submitter's (an agency of its own), brought to `state` */
  const reportIn = async (state: State): Promise<number> => {
    const agency = await createAgency(app, { regionCode: '630223' })
    const res = await app.injectAs(keys.submitter, {
      method: 'PUT',
      url: `/v1/agencies/${agency}/reports/2025`,
      payload: sampleReport(agency)
    })
    const id = json(res).id as number
    const path: Record<State, Array<[string, string]>> = {
      draft: [],
      submitted: [[keys.submitter, 'submitted']],
      returned: [
        [keys.submitter, 'submitted'],
        [keys.reviewer, 'returned']
      ],
      accepted: [
        [keys.submitter, 'submitted'],
        [keys.reviewer, 'accepted']
      ]
    }
    for (const [key, to] of path[state]) if ((await move(key, id, to)).statusCode !== 200) throw new Error(`${id} → ${to}`)
    return id
  }
  const stateOf = async (id: number) => json(await app.inject(`/v1/reports/${id}`)).state
  let cells = 0
  for (const from of STATES) {
    const shared = await reportIn(from)
    for (const to of STATES) {
      const allowed = ALLOWED[`${from}→${to}`]
      for (const [role, key] of ROLES) {
        const expected = role === 'none' ? 401 : role === 'reader' ? 403 : !allowed ? 409 : allowed.includes(role) ? 200 : 403
        const id = expected === 200 ? await reportIn(from) : shared
        const res = await move(key, id, to)
        t.equal(res.statusCode, expected, `${from} → ${to} by ${role}`)
        t.equal(await stateOf(id), expected === 200 ? to : from, `${from} → ${to} by ${role}: the state after`)
        cells++
      }
    }
  }
  t.equal(cells, 4 * 4 * 7, 'every pair of states by every kind of key')
})
