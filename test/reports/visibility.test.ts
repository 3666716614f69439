// Who reads a report that has never been accepted: its drafts, submissions and returns are not public. An
// admin reads everything; a submitter or reviewer key reads what its scope covers; a reader key and a request
// without a key read accepted reports only — by id, by key, in every output, in lists, findings, the change
// feed and the history.
import t from 'tap'
import { buildTestApp, createAgency, createKey, json, sampleReport, type TestApp } from '../helper.js'

async function setup() {
  const app = await buildTestApp()
  const agency = await createAgency(app, { regionCode: '630223' })
  const keys = {
    submitter: await createKey(app, '互助县城管局', 'submitter', ['630223']),
    reviewer: await createKey(app, '海东市政务公开办', 'reviewer', ['6302']),
    otherSubmitter: await createKey(app, '北京某局', 'submitter', ['11']),
    otherReviewer: await createKey(app, '北京市政务公开办', 'reviewer', ['11']),
    reader: await createKey(app, '看板', 'reader')
  }
  // 2025: a draft; 2024: submitted; 2023: accepted through review (its history holds a draft and a submission)
  const write = async (year: number) =>
    json(
      await app.injectAs(keys.submitter, {
        method: 'PUT',
        url: `/v1/agencies/${agency}/reports/${year}`,
        payload: sampleReport(agency, { year })
      })
    ).id as number
  const move = async (key: string, id: number, to: string) => {
    const res = await app.injectAs(key, { method: 'POST', url: `/v1/reports/${id}/transitions`, payload: { to } })
    if (res.statusCode !== 200) throw new Error(res.body)
  }
  const draft = await write(2025)
  const submitted = await write(2024)
  await move(keys.submitter, submitted, 'submitted')
  const accepted = await write(2023)
  await move(keys.submitter, accepted, 'submitted')
  await move(keys.reviewer, accepted, 'accepted')
  // an admin's report of 2022: accepted at once
  const published = json(
    await app.inject({ method: 'PUT', url: `/v1/agencies/${agency}/reports/2022`, payload: sampleReport(agency, { year: 2022 }) })
  ).id as number
  return { app, agency, keys, reports: { draft, submitted, accepted, published } }
}

/** `null`: no key; `undefined`: the admin key (the test app's default) */
const as = (app: TestApp, key: string | null | undefined, url: string) => (key === undefined ? app.inject(url) : app.injectAs(key, url))

t.test('a report never accepted is read by the keys whose scope covers it, and by nobody else', async (t) => {
  const { app, agency, keys, reports } = await setup()
  t.teardown(() => app.close())
  const { draft, submitted, accepted, published } = reports
  const hidden = [
    [draft, 2025],
    [submitted, 2024]
  ] as const
  const readers: Array<[string, string | null | undefined, boolean]> = [
    ['the admin', undefined, true],
    ['its submitter', keys.submitter, true],
    ['a reviewer of its region', keys.reviewer, true],
    ['a submitter of another region', keys.otherSubmitter, false],
    ['a reviewer of another region', keys.otherReviewer, false],
    ['a reader key', keys.reader, false],
    ['no key', null, false]
  ]
  for (const [who, key, sees] of readers) {
    const status = sees ? 200 : 404
    for (const [id, year] of hidden) {
      for (const url of [
        `/v1/reports/${id}`,
        `/v1/reports/${id}?output=csv`,
        `/v1/reports/${id}?output=html`,
        `/v1/reports/${id}?output=md`,
        `/v1/reports/${id}?output=xlsx`,
        `/v1/agencies/${agency}/reports/${year}`,
        `/v1/agencies/${agency}/reports/${year}?output=csv`,
        `/v1/reports/${id}/findings`,
        `/v1/reports/${id}/revisions`,
        `/v1/reports/${id}/revisions/1`
      ]) {
        const res = await as(app, key, url)
        t.equal(res.statusCode, status, `${who}: ${url}`)
        if (!sees) {
          t.match(res.headers['content-type'], /^application\/problem\+json/, `${who}: ${url} is a problem`)
          t.notOk(res.body.includes(sampleReport(agency).title as string), `${who}: ${url} tells nothing of it`)
        }
      }
    }
    // accepted reports are public
    for (const id of [accepted, published]) t.equal((await as(app, key, `/v1/reports/${id}`)).statusCode, 200, `${who}: accepted ${id}`)

    // lists: the reports it may read, in every state filter and output
    const listed = json(await as(app, key, `/v1/reports?agencyId=${agency}`)).items.map((r: { id: number }) => r.id)
    t.same(listed, sees ? [draft, submitted, accepted, published] : [accepted, published], `${who}: GET /v1/reports`)
    const byAgency = json(await as(app, key, `/v1/agencies/${agency}/reports`)).items.map((r: { id: number }) => r.id)
    t.same(byAgency, listed, `${who}: the agency's reports`)
    t.same(
      json(await as(app, key, '/v1/reports?state=draft')).items.map((r: { id: number }) => r.id),
      sees ? [draft] : [],
      `${who}: state=draft`
    )
    const csv = (await as(app, key, `/v1/reports?agencyId=${agency}&output=csv`)).body.trim().split('\n')
    t.equal(csv.length, 1 + listed.length, `${who}: the CSV list`)

    // findings of the reports it may read only (the sample report has an info finding or more)
    const findings = json(await as(app, key, `/v1/findings?agencyId=${agency}&limit=500`)).items
    const ofReports = [...new Set(findings.map((f: { reportId: number }) => f.reportId))].sort((a, b) => (a as number) - (b as number))
    t.same(
      ofReports,
      sees ? [draft, submitted, accepted, published].sort((a, b) => a - b) : [accepted, published].sort((a, b) => a - b),
      `${who}: findings`
    )
    const counted = json(await as(app, key, `/v1/findings/summary?groupBy=severity&agencyId=${agency}`)).groups
    t.equal(
      counted.reduce((n: number, g: { count: number }) => n + g.count, 0),
      findings.length,
      `${who}: the findings summary counts what the list shows`
    )
    t.same(json(await as(app, key, `/v1/findings?reportId=${draft}`)).items.length > 0, sees, `${who}: findings of the draft`)

    // the change feed: changes of reports it may not read are left out
    const changes = json(await as(app, key, '/v1/changes?limit=500')).items as Array<{ reportId: number | null; state: string | null }>
    const aboutHidden = changes.filter((c) => c.reportId === draft || c.reportId === submitted)
    t.equal(aboutHidden.length > 0, sees, `${who}: changes of the draft and the submission`)
    t.ok(
      changes.filter((c) => c.reportId === accepted).every((c) => sees || c.state === 'accepted'),
      `${who}: the accepted report's changes before its acceptance only when it may read them`
    )
    t.ok(
      changes.some((c) => c.reportId === accepted && c.state === 'accepted'),
      `${who}: the acceptance itself is public`
    )
  }
})

t.test('the history of an accepted report: its public revisions for everyone, the rest for its scope', async (t) => {
  const { app, keys, reports } = await setup()
  t.teardown(() => app.close())
  const { accepted } = reports
  const entries = (key: string | null | undefined) =>
    as(app, key, `/v1/reports/${accepted}/revisions`).then((res) =>
      json(res).items.map((e: { revision: number; operation: string; state: string }) => [e.revision, e.operation, e.state])
    )
  const whole = [
    [1, 'created', 'draft'],
    [2, 'transition', 'submitted'],
    [3, 'transition', 'accepted']
  ]
  t.same(await entries(undefined), whole, 'the admin')
  t.same(await entries(keys.submitter), whole, 'its submitter')
  t.same(await entries(keys.reviewer), whole, 'its reviewer')
  for (const [who, key] of [
    ['no key', null],
    ['a reader key', keys.reader],
    ['a submitter of another region', keys.otherSubmitter]
  ] as const) {
    t.same(await entries(key), [[3, 'transition', 'accepted']], `${who}: the accepted revision only`)
    t.equal((await as(app, key, `/v1/reports/${accepted}/revisions/1`)).statusCode, 404, `${who}: not the draft's document`)
    t.equal((await as(app, key, `/v1/reports/${accepted}/revisions/3`)).statusCode, 200, `${who}: the accepted document`)
  }
  t.equal((await app.injectAs(keys.submitter, `/v1/reports/${accepted}/revisions/1`)).statusCode, 200, 'its submitter reads the draft')

  // a deleted report: its history stays readable as it was, the tombstone public when the report was
  t.equal((await app.inject({ method: 'DELETE', url: `/v1/reports/${accepted}` })).statusCode, 204)
  t.same(await entries(null), [
    [3, 'transition', 'accepted'],
    [4, 'deleted', null]
  ])
  t.same(await entries(keys.submitter), [...whole, [4, 'deleted', null]])
  t.equal((await app.inject({ method: 'DELETE', url: `/v1/reports/${reports.draft}` })).statusCode, 204)
  t.equal((await app.injectAs(null, `/v1/reports/${reports.draft}/revisions`)).statusCode, 404, 'a deleted draft stays private')
  t.equal((await app.injectAs(keys.submitter, `/v1/reports/${reports.draft}/revisions`)).statusCode, 200)
})

t.test('a conditional read (If-None-Match) of a report never accepted: a 304 only for the keys that may read it', async (t) => {
  const { app, agency, keys, reports } = await setup()
  t.teardown(() => app.close())
  // a 304 is decided from the report's row: its document is not read (counted here)
  const service = app.services.reports
  const readWhole = { byId: service.documentById, byKey: service.documentByKey }
  let wholeReads = 0
  service.documentById = (...args) => {
    wholeReads++
    return readWhole.byId(...args)
  }
  service.documentByKey = (...args) => {
    wholeReads++
    return readWhole.byKey(...args)
  }
  const conditional = (key: string | null | undefined, url: string, tag: string, accept?: string) => {
    const headers: Record<string, string> = { 'if-none-match': tag, ...(accept ? { accept } : {}) }
    return key === undefined ? app.inject({ url, headers }) : app.injectAs(key, { url, headers })
  }
  for (const url of [`/v1/reports/${reports.draft}`, `/v1/agencies/${agency}/reports/2025`]) {
    const full = await app.injectAs(keys.submitter, url)
    const tag = full.headers.etag as string
    t.match(tag, /^"\d+"$/)
    for (const [who, key] of [
      ['its submitter', keys.submitter],
      ['the admin', undefined]
    ] as const) {
      const reads = wholeReads
      const res = await conditional(key, url, tag)
      t.equal(res.statusCode, 304, `${url}: ${who} holds the current tag`)
      t.equal(wholeReads, reads, 'without reading the document')
      t.equal(res.headers.etag, tag)
      t.equal(res.headers['cache-control'], full.headers['cache-control'])
      t.equal(res.body, '')
    }
    for (const [who, key] of [
      ['no key', null],
      ['a reader', keys.reader],
      ['another region’s submitter', keys.otherSubmitter]
    ] as const) {
      const res = await conditional(key, url, tag)
      t.equal(res.statusCode, 404, `${url}: ${who} learns nothing, not even that the tag is current`)
      t.notOk(res.headers.etag)
    }
    const reads = wholeReads
    const stale = await conditional(keys.submitter, url, '"999"')
    t.equal(stale.statusCode, 200, 'another revision: the whole document')
    t.equal(wholeReads, reads + 1, 'read once')
    t.equal(stale.body, full.body)
    const html = await conditional(keys.submitter, url, tag, 'text/html')
    t.equal(html.statusCode, 200, 'another output is rendered whole')
  }
  // a write moves the revision: the old tag gets the new document
  const before = await app.injectAs(keys.submitter, `/v1/reports/${reports.draft}`)
  const changed = sampleReport(agency, { year: 2025 })
  changed.sections = { ...changed.sections, overview: `${changed.sections?.overview ?? ''}（修订）` }
  t.equal((await app.injectAs(keys.submitter, { method: 'PUT', url: `/v1/reports/${reports.draft}`, payload: changed })).statusCode, 200)
  const after = await conditional(keys.submitter, `/v1/reports/${reports.draft}`, before.headers.etag as string)
  t.equal(after.statusCode, 200)
  t.not(after.headers.etag, before.headers.etag)
})
