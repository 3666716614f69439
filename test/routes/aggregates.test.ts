import t from 'tap'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import type { FastifyInstance } from 'fastify'
import { buildTestApp } from '../helper.js'
import { seededRandom } from '../../src/checks/consistent-report.js'
import { CELLS } from '../../src/format/registry.js'
import type { ReportInput } from '../../src/format/document.js'
import {
  GROUP_METRICS,
  INDICATOR_FORMULAS,
  Model,
  expectedAggregate,
  queryString,
  served,
  variedReport,
  zeroReport,
  type ModelAgency,
  type Query
} from '../aggregates/model.js'
import { parseCsv } from '../fixtures/parse-csv.js'

const INDICATORS = Object.keys(INDICATOR_FORMULAS)
/** One of each kind: counts in both formats, signed 2019 counts, money of both formats, format-specific cells, groups, indicators. */
const MIXED = [
  'reports',
  'applications.newReceived.total',
  'applications.outcomes.granted.naturalPerson',
  'proactive.penalty.decisions',
  'proactive.licensing.decisions',
  'reviewLitigation.review.corrected',
  'proactive.regulations.inForce',
  'proactive.licensing.change',
  'proactive.fees.amountWanYuan',
  'proactive.procurement.amountYuan',
  'applications.outcomes.other.overdueCorrection.total',
  'applications.outcomes.denied.total',
  'applications.outcomes.other.naturalPerson',
  ...INDICATORS
]

interface World {
  app: FastifyInstance
  model: Model
  agencies: Record<string, ModelAgency>
}

/** Agencies in several provinces, prefectures and counties, of every level and several kinds; reports 2019–2025. */
async function buildWorld(): Promise<World> {
  const app = await buildTestApp()
  const model = new Model(app)
  const random = seededRandom(20250401)
  const a = {
    huzhuDept: await model.agency({ name: '互助县城市管理综合行政执法局', regionCode: '630223', level: 'county', kind: 'department' }),
    huzhuTown: await model.agency({ name: '互助县威远镇人民政府', regionCode: '630223', level: 'township', kind: 'township' }),
    leduGov: await model.agency({ name: '海东市乐都区人民政府', regionCode: '630202', level: 'county', kind: 'government' }),
    haidongGov: await model.agency({ name: '海东市人民政府', regionCode: '630200', level: 'prefectural', kind: 'government' }),
    haidongDept: await model.agency({ name: '海东市生态环境局', regionCode: '630200', level: 'prefectural', kind: 'department' }),
    xiningDept: await model.agency({ name: '西宁市城东区教育局', regionCode: '630102', level: 'county', kind: 'department' }),
    qinghaiOffice: await model.agency({ name: '青海省人民政府办公厅', regionCode: '630000', level: 'provincial', kind: 'generalOffice' }),
    chaoyang: await model.agency({ name: '北京市朝阳区市场监督管理局', regionCode: '110105', level: 'county', kind: 'department' }),
    guangzhou: await model.agency({ name: '广州市越秀区税务局', regionCode: '440104', level: 'county', kind: 'vertical' }),
    national: await model.agency({ name: '国家统计局', regionCode: '000000', level: 'national', kind: 'department' })
  }
  const docs: ReportInput[] = []
  const years = [2019, 2020, 2021, 2022, 2023, 2024, 2025]
  for (const agency of Object.values(a)) {
    for (const year of years) {
      if (random() < 0.2) continue
      const scope = agency.kind === 'government' && random() < 0.6 ? 'aggregate' : 'own'
      docs.push(variedReport(random, { agencyId: agency.id, year, scope }))
    }
  }
  await model.batch(docs)
  // division by zero: every cell 0, alone in its group (the only report of 2026)
  await model.put(zeroReport(variedReport(random, { agencyId: a.national.id, year: 2026 })))
  return { app, model, agencies: a }
}

type Asserts = Pick<typeof t, 'equal' | 'same'>

async function check(t: Asserts, world: World, q: Query, label = queryString(q)) {
  const res = await world.app.inject(`/v1/aggregates?${queryString(q)}`)
  t.equal(res.statusCode, 200, `${label}: 200`)
  const body = JSON.parse(res.body)
  const want = expectedAggregate(world.model, q)
  t.same(body.groups.map(served), want, label)
  return body
}

/** The world the read-only tests share; tests that write build their own. */
const shared = buildWorld()
t.teardown(async () => (await shared).app.close())

const GROUPINGS = [
  [],
  ['year'],
  ['province'],
  ['prefecture'],
  ['county'],
  ['agency'],
  ['level'],
  ['kind'],
  ['format'],
  ['year', 'province'],
  ['agency', 'year'],
  ['county', 'kind', 'level']
]

t.test('every group key and filter, both sources, against the documents', async (t) => {
  const world = await shared
  const filters: Array<Partial<Query>> = [
    {},
    { year: 2025 },
    { yearFrom: 2020, yearTo: 2022 },
    { regionCode: '63' },
    { regionCode: '6302' },
    { regionCode: '630223' },
    { level: 'county' },
    { kind: 'government' },
    { agencyId: world.agencies.haidongGov.id },
    { format: '2019' },
    { scope: 'aggregate' },
    { scope: 'all' },
    { year: 2021, regionCode: '63', kind: 'department', scope: 'all' }
  ]
  for (const groupBy of GROUPINGS) {
    for (const filter of filters) await check(t, world, { metrics: MIXED, groupBy, ...filter })
  }
})

t.test('every metric of the catalog: each cell, each group sum, each indicator', async (t) => {
  const world = await shared
  const all = ['reports', ...INDICATORS, ...GROUP_METRICS, ...CELLS.map((c) => c.code)]
  for (let i = 0; i < all.length; i += 60) {
    const metrics = all.slice(i, i + 60)
    await check(t, world, { metrics, scope: 'all' }, `metrics ${i}…: grand total`)
    await check(t, world, { metrics, groupBy: ['year', 'format'] }, `metrics ${i}…: by year and format`)
    await check(t, world, { metrics, groupBy: ['agency'], regionCode: '63' }, `metrics ${i}…: by agency`)
  }
})

t.test('values, contributors and formats: the semantics spelled out', async (t) => {
  const world = await shared
  const body = await check(t, world, { metrics: MIXED, groupBy: ['year'], scope: 'all' })
  const info = Object.fromEntries(body.metrics.map((m: { code: string }) => [m.code, m]))
  t.same(info['proactive.regulations.inForce'], {
    code: 'proactive.regulations.inForce',
    kind: 'cell',
    label: '规章 · 现行有效件数',
    unit: '件',
    formats: ['2021']
  })
  t.same(info['proactive.procurement.amountYuan'].formats, ['2019'])
  t.same(info['proactive.fees.amountWanYuan'].unit, '万元')
  t.notOk('formats' in info['proactive.penalty.decisions'], 'comparable across formats')
  t.notOk('formats' in info['applications.outcomes.other.naturalPerson'], 'the 其他处理 group spans both formats')
  t.same(info['applications.outcomes.other.overdueCorrection.total'].formats, ['2021'])
  t.match(info.disclosureRate, { kind: 'indicator', label: '公开率', unit: '比率' })
  t.match(info['applications.outcomes.denied.total'], { kind: 'group', label: '（三）不予公开 · 总计', unit: '件' })
  t.same(
    body.metrics.map((m: { code: string }) => m.code),
    MIXED,
    'metrics in request order'
  )

  const y2020 = body.groups.find((g: { key: { year: number } }) => g.key.year === 2020)
  t.equal(y2020.values['proactive.regulations.inForce'], null, 'a 2021-only cell over 2019 reports: no value')
  t.same(y2020.reportsByFormat, { 2019: y2020.reports, 2021: 0 }, 'it spans no report: no contributors to report either')
  t.notOk(y2020.contributors && 'proactive.regulations.inForce' in y2020.contributors)
  const y2022 = body.groups.find((g: { key: { year: number } }) => g.key.year === 2022)
  t.equal(y2022.values['proactive.procurement.amountYuan'], null)
  t.type(y2022.values['proactive.regulations.inForce'], 'number')

  const mixed = await check(t, world, {
    metrics: ['proactive.regulations.inForce', 'proactive.penalty.decisions'],
    yearFrom: 2020,
    yearTo: 2021,
    scope: 'all'
  })
  const total = mixed.groups[0]
  t.ok(total.reportsByFormat['2019'] > 0 && total.reportsByFormat['2021'] > 0, 'both formats in the group')
  t.equal(total.reportsByFormat['2019'] + total.reportsByFormat['2021'], total.reports)
  const filled = total.contributors?.['proactive.regulations.inForce'] ?? total.reportsByFormat['2021']
  t.ok(filled <= total.reportsByFormat['2021'], 'inForce spans only the 2021 reports')

  const plain = await check(t, world, { metrics: ['proactive.penalty.decisions'] })
  t.notOk('reportsByFormat' in plain.groups[0], 'only with a format-specific metric')
})

t.test('indicators divide by zero into null; money sums exactly', async (t) => {
  const world = await buildWorld()
  t.teardown(() => world.app.close())
  const q: Query = { metrics: [...INDICATORS, 'applications.newReceived.total'], agencyId: world.agencies.national.id, year: 2026 }
  const body = await check(t, world, q)
  for (const code of INDICATORS) t.equal(body.groups[0].values[code], null, `${code}: 0/0 is null`)
  t.equal(body.groups[0].values['applications.newReceived.total'], 0, 'a sum of zeros is 0, not null')

  const app = world.app
  const model = world.model
  const agency = await model.agency({ name: '某县财政局', regionCode: '630224', level: 'county', kind: 'department' })
  for (const [year, amount] of [
    [2023, 24252.311082],
    [2024, 0.000001],
    [2025, 1234567.899999]
  ] as const) {
    const doc = variedReport(seededRandom(year), { agencyId: agency.id, year }, { blank: 0 })
    ;(doc.proactive as Record<string, Record<string, number>>).fees.amountWanYuan = amount
    await model.put(doc)
  }
  const res = JSON.parse((await app.inject(`/v1/aggregates?metrics=proactive.fees.amountWanYuan&agencyId=${agency.id}`)).body)
  t.equal(res.groups[0].values['proactive.fees.amountWanYuan'], 1258820.211082, 'Σ of 分, divided once')
  const rollup = JSON.parse((await app.inject('/v1/aggregates?metrics=proactive.fees.amountWanYuan&regionCode=630224')).body)
  t.equal(rollup.groups[0].values['proactive.fees.amountWanYuan'], 1258820.211082, 'the roll-up too')
})

t.test('names of keys; sort and limit', async (t) => {
  const world = await shared
  const { app, agencies } = world
  const get = async (qs: string) => JSON.parse((await app.inject(`/v1/aggregates?${qs}`)).body)
  const byProvince = await get('groupBy=province&scope=all')
  const names = Object.fromEntries(byProvince.groups.map((g: { key: { province: string }; name: string }) => [g.key.province, g.name]))
  t.same(names, { '00': '全国', 11: '北京市', 44: '广东省', 63: '青海省' })
  const byPrefecture = await get('groupBy=province,prefecture&regionCode=63&scope=all')
  t.same(
    byPrefecture.groups.map((g: { key: object; name: string; names: object }) => [g.key, g.name, g.names]),
    [
      [{ province: '63', prefecture: '6300' }, '青海省本级', { province: '青海省', prefecture: '青海省本级' }],
      [{ province: '63', prefecture: '6301' }, '西宁市', { province: '青海省', prefecture: '西宁市' }],
      [{ province: '63', prefecture: '6302' }, '海东市', { province: '青海省', prefecture: '海东市' }]
    ]
  )
  const byCounty = await get('groupBy=county&regionCode=6302&scope=all')
  t.same(
    byCounty.groups.map((g: { name: string }) => g.name),
    ['海东市本级', '乐都区', '互助土族自治县']
  )
  const byAgency = await get(`groupBy=agency,level,kind&agencyId=${agencies.huzhuTown.id}`)
  t.same(byAgency.groups[0].names, { agency: '互助县威远镇人民政府', level: '乡镇街道', kind: '乡镇人民政府/街道办事处' })
  t.equal(byAgency.groups[0].name, '互助县威远镇人民政府')
  const byYear = await get('groupBy=year')
  t.notOk('names' in byYear.groups[0], 'no names for keys without any')

  const sorts: Query[] = [
    { metrics: ['proactive.penalty.decisions'], groupBy: ['agency'], sort: ['-proactive.penalty.decisions'], limit: 3, scope: 'all' },
    {
      metrics: ['proactive.penalty.decisions'],
      groupBy: ['agency'],
      regionCode: '63',
      year: 2025,
      sort: ['-proactive.penalty.decisions'],
      limit: 2
    },
    { metrics: ['disclosureRate', 'reports'], groupBy: ['county'], sort: ['-disclosureRate'], scope: 'all' },
    { metrics: ['disclosureRate'], groupBy: ['county', 'year'], sort: ['disclosureRate', '-year'], limit: 7, scope: 'all' },
    { metrics: ['reports'], groupBy: ['kind'], sort: ['-reports'], scope: 'all' },
    { metrics: ['proactive.regulations.inForce'], groupBy: ['year'], sort: ['-proactive.regulations.inForce'], scope: 'all' },
    { metrics: ['applications.outcomes.denied.total'], groupBy: ['year'], sort: ['-year'], limit: 1 }
  ]
  for (const q of sorts) await check(t, world, q)
  const top = await check(t, world, sorts[0])
  t.equal(top.groups.length, 3)
  const values = top.groups.map((g: { values: Record<string, number> }) => g.values['proactive.penalty.decisions'])
  t.same(
    values,
    [...values].sort((x: number, y: number) => y - x),
    'descending'
  )
  const nullsLast = await check(t, world, {
    metrics: ['proactive.regulations.inForce'],
    groupBy: ['year'],
    sort: ['proactive.regulations.inForce'],
    scope: 'all'
  })
  const last = nullsLast.groups.map((g: { values: Record<string, number | null> }) => g.values['proactive.regulations.inForce'])
  t.same(last.slice(-2), [null, null], '2019 and 2020 have no inForce: last, ascending too')
})

t.test('after replace, batch, delete and an agency move, aggregates follow the documents', async (t) => {
  const world = await buildWorld()
  t.teardown(() => world.app.close())
  const { model, agencies } = world
  const random = seededRandom(7)
  const queries: Query[] = [
    { metrics: MIXED },
    { metrics: MIXED, groupBy: ['year', 'province'], scope: 'all' },
    { metrics: MIXED, groupBy: ['prefecture', 'kind'] },
    { metrics: MIXED, groupBy: ['agency'], scope: 'all' },
    { metrics: MIXED, groupBy: ['county', 'format'], regionCode: '63', scope: 'aggregate' }
  ]
  const checkAll = async (label: string) => {
    for (const q of queries) await check(t, world, q, `${label}: ${queryString(q)}`)
  }
  await checkAll('before')

  const [first] = [...model.reports.values()].filter((r) => r.agency.id === agencies.huzhuDept.id && r.doc.year === 2022)
  await model.replace(first.id, variedReport(random, { agencyId: agencies.huzhuDept.id, year: 2022, scope: 'own' }))
  await checkAll('after replace')
  const formatChange = [...model.reports.values()].find((r) => r.doc.format === '2021' && r.agency.id === agencies.chaoyang.id)!
  await model.replace(
    formatChange.id,
    variedReport(random, { agencyId: agencies.chaoyang.id, year: formatChange.doc.year, format: '2019' })
  )
  const scopeChange = [...model.reports.values()].find((r) => r.agency.id === agencies.haidongGov.id)!
  await model.replace(
    scopeChange.id,
    variedReport(random, {
      agencyId: agencies.haidongGov.id,
      year: scopeChange.doc.year,
      scope: scopeChange.doc.scope === 'own' ? 'aggregate' : 'own'
    })
  )
  await checkAll('after a change of format and of scope')

  await model.batch([
    variedReport(random, { agencyId: agencies.guangzhou.id, year: 2025 }),
    variedReport(random, { agencyId: agencies.guangzhou.id, year: 2024 }),
    variedReport(random, { agencyId: agencies.xiningDept.id, year: 2020 }),
    variedReport(random, { agencyId: agencies.qinghaiOffice.id, year: 2023 })
  ])
  await checkAll('after batch')

  for (const r of [...model.reports.values()].filter((r) => r.agency.id === agencies.leduGov.id)) await model.remove(r.id)
  const someReport = [...model.reports.values()][3]
  await model.remove(someReport.id)
  await checkAll('after delete')

  await model.moveAgency(agencies.xiningDept, { regionCode: '630224', kind: 'vertical' })
  await checkAll('after an agency moved region and kind')
})

t.test('unknown metrics, group keys and sorts are 400s that list the valid ones', async (t) => {
  const world = await shared
  const problem = async (qs: string) => {
    const res = await world.app.inject(`/v1/aggregates?${qs}`)
    t.equal(res.statusCode, 400, qs)
    t.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8')
    return JSON.parse(res.body)
  }
  const metric = await problem('metrics=applications.newRecieved.total,reports')
  t.equal(metric.errors.length, 1)
  t.equal(metric.errors[0].parameter, 'metrics')
  t.match(
    metric.errors[0].message,
    /^未知的指标 'applications\.newRecieved\.total'（是否是指 'applications\.newReceived\.total'？）；.*allowed 列出全部 260 个/
  )
  t.equal(metric.detail, "参数 metrics 无效：未知的指标 'applications.newRecieved.total'（是否是指 'applications.newReceived.total'？）。")
  const metricEn = JSON.parse(
    (await world.app.inject({ url: '/v1/aggregates?metrics=applications.newRecieved.total', headers: { 'accept-language': 'en' } })).body
  )
  t.match(
    metricEn.errors[0].message,
    /^unknown metric 'applications\.newRecieved\.total' \(did you mean 'applications\.newReceived\.total'\?\); valid metrics are /
  )
  t.ok(metric.errors[0].allowed.includes('disclosureRate') && metric.errors[0].allowed.includes('proactive.fees.amountWanYuan'))
  const group = await problem('groupBy=year,city')
  t.same(
    group.errors.map((e: { parameter: string }) => e.parameter),
    ['groupBy']
  )
  t.match(group.errors[0].message, /^未知的分组键 'city'；可用的为 year, province, prefecture, county, agency, level, kind, format$/)
  const both = await problem('metrics=x&groupBy=y')
  t.same(
    both.errors.map((e: { parameter: string }) => e.parameter),
    ['metrics', 'groupBy'],
    'every fault at once'
  )
  const sort = await problem('metrics=reports&groupBy=year&sort=-disclosureRate')
  t.match(sort.errors[0], { parameter: 'sort', allowed: ['year', 'reports'] })
  await problem('metrics=reports&colour=red')
  await problem('metrics=reports&scope=everything')
  await problem('metrics=reports&regionCode=6')
  await problem('metrics=reports&yearFrom=2025&yearTo=2021')
})

t.test('CSV: Chinese headers, the JSON values, a file name, BOM only when asked', async (t) => {
  const world = await shared
  const qs = `metrics=applications.newReceived.total,disclosureRate,proactive.fees.amountWanYuan,proactive.regulations.inForce,reports&groupBy=year,prefecture,level&scope=all`
  const asJson = JSON.parse((await world.app.inject(`/v1/aggregates?${qs}`)).body)
  const viaAccept = await world.app.inject({ url: `/v1/aggregates?${qs}`, headers: { accept: 'text/csv' } })
  const viaOutput = await world.app.inject(`/v1/aggregates?${qs}&output=csv`)
  const withBom = await world.app.inject(`/v1/aggregates?${qs}&output=csv&bom=true`)
  for (const res of [viaAccept, viaOutput, withBom]) {
    t.equal(res.statusCode, 200)
    t.equal(res.headers['content-type'], 'text/csv; charset=utf-8')
    t.equal(res.headers['content-disposition'], 'attachment; filename="aggregates.csv"')
  }
  t.equal(viaAccept.body, viaOutput.body)
  t.notOk(viaOutput.body.startsWith('\uFEFF'), 'no BOM unless asked')
  t.equal(withBom.body, `\uFEFF${viaOutput.body}`)
  const rows = parseCsv(viaOutput.body)
  t.same(rows[0], [
    '年度',
    '地市级区划代码',
    '地市级区划代码（六位）',
    '地市级区划',
    '层级代码',
    '层级',
    '报告数（份）',
    '2019年格式报告数（份）',
    '2021年格式报告数（份）',
    '一、本年新收政府信息公开申请数量 · 总计（件）',
    '公开率（比率）',
    '行政事业性收费 · 本年收费金额（单位：万元）',
    '规章 · 现行有效件数'
  ])
  t.equal(rows.length - 1, asJson.groups.length)
  const num = (s: string) => (s === '' ? null : Number(s))
  asJson.groups.forEach((g: any, i: number) => {
    const row = rows[i + 1]
    t.same(
      [
        Number(row[0]),
        row[1],
        row[2],
        row[3],
        row[4],
        row[5],
        Number(row[6]),
        Number(row[7]),
        Number(row[8]),
        num(row[9]),
        num(row[10]),
        num(row[11]),
        num(row[12])
      ],
      [
        g.key.year,
        g.key.prefecture,
        g.key.prefecture.padEnd(6, '0'),
        g.names.prefecture,
        g.key.level,
        g.names.level,
        g.reports,
        g.reportsByFormat['2019'],
        g.reportsByFormat['2021'],
        g.values['applications.newReceived.total'],
        g.values.disclosureRate,
        g.values['proactive.fees.amountWanYuan'],
        g.values['proactive.regulations.inForce']
      ],
      `row ${i + 1}`
    )
  })
  const browser = await world.app.inject({ url: `/v1/aggregates?${qs}`, headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } })
  t.equal(browser.headers['content-type'], 'application/json; charset=utf-8', 'a browser gets JSON')
  t.equal(browser.headers.vary, 'Accept, Accept-Encoding', 'the answer depends on Accept, and may be compressed')
  const forced = await world.app.inject({ url: `/v1/aggregates?${qs}&output=json`, headers: { accept: 'text/csv' } })
  t.equal(forced.headers['content-type'], 'application/json; charset=utf-8', 'output=json wins over Accept')
  const preferred = await world.app.inject({ url: `/v1/aggregates?${qs}`, headers: { accept: 'application/json;q=0.5, text/csv' } })
  t.equal(preferred.headers['content-type'], 'text/csv; charset=utf-8', 'q-values decide')
})

t.test('the metric catalog', async (t) => {
  const app = await buildTestApp()
  t.teardown(() => app.close())
  const body = JSON.parse((await app.inject('/v1/aggregates/metrics')).body)
  t.equal(body.metrics.length, 1 + INDICATORS.length + GROUP_METRICS.length + CELLS.length)
  t.same(body.groupKeys, ['year', 'province', 'prefecture', 'county', 'agency', 'level', 'kind', 'format'])
  t.match(
    body.metrics.find((m: { code: string }) => m.code === 'reviewCorrectionRate'),
    {
      label: '复议纠错率',
      formula: 'reviewLitigation.review.corrected / (reviewLitigation.review.total − reviewLitigation.review.pending)'
    }
  )
})

t.test('answers are never older than the last commit, whichever connection made it', async (t) => {
  const dir = t.testdir({})
  const file = join(dir, 'nianbao.db')
  const app = await buildTestApp({ databaseFile: file })
  t.teardown(() => app.close())
  const model = new Model(app)
  const agency = await model.agency({ name: '某县民政局', regionCode: '630223', level: 'county', kind: 'department' })
  await model.put(variedReport(seededRandom(3), { agencyId: agency.id, year: 2025 }, { blank: 0 }))
  const penalty = async () =>
    JSON.parse((await app.inject('/v1/aggregates?metrics=proactive.penalty.decisions')).body).groups[0].values[
      'proactive.penalty.decisions'
    ]
  const before = await penalty()
  t.equal(await penalty(), before, 'asked twice')
  const other = new Database(file)
  // both roll-up tables, as a write would; a grand total reads the per-province one
  other.prepare('UPDATE rollup SET s_proactive_penalty_decisions = s_proactive_penalty_decisions + 1000').run()
  other.prepare('UPDATE rollup_province SET s_proactive_penalty_decisions = s_proactive_penalty_decisions + 1000').run()
  other.close()
  t.equal(await penalty(), before + 1000, 'another connection’s commit is seen at once')
})
