// GET /v1/coverage: reports published on, and one day after, each deadline; agencies without a report;
// reports without a date; agencies outside the region left out.
import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { buildTestApp, createAgency, json, sampleReport } from '../helper.js'

interface Setup {
  name: string
  regionCode: string
  level: string
  kind: string
  /** the 2025 report, if any */
  report?: { scope: 'own' | 'aggregate'; publishedAt: string | null }
  /** a report of another year only */
  otherYear?: number
}

const AGENCIES: Setup[] = [
  { name: '互助县教育局', regionCode: '630223', level: 'county', kind: 'department', report: { scope: 'own', publishedAt: '2026-01-31' } },
  { name: '互助县民政局', regionCode: '630223', level: 'county', kind: 'department', report: { scope: 'own', publishedAt: '2026-02-01' } },
  {
    name: '互助县人民政府',
    regionCode: '630223',
    level: 'county',
    kind: 'government',
    report: { scope: 'aggregate', publishedAt: '2026-02-20' }
  },
  {
    name: '乐都区人民政府',
    regionCode: '630202',
    level: 'county',
    kind: 'government',
    report: { scope: 'aggregate', publishedAt: '2026-02-21' }
  },
  {
    name: '海东市人民政府',
    regionCode: '630200',
    level: 'prefectural',
    kind: 'government',
    report: { scope: 'aggregate', publishedAt: '2026-03-10' }
  },
  {
    name: '海东市人民政府办公室',
    regionCode: '630200',
    level: 'prefectural',
    kind: 'generalOffice',
    report: { scope: 'aggregate', publishedAt: '2026-03-11' }
  },
  {
    name: '平安区人民政府',
    regionCode: '630203',
    level: 'county',
    kind: 'government',
    report: { scope: 'own', publishedAt: '2026-02-15' }
  },
  { name: '威远镇人民政府', regionCode: '630223', level: 'township', kind: 'township', report: { scope: 'own', publishedAt: null } },
  { name: '互助县财政局', regionCode: '630223', level: 'county', kind: 'department', otherYear: 2024 },
  { name: '平安区税务局', regionCode: '630203', level: 'county', kind: 'vertical' },
  // outside 6302
  { name: '城东区教育局', regionCode: '630102', level: 'county', kind: 'department', report: { scope: 'own', publishedAt: '2026-03-01' } },
  {
    name: '青海省人民政府',
    regionCode: '630000',
    level: 'provincial',
    kind: 'government',
    report: { scope: 'aggregate', publishedAt: '2026-03-31' }
  },
  {
    name: '青海省人民政府办公厅',
    regionCode: '630000',
    level: 'provincial',
    kind: 'generalOffice',
    report: { scope: 'aggregate', publishedAt: '2026-04-01' }
  },
  { name: '某部', regionCode: '000000', level: 'national', kind: 'department', report: { scope: 'own', publishedAt: '2026-02-01' } },
  {
    name: '国务院办公厅',
    regionCode: '000000',
    level: 'national',
    kind: 'generalOffice',
    report: { scope: 'aggregate', publishedAt: '2026-03-31' }
  },
  { name: '东城区教育局', regionCode: '110101', level: 'county', kind: 'department' }
]

async function seed(app: FastifyInstance) {
  const ids = new Map<string, { agencyId: number; reportId?: number }>()
  for (const a of AGENCIES) {
    const agencyId = await createAgency(app, { name: a.name, regionCode: a.regionCode, level: a.level, kind: a.kind })
    const entry: { agencyId: number; reportId?: number } = { agencyId }
    if (a.report) {
      const res = await app.inject({ method: 'POST', url: '/v1/reports', payload: sampleReport(agencyId, { year: 2025, ...a.report }) })
      if (res.statusCode !== 201) throw new Error(`report not created: ${res.statusCode} ${res.body}`)
      entry.reportId = json(res).id
    }
    if (a.otherYear) {
      const res = await app.inject({
        method: 'POST',
        url: '/v1/reports',
        payload: sampleReport(agencyId, { year: a.otherYear, publishedAt: null })
      })
      if (res.statusCode !== 201) throw new Error(`report not created: ${res.statusCode} ${res.body}`)
    }
    ids.set(a.name, entry)
  }
  return ids
}

t.test('coverage of a prefecture, a province and the national bodies', async (t) => {
  const app = await buildTestApp()
  t.teardown(() => app.close())
  const ids = await seed(app)
  const agency = (name: string) => {
    const a = AGENCIES.find((x) => x.name === name)!
    return { agencyId: ids.get(name)!.agencyId, name, regionCode: a.regionCode, level: a.level, kind: a.kind }
  }
  const report = (name: string, deadline: string) => ({
    ...agency(name),
    reportId: ids.get(name)!.reportId,
    scope: AGENCIES.find((x) => x.name === name)!.report!.scope,
    deadline
  })
  const late = (name: string, deadline: string, daysLate: number) => ({
    ...report(name, deadline),
    publishedAt: AGENCIES.find((x) => x.name === name)!.report!.publishedAt,
    // written by an admin: accepted at once, never submitted, so measured by its publication date
    filedAt: AGENCIES.find((x) => x.name === name)!.report!.publishedAt,
    filedBy: 'publication',
    daysLate
  })
  const none = { returned: [], awaitingReview: [], drafts: [] }

  await t.test('a prefecture: each deadline on the day is on time, the day after is late', async (t) => {
    const res = await app.inject('/v1/coverage?year=2025&regionCode=6302')
    t.equal(res.statusCode, 200)
    t.same(json(res), {
      year: 2025,
      regionCode: '6302',
      regionName: '海东市',
      agencies: 10,
      reported: 8,
      // 教育局 31 Jan, 互助县人民政府 20 Feb, 海东市人民政府 10 Mar, 平安区人民政府 (own: county summary date) 15 Feb
      onTime: 4,
      counts: { onTime: 4, late: 3, unknownDate: 1, returned: 0, awaitingReview: 0, draft: 0, missing: 2 },
      missing: [
        { ...agency('互助县财政局'), deadline: '2026-01-31' },
        { ...agency('平安区税务局'), deadline: '2026-01-31' }
      ],
      late: [late('互助县民政局', '2026-01-31', 1), late('乐都区人民政府', '2026-02-20', 1), late('海东市人民政府办公室', '2026-03-10', 1)],
      unknownDate: [report('威远镇人民政府', '2026-01-31')],
      ...none,
      // 平安区's government published only its own report: the summaries of 海东市's counties are incomplete
      subdivisionSummaries: {
        regionCode: '630200',
        complete: false,
        subdivisions: [
          { regionCode: '630202', regionName: '乐都区', reportIds: [ids.get('乐都区人民政府')!.reportId] },
          { regionCode: '630203', regionName: '平安区', reportIds: [] },
          { regionCode: '630222', regionName: '民和回族土族自治县', reportIds: [] },
          { regionCode: '630223', regionName: '互助土族自治县', reportIds: [ids.get('互助县人民政府')!.reportId] },
          { regionCode: '630224', regionName: '化隆回族自治县', reportIds: [] },
          { regionCode: '630225', regionName: '循化撒拉族自治县', reportIds: [] }
        ]
      }
    })
  })

  await t.test('a province adds its own bodies and the other prefectures; 31 March for its summary', async (t) => {
    const body = json(await app.inject('/v1/coverage?year=2025&regionCode=63'))
    t.match(body, { regionCode: '63', regionName: '青海省', agencies: 13, reported: 11, onTime: 5 })
    t.same(
      body.late.map((l: { name: string; daysLate: number }) => [l.name, l.daysLate]),
      [
        ['互助县民政局', 1],
        ['乐都区人民政府', 1],
        ['海东市人民政府办公室', 1],
        ['城东区教育局', 29],
        ['青海省人民政府办公厅', 1]
      ]
    )
    t.same(
      body.missing.map((m: { name: string }) => m.name),
      ['互助县财政局', '平安区税务局']
    )
    t.equal(body.subdivisionSummaries.regionCode, '630000')
    t.equal(body.subdivisionSummaries.complete, false)
    t.same(
      body.subdivisionSummaries.subdivisions.map((s: { regionCode: string; reportIds: number[] }) => [s.regionCode, s.reportIds]),
      [
        ['630100', []],
        // two summaries at 海东市's code: which one is the government's cannot be told
        ['630200', [ids.get('海东市人民政府')!.reportId, ids.get('海东市人民政府办公室')!.reportId]],
        ['632200', []],
        ['632300', []],
        ['632500', []],
        ['632600', []],
        ['632700', []],
        ['632800', []]
      ]
    )
  })

  await t.test('national bodies: departments 31 January, the national summary 31 March', async (t) => {
    t.same(json(await app.inject('/v1/coverage?year=2025&regionCode=00')), {
      year: 2025,
      regionCode: '00',
      regionName: '全国',
      agencies: 2,
      reported: 2,
      onTime: 1,
      counts: { onTime: 1, late: 1, unknownDate: 0, returned: 0, awaitingReview: 0, draft: 0, missing: 0 },
      missing: [],
      late: [late('某部', '2026-01-31', 1)],
      unknownDate: [],
      ...none
    })
  })

  await t.test('a county, and level and kind filters', async (t) => {
    const county = json(await app.inject('/v1/coverage?year=2025&regionCode=630223'))
    t.match(county, { regionName: '互助土族自治县', agencies: 5, reported: 4, onTime: 2 })
    t.notOk('subdivisionSummaries' in county, 'a county has no sub-divisions')
    const departments = json(await app.inject('/v1/coverage?year=2025&regionCode=6302&kind=department'))
    t.match(departments, { agencies: 3, reported: 2, onTime: 1 })
    t.same(
      departments.missing.map((m: { name: string }) => m.name),
      ['互助县财政局']
    )
    t.same(
      departments.late.map((m: { name: string }) => m.name),
      ['互助县民政局']
    )
    const prefectural = json(await app.inject('/v1/coverage?year=2025&regionCode=63&level=prefectural'))
    t.match(prefectural, { agencies: 2, reported: 2, onTime: 1, missing: [], unknownDate: [] })
  })

  await t.test('another year: a report of 2025 does not cover 2024', async (t) => {
    const body = json(await app.inject('/v1/coverage?year=2024&regionCode=6302'))
    t.match(body, { year: 2024, agencies: 10, reported: 1, onTime: 0, late: [] })
    t.same(
      body.unknownDate.map((u: { name: string }) => u.name),
      ['互助县财政局']
    )
    t.equal(body.missing.length, 9)
    t.ok(
      body.missing.every((m: { deadline: string }) => m.deadline.startsWith('2025-')),
      'deadlines in the following year'
    )
  })

  await t.test('a region without agencies', async (t) => {
    const { subdivisionSummaries, ...body } = json(await app.inject('/v1/coverage?year=2025&regionCode=44'))
    t.same(body, {
      year: 2025,
      regionCode: '44',
      regionName: '广东省',
      agencies: 0,
      reported: 0,
      onTime: 0,
      counts: { onTime: 0, late: 0, unknownDate: 0, returned: 0, awaitingReview: 0, draft: 0, missing: 0 },
      missing: [],
      late: [],
      unknownDate: [],
      returned: [],
      awaitingReview: [],
      drafts: []
    })
    t.match(subdivisionSummaries, { regionCode: '440000', complete: false })
    t.equal(subdivisionSummaries.subdivisions.length, 21, '广东省’s prefectures')
    t.ok(subdivisionSummaries.subdivisions.every((s: { reportIds: number[] }) => s.reportIds.length === 0))
    const unknown = await app.inject('/v1/coverage?year=2025&regionCode=9901')
    t.equal(unknown.statusCode, 200)
    t.match(json(unknown), { regionName: null, agencies: 0 })
    t.notOk('subdivisionSummaries' in json(unknown), 'no such region')
  })

  await t.test('deleting a report makes the agency missing again', async (t) => {
    const { reportId } = ids.get('互助县民政局')!
    t.equal((await app.inject({ method: 'DELETE', url: `/v1/reports/${reportId}` })).statusCode, 204)
    const body = json(await app.inject('/v1/coverage?year=2025&regionCode=630223'))
    t.same(
      body.missing.map((m: { name: string }) => m.name),
      ['互助县民政局', '互助县财政局']
    )
    t.same(body.late, [])
  })
})

t.test('coverage by submission and acceptance times: every category through the API, on a fixed clock', async (t) => {
  let now = '2026-01-10T02:00:00.000Z'
  const app = await buildTestApp({ clock: () => new Date(now) })
  t.teardown(() => app.close())
  const keyOf = async (name: string, role: string) => {
    const res = await app.inject({ method: 'POST', url: '/v1/keys', payload: { name, role, regions: ['630223'] } })
    return json(res).key as string
  }
  const submitter = await keyOf('互助县政务公开办', 'submitter')
  const reviewer = await keyOf('海东市政务公开办', 'reviewer')
  const at = (time: string) => {
    now = time
  }
  const draft = async (name: string, publishedAt: string | null = null) => {
    const agencyId = await createAgency(app, { name, regionCode: '630223', level: 'county', kind: 'department' })
    const res = await app.injectAs(submitter, {
      method: 'PUT',
      url: `/v1/agencies/${agencyId}/reports/2025`,
      payload: sampleReport(agencyId, { year: 2025, publishedAt })
    })
    t.equal(res.statusCode, 201, `${name}: a draft`)
    return { agencyId, reportId: json(res).id as number }
  }
  const move = async (key: string, id: number, to: string, comment?: string) => {
    const res = await app.injectAs(key, { method: 'POST', url: `/v1/reports/${id}/transitions`, payload: { to, comment } })
    t.equal(res.statusCode, 200, `report ${id} → ${to}`)
  }
  const ref = (name: string, ids: { agencyId: number; reportId?: number }) => ({
    agencyId: ids.agencyId,
    name,
    regionCode: '630223',
    level: 'county',
    kind: 'department',
    ...(ids.reportId ? { reportId: ids.reportId, scope: 'own' } : {}),
    deadline: '2026-01-31'
  })

  // submitted the day before the deadline, accepted after it: on time (the submission counts)
  const onTime = await draft('按时局', '2026-02-12')
  at('2026-01-30T09:00:00.000Z')
  await move(submitter, onTime.reportId, 'submitted')
  at('2026-02-10T09:00:00.000Z')
  await move(reviewer, onTime.reportId, 'accepted')
  // submitted at 00:30 on 1 February in Beijing, accepted the same day: one day late
  const late = await draft('迟报局', '2026-01-20')
  at('2026-01-31T16:30:00.000Z')
  await move(submitter, late.reportId, 'submitted')
  await move(reviewer, late.reportId, 'accepted')
  // submitted on time, returned, resubmitted three days late, accepted: late by the last submission
  const resubmitted = await draft('重报局')
  at('2026-01-20T01:00:00.000Z')
  await move(submitter, resubmitted.reportId, 'submitted')
  at('2026-01-25T01:00:00.000Z')
  await move(reviewer, resubmitted.reportId, 'returned', '表三合计有误')
  at('2026-02-03T01:00:00.000Z')
  await move(submitter, resubmitted.reportId, 'submitted')
  await move(reviewer, resubmitted.reportId, 'accepted')
  // returned and not resubmitted
  const returned = await draft('退回局')
  at('2026-01-21T01:00:00.000Z')
  await move(submitter, returned.reportId, 'submitted')
  at('2026-01-22T03:00:00.000Z')
  await move(reviewer, returned.reportId, 'returned', '请补充第五部分')
  // submitted and awaiting review: once by the deadline, once after it
  const waiting = await draft('待审局')
  at('2026-01-29T01:00:00.000Z')
  await move(submitter, waiting.reportId, 'submitted')
  const waitingLate = await draft('待审迟报局')
  at('2026-02-04T01:00:00.000Z')
  await move(submitter, waitingLate.reportId, 'submitted')
  // a draft only
  at('2026-01-05T01:00:00.000Z')
  const drafted = await draft('草稿局')
  // written by an admin (accepted at once, never submitted): by its publication date, or unknown
  const published = await createAgency(app, { name: '公开局', regionCode: '630223', level: 'county', kind: 'department' })
  const unknown = await createAgency(app, { name: '无日期局', regionCode: '630223', level: 'county', kind: 'department' })
  for (const [agencyId, publishedAt] of [
    [published, '2026-02-02'],
    [unknown, null]
  ] as const) {
    const res = await app.inject({
      method: 'PUT',
      url: `/v1/agencies/${agencyId}/reports/2025`,
      payload: sampleReport(agencyId, { publishedAt })
    })
    t.equal(res.statusCode, 201)
  }
  const publishedId = json(await app.inject(`/v1/agencies/${published}/reports/2025`)).id
  const unknownId = json(await app.inject(`/v1/agencies/${unknown}/reports/2025`)).id
  // no report at all
  const missing = await createAgency(app, { name: '缺报局', regionCode: '630223', level: 'county', kind: 'department' })

  const res = await app.inject('/v1/coverage?year=2025&regionCode=630223')
  t.equal(res.statusCode, 200)
  t.same(json(res), {
    year: 2025,
    regionCode: '630223',
    regionName: '互助土族自治县',
    agencies: 10,
    reported: 5,
    onTime: 1,
    counts: { onTime: 1, late: 3, unknownDate: 1, returned: 1, awaitingReview: 2, draft: 1, missing: 1 },
    missing: [ref('缺报局', { agencyId: missing })],
    late: [
      { ...ref('迟报局', late), publishedAt: '2026-01-20', filedAt: '2026-02-01', filedBy: 'submission', daysLate: 1 },
      { ...ref('重报局', resubmitted), publishedAt: null, filedAt: '2026-02-03', filedBy: 'submission', daysLate: 3 },
      {
        ...ref('公开局', { agencyId: published, reportId: publishedId }),
        publishedAt: '2026-02-02',
        filedAt: '2026-02-02',
        filedBy: 'publication',
        daysLate: 2
      }
    ],
    unknownDate: [ref('无日期局', { agencyId: unknown, reportId: unknownId })],
    returned: [{ ...ref('退回局', returned), submittedAt: '2026-01-21T01:00:00.000Z', returnedAt: '2026-01-22T03:00:00.000Z' }],
    awaitingReview: [
      { ...ref('待审局', waiting), submittedAt: '2026-01-29T01:00:00.000Z', daysLate: 0 },
      { ...ref('待审迟报局', waitingLate), submittedAt: '2026-02-04T01:00:00.000Z', daysLate: 4 }
    ],
    drafts: [{ ...ref('草稿局', drafted), submittedAt: null, updatedAt: '2026-01-05T01:00:00.000Z' }]
  })

  // the returned report, edited by its submitter, is a draft again (its earlier submission shown); resubmitted, it awaits review
  at('2026-01-23T05:00:00.000Z')
  const edited = await app.injectAs(submitter, {
    method: 'PUT',
    url: `/v1/reports/${returned.reportId}`,
    payload: { ...sampleReport(returned.agencyId), title: '补充后' }
  })
  t.equal(edited.statusCode, 200)
  let body = json(await app.inject('/v1/coverage?year=2025&regionCode=630223'))
  t.same(body.returned, [])
  t.same(body.drafts[0], { ...ref('退回局', returned), submittedAt: '2026-01-21T01:00:00.000Z', updatedAt: '2026-01-23T05:00:00.000Z' })
  await move(submitter, returned.reportId, 'submitted')
  await move(reviewer, returned.reportId, 'accepted')
  body = json(await app.inject('/v1/coverage?year=2025&regionCode=630223'))
  t.same(body.counts, { onTime: 2, late: 3, unknownDate: 1, returned: 0, awaitingReview: 2, draft: 1, missing: 1 })
  t.equal(body.reported, 6)
  t.equal(body.onTime, 2, 'resubmitted by the deadline: on time')
})

t.test('bad parameters are a 400 problem naming the parameter', async (t) => {
  const app = await buildTestApp()
  t.teardown(() => app.close())
  const cases: Array<[string, string]> = [
    ['/v1/coverage?regionCode=6302', 'year'],
    ['/v1/coverage?year=2025', 'regionCode'],
    ['/v1/coverage?year=2018&regionCode=6302', 'year'],
    ['/v1/coverage?year=next&regionCode=6302', 'year'],
    ['/v1/coverage?year=2025&regionCode=6', 'regionCode'],
    ['/v1/coverage?year=2025&regionCode=6302001', 'regionCode'],
    ['/v1/coverage?year=2025&regionCode=6302&level=city', 'level'],
    ['/v1/coverage?year=2025&regionCode=6302&kind=bureau', 'kind'],
    ['/v1/coverage?year=2025&regionCode=6302&limit=5', 'limit']
  ]
  for (const [url, parameter] of cases) {
    const res = await app.inject(url)
    t.equal(res.statusCode, 400, url)
    t.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8', url)
    const problem = json(res)
    t.match(problem, { status: 400, type: '/problems/validation', instance: '/v1/coverage' }, url)
    t.ok(
      problem.errors.some((e: { parameter?: string }) => e.parameter === parameter),
      `${url} names ${parameter}`
    )
  }
})
