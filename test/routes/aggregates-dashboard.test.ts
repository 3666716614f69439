// The dashboard options of GET /v1/aggregates — shape=rows, adcodes, compare=previousYear, rank, stats —
// and XLSX, each checked against the tests' own model (test/aggregates/model.ts): sums, changes, ranks
// and per-report spreads computed here from the documents written, without the aggregates module.
import t from 'tap'
import { buildTestApp } from '../helper.js'
import { seededRandom } from '../../src/checks/consistent-report.js'
import type { ReportInput } from '../../src/format/document.js'
import {
  Model,
  evaluate,
  expectedAggregate,
  queryString,
  selected,
  variedReport,
  type ExpectedGroup,
  type ModelReport,
  type Query
} from '../aggregates/model.js'
import { parseCsv } from '../fixtures/parse-csv.js'
import { readXlsx, xlsxParts } from '../fixtures/read-xlsx.js'

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
const METRICS = [
  'reports',
  'applications.newReceived.total',
  'disclosureRate',
  'reviewCorrectionRate',
  'proactive.fees.amountWanYuan',
  'proactive.penalty.decisions'
]

async function buildWorld() {
  const app = await buildTestApp()
  const model = new Model(app)
  const random = seededRandom(15)
  const agencies = [
    await model.agency({ name: '互助县城市管理综合行政执法局', regionCode: '630223', level: 'county', kind: 'department' }),
    await model.agency({ name: '互助县财政局', regionCode: '630223', level: 'county', kind: 'department' }),
    await model.agency({ name: '海东市乐都区人民政府', regionCode: '630202', level: 'county', kind: 'government' }),
    await model.agency({ name: '海东市平安区教育局', regionCode: '630203', level: 'county', kind: 'department' }),
    await model.agency({ name: '海东市生态环境局', regionCode: '630200', level: 'prefectural', kind: 'department' }),
    await model.agency({ name: '西宁市城东区教育局', regionCode: '630102', level: 'county', kind: 'department' }),
    await model.agency({ name: '=HYPERLINK("x")局', regionCode: '630102', level: 'county', kind: 'other' }),
    await model.agency({ name: '北京市朝阳区市场监督管理局', regionCode: '110105', level: 'county', kind: 'department' })
  ]
  const docs: ReportInput[] = []
  for (const agency of agencies) {
    for (const year of [2022, 2023, 2024, 2025]) {
      // one agency misses 2024: its county has no previous year for 2025
      if (agency === agencies[3] && year === 2024) continue
      docs.push(variedReport(random, { agencyId: agency.id, year, scope: 'own' }, { blank: 0.05 }))
    }
  }
  await model.batch(docs)
  return { app, model }
}

const world = buildWorld()
t.teardown(async () => (await world).app.close())

const get = async (url: string, headers: Record<string, string> = {}) => {
  const res = await (await world).app.inject({ url, headers })
  return res
}

const keyId = (key: Record<string, string | number>, keys: string[], shift = 0) =>
  JSON.stringify(keys.map((k) => (k === 'year' ? Number(key[k]) + shift : key[k])))

/** value − previous in whole 分 for money, as the documents give them */
function expectedChange(code: string, value: number | null, previous: number | null) {
  if (value === null || previous === null) return { change: null, relative: null }
  const change = code === 'proactive.fees.amountWanYuan' ? (Math.round(value * 1e6) - Math.round(previous * 1e6)) / 1e6 : value - previous
  return { change, relative: previous === 0 ? null : change / Math.abs(previous) }
}

function expectedRanks(groups: ExpectedGroup[], keys: string[], code: string): Array<number | null> {
  const byYear = keys.includes('year') && keys.length > 1
  return groups.map((g) => {
    const v = g.values[code]
    if (v === null) return null
    const peers = groups.filter((o) => !byYear || o.key.year === g.key.year)
    return 1 + peers.filter((o) => o.values[code] !== null && o.values[code]! > v).length
  })
}

t.test('compare=previousYear: the same question a year earlier, the change and the relative change', async (t) => {
  const { model } = await world
  const cases: Query[] = [
    { metrics: METRICS, groupBy: ['county'], regionCode: '63', year: 2025 },
    { metrics: METRICS, groupBy: ['year', 'province'], yearFrom: 2023, yearTo: 2025 },
    { metrics: METRICS, year: 2024 },
    { metrics: METRICS, groupBy: ['prefecture'], yearFrom: 2024, yearTo: 2025 }
  ]
  for (const q of cases) {
    const res = await get(`/v1/aggregates?${queryString(q)}&compare=previousYear`)
    t.equal(res.statusCode, 200, queryString(q))
    const groups = JSON.parse(res.body).groups
    const want = expectedAggregate(model, q)
    const back = (y?: number) => (y === undefined ? undefined : y - 1)
    const before = expectedAggregate(model, { ...q, year: back(q.year), yearFrom: back(q.yearFrom), yearTo: back(q.yearTo) })
    const keys = q.groupBy ?? []
    const earlier = new Map(before.map((g) => [keyId(g.key, keys, keys.includes('year') ? 1 : 0), g]))
    t.equal(groups.length, want.length)
    want.forEach((w, i) => {
      const prev = earlier.get(keyId(w.key, keys))
      const g = groups[i]
      t.same(g.key, w.key)
      t.same(g.values, w.values, 'the values are the plain aggregate’s')
      for (const code of METRICS) {
        const p = prev ? prev.values[code] : code === 'reports' ? 0 : null
        const d = expectedChange(code, w.values[code], p)
        t.same([g.previous[code], g.change[code], g.relativeChange[code]], [p, d.change, d.relative], `${JSON.stringify(w.key)} ${code}`)
      }
    })
  }
  // 630203 had no report in 2024: its 2025 group has nothing to compare with
  const body = JSON.parse(
    (
      await get(
        '/v1/aggregates?metrics=reports,applications.newReceived.total&groupBy=county&year=2025&regionCode=630203&compare=previousYear'
      )
    ).body
  )
  t.same(body.groups[0].previous, { reports: 0, 'applications.newReceived.total': null })
  t.same(body.groups[0].change['applications.newReceived.total'], null)
})

t.test('rank: competition ranking over the whole result before limit, within each year', async (t) => {
  const { model } = await world
  for (const q of [
    { metrics: METRICS, groupBy: ['county'], year: 2025 },
    { metrics: METRICS, groupBy: ['year', 'county'], regionCode: '63' },
    { metrics: ['disclosureRate'], groupBy: ['agency'], year: 2025 }
  ] as Query[]) {
    const all = expectedAggregate(model, q)
    const res = await get(`/v1/aggregates?${queryString(q)}&rank=true`)
    const groups = JSON.parse(res.body).groups
    for (const code of q.metrics) {
      t.same(
        groups.map((g: any) => g.rank[code]),
        expectedRanks(all, q.groupBy!, code),
        `${queryString(q)} ${code}`
      )
    }
  }
  // top 2 by 公开率 keep the ranks they have among every county
  const q: Query = { metrics: ['disclosureRate'], groupBy: ['county'], year: 2025, sort: ['disclosureRate'] }
  const all = expectedAggregate(model, q)
  const ranks = expectedRanks(all, ['county'], 'disclosureRate')
  const top = JSON.parse((await get(`/v1/aggregates?${queryString(q)}&limit=2&rank=true`)).body).groups
  t.same(
    top.map((g: any) => [g.key.county, g.rank.disclosureRate]),
    all.slice(0, 2).map((g, i) => [g.key.county, ranks[i]]),
    'the least disclosing two, ranked among all'
  )
})

t.test('stats: mean, median, min and max of the per-report values beside the ratio of sums', async (t) => {
  const { model } = await world
  const q: Query = { metrics: METRICS, groupBy: ['prefecture'], regionCode: '63', yearFrom: 2024, yearTo: 2025 }
  const res = await get(`/v1/aggregates?${queryString(q)}&stats=mean,median,min,max`)
  t.equal(res.statusCode, 200)
  const groups = JSON.parse(res.body).groups
  const want = expectedAggregate(model, q)
  t.equal(groups.length, want.length)
  for (const [i, w] of want.entries()) {
    const reports = selected(model, q).filter((r: ModelReport) => r.agency.regionCode.slice(0, 4) === w.key.prefecture)
    t.equal(groups[i].key.prefecture, w.key.prefecture)
    t.same(groups[i].values, w.values)
    t.notOk('reports' in groups[i].stats, '`reports` has no spread')
    for (const code of METRICS.slice(1)) {
      const values = reports
        .map((r) => evaluate([r], code).value)
        .filter((v): v is number => v !== null)
        .sort((a, b) => a - b)
      const n = values.length
      const scale = code === 'proactive.fees.amountWanYuan' ? 1e6 : 1
      const mean = n
        ? scale === 1
          ? values.reduce((s, v) => s + v, 0) / n
          : values.reduce((s, v) => s + Math.round(v * scale), 0) / scale / n
        : null
      // money in whole 分, so the middle of two amounts is their exact decimal mean
      const middle = (a: number, b: number) => (scale === 1 ? (a + b) / 2 : (Math.round(a * scale) + Math.round(b * scale)) / 2 / scale)
      const median = n ? (n % 2 ? values[(n - 1) / 2] : middle(values[n / 2 - 1], values[n / 2])) : null
      t.same(
        groups[i].stats[code],
        { n, mean, median, min: n ? values[0] : null, max: n ? values[n - 1] : null },
        `${w.key.prefecture} ${code}`
      )
    }
  }
  const median = JSON.parse((await get('/v1/aggregates?metrics=disclosureRate&regionCode=630223&year=2025&stats=median')).body).groups[0]
  t.same(Object.keys(median.stats.disclosureRate), ['n', 'median'], 'only the statistics asked for')
})

t.test('shape=rows: one flat object per group, fields in order, adcodes beside region prefixes', async (t) => {
  const qs =
    'metrics=reports,disclosureRate,proactive.regulations.inForce&groupBy=year,prefecture,level&regionCode=63&yearFrom=2024&yearTo=2025&compare=previousYear&rank=true&stats=median'
  const groups = JSON.parse((await get(`/v1/aggregates?${qs}`)).body).groups
  const res = await get(`/v1/aggregates?${qs}&shape=rows`)
  t.equal(res.statusCode, 200)
  const body = JSON.parse(res.body)
  t.same(Object.keys(body), ['rows', 'fields', 'metrics'])
  const names = body.fields.map((f: any) => f.name)
  t.same(names, [
    'year',
    'prefecture',
    'prefectureAdcode',
    'prefectureName',
    'level',
    'levelName',
    'reports',
    'reportsByFormat.2019',
    'reportsByFormat.2021',
    'reports.previous',
    'reports.change',
    'reports.relativeChange',
    'reports.rank',
    'disclosureRate',
    'disclosureRate.previous',
    'disclosureRate.change',
    'disclosureRate.relativeChange',
    'disclosureRate.rank',
    'disclosureRate.n',
    'disclosureRate.median',
    'proactive.regulations.inForce',
    'proactive.regulations.inForce.previous',
    'proactive.regulations.inForce.change',
    'proactive.regulations.inForce.relativeChange',
    'proactive.regulations.inForce.rank',
    'proactive.regulations.inForce.n',
    'proactive.regulations.inForce.median'
  ])
  t.same(body.fields[2], { name: 'prefectureAdcode', label: '地市级区划代码（六位）', type: 'string' })
  t.same(body.fields[13], { name: 'disclosureRate', label: '公开率（比率）', type: 'number', unit: '比率' })
  t.equal(body.rows.length, groups.length)
  body.rows.forEach((row: any, i: number) => {
    const g = groups[i]
    t.same(Object.keys(row), names, 'every row has every field')
    t.same(row, {
      year: g.key.year,
      prefecture: g.key.prefecture,
      prefectureAdcode: g.key.prefecture.padEnd(6, '0'),
      prefectureName: g.names.prefecture,
      level: g.key.level,
      levelName: g.names.level,
      reports: g.reports,
      'reportsByFormat.2019': g.reportsByFormat['2019'],
      'reportsByFormat.2021': g.reportsByFormat['2021'],
      'reports.previous': g.previous.reports,
      'reports.change': g.change.reports,
      'reports.relativeChange': g.relativeChange.reports,
      'reports.rank': g.rank.reports,
      disclosureRate: g.values.disclosureRate,
      'disclosureRate.previous': g.previous.disclosureRate,
      'disclosureRate.change': g.change.disclosureRate,
      'disclosureRate.relativeChange': g.relativeChange.disclosureRate,
      'disclosureRate.rank': g.rank.disclosureRate,
      'disclosureRate.n': g.stats.disclosureRate.n,
      'disclosureRate.median': g.stats.disclosureRate.median,
      'proactive.regulations.inForce': g.values['proactive.regulations.inForce'],
      'proactive.regulations.inForce.previous': g.previous['proactive.regulations.inForce'],
      'proactive.regulations.inForce.change': g.change['proactive.regulations.inForce'],
      'proactive.regulations.inForce.relativeChange': g.relativeChange['proactive.regulations.inForce'],
      'proactive.regulations.inForce.rank': g.rank['proactive.regulations.inForce'],
      'proactive.regulations.inForce.n': g.stats['proactive.regulations.inForce'].n,
      'proactive.regulations.inForce.median': g.stats['proactive.regulations.inForce'].median
    })
    t.same(g.adcodes, { prefecture: g.key.prefecture.padEnd(6, '0') })
  })
  const provinces = JSON.parse((await get('/v1/aggregates?groupBy=province,county&shape=rows')).body).rows
  t.same(
    provinces.map((r: any) => [r.province, r.provinceAdcode, r.county, r.countyAdcode]),
    [
      ['11', '110000', '110105', '110105'],
      ['63', '630000', '630102', '630102'],
      ['63', '630000', '630200', '630200'],
      ['63', '630000', '630202', '630202'],
      ['63', '630000', '630203', '630203'],
      ['63', '630000', '630223', '630223']
    ]
  )
})

t.test('bad dashboard options are 400 problems naming the parameter', async (t) => {
  const problem = async (qs: string, parameter: string) => {
    const res = await get(`/v1/aggregates?${qs}`)
    t.equal(res.statusCode, 400, qs)
    t.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8')
    t.ok(
      JSON.parse(res.body).errors.some((e: any) => e.parameter === parameter),
      `${qs}: names ${parameter}`
    )
  }
  await problem('metrics=reports&compare=previousYear', 'compare')
  await problem('metrics=reports&groupBy=county&yearFrom=2024&compare=previousYear', 'compare')
  await problem('metrics=reports&compare=lastYear', 'compare')
  await problem('metrics=reports&stats=mean,mode', 'stats')
  await problem('metrics=reports&shape=table', 'shape')
  await problem('metrics=reports&rank=maybe', 'rank')
  await problem('metrics=reports&output=pdf', 'output')
})

t.test('XLSX: the CSV’s columns in a workbook; codes as text, numbers as numbers, no formula', async (t) => {
  const qs =
    'metrics=reports,applications.newReceived.total,disclosureRate,proactive.fees.amountWanYuan&groupBy=county,agency&year=2025&compare=previousYear'
  const csv = parseCsv((await get(`/v1/aggregates?${qs}&output=csv`)).body)
  for (const res of [await get(`/v1/aggregates?${qs}&output=xlsx`), await get(`/v1/aggregates?${qs}`, { accept: XLSX })]) {
    t.equal(res.statusCode, 200)
    t.equal(res.headers['content-type'], XLSX)
    t.equal(res.headers['content-disposition'], 'attachment; filename="aggregates.xlsx"')
    const [sheet] = await readXlsx(res.rawPayload)
    t.equal(sheet.name, '汇总')
    t.same(
      sheet.rows[0].map((c) => c.value),
      csv[0],
      'the CSV header'
    )
    t.equal(sheet.rows.length, csv.length)
    sheet.rows.slice(1).forEach((row, i) => {
      // CSV neutralises a formula-looking text with an apostrophe; the workbook keeps the text as it is, typed as text
      const fromCsv = csv[i + 1].map((f) => (/^'[=+\-@\t\r]/.test(f) ? f.slice(1) : f))
      t.same(
        row.map((c) => (c.value === null ? '' : String(c.value))),
        fromCsv,
        `row ${i + 1} holds the CSV's values`
      )
      t.same(
        [row[0].type, row[1].type, row[3].type, row[4].type],
        ['string', 'string', 'number', 'string'],
        'codes and names are text, ids numbers'
      )
      t.notOk(
        row.some((c) => c.type === 'formula'),
        'no formula anywhere'
      )
    })
  }
  const parts = xlsxParts((await get(`/v1/aggregates?${qs}&output=xlsx`)).rawPayload)
  t.match(
    parts['xl/worksheets/sheet1.xml'],
    /<t xml:space="preserve">=HYPERLINK\(&quot;x&quot;\)局<\/t>/,
    'a name that looks like a formula is an inline string'
  )
  t.notMatch(parts['xl/worksheets/sheet1.xml'], /<f>/)
  t.match(parts['xl/styles.xml'], /quotePrefix="1"/, 'text cells keep a quote prefix: editing one never makes it a formula')
  const browser = await get(`/v1/aggregates?${qs}`, { accept: 'text/html,*/*;q=0.8' })
  t.equal(browser.headers['content-type'], 'application/json; charset=utf-8')
})

t.test('XLSX of a statistics page, with its Link to the next page', async (t) => {
  const json = JSON.parse(
    (await get('/v1/statistics?item=applications.newReceived.total,proactive.fees.amountWanYuan&regionCode=63&limit=5')).body
  )
  const res = await get('/v1/statistics?item=applications.newReceived.total,proactive.fees.amountWanYuan&regionCode=63&limit=5&output=xlsx')
  t.equal(res.statusCode, 200)
  t.equal(res.headers['content-disposition'], 'attachment; filename="statistics.xlsx"')
  t.match(res.headers.link, /^<\/v1\/statistics\?.*cursor=.*output=xlsx|^<\/v1\/statistics\?.*output=xlsx.*cursor=/)
  const [sheet] = await readXlsx(res.rawPayload)
  t.same(
    sheet.rows[0].map((c) => c.value),
    ['报告ID', '机关ID', '机关名称', '区划代码', '年度', '指标代码', '指标', '单位', '数值']
  )
  t.same(
    sheet.rows.slice(1).map((r) => [r[0].value, r[1].value, r[2].value, r[3].value, r[4].value, r[5].value, r[8].value]),
    json.items.map((i: any) => [i.reportId, i.agencyId, i.agencyName, i.regionCode, i.year, i.item, i.value])
  )
  t.same(
    sheet.rows.slice(1).map((r) => r[3].type),
    json.items.map(() => 'string'),
    'region codes stay text'
  )
})
