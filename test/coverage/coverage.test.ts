import t from 'tap'
import { createCoverage, createSubdivisionSummaryCoverage, type AgencyWithReport } from '../../src/coverage/coverage.js'

interface Report {
  scope: string
  publishedAt: string | null
  state?: string
  submittedAt?: string | null
  updatedAt?: string
}

const row = (id: number, level: string, kind: string, report?: Report): AgencyWithReport => ({
  agencyId: id,
  name: `机关${id}`,
  regionCode: '630223',
  level,
  kind,
  reportId: report ? 100 + id : null,
  scope: report?.scope ?? null,
  publishedAt: report?.publishedAt ?? null,
  state: report ? (report.state ?? 'accepted') : null,
  submittedAt: report?.submittedAt ?? null,
  updatedAt: report ? (report.updatedAt ?? '2026-03-01T00:00:00.000Z') : null
})

const ref = (id: number, level: string, kind: string) => ({ agencyId: id, name: `机关${id}`, regionCode: '630223', level, kind })
const EMPTY = { unknownDate: 0, returned: 0, awaitingReview: 0, draft: 0 }

t.test('reports never submitted: on time, late and unknown by their publication date; missing', async (t) => {
  const rows = [
    row(1, 'county', 'department', { scope: 'own', publishedAt: '2026-01-31' }),
    row(2, 'county', 'department', { scope: 'own', publishedAt: '2026-02-03' }),
    row(3, 'county', 'government', { scope: 'aggregate', publishedAt: '2026-02-20' }),
    row(4, 'county', 'government', { scope: 'aggregate', publishedAt: null }),
    row(5, 'township', 'township'),
    row(6, 'county', 'government')
  ]
  const coverage = createCoverage(rows, { year: 2025, regionCode: '630223', regionName: '互助土族自治县' })
  t.same(coverage, {
    year: 2025,
    regionCode: '630223',
    regionName: '互助土族自治县',
    agencies: 6,
    reported: 4,
    onTime: 2,
    counts: { onTime: 2, late: 1, missing: 2, ...EMPTY, unknownDate: 1 },
    missing: [
      { ...ref(5, 'township', 'township'), deadline: '2026-01-31' },
      { ...ref(6, 'county', 'government'), deadline: '2026-02-20' }
    ],
    late: [
      {
        ...ref(2, 'county', 'department'),
        reportId: 102,
        scope: 'own',
        deadline: '2026-01-31',
        publishedAt: '2026-02-03',
        filedAt: '2026-02-03',
        filedBy: 'publication',
        daysLate: 3
      }
    ],
    unknownDate: [{ ...ref(4, 'county', 'government'), reportId: 104, scope: 'aggregate', deadline: '2026-02-20' }],
    returned: [],
    awaitingReview: [],
    drafts: []
  })
})

t.test('reports that went through submission: each state in its own category, timeliness by the last submission', async (t) => {
  const dept = (id: number, report: Report) => row(id, 'county', 'department', report)
  const rows = [
    // accepted, submitted 31 January 23:59 in Beijing (15:59 UTC): on time, though published (its date) later
    dept(1, { scope: 'own', publishedAt: '2026-02-10', state: 'accepted', submittedAt: '2026-01-31T15:59:00.000Z' }),
    // accepted, submitted 1 February 00:30 in Beijing (31 January 16:30 UTC): one day late, whatever it states
    dept(2, { scope: 'own', publishedAt: '2026-01-20', state: 'accepted', submittedAt: '2026-01-31T16:30:00.000Z' }),
    // accepted, submitted 5 February, stating no publication date: late by its submission, not unknown
    dept(3, { scope: 'own', publishedAt: null, state: 'accepted', submittedAt: '2026-02-05T02:00:00.000Z' }),
    // returned: not filed, whatever its dates
    dept(4, {
      scope: 'own',
      publishedAt: '2026-01-10',
      state: 'returned',
      submittedAt: '2026-01-12T01:00:00.000Z',
      updatedAt: '2026-01-20T03:00:00.000Z'
    }),
    // submitted on time and waiting; submitted late and waiting
    dept(5, { scope: 'own', publishedAt: null, state: 'submitted', submittedAt: '2026-01-30T08:00:00.000Z' }),
    dept(6, { scope: 'own', publishedAt: null, state: 'submitted', submittedAt: '2026-02-02T08:00:00.000Z' }),
    // a draft never submitted; a draft edited after a return (submitted once)
    dept(7, { scope: 'own', publishedAt: '2026-01-15', state: 'draft', updatedAt: '2026-01-16T00:00:00.000Z' }),
    dept(8, {
      scope: 'own',
      publishedAt: null,
      state: 'draft',
      submittedAt: '2026-01-25T00:00:00.000Z',
      updatedAt: '2026-01-28T00:00:00.000Z'
    }),
    row(9, 'county', 'vertical')
  ]
  const coverage = createCoverage(rows, { year: 2025, regionCode: '630223', regionName: '互助土族自治县' })
  const report = (id: number) => ({ ...ref(id, 'county', 'department'), reportId: 100 + id, scope: 'own', deadline: '2026-01-31' })
  t.same(coverage, {
    year: 2025,
    regionCode: '630223',
    regionName: '互助土族自治县',
    agencies: 9,
    reported: 3,
    onTime: 1,
    counts: { onTime: 1, late: 2, unknownDate: 0, returned: 1, awaitingReview: 2, draft: 2, missing: 1 },
    missing: [{ ...ref(9, 'county', 'vertical'), deadline: '2026-01-31' }],
    late: [
      { ...report(2), publishedAt: '2026-01-20', filedAt: '2026-02-01', filedBy: 'submission', daysLate: 1 },
      { ...report(3), publishedAt: null, filedAt: '2026-02-05', filedBy: 'submission', daysLate: 5 }
    ],
    unknownDate: [],
    returned: [{ ...report(4), submittedAt: '2026-01-12T01:00:00.000Z', returnedAt: '2026-01-20T03:00:00.000Z' }],
    awaitingReview: [
      { ...report(5), submittedAt: '2026-01-30T08:00:00.000Z', daysLate: 0 },
      { ...report(6), submittedAt: '2026-02-02T08:00:00.000Z', daysLate: 2 }
    ],
    drafts: [
      { ...report(7), submittedAt: null, updatedAt: '2026-01-16T00:00:00.000Z' },
      { ...report(8), submittedAt: '2026-01-25T00:00:00.000Z', updatedAt: '2026-01-28T00:00:00.000Z' }
    ]
  })
  const { onTime, late, unknownDate, returned, awaitingReview, draft, missing } = coverage.counts
  t.equal(onTime + late + unknownDate + returned + awaitingReview + draft + missing, coverage.agencies, 'each agency counted once')
})

t.test('an empty region', async (t) => {
  t.same(createCoverage([], { year: 2020, regionCode: '11', regionName: '北京市' }), {
    year: 2020,
    regionCode: '11',
    regionName: '北京市',
    agencies: 0,
    reported: 0,
    onTime: 0,
    counts: { onTime: 0, late: 0, missing: 0, ...EMPTY },
    missing: [],
    late: [],
    unknownDate: [],
    returned: [],
    awaitingReview: [],
    drafts: []
  })
})

t.test('the sub-divisions of a region with their summary reports', async (t) => {
  const subdivisions = [
    { code: '360502', name: '渝水区' },
    { code: '360521', name: '分宜县' }
  ]
  t.same(
    createSubdivisionSummaryCoverage('360500', subdivisions, [
      { regionCode: '360521', reportId: 7 },
      { regionCode: '369999', reportId: 8 }
    ]),
    {
      regionCode: '360500',
      complete: false,
      subdivisions: [
        { regionCode: '360502', regionName: '渝水区', reportIds: [] },
        { regionCode: '360521', regionName: '分宜县', reportIds: [7] }
      ]
    }
  )
  const both = [
    { regionCode: '360502', reportId: 3 },
    { regionCode: '360521', reportId: 7 }
  ]
  t.equal(createSubdivisionSummaryCoverage('360500', subdivisions, both).complete, true)
  t.equal(
    createSubdivisionSummaryCoverage('360500', subdivisions, [...both, { regionCode: '360502', reportId: 9 }]).complete,
    false,
    'two at one code'
  )
  t.equal(createSubdivisionSummaryCoverage('441900', [], []).complete, false, 'no sub-divisions: nothing to be complete')
})
