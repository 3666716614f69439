// Aggregates and statistics by report state: accepted reports by default, any one state or all on request, and
// never stale — a transition, a correction or a delete moves a report's figures in the same transaction,
// whichever source answers (the roll-ups, or report_cells when grouped by agency).
import t from 'tap'
import { buildConsistentReport } from '../../src/checks/consistent-report.js'
import { buildTestApp, createAgency, json, type TestApp } from '../helper.js'

const FEE = 'proactive.fees.amountWanYuan'

async function key(app: TestApp, name: string, role: string, regions: string[]): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/v1/keys', payload: { name, role, regions } })
  if (res.statusCode !== 201) throw new Error(`${res.statusCode} ${res.body}`)
  return json(res).key
}

function withFee(agencyId: number, wanYuan: number, granted: number) {
  const doc = buildConsistentReport(
    '2021',
    { 'applications.outcomes.granted.naturalPerson': granted },
    { agencyId, year: 2025 }
  ) as unknown as {
    proactive: { fees: { amountWanYuan: number } }
  }
  doc.proactive.fees.amountWanYuan = wanYuan
  return doc
}

t.test('a draft counts only when asked for, and moves with every transition', async (t) => {
  const app = await buildTestApp()
  t.teardown(() => app.close())
  const submitter = await key(app, '互助县某局', 'submitter', ['630223'])
  const reviewer = await key(app, '海东市政务公开办', 'reviewer', ['6302'])
  const published = await createAgency(app, { regionCode: '630223' })
  const drafting = await createAgency(app, { regionCode: '630223' })

  // an admin's report is accepted at once; a submitter's is a draft
  const put = (k: string | null, agency: number, fee: number, granted: number) => {
    const request = { method: 'PUT' as const, url: `/v1/agencies/${agency}/reports/2025`, payload: withFee(agency, fee, granted) }
    return k ? app.injectAs(k, request) : app.inject(request)
  }
  t.equal((await put(null, published, 10.5, 4)).statusCode, 201)
  const created = await put(submitter, drafting, 0.25, 3)
  t.equal(created.statusCode, 201)
  const id = json(created).id as number
  t.equal(json(created).state, 'draft')

  const q = `/v1/aggregates?metrics=reports,${FEE},applications.newReceived.total&year=2025&regionCode=630223`
  /** [reports, fee, newReceived] of the grand total, from the roll-up and from report_cells (grouped by agency) */
  const figures = async (state?: string) => {
    const suffix = state ? `&state=${state}` : ''
    const res = await app.inject(`${q}${suffix}`)
    t.equal(res.statusCode, 200)
    const g = json(res).groups[0]
    const total = g ? [g.reports, g.values[FEE], g.values['applications.newReceived.total']] : [0, null, null]
    const byAgency = json(await app.inject(`${q}&groupBy=agency${suffix}`)).groups as Array<{
      reports: number
      values: Record<string, number>
    }>
    const sum = (f: (g: { reports: number; values: Record<string, number> }) => number) =>
      byAgency.length ? byAgency.reduce((s, g) => s + f(g), 0) : null
    const cells = [
      byAgency.length ? sum((g) => g.reports) : 0,
      sum((g) => g.values[FEE] * 1_000_000),
      sum((g) => g.values['applications.newReceived.total'])
    ]
    t.same(
      [cells[0], cells[1] === null ? null : cells[1] / 1_000_000, cells[2]],
      total,
      `state=${state ?? '(default)'}: both sources agree`
    )
    return total
  }
  const statistics = async (state?: string) =>
    json(await app.inject(`/v1/statistics?item=${FEE}&year=2025&regionCode=630223${state ? `&state=${state}` : ''}`)).items.map(
      (r: { reportId: number; value: number }) => r.value
    )

  t.same(await figures(), [1, 10.5, 4], 'by default: the accepted report only')
  t.same(await figures('accepted'), [1, 10.5, 4])
  t.same(await figures('draft'), [1, 0.25, 3], 'state=draft: the draft')
  t.same(await figures('submitted'), [0, null, null])
  t.same(await figures('all'), [2, 10.75, 7], 'state=all: both')
  t.same(await statistics(), [10.5], 'statistics: accepted by default')
  t.same(await statistics('draft'), [0.25])
  t.same(await statistics('all'), [10.5, 0.25])

  // a rewritten draft moves within the draft figures
  t.equal((await put(submitter, drafting, 0.5, 5)).statusCode, 200)
  t.same(await figures('draft'), [1, 0.5, 5], 'the rewritten draft')
  t.same(await figures(), [1, 10.5, 4], 'the accepted figures unchanged')

  const move = async (k: string, to: string, comment?: string) => {
    const res = await app.injectAs(k, {
      method: 'POST',
      url: `/v1/reports/${id}/transitions`,
      payload: { to, ...(comment ? { comment } : {}) }
    })
    t.equal(res.statusCode, 200, `→ ${to}`)
  }
  await move(submitter, 'submitted')
  t.same(await figures('draft'), [0, null, null], 'submitted: no longer a draft')
  t.same(await figures('submitted'), [1, 0.5, 5])
  await move(reviewer, 'returned', '请补充说明')
  t.same(await figures('submitted'), [0, null, null])
  t.same(await figures('returned'), [1, 0.5, 5], 'returned')
  await move(submitter, 'submitted')
  t.same(await figures('returned'), [0, null, null])
  await move(reviewer, 'accepted')
  t.same(await figures(), [2, 11, 9], 'accepted: counted by default at once')
  t.same(await figures('submitted'), [0, null, null])
  t.same(await figures('all'), [2, 11, 9])
  t.same(await statistics(), [10.5, 0.5])

  // a correction replaces the accepted figures
  const corrected = await app.injectAs(submitter, {
    method: 'POST',
    url: `/v1/reports/${id}/corrections`,
    payload: { reason: '收费金额更正', report: withFee(drafting, 1.25, 5) }
  })
  t.equal(corrected.statusCode, 200, json(corrected).detail)
  t.same(await figures(), [2, 11.75, 9], 'the correction’s figures')

  // a delete removes them
  t.equal((await app.inject({ method: 'DELETE', url: `/v1/reports/${id}` })).statusCode, 204)
  t.same(await figures(), [1, 10.5, 4])
  t.same(await figures('all'), [1, 10.5, 4])
})

t.test('an unknown state is a 400 naming the parameter', async (t) => {
  const app = await buildTestApp()
  t.teardown(() => app.close())
  for (const url of ['/v1/aggregates?state=published', '/v1/statistics?item=proactive.fees.amountWanYuan&state=x']) {
    const res = await app.inject(url)
    t.equal(res.statusCode, 400, url)
    t.match(res.headers['content-type'], /^application\/problem\+json/)
    t.match(res.body, /state/)
  }
})

t.test('figures of reports not yet accepted are no more public than the reports', async (t) => {
  const app = await buildTestApp()
  t.teardown(() => app.close())
  const submitter = await key(app, '互助县某局', 'submitter', ['630223'])
  const reviewer = await key(app, '海东市政务公开办', 'reviewer', ['6302'])
  const reader = await key(app, '读者', 'reader', [])
  const agency = await createAgency(app, { regionCode: '630223' })
  const draft = await app.injectAs(submitter, { method: 'PUT', url: `/v1/agencies/${agency}/reports/2025`, payload: withFee(agency, 7, 3) })
  t.equal(draft.statusCode, 201, 'a submitter’s draft')

  const feeOf = (res: { body: string }) =>
    (JSON.parse(res.body) as { groups: Array<{ values: Record<string, number> }> }).groups[0]?.values[FEE]
  const cases: Array<[string | null, string, number]> = [
    // anonymous, a reader: drafts' figures refused whatever the filter, accepted ones as ever
    [null, `/v1/aggregates?metrics=${FEE}&state=draft`, 403],
    [null, `/v1/aggregates?metrics=${FEE}&state=all&regionCode=630223`, 403],
    [null, `/v1/statistics?item=${FEE}&state=draft&regionCode=630223`, 403],
    [null, `/v1/aggregates?metrics=${FEE}`, 200],
    [reader, `/v1/aggregates?metrics=${FEE}&state=draft&regionCode=630223`, 403],
    // a scoped key: within its scope only
    [submitter, `/v1/aggregates?metrics=${FEE}&state=draft&regionCode=630223`, 200],
    [submitter, `/v1/aggregates?metrics=${FEE}&state=draft&regionCode=6302`, 403],
    [submitter, `/v1/aggregates?metrics=${FEE}&state=draft`, 403],
    [reviewer, `/v1/aggregates?metrics=${FEE}&state=draft&regionCode=630223`, 200],
    [reviewer, `/v1/statistics?item=${FEE}&state=all&regionCode=6302`, 200],
    [reviewer, `/v1/aggregates?metrics=${FEE}&state=draft&regionCode=63`, 403]
  ]
  for (const [k, url, status] of cases) {
    const res = await app.injectAs(k, url)
    t.equal(
      res.statusCode,
      status,
      `${k === null ? 'anonymous' : k === reader ? 'reader' : k === submitter ? 'submitter' : 'reviewer'} ${url}`
    )
    if (status === 403) {
      t.match(res.headers['content-type'], /^application\/problem\+json/)
      const state = /state=(\w+)/.exec(url)![1]
      t.match(
        JSON.parse(res.body).detail,
        state === 'draft' ? /^“草稿”状态报告的数字/ : /^“all”状态报告的数字/,
        'the detail names the state, in Chinese by default'
      )
    }
  }
  const scoped = await app.injectAs(submitter, `/v1/aggregates?metrics=${FEE}&state=draft&regionCode=630223`)
  t.equal(feeOf(scoped), 7, 'the draft’s fee, to its own submitter')
  const admin = await app.inject(`/v1/aggregates?metrics=${FEE}&state=draft`)
  t.equal(admin.statusCode, 200)
  t.equal(feeOf(admin), 7, 'an admin sees every state')
})
