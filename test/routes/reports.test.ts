import t from 'tap'
import { readFileSync } from 'node:fs'
import { buildTestApp, correctReport, createAgency, createKey, json, sampleReport, countRows } from '../helper.js'
import { report2019 } from '../fixtures/report-2019.js'
import { CELLS, cellsOf } from '../../src/format/registry.js'
import { getCell, setCell, type ReportInput } from '../../src/format/document.js'
import { parseCsv } from '../fixtures/parse-csv.js'
import { createReportRepository } from '../../db/repositories/reports.js'
import type { Executor, SqlValue } from '../../db/engines/engine.js'
import { encodeCursor } from '../../src/pagination.js'

const expected = JSON.parse(readFileSync(new URL('../fixtures/reports/huzhu-urban-management-2025.expected.json', import.meta.url), 'utf8'))

t.test('the sample report round-trips every published cell', async (t) => {
  const app = await buildTestApp()
  t.teardown(() => app.close())
  const agencyId = await createAgency(app, expected.agency)
  const body = sampleReport(agencyId)
  const res = await app.inject({ method: 'POST', url: '/v1/reports', payload: body })
  t.equal(res.statusCode, 201)
  const id = json(res).id
  t.equal(res.headers.location, `/v1/reports/${id}`)
  for (const url of [`/v1/reports/${id}`, `/v1/agencies/${agencyId}/reports/2025`]) {
    const got = await app.inject(url)
    t.equal(got.statusCode, 200)
    t.equal(got.headers['content-type'], 'application/json; charset=utf-8')
    const doc = json(got)
    let checked = 0
    for (const cell of cellsOf('2021')) {
      t.equal(getCell(doc, cell), getCell(expected, cell), cell.code)
      checked++
    }
    t.equal(checked, 200)
    t.match(doc, { id, agencyId, year: 2025, format: '2021', scope: 'own', publishedAt: '2026-01-19', revision: 1 })
    t.ok(doc.sections.overview.startsWith(expected.sections.overviewStartsWith))
    t.ok(doc.sections.problems.startsWith(expected.sections.problemsStartsWith))
    t.equal(doc.sections.otherMatters, expected.sections.otherMatters)
  }
})

t.test('a 2019 report round-trips: negative change, nulls, procurement amount', async (t) => {
  const app = await buildTestApp()
  t.teardown(() => app.close())
  const agencyId = await createAgency(app)
  const body = report2019(agencyId)
  const res = await app.inject({ method: 'PUT', url: `/v1/agencies/${agencyId}/reports/2020`, payload: body })
  t.equal(res.statusCode, 201)
  const doc = json(await app.inject(`/v1/reports/${json(res).id}`))
  for (const cell of CELLS) {
    const want = cell.formats.includes('2019') || cell.table === 'applications' ? getCell(body as never, cell) : undefined
    if (want === undefined) t.equal(getCell(doc, cell), null, `${cell.code} is not a 2019 cell`)
    else t.equal(getCell(doc, cell), want, cell.code)
  }
  t.equal(doc.proactive.licensing.change, -7)
  t.equal(doc.proactive.otherServices.decisions, null)
  t.equal(doc.proactive.procurement.amountYuan, 1234567.89)
  t.equal(doc.applications.outcomes.denied.stateSecret.commercialEnterprise, null)
  t.equal(doc.applications.outcomes.other.unpaidFee.total, null)
  t.notOk('inForce' in doc.proactive.regulations, '2021 columns are absent from a 2019 report')
  const stored = await app.engine.get(
    'SELECT proactive_procurement_amount_yuan AS yuan, proactive_licensing_change AS change FROM report_cells'
  )
  t.same(stored, { yuan: 123456789, change: -7 }, 'money is stored as integer 分')
})

t.test('natural-key PUT is idempotent; POST on an existing year is a 409', async (t) => {
  const app = await buildTestApp()
  t.teardown(() => app.close())
  const agencyId = await createAgency(app)
  const body = sampleReport(agencyId)
  const first = await app.inject({ method: 'PUT', url: `/v1/agencies/${agencyId}/reports/2025`, payload: body })
  t.equal(first.statusCode, 201)
  const second = await app.inject({ method: 'PUT', url: `/v1/agencies/${agencyId}/reports/2025`, payload: body })
  t.equal(second.statusCode, 200)
  const a = json(first)
  const b = json(second)
  t.equal(a.id, b.id)
  const strip = (d: Record<string, unknown>) => ({ ...d, revision: 0, updatedAt: '' })
  t.same(strip(b), strip(a), 'same content')
  const list = json(await app.inject(`/v1/agencies/${agencyId}/reports`))
  t.equal(list.items.length, 1, 'one report')

  const dup = await app.inject({ method: 'POST', url: '/v1/reports', payload: body })
  t.equal(dup.statusCode, 409)
  t.match(json(dup), { status: 409, type: '/problems/conflict' })

  const mismatch = await app.inject({ method: 'PUT', url: `/v1/agencies/${agencyId}/reports/2024`, payload: body })
  t.equal(mismatch.statusCode, 422)
  t.same(json(mismatch).errors, [{ pointer: '/year', message: '必须是网址中的年度 2024，或省略' }])
})

t.test('a write of the stored content changes nothing: same revision, same ETag, Report-Unchanged', async (t) => {
  const app = await buildTestApp()
  t.teardown(() => app.close())
  const agencyId = await createAgency(app)
  const url = `/v1/agencies/${agencyId}/reports/2025`
  const body = sampleReport(agencyId)
  const first = await app.inject({ method: 'PUT', url, payload: body })
  t.equal(first.statusCode, 201)
  t.equal(first.headers['report-unchanged'], undefined)
  const revisions = async (id: number) => json(await app.inject(`/v1/reports/${id}/revisions`)).items.length
  const { id } = json(first)

  // the same body again, by key and by id, and the same document with its server fields as read back
  const again = await app.inject({ method: 'PUT', url, payload: body })
  t.equal(again.statusCode, 200)
  t.equal(again.headers['report-unchanged'], 'true')
  t.equal(again.headers.etag, first.headers.etag, 'the same ETag')
  t.equal(again.body, first.body, 'the stored document, as it was')
  const byId = await app.inject({
    method: 'PUT',
    url: `/v1/reports/${id}`,
    payload: { ...json(first), id: undefined, revision: undefined, createdAt: undefined, updatedAt: undefined, state: undefined }
  })
  t.equal(byId.statusCode, 200)
  t.equal(byId.headers['report-unchanged'], 'true')
  t.equal(byId.headers.etag, first.headers.etag)
  t.equal(await revisions(id), 1, 'no revision written')
  const conditional = await app.inject({ url: `/v1/reports/${id}`, headers: { 'if-none-match': first.headers.etag as string } })
  t.equal(conditional.statusCode, 304, 'a cached copy stays valid')

  // If-Match still applies to an unchanged write
  const stale = await app.inject({ method: 'PUT', url, payload: body, headers: { 'if-match': '"2"' } })
  t.equal(stale.statusCode, 412)

  // changed text: the admin's report is accepted, so a PUT is refused and a correction is a new revision, with a new ETag
  const changed = sampleReport(agencyId)
  changed.sections.otherMatters = '本年度未收取信息处理费。另：更正一处文字。'
  t.equal((await app.inject({ method: 'PUT', url, payload: changed })).statusCode, 409)
  t.equal(await revisions(id), 1, 'nothing written')
  const replaced = await correctReport(app, id, changed, '更正一处文字')
  t.equal(replaced.statusCode, 200)
  t.equal(replaced.headers['report-unchanged'], undefined)
  t.not(replaced.headers.etag, first.headers.etag)
  t.equal(json(replaced).revision, 2)
  t.equal(await revisions(id), 2)
})

t.test('replace and delete by id', async (t) => {
  const app = await buildTestApp()
  t.teardown(() => app.close())
  const agencyId = await createAgency(app)
  // a submitter's report is a draft, which a PUT replaces (an accepted one changes by a correction)
  const submitter = await createKey(app, '报送', 'submitter', ['630223'])
  const created = json(await app.injectAs(submitter, { method: 'POST', url: '/v1/reports', payload: sampleReport(agencyId) }))
  t.equal(created.state, 'draft')
  const changed = sampleReport(agencyId)
  changed.proactive = { ...changed.proactive, penalty: { decisions: 46 } }
  const replaced = await app.injectAs(submitter, {
    method: 'PUT',
    url: `/v1/reports/${created.id}`,
    payload: { ...changed, agencyId: undefined, year: undefined }
  })
  t.equal(replaced.statusCode, 200)
  t.equal(json(replaced).proactive.penalty.decisions, 46)
  t.equal(json(replaced).revision, 2)
  t.equal(json(replaced).createdAt, created.createdAt)
  t.equal((await app.inject({ method: 'DELETE', url: `/v1/reports/${created.id}` })).statusCode, 204)
  t.equal((await app.inject(`/v1/reports/${created.id}`)).statusCode, 404)
  t.equal((await app.inject({ method: 'DELETE', url: `/v1/reports/${created.id}` })).statusCode, 404)
})

t.test('batch upserts all or nothing', async (t) => {
  const app = await buildTestApp()
  t.teardown(() => app.close())
  const agencies = [await createAgency(app), await createAgency(app), await createAgency(app)]
  const ok = await app.inject({
    method: 'POST',
    url: '/v1/reports/batch',
    payload: { reports: agencies.map((id) => sampleReport(id)) }
  })
  t.equal(ok.statusCode, 200)
  t.same(
    json(ok).items.map((i: { index: number; status: string }) => [i.index, i.status]),
    [
      [0, 'created'],
      [1, 'created'],
      [2, 'created']
    ]
  )

  const before = await app.engine.all(
    'SELECT r.id, r.revision, v.document FROM reports r JOIN report_revisions v ON v.report_id = r.id ORDER BY r.id, v.revision'
  )
  const bad = agencies.map((id) => sampleReport(id))
  ;(bad[2].applications as Record<string, Record<string, unknown>>).newReceived.total = 'many'
  bad[1].agencyId = 999999
  const rejected = await app.inject({
    method: 'POST',
    url: '/v1/reports/batch',
    payload: { reports: [...bad, sampleReport(agencies[0], { year: 2024 })] }
  })
  t.equal(rejected.statusCode, 422)
  t.same(
    json(rejected).errors.map((e: { pointer: string }) => e.pointer),
    ['/reports/2/applications/newReceived/total']
  )
  const missingAgency = await app.inject({
    method: 'POST',
    url: '/v1/reports/batch',
    payload: { reports: [sampleReport(agencies[0], { year: 2024 }), bad[1]] }
  })
  t.equal(missingAgency.statusCode, 422)
  t.same(json(missingAgency).errors, [{ pointer: '/reports/1/agencyId', message: '机关 999999 不存在' }])
  t.same(
    await app.engine.all(
      'SELECT r.id, r.revision, v.document FROM reports r JOIN report_revisions v ON v.report_id = r.id ORDER BY r.id, v.revision'
    ),
    before,
    'nothing changed'
  )

  const changed = sampleReport(agencies[0], { title: '2025年政府信息公开工作年度报告（修订）' })
  const replaced = await app.inject({
    method: 'POST',
    url: '/v1/reports/batch',
    // the admin's reports are accepted: the batch corrects them, with its reason
    payload: { reports: [changed, sampleReport(agencies[0], { year: 2024 }), sampleReport(agencies[1])], reason: '更正标题' }
  })
  t.same(
    json(replaced).items.map((i: { status: string }) => i.status),
    ['replaced', 'created', 'unchanged']
  )
  t.same(
    (await app.engine.all<{ revision: number }>('SELECT revision FROM reports WHERE agency_id = ? ORDER BY year', [agencies[1]])).map(
      (r) => r.revision
    ),
    [1],
    'the unchanged report kept its revision'
  )
  const twice = await app.inject({
    method: 'POST',
    url: '/v1/reports/batch',
    payload: { reports: [sampleReport(agencies[0]), sampleReport(agencies[0])] }
  })
  t.equal(twice.statusCode, 422)
  t.same(json(twice).errors, [{ pointer: '/reports/1', message: '与 /reports/0 的机关和年度相同' }])
})

t.test('report list filters and summaries', async (t) => {
  const app = await buildTestApp()
  t.teardown(() => app.close())
  const county = await createAgency(app, { regionCode: '630223', level: 'county', kind: 'department' })
  const city = await createAgency(app, { name: '海东市人民政府', regionCode: '630200', level: 'prefectural', kind: 'government' })
  const r1 = json(await app.inject({ method: 'POST', url: '/v1/reports', payload: sampleReport(county) })).id
  const r2 = json(await app.inject({ method: 'POST', url: '/v1/reports', payload: report2019(county, 2020) })).id
  const r3 = json(await app.inject({ method: 'POST', url: '/v1/reports', payload: sampleReport(city, { scope: 'aggregate' }) })).id
  const ids = async (qs: string) => {
    const res = await app.inject(`/v1/reports?${qs}`)
    t.equal(res.statusCode, 200, qs)
    return json(res).items.map((x: { id: number }) => x.id)
  }
  t.same(await ids(''), [r1, r2, r3])
  t.same(await ids('year=2025'), [r1, r3])
  t.same(await ids('yearFrom=2021&yearTo=2025'), [r1, r3])
  t.same(await ids('yearTo=2020'), [r2])
  t.same(await ids('format=2019'), [r2])
  t.same(await ids('scope=aggregate'), [r3])
  t.same(await ids('regionCode=630223'), [r1, r2])
  t.same(await ids('level=prefectural'), [r3])
  t.same(await ids('kind=department'), [r1, r2])
  t.same(await ids(`agencyId=${city}`), [r3])
  t.same(await ids('sort=-year'), [r3, r1, r2])
  const summary = json(await app.inject(`/v1/reports?agencyId=${city}`)).items[0]
  t.same(Object.keys(summary).sort(), [
    'acceptedAt',
    'agencyId',
    'agencyName',
    'errorCount',
    'format',
    'id',
    'publishedAt',
    'regionCode',
    'scope',
    'state',
    'submittedAt',
    'updatedAt',
    'warningCount',
    'year'
  ])
  t.match(summary, {
    id: r3,
    agencyId: city,
    agencyName: '海东市人民政府',
    regionCode: '630200',
    year: 2025,
    format: '2021',
    scope: 'aggregate',
    publishedAt: '2026-01-19'
  })
  // written by an admin: accepted at once, never submitted
  t.match(summary, { state: 'accepted', submittedAt: null, acceptedAt: summary.updatedAt })
  const page = json(await app.inject('/v1/reports?limit=2'))
  t.equal(page.items.length, 2)
  const rest = json(await app.inject(`/v1/reports?limit=2&cursor=${page.next}`))
  t.same(
    rest.items.map((x: { id: number }) => x.id),
    [r3]
  )
  t.equal(rest.next, null)
  t.equal((await app.inject({ method: 'DELETE', url: `/v1/agencies/${county}` })).statusCode, 409, 'an agency with reports is kept')
})

t.test('a page of summaries written by the database is byte for byte the serializer’s', async (t) => {
  const app = await buildTestApp()
  t.teardown(() => app.close())
  const service = app.services.reports
  t.equal(typeof service.listText, app.engine.kind === 'sqlite' ? 'function' : 'undefined', 'SQLite writes the page; PostgreSQL does not')
  const names = ['引号"与\\反斜杠局', '表情😀与𠀀局', "单引号'局 <b>&amp;</b>", '海东市人民政府']
  const agencies = []
  for (const [i, name] of names.entries())
    agencies.push(await createAgency(app, { name, regionCode: i % 2 ? '630102' : '630223', level: 'county', kind: 'department' }))
  for (const agency of agencies) {
    for (const year of [2024, 2025]) {
      const res = await app.inject({ method: 'POST', url: '/v1/reports', payload: sampleReport(agency, { year }) })
      t.equal(res.statusCode, 201)
    }
  }
  // a draft (never accepted: null dates) and a report without a publication date
  const submitter = await createKey(app, '报送', 'submitter', ['630223'])
  const other = await createAgency(app, { regionCode: '630223' })
  t.equal(
    (await app.injectAs(submitter, { method: 'POST', url: '/v1/reports', payload: sampleReport(other, { publishedAt: undefined }) }))
      .statusCode,
    201
  )
  const queries = [
    '',
    'limit=3',
    'sort=-id&limit=2',
    'sort=year&limit=5',
    'sort=-updatedAt&limit=4',
    'regionCode=63&year=2025',
    'regionCode=630223&year=2025&limit=1',
    'regionCode=63',
    'year=2030',
    'state=draft',
    'hasErrors=false&scope=own&format=2021'
  ]
  const bodies = async (as?: string) => {
    const out: string[] = []
    for (const q of queries) {
      let url = `/v1/reports?${q}`
      for (let page = 0; page < 4; page++) {
        const res = as ? await app.injectAs(as, url) : await app.inject(url)
        t.equal(res.statusCode, 200, url)
        t.equal(res.headers['content-type'], 'application/json; charset=utf-8', url)
        out.push(res.body)
        const next = json(res).next
        if (next === null) break
        url = `/v1/reports?${q}${q ? '&' : ''}cursor=${next}`
      }
    }
    return out
  }
  const written = [...(await bodies()), ...(await bodies(submitter))]
  const listText = service.listText
  service.listText = undefined
  t.teardown(() => {
    service.listText = listText
  })
  const serialized = [...(await bodies()), ...(await bodies(submitter))]
  t.equal(written.length, serialized.length)
  for (const [i, body] of serialized.entries()) t.equal(written[i], body, `page ${i}`)
  t.ok(
    written.some((b) => b.includes('引号\\"与\\\\反斜杠局')) && written.some((b) => b.includes('"acceptedAt":null')),
    'escapes and nulls were among them'
  )
})

t.test('a province’s pages of a year list, for every reader, what the year’s list holds in that province, in id order', async (t) => {
  const app = await buildTestApp()
  t.teardown(() => app.close())
  const codes = ['630223', '110105', '630102', '632221', '650102', '630223', '110105']
  for (const code of codes) {
    const agency = await createAgency(app, { regionCode: code })
    for (const year of [2024, 2025]) {
      t.equal((await app.inject({ method: 'POST', url: '/v1/reports', payload: sampleReport(agency, { year }) })).statusCode, 201)
    }
  }
  // drafts (never accepted): only their scope's keys and the admin see them
  const submitter = await createKey(app, '报送', 'submitter', ['630223'])
  for (const code of ['630223', '630223', '630102']) {
    const agency = await createAgency(app, { regionCode: code })
    const res = await app.injectAs(submitter, { method: 'POST', url: '/v1/reports', payload: sampleReport(agency, { year: 2025 }) })
    t.equal(res.statusCode, code === '630223' ? 201 : 403, code)
  }
  const ADMIN = undefined
  const ids = async (query: string, as: string | null | undefined) => {
    const out: Array<{ id: number; regionCode: string; state: string }> = []
    let next: string | null = null
    do {
      const url: string = `/v1/reports?${query}${next === null ? '' : `&cursor=${next}`}`
      // inject() sends the admin key; injectAs(null) none
      const res = as === undefined ? await app.inject(url) : await app.injectAs(as, url)
      t.equal(res.statusCode, 200, url)
      const page = json(res) as { items: typeof out; next: string | null }
      out.push(...page.items)
      next = page.next
    } while (next !== null)
    return out
  }
  for (const [name, as] of [
    ['anonymous', null],
    ['admin', ADMIN],
    ['a key of 630223', submitter]
  ] as const) {
    for (const state of ['', '&state=accepted', '&state=draft']) {
      const year = (await ids(`year=2025&limit=100${state}`, as)).filter((s) => s.regionCode.startsWith('63'))
      const pages = await ids(`regionCode=63&year=2025&limit=2${state}`, as)
      t.same(
        pages.map((s) => s.id),
        year.map((s) => s.id),
        `${name}${state}`
      )
      t.same(
        pages.map((s) => s.id),
        [...pages.map((s) => s.id)].sort((a, b) => a - b),
        'in id order'
      )
      t.same(await ids(`regionCode=63&year=2025&limit=100${state}`, as), pages, 'one page or many')
    }
  }
  t.equal((await ids('regionCode=63&year=2025&limit=100&state=draft', ADMIN)).length, 2, 'the drafts were among them')
  t.equal((await ids('regionCode=63&year=2025&limit=100&state=draft', null)).length, 0, 'and hidden from the anonymous')
})

t.test('on SQLite a province’s page of a year, for a reader who sees accepted reports only, is a range of one index', async (t) => {
  const app = await buildTestApp()
  t.teardown(() => app.close())
  const { engine } = app
  if (engine.kind !== 'sqlite') return t.pass('a plan of SQLite’s')
  const asked: Array<[string, readonly SqlValue[]]> = []
  const recording: Executor = {
    remote: false,
    all: (sql, params = [], options) => {
      asked.push([sql, params])
      return engine.all(sql, params, options)
    },
    get: (sql, params, options) => engine.get(sql, params, options),
    run: (sql, params) => engine.run(sql, params)
  }
  const cursor = encodeCursor({ s: 'id', v: 10, id: 10 })
  const reader = { all: false as const, regions: [], agencies: [] }
  await createReportRepository().listText(recording, {
    regionCode: '63',
    year: 2025,
    limit: 50,
    cursor,
    visibility: reader
  })
  const [sql, params] = asked[0]
  const plan = (await engine.all<{ detail: string }>(`EXPLAIN QUERY PLAN ${sql}`, params)).map((r) => r.detail).join('\n')
  t.match(plan, /SEARCH r USING INDEX reports_year_province_idx \(year=\? AND <expr>=\? AND state=\? AND id>\?\)/, plan)
  t.notMatch(plan, /TEMP B-TREE|agencies/, 'the page’s rows in order, without a sort or an agency')
})

t.test('a list by region and year reads the reports’ own region codes, which follow their agency when it moves', async (t) => {
  const app = await buildTestApp()
  t.teardown(() => app.close())
  const huzhu = await createAgency(app, { regionCode: '630223' })
  const xining = await createAgency(app, { regionCode: '630102' })
  const chaoyang = await createAgency(app, { regionCode: '110105' })
  const created: Record<string, number> = {}
  for (const year of [2024, 2025])
    for (const [name, agency] of Object.entries({ huzhu, xining, chaoyang })) {
      const res = await app.inject({ method: 'POST', url: '/v1/reports', payload: sampleReport(agency, { year }) })
      t.equal(res.statusCode, 201)
      created[`${name}${year}`] = json(res).id
    }
  const page = async (qs: string) => {
    const res = await app.inject(`/v1/reports?${qs}`)
    t.equal(res.statusCode, 200, qs)
    return json(res) as { items: Array<{ id: number; regionCode: string; agencyId: number }>; next: string | null }
  }
  const ids = async (qs: string) => (await page(qs)).items.map((x) => x.id)
  /** every page of a list, followed by its cursors, `limit` at a time */
  const walk = async (qs: string, limit: number) => {
    const seen: number[] = []
    let next: string | null = null
    do {
      const p = await page(`${qs}&limit=${limit}${next ? `&cursor=${next}` : ''}`)
      seen.push(...p.items.map((x) => x.id))
      next = p.next
    } while (next !== null)
    return seen
  }
  const { huzhu2024, huzhu2025, xining2024, xining2025, chaoyang2024, chaoyang2025 } = created
  t.same(await ids('regionCode=63&year=2025'), [huzhu2025, xining2025])
  t.same(await ids('regionCode=630223&year=2024'), [huzhu2024])
  t.same(await ids('regionCode=63&year=2025&sort=-id'), [xining2025, huzhu2025])
  t.same(await walk('regionCode=63&year=2025', 1), [huzhu2025, xining2025], 'one at a time, by cursor')
  t.same(await walk('regionCode=63&year=2025&sort=-updatedAt', 1), [xining2025, huzhu2025], 'by update time, newest first')
  t.same(await walk('regionCode=63&year=2025&sort=year', 1), [huzhu2025, xining2025], 'by year, ties by id')
  t.same(await ids('regionCode=63&year=2025&level=county&kind=department'), [huzhu2025, xining2025], 'with filters on the agency')
  t.same(await ids('regionCode=63'), [huzhu2024, xining2024, huzhu2025, xining2025], 'a region without a year')
  // the same page from the index of reports and from the region's agencies: the same bytes
  const byYear = await app.inject('/v1/reports?regionCode=63&year=2025')
  const byAgency = await app.inject('/v1/reports?regionCode=63&yearFrom=2025&yearTo=2025')
  t.equal(byYear.body, byAgency.body)

  // a move that is refused changes nothing; one that is made takes the reports along, in its transaction
  const refused = await app.inject({
    method: 'PATCH',
    url: `/v1/agencies/${huzhu}`,
    headers: { 'if-match': '"99"' },
    payload: { regionCode: '110105' }
  })
  t.equal(refused.statusCode, 412)
  t.same(await ids('regionCode=63&year=2025'), [huzhu2025, xining2025])
  const moved = await app.inject({ method: 'PATCH', url: `/v1/agencies/${huzhu}`, payload: { regionCode: '110105' } })
  t.equal(moved.statusCode, 200)
  t.same(await ids('regionCode=63&year=2025'), [xining2025])
  t.same(await ids('regionCode=11&year=2025'), [huzhu2025, chaoyang2025])
  t.same(await ids('regionCode=11&year=2024'), [huzhu2024, chaoyang2024])
  t.same(
    (await page('regionCode=11&year=2025')).items.map((x) => x.regionCode),
    ['110105', '110105']
  )
  t.equal(
    await countRows(app, 'reports r', 'r.region_code <> (SELECT a.region_code FROM agencies a WHERE a.id = r.agency_id)'),
    0,
    'every report carries its agency’s region'
  )
})

t.test('errors are problem+json, name the field and change nothing', async (t) => {
  const app = await buildTestApp({ bodyLimit: 64 * 1024 })
  t.teardown(() => app.close())
  const agencyId = await createAgency(app)
  const problem = (res: { statusCode: number; headers: Record<string, unknown>; body: string }, status: number) => {
    t.equal(res.statusCode, status)
    t.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8')
    const body = json(res)
    t.equal(body.status, status)
    t.type(body.title, 'string')
    t.type(body.detail, 'string')
    t.type(body.type, 'string')
    return body
  }
  problem(await app.inject('/v1/reports/abc'), 400)
  problem(await app.inject('/v1/reports/12345'), 404)
  problem(await app.inject('/v1/nothing'), 404)
  problem(
    await app.inject({ method: 'POST', url: '/v1/reports', headers: { 'content-type': 'application/json' }, payload: '{"agencyId":' }),
    400
  )
  problem(await app.inject({ method: 'POST', url: '/v1/reports', headers: { 'content-type': 'text/csv' }, payload: 'a,b' }), 415)
  problem(await app.inject({ method: 'POST', url: '/v1/reports', payload: { ...sampleReport(agencyId), pad: 'x'.repeat(70 * 1024) } }), 413)

  const unknown = problem(
    await app.inject({ method: 'POST', url: '/v1/reports', payload: { ...sampleReport(agencyId), colour: 'red' } }),
    422
  )
  t.same(unknown.errors, [{ pointer: '/colour', message: '不是已知的字段' }])
  const nested = sampleReport(agencyId)
  ;(nested.applications as Record<string, Record<string, unknown>>).newReceived.elderly = 3
  t.same(problem(await app.inject({ method: 'POST', url: '/v1/reports', payload: nested }), 422).errors, [
    { pointer: '/applications/newReceived/elderly', message: '不是已知的字段' }
  ])
  const asString = sampleReport(agencyId)
  ;(asString.applications as Record<string, Record<string, unknown>>).newReceived.total = '0'
  t.same(problem(await app.inject({ method: 'POST', url: '/v1/reports', payload: asString }), 422).errors, [
    { pointer: '/applications/newReceived/total', message: '必须是整数，空白单元格填 null' }
  ])
  const wrongFormat = sampleReport(agencyId, { format: '2019' })
  const errors = problem(await app.inject({ method: 'POST', url: '/v1/reports', payload: wrongFormat }), 422).errors
  t.ok(
    errors.some((e: { pointer: string }) => e.pointer === '/proactive/regulations/issued'),
    'a 2021 column in a 2019 report'
  )
  t.ok(
    errors.some((e: { pointer: string }) => e.pointer === '/proactive/otherServices/previousItems'),
    'a missing 2019 cell'
  )
  const missingCell = sampleReport(agencyId)
  delete (missingCell.applications as Record<string, Record<string, unknown>>).carriedOver.total
  t.same(problem(await app.inject({ method: 'POST', url: '/v1/reports', payload: missingCell }), 422).errors, [
    { pointer: '/applications/carriedOver/total', message: '必填' }
  ])
  const fee = sampleReport(agencyId)
  fee.proactive = { ...fee.proactive, fees: { amountWanYuan: 0.1234567 } }
  t.match(problem(await app.inject({ method: 'POST', url: '/v1/reports', payload: fee }), 422).errors, [
    { pointer: '/proactive/fees/amountWanYuan' }
  ])
  problem(await app.inject({ method: 'POST', url: '/v1/reports', payload: sampleReport(424242) }), 422)
  t.equal(await countRows(app, 'reports'), 0, 'nothing stored')
})

t.test('reports are exported as HTML, Markdown and CSV by Accept or output', async (t) => {
  const app = await buildTestApp()
  t.teardown(() => app.close())
  const agencyId = await createAgency(app, { name: '互助县城市管理综合行政执法局' })
  const id = json(await app.inject({ method: 'POST', url: '/v1/reports', payload: sampleReport(agencyId) })).id

  const html = await app.inject({ url: `/v1/reports/${id}`, headers: { accept: 'text/html,application/xhtml+xml;q=0.9' } })
  t.equal(html.statusCode, 200)
  t.equal(html.headers['content-type'], 'text/html; charset=utf-8')
  t.match(html.body, /^<!doctype html>/i)
  t.match(html.body, /data-cell="proactive\.licensing\.decisions"[^>]*>78</)
  t.match(html.body, /data-cell="proactive\.penalty\.decisions"[^>]*>45</)
  t.match(html.body, /互助县城市管理综合行政执法局/)

  const md = await app.inject(`/v1/agencies/${agencyId}/reports/2025?output=md`)
  t.equal(md.headers['content-type'], 'text/markdown; charset=utf-8')
  t.match(md.body, /## 一、总体情况/)
  t.match(md.body, /\| 行政许可 \| 78 \|/)

  const csv = await app.inject({ url: `/v1/reports/${id}?bom=true`, headers: { accept: 'text/csv' } })
  t.equal(csv.headers['content-type'], 'text/csv; charset=utf-8')
  t.match(String(csv.headers['content-disposition']), /^attachment; filename="report-\d+-2025\.csv"$/)
  t.equal(csv.body.charCodeAt(0), 0xfeff, 'BOM when asked')
  const lines = csv.body.slice(1).trim().split('\r\n')
  t.equal(lines.length, 1 + 200, 'a header and one line per 2021 cell')
  t.ok(
    lines.includes('proactive.licensing.decisions,行政许可 · 本年处理决定数量,78') ||
      lines.some((l) => l.startsWith('proactive.licensing.decisions,') && l.endsWith(',78'))
  )
  const plain = await app.inject({ url: `/v1/reports/${id}?output=csv` })
  t.not(plain.body.charCodeAt(0), 0xfeff, 'no BOM unless asked')

  const json1 = await app.inject({ url: `/v1/reports/${id}`, headers: { accept: 'application/json' } })
  t.equal(json1.headers['content-type'], 'application/json; charset=utf-8')
  const refused = await app.inject({ url: `/v1/reports/${id}`, headers: { accept: 'image/png' } })
  t.equal(refused.statusCode, 406)
  t.equal(refused.headers['content-type'], 'application/problem+json; charset=utf-8')
})

t.test('the report list as CSV parses back to the JSON items', async (t) => {
  const app = await buildTestApp()
  t.teardown(() => app.close())
  const a = await createAgency(app, { name: '某局, "甲"' })
  await app.inject({ method: 'POST', url: '/v1/reports', payload: sampleReport(a) })
  await app.inject({ method: 'POST', url: '/v1/reports', payload: report2019(a, 2020) })
  const items = json(await app.inject('/v1/reports')).items
  const csv = await app.inject({ url: '/v1/reports', headers: { accept: 'text/csv' } })
  t.equal(csv.headers['content-type'], 'text/csv; charset=utf-8')
  t.match(String(csv.headers['content-disposition']), /filename="reports\.csv"/)
  t.not(csv.body.charCodeAt(0), 0xfeff, 'no BOM unless asked')
  const [header, ...rows] = parseCsv(csv.body)
  t.same(header, [
    '报告ID',
    '机关ID',
    '机关名称',
    '区划代码',
    '年度',
    '格式',
    '范围',
    '发布日期',
    '更新时间',
    '错误数',
    '警告数',
    '状态',
    '提交时间',
    '通过时间'
  ])
  t.same(
    rows.map((r) => [
      Number(r[0]),
      Number(r[1]),
      r[2],
      r[3],
      Number(r[4]),
      r[5],
      r[6],
      r[7] || null,
      r[8],
      Number(r[9]),
      Number(r[10]),
      r[11],
      r[12] || null,
      r[13] || null
    ]),
    items.map((i: Record<string, unknown>) => [
      i.id,
      i.agencyId,
      i.agencyName,
      i.regionCode,
      i.year,
      i.format,
      i.scope,
      i.publishedAt,
      i.updatedAt,
      i.errorCount,
      i.warningCount,
      i.state,
      i.submittedAt,
      i.acceptedAt
    ])
  )
  const bom = await app.inject('/v1/reports?output=csv&bom=true&limit=1')
  t.equal(bom.body.charCodeAt(0), 0xfeff)
  t.match(String(bom.headers.link), /^<\/v1\/reports\?output=csv&bom=true&limit=1&cursor=[^>]+>; rel="next"$/)
})

t.test(
  'counts are whole numbers within a billion; a negative one is stored as published, with its finding; money stays exact',
  async (t) => {
    const app = await buildTestApp()
    t.teardown(() => app.close())
    const agencyId = await createAgency(app)
    const refused = async (change: (doc: ReportInput) => void, errors: object[]) => {
      const doc = sampleReport(agencyId)
      change(doc)
      const res = await app.inject({ method: 'PUT', url: `/v1/agencies/${agencyId}/reports/2025`, payload: doc })
      t.equal(res.statusCode, 422)
      t.same(json(res).errors, errors)
      const batch = await app.inject({
        method: 'POST',
        url: '/v1/reports/batch',
        payload: { reports: [sampleReport(agencyId, { year: 2024 }), doc] }
      })
      t.equal(batch.statusCode, 422)
      t.same(
        json(batch).errors,
        errors.map((e) => ({ ...e, pointer: `/reports/1${(e as { pointer: string }).pointer}` }))
      )
    }
    const cells = (doc: ReportInput) => doc as unknown as Record<string, unknown>
    await refused(
      (doc) => setCell(cells(doc), 'applications.newReceived.naturalPerson', 0.2),
      [{ pointer: '/applications/newReceived/naturalPerson', message: '必须是整数，空白单元格填 null' }]
    )
    await refused(
      (doc) => setCell(cells(doc), 'proactive.penalty.decisions', 1e9 + 1),
      [{ pointer: '/proactive/penalty/decisions', message: '必须不大于 1000000000' }]
    )
    await refused(
      (doc) => setCell(cells(doc), 'reviewLitigation.review.total', -1e9 - 1),
      [{ pointer: '/reviewLitigation/review/total', message: '必须不小于 -1000000000' }]
    )
    await refused(
      (doc) => setCell(cells(doc), 'proactive.fees.amountWanYuan', 100_000_000.000001),
      [{ pointer: '/proactive/fees/amountWanYuan', message: '必须不大于 100000000' }]
    )
    t.equal(await countRows(app, 'reports'), 0, 'nothing stored')

    const doc = sampleReport(agencyId)
    setCell(cells(doc), 'applications.carriedOver.naturalPerson', -3)
    setCell(cells(doc), 'proactive.penalty.decisions', 1e9)
    setCell(cells(doc), 'proactive.fees.amountWanYuan', 99_999_999.999999)
    const stored = await app.inject({ method: 'PUT', url: `/v1/agencies/${agencyId}/reports/2025`, payload: doc })
    t.equal(stored.statusCode, 201, 'a negative count is the report as published')
    const body = json(stored)
    t.equal(getCell(body, 'applications.carriedOver.naturalPerson'), -3)
    t.equal(getCell(body, 'proactive.penalty.decisions'), 1e9, 'the bound itself is taken')
    t.equal(getCell(body, 'proactive.fees.amountWanYuan'), 99_999_999.999999, 'money to the last decimal')
    const findings = json(await app.inject(`/v1/reports/${body.id}/findings`)).items
    t.match(
      findings.filter((f: { rule: string }) => f.rule === 'T3-04'),
      [{ severity: 'error', cells: ['applications.carriedOver.naturalPerson'], actual: -3 }]
    )
    const total = json(
      await app.inject(`/v1/aggregates?metrics=applications.carriedOver.naturalPerson,proactive.fees.amountWanYuan&agencyId=${agencyId}`)
    )
    t.same(
      total.groups[0].values,
      { 'applications.carriedOver.naturalPerson': -3, 'proactive.fees.amountWanYuan': 99_999_999.999999 },
      'the roll-ups agree with the document'
    )
  }
)
