// GET /v1/findings and /v1/findings/summary over reports written through the API with deliberate errors.
// What each report's stored findings must be is computed here with the pure check engine: no report has
// a neighbouring year or is an aggregate, so its findings are exactly its in-year ones.
import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { buildTestApp, correctReport, createAgency, json, sampleReport } from '../helper.js'
import { report2019 } from '../fixtures/report-2019.js'
import { checkInYear, type Finding } from '../../src/checks/index.js'
import { getCell, setCell, type ReportInput } from '../../src/format/document.js'

interface Expected extends Finding {
  reportId: number
  agencyId: number
  agencyName: string
  regionCode: string
  level: string
  kind: string
  year: number
}

const bump = (doc: ReportInput, code: string, delta: number) =>
  setCell(doc as unknown as Record<string, unknown>, code, (getCell(doc as unknown as Record<string, unknown>, code) as number) + delta)

/** Agencies in three provinces and at four levels, seven reports with known errors. */
async function seed(app: FastifyInstance): Promise<Expected[]> {
  const agencies = {
    huzhu: { name: '互助县城市管理综合行政执法局', regionCode: '630223', level: 'county', kind: 'department' },
    ledu: { name: '乐都区人民政府', regionCode: '630202', level: 'county', kind: 'government' },
    chengdong: { name: '城东区教育局', regionCode: '630102', level: 'county', kind: 'department' },
    haidong: { name: '海东市生态环境局', regionCode: '630200', level: 'prefectural', kind: 'department' },
    dongcheng: { name: '东城区税务局', regionCode: '110101', level: 'county', kind: 'vertical' },
    ministry: { name: '某部', regionCode: '000000', level: 'national', kind: 'department' }
  }
  const ids: Record<string, number> = {}
  for (const [key, fields] of Object.entries(agencies)) ids[key] = await createAgency(app, fields)

  const docs: Array<[keyof typeof agencies, ReportInput]> = []
  // T3-03 (新收 row total ≠ its parts) and T3-01 (total column), plus SEC-02 info
  const huzhu2025 = sampleReport(ids.huzhu)
  bump(huzhu2025, 'applications.newReceived.total', 2)
  docs.push(['huzhu', huzhu2025])
  // a 2019-format report for 2023: FMT-01 warning, many not-assessable infos (blank cells), a T2-02 info
  // (其他对外管理服务事项 decisions blank) and SEC-03 (section 五 reads only “存在问题…”)
  docs.push(['huzhu', report2019(ids.huzhu, 2023)])
  // clean but for SEC-02
  docs.push(['ledu', sampleReport(ids.ledu, { year: 2024, publishedAt: '2025-01-20' })])
  // T4-01 (复议 total) and SEC-01 (empty section 五)
  const chengdong = sampleReport(ids.chengdong)
  bump(chengdong, 'reviewLitigation.review.total', 1)
  chengdong.sections = { ...chengdong.sections, problems: '' }
  docs.push(['chengdong', chengdong])
  docs.push(['haidong', report2019(ids.haidong, 2020)])
  docs.push(['dongcheng', sampleReport(ids.dongcheng, { year: 2023, publishedAt: '2024-01-15' })])
  // table 四 left blank (T0-01) and a text that states 3 applications where table 三 has none (TX-01)
  const dongcheng2021 = sampleReport(ids.dongcheng, { year: 2021, publishedAt: '2022-01-15' })
  for (const group of ['review', 'litigationDirect', 'litigationAfterReview']) {
    for (const column of ['upheld', 'corrected', 'other', 'pending', 'total'])
      setCell(dongcheng2021 as unknown as Record<string, unknown>, `reviewLitigation.${group}.${column}`, null)
  }
  dongcheng2021.sections = { ...dongcheng2021.sections, overview: '（二）依申请公开情况。本年度共收到政府信息公开申请3件，均已按时办结。' }
  docs.push(['dongcheng', dongcheng2021])
  const ministry = sampleReport(ids.ministry)
  bump(ministry, 'applications.outcomes.granted.total', 1)
  docs.push(['ministry', ministry])

  const expected: Expected[] = []
  for (const [key, doc] of docs) {
    const res = await app.inject({ method: 'POST', url: '/v1/reports', payload: doc })
    if (res.statusCode !== 201) throw new Error(`report not created: ${res.statusCode} ${res.body}`)
    const reportId = json(res).id as number
    const agency = agencies[key]
    for (const f of checkInYear(doc)) {
      expected.push({
        ...f,
        reportId,
        agencyId: ids[key],
        agencyName: agency.name,
        regionCode: agency.regionCode,
        level: agency.level,
        kind: agency.kind,
        year: doc.year
      })
    }
  }
  return expected
}

type Item = { id: number; reportId: number; fingerprint: string; severity: string; [k: string]: unknown }

/** Follows `next` to the end; throws on a page that is not a 200. */
async function listAll(app: FastifyInstance, query: string, limit = 500): Promise<{ items: Item[]; pages: number }> {
  const items: Item[] = []
  let cursor: string | null = null
  let pages = 0
  do {
    const url: string = `/v1/findings?${query}${query ? '&' : ''}limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`
    const res = await app.inject(url)
    if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body}`)
    const page = json(res) as { items: Item[]; next: string | null }
    items.push(...page.items)
    cursor = page.next
    pages++
  } while (cursor && pages < 1000)
  return { items, pages }
}

// A finding is identified by its report and fingerprint (rule + cells): unique within a report.
const keysOf = (items: Array<{ reportId: number; fingerprint: string; severity: string }>) =>
  items.map((f) => `${f.reportId} ${f.fingerprint} ${f.severity}`).sort()

t.test('findings across reports', async (t) => {
  const app = await buildTestApp()
  t.teardown(() => app.close())
  const expected = await seed(app)
  const total = expected.length
  t.ok(total > 40, `the seed has many findings (${total})`)
  t.ok(new Set(keysOf(expected)).size === total, 'report + fingerprint identify a finding')

  await t.test('every finding once, in id order, across pages', async (t) => {
    const { items, pages } = await listAll(app, '', 7)
    t.equal(items.length, total)
    t.equal(pages, Math.ceil(total / 7))
    t.same(keysOf(items), keysOf(expected))
    t.ok(
      items.every((f, i) => i === 0 || f.id > items[i - 1].id),
      'ids ascend, none repeated'
    )
    const first = json(await app.inject('/v1/findings'))
    t.equal(first.items.length, Math.min(50, total), 'default limit 50')
    t.equal(first.next === null, total <= 50)
  })

  await t.test('an item names its report and agency and carries the finding exactly', async (t) => {
    const want = expected.find((f) => f.rule === 'T3-03' && f.severity === 'error' && f.regionCode === '630223')!
    const { items } = await listAll(app, `rule=T3-03&agencyId=${want.agencyId}&severity=error`)
    t.equal(items.length, 1)
    const { id, ...item } = items[0]
    t.type(id, 'number')
    t.same(item, {
      reportId: want.reportId,
      agencyId: want.agencyId,
      agencyName: '互助县城市管理综合行政执法局',
      regionCode: '630223',
      year: 2025,
      rule: 'T3-03',
      ruleName: '表三：总计列与各申请人列之和不符',
      severity: 'error',
      message: want.message,
      cells: [
        'applications.newReceived.naturalPerson',
        'applications.newReceived.commercialEnterprise',
        'applications.newReceived.researchInstitution',
        'applications.newReceived.publicInterestOrganization',
        'applications.newReceived.legalServiceAgency',
        'applications.newReceived.otherOrganization',
        'applications.newReceived.total'
      ],
      expected: 0,
      actual: 2,
      fingerprint: want.fingerprint,
      status: 'open',
      review: null
    })
    t.notOk('otherReportId' in item, 'in-year findings name no other report')
  })

  await t.test('each filter narrows to exactly the matching findings', async (t) => {
    const huzhu = expected.find((f) => f.regionCode === '630223')!.agencyId
    const cases: Array<[string, (f: Expected) => boolean]> = [
      ['rule=T3-03', (f) => f.rule === 'T3-03'],
      ['rule=T4-01', (f) => f.rule === 'T4-01'],
      ['rule=FMT-01', (f) => f.rule === 'FMT-01'],
      ['severity=error', (f) => f.severity === 'error'],
      ['severity=warning', (f) => f.severity === 'warning'],
      ['severity=info', (f) => f.severity === 'info'],
      ['year=2025', (f) => f.year === 2025],
      ['year=2020', (f) => f.year === 2020],
      ['regionCode=63', (f) => f.regionCode.startsWith('63')],
      ['regionCode=6302', (f) => f.regionCode.startsWith('6302')],
      ['regionCode=630223', (f) => f.regionCode === '630223'],
      ['regionCode=00', (f) => f.regionCode === '000000'],
      ['level=county', (f) => f.level === 'county'],
      ['level=prefectural', (f) => f.level === 'prefectural'],
      ['kind=department', (f) => f.kind === 'department'],
      ['kind=vertical', (f) => f.kind === 'vertical'],
      [`agencyId=${huzhu}`, (f) => f.agencyId === huzhu],
      ['severity=error&regionCode=63', (f) => f.severity === 'error' && f.regionCode.startsWith('63')],
      [`year=2025&kind=department&rule=SEC-02`, (f) => f.year === 2025 && f.kind === 'department' && f.rule === 'SEC-02']
    ]
    for (const [query, match] of cases) {
      const want = expected.filter(match)
      t.ok(want.length > 0 && want.length < total, `${query} selects some but not all (${want.length})`)
      const { items } = await listAll(app, query, 10)
      t.same(keysOf(items), keysOf(want), query)
    }
    for (const query of ['rule=CY-01', 'year=2019', 'regionCode=44', 'kind=other', `agencyId=${huzhu}&year=2024`]) {
      t.same(json(await app.inject(`/v1/findings?${query}`)), { items: [], next: null }, `${query}: none`)
    }
  })

  await t.test('summary counts equal the counts of the findings', async (t) => {
    const count = (keyOf: (f: Expected) => string | number, of = expected) => {
      const counts = new Map<string | number, number>()
      for (const f of of) counts.set(keyOf(f), (counts.get(keyOf(f)) ?? 0) + 1)
      return counts
    }
    const asMap = (groups: Array<{ key: string | number; count: number }>) => new Map(groups.map((g) => [g.key, g.count]))

    const byRule = json(await app.inject('/v1/findings/summary?groupBy=rule'))
    t.equal(byRule.groupBy, 'rule')
    t.equal(byRule.total, total)
    t.same(
      asMap(byRule.groups),
      count((f) => f.rule)
    )
    t.same(
      byRule.groups.map((g: { key: string; name: string }) => `${g.key} ${g.name}`),
      [
        'T3-01 表三：收到与办理、结转不平衡',
        'T3-02 表三：办理结果总计与各项之和不符',
        'T3-03 表三：总计列与各申请人列之和不符',
        'T4-01 表四：复议、诉讼各项之和与总计不符',
        'FMT-01 格式与报告年度不符',
        'SEC-01 正文部分缺失或为空',
        'SEC-02 第六部分未说明信息处理费',
        'T0-01 整张表格空白',
        'T2-02 表二：单元格空白',
        'SEC-03 存在的问题未实质说明',
        'TX-01 正文数字与表格不符'
      ],
      'rules in the order of FORMAT.md §7, with their Chinese names'
    )
    t.same(
      expected.filter((f) => ['T0-01', 'TX-01'].includes(f.rule)).map((f) => [f.rule, f.ruleName, f.cells.length, f.expected, f.actual]),
      [
        ['T0-01', '整张表格空白', 15, null, null],
        ['TX-01', '正文数字与表格不符', 2, 3, 0]
      ]
    )

    const bySeverity = json(await app.inject('/v1/findings/summary?groupBy=severity'))
    t.same(
      bySeverity.groups.map((g: { key: string }) => g.key),
      ['error', 'warning', 'info']
    )
    t.same(
      asMap(bySeverity.groups),
      count((f) => f.severity)
    )

    const byYear = json(await app.inject('/v1/findings/summary?groupBy=year'))
    t.same(
      byYear.groups.map((g: { key: number }) => g.key),
      [2020, 2021, 2023, 2024, 2025],
      'years are integers, ascending'
    )
    t.same(
      asMap(byYear.groups),
      count((f) => f.year)
    )

    const byProvince = json(await app.inject('/v1/findings/summary?groupBy=province'))
    const provinceCounts = count((f) => f.regionCode.slice(0, 2))
    t.same(byProvince, {
      groupBy: 'province',
      total,
      groups: [
        { key: '00', name: '全国', count: provinceCounts.get('00') },
        { key: '11', name: '北京市', count: provinceCounts.get('11') },
        { key: '63', name: '青海省', count: provinceCounts.get('63') }
      ]
    })

    const filtered = json(await app.inject('/v1/findings/summary?groupBy=rule&regionCode=6302&severity=error'))
    const want = expected.filter((f) => f.regionCode.startsWith('6302') && f.severity === 'error')
    t.equal(filtered.total, want.length)
    t.same(
      asMap(filtered.groups),
      count((f) => f.rule, want)
    )

    t.same(json(await app.inject('/v1/findings/summary?groupBy=year&regionCode=44')), { groupBy: 'year', total: 0, groups: [] })
  })

  await t.test('findings follow the report: a fixed report loses its errors, a deleted one all its findings', async (t) => {
    const chengdong = expected.find((f) => f.regionCode === '630102')!
    const fixed = sampleReport(chengdong.agencyId)
    const put = await correctReport(app, chengdong.reportId, fixed, '更正：新收申请数')
    t.equal(put.statusCode, 200)
    const after = (await listAll(app, `agencyId=${chengdong.agencyId}`)).items
    t.same(
      after.map((f) => f.rule),
      ['SEC-02'],
      'T4-01 and SEC-01 gone'
    )
    t.equal((await app.inject({ method: 'DELETE', url: `/v1/reports/${chengdong.reportId}` })).statusCode, 204)
    t.same(json(await app.inject(`/v1/findings?agencyId=${chengdong.agencyId}`)).items, [])
  })
})

t.test('cross-year findings name the other report', async (t) => {
  const app = await buildTestApp()
  t.teardown(() => app.close())
  const agencyId = await createAgency(app, { regionCode: '630223' })
  const previous = json(
    await app.inject({ method: 'POST', url: '/v1/reports', payload: sampleReport(agencyId, { year: 2024, publishedAt: '2025-01-20' }) })
  )
  const doc = sampleReport(agencyId)
  // 上年结转 1 where the 2024 report carried forward 0
  setCell(doc as unknown as Record<string, unknown>, 'applications.carriedOver.naturalPerson', 1)
  const current = json(await app.inject({ method: 'POST', url: '/v1/reports', payload: doc }))

  const page = json(await app.inject('/v1/findings?rule=CY-01'))
  t.equal(page.items.length, 1)
  t.match(page.items[0], {
    reportId: current.id,
    year: 2025,
    rule: 'CY-01',
    severity: 'error',
    cells: ['applications.carriedOver.naturalPerson', 'applications.carriedForward.naturalPerson'],
    expected: 0,
    actual: 1,
    otherReportId: previous.id,
    otherYear: 2024
  })
  const byYear = json(await app.inject('/v1/findings/summary?groupBy=year&rule=CY-01'))
  t.same(byYear.groups, [{ key: 2025, count: 1 }])
})

t.test('bad parameters are a 400 problem naming the parameter', async (t) => {
  const app = await buildTestApp()
  t.teardown(() => app.close())
  const cases: Array<[string, string]> = [
    ['/v1/findings?limit=0', 'limit'],
    ['/v1/findings?limit=501', 'limit'],
    ['/v1/findings?limit=ten', 'limit'],
    ['/v1/findings?rule=T9-99', 'rule'],
    ['/v1/findings?severity=fatal', 'severity'],
    ['/v1/findings?year=2018', 'year'],
    ['/v1/findings?year=soon', 'year'],
    ['/v1/findings?regionCode=6', 'regionCode'],
    ['/v1/findings?regionCode=63a2', 'regionCode'],
    ['/v1/findings?level=city', 'level'],
    ['/v1/findings?kind=ministry', 'kind'],
    ['/v1/findings?agencyId=0', 'agencyId'],
    ['/v1/findings?sort=-id', 'sort'],
    ['/v1/findings?cursor=not-a-cursor', 'cursor'],
    ['/v1/findings/summary', 'groupBy'],
    ['/v1/findings/summary?groupBy=city', 'groupBy'],
    ['/v1/findings/summary?groupBy=rule&limit=5', 'limit'],
    ['/v1/findings/summary?groupBy=rule&severity=bad', 'severity']
  ]
  for (const [url, parameter] of cases) {
    const res = await app.inject(url)
    t.equal(res.statusCode, 400, url)
    t.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8', url)
    const problem = json(res)
    t.match(problem, { status: 400, type: '/problems/validation' }, url)
    t.ok(
      problem.errors.some((e: { parameter?: string }) => e.parameter === parameter),
      `${url} names ${parameter}: ${JSON.stringify(problem.errors)}`
    )
  }
  // a cursor of another list and sort is refused too
  const agencyId = await createAgency(app)
  await createAgency(app)
  const agencies = json(await app.inject('/v1/agencies?limit=1&sort=name'))
  t.type(agencies.next, 'string')
  t.equal((await app.inject(`/v1/findings?cursor=${agencies.next}`)).statusCode, 400)
  t.ok(agencyId > 0)
})
