import t from 'tap'
import { buildTestApp } from '../helper.js'
import { seededRandom } from '../../src/checks/consistent-report.js'
import { CELL_BY_CODE } from '../../src/format/registry.js'
import { getCell } from '../../src/format/document.js'
import { Model, selected, variedReport, type ModelAgency, type Query } from '../aggregates/model.js'
import { parseCsv } from '../fixtures/parse-csv.js'

interface Row {
  reportId: number
  agencyId: number
  agencyName: string
  regionCode: string
  year: number
  item: string
  value: number | null
}

/** The rows the documents call for: by report id, then items in the order asked; a report whose format lacks the item has no row. */
function expectedRows(model: Model, items: string[], q: Partial<Query> = {}): Row[] {
  const reports = selected(model, { metrics: [], ...q }).sort((a, b) => a.id - b.id)
  return reports.flatMap((r) =>
    items
      .filter((item) => CELL_BY_CODE.get(item)!.formats.includes(r.doc.format))
      .map((item) => ({
        reportId: r.id,
        agencyId: r.agency.id,
        agencyName: r.agency.name,
        regionCode: r.agency.regionCode,
        year: r.doc.year,
        item,
        value: getCell(r.doc as never, item)
      }))
  )
}

async function world() {
  const app = await buildTestApp()
  const model = new Model(app)
  const random = seededRandom(99)
  const agencies: ModelAgency[] = [
    await model.agency({ name: '互助县财政局', regionCode: '630223', level: 'county', kind: 'department' }),
    await model.agency({ name: '海东市人民政府', regionCode: '630200', level: 'prefectural', kind: 'government' }),
    await model.agency({ name: '广州市越秀区人民政府', regionCode: '440104', level: 'county', kind: 'government' })
  ]
  const docs = agencies.flatMap((a, i) =>
    [2019, 2020, 2021, 2022, 2025].map((year) =>
      variedReport(random, { agencyId: a.id, year, scope: i === 1 && year > 2021 ? 'aggregate' : 'own' }, { blank: 0.15 })
    )
  )
  await model.batch(docs)
  return { app, model, agencies }
}

t.test('tidy rows equal the documents, every filter, every page', async (t) => {
  const { app, model, agencies } = await world()
  t.teardown(() => app.close())
  const items = [
    'applications.newReceived.total',
    'proactive.regulations.inForce',
    'proactive.procurement.amountYuan',
    'proactive.fees.amountWanYuan',
    'proactive.licensing.change'
  ]
  const cases: Array<Partial<Query>> = [
    {},
    { scope: 'all' },
    { scope: 'aggregate' },
    { year: 2025 },
    { yearFrom: 2020, yearTo: 2021 },
    { regionCode: '63' },
    { regionCode: '630223' },
    { level: 'prefectural', scope: 'all' },
    { kind: 'government' },
    { agencyId: agencies[2].id },
    { format: '2019' }
  ]
  for (const q of cases) {
    const params = new URLSearchParams({ item: items.join(','), ...Object.fromEntries(Object.entries(q).map(([k, v]) => [k, String(v)])) })
    const want = expectedRows(model, items, q)
    t.ok(want.length > 0, `${params}: rows to serve`)
    const whole = JSON.parse((await app.inject(`/v1/statistics?${params}&limit=10000`)).body)
    t.same(whole, { items: want, next: null }, `${params}: one page`)
    for (const limit of [1, 3, 7]) {
      const got: Row[] = []
      let cursor: string | null = null
      let pages = 0
      do {
        const res = await app.inject(`/v1/statistics?${params}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`)
        t.equal(res.statusCode, 200)
        const page = JSON.parse(res.body)
        t.ok(page.items.length <= limit)
        got.push(...page.items)
        cursor = page.next
        pages++
      } while (cursor && pages < 200)
      t.same(got, want, `${params}: pages of ${limit}`)
    }
  }
  const all = expectedRows(model, items, { scope: 'all' })
  t.ok(
    all.some((r) => r.value === null),
    'blank cells are rows with null'
  )
  t.ok(
    all.some((r) => r.item === 'proactive.licensing.change' && (r.value ?? 0) < 0),
    'negative 2019 changes'
  )
  t.notOk(
    all.some((r) => r.item === 'proactive.regulations.inForce' && r.year < 2021),
    'no inForce row for a 2019-format report'
  )
  t.ok(
    all.some((r) => r.item === 'proactive.fees.amountWanYuan' && !Number.isInteger(r.value)),
    'money with decimals'
  )
})

t.test('statistics follow writes; bad items and cursors are 400s', async (t) => {
  const { app, model, agencies } = await world()
  t.teardown(() => app.close())
  const items = ['proactive.penalty.decisions']
  const first = JSON.parse((await app.inject(`/v1/statistics?item=${items}&limit=2`)).body)
  const victim = [...model.reports.values()].find((r) => r.agency.id === agencies[0].id)!
  await model.remove(victim.id)
  await model.put(variedReport(seededRandom(5), { agencyId: agencies[0].id, year: 2024 }))
  t.same(JSON.parse((await app.inject(`/v1/statistics?item=${items}&limit=1000`)).body).items, expectedRows(model, items))
  const rest = await app.inject(`/v1/statistics?item=${items}&limit=1000&cursor=${first.next}`)
  t.equal(rest.statusCode, 200, 'a cursor outlives the writes around it')
  t.same(
    JSON.parse(rest.body).items,
    expectedRows(model, items).filter((r) => r.reportId > first.items[1].reportId)
  )

  const problem = async (qs: string, parameter: string) => {
    const res = await app.inject(`/v1/statistics?${qs}`)
    t.equal(res.statusCode, 400, qs)
    const body = JSON.parse(res.body)
    t.ok(
      body.errors.some((e: { parameter: string }) => e.parameter === parameter),
      `${qs}: names ${parameter}`
    )
    return body
  }
  const unknown = await problem('item=applications.newReceived.totl', 'item')
  t.match(
    unknown.errors[0].message,
    /^未知的单元格 'applications\.newReceived\.totl'（是否是指 'applications\.newReceived\.total'？）；item 为 FORMAT\.md 的单元格代码/
  )
  await problem('item=disclosureRate', 'item')
  await problem('item=', 'item')
  await problem('metrics=reports', 'item')
  await problem(`item=proactive.licensing.decisions&cursor=${first.next}`, 'cursor')
  await problem('item=proactive.penalty.decisions&cursor=bm9wZQ', 'cursor')
  await problem('item=proactive.penalty.decisions&limit=0', 'limit')
})

t.test('statistics as CSV, page by page', async (t) => {
  const { app, model } = await world()
  t.teardown(() => app.close())
  const items = ['applications.newReceived.total', 'proactive.fees.amountWanYuan']
  const res = await app.inject({ url: `/v1/statistics?item=${items}&limit=4&bom=true`, headers: { accept: 'text/csv' } })
  t.equal(res.statusCode, 200)
  t.equal(res.headers['content-type'], 'text/csv; charset=utf-8')
  t.equal(res.headers['content-disposition'], 'attachment; filename="statistics.csv"')
  t.ok(res.body.startsWith('\uFEFF'))
  const json = JSON.parse((await app.inject(`/v1/statistics?item=${items}&limit=4`)).body)
  t.match(res.headers.link, new RegExp(`^</v1/statistics\\?item=.*&cursor=${json.next}>; rel="next"$`))
  const rows = parseCsv(res.body)
  t.same(rows[0], ['报告ID', '机关ID', '机关名称', '区划代码', '年度', '指标代码', '指标', '单位', '数值'])
  t.same(
    rows.slice(1).map((r) => ({
      reportId: Number(r[0]),
      agencyId: Number(r[1]),
      agencyName: r[2],
      regionCode: r[3],
      year: Number(r[4]),
      item: r[5],
      value: r[8] === '' ? null : Number(r[8])
    })),
    json.items
  )
  t.equal(rows[1][6], CELL_BY_CODE.get(rows[1][5])!.label)
  const next = await app.inject({
    url: res.headers.link!.toString().slice(1, res.headers.link!.toString().indexOf('>')),
    headers: { accept: 'text/csv' }
  })
  t.equal(next.statusCode, 200, 'the Link header is a working URL')
  t.ok(next.body.startsWith('\uFEFF'), 'the next page keeps the query (bom=true)')
  t.equal(parseCsv(next.body).length - 1, Math.min(4, expectedRows(model, items).length - 4))
})
