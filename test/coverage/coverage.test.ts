import t from 'tap'
import { createCoverage, createSubdivisionSummaryCoverage, type AgencyWithReport } from '../../src/coverage/coverage.js'

const row = (id: number, level: string, kind: string, report?: { scope: string; publishedAt: string | null }): AgencyWithReport => ({
  agencyId: id,
  name: `机关${id}`,
  regionCode: '630223',
  level,
  kind,
  reportId: report ? 100 + id : null,
  scope: report?.scope ?? null,
  publishedAt: report?.publishedAt ?? null
})

t.test('sorts agencies into on time, late, unknown date and missing', async (t) => {
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
    missing: [
      { agencyId: 5, name: '机关5', regionCode: '630223', level: 'township', kind: 'township', deadline: '2026-01-31' },
      { agencyId: 6, name: '机关6', regionCode: '630223', level: 'county', kind: 'government', deadline: '2026-02-20' }
    ],
    late: [
      {
        agencyId: 2,
        name: '机关2',
        regionCode: '630223',
        level: 'county',
        kind: 'department',
        reportId: 102,
        scope: 'own',
        deadline: '2026-01-31',
        publishedAt: '2026-02-03',
        daysLate: 3
      }
    ],
    unknownDate: [
      {
        agencyId: 4,
        name: '机关4',
        regionCode: '630223',
        level: 'county',
        kind: 'government',
        reportId: 104,
        scope: 'aggregate',
        deadline: '2026-02-20'
      }
    ]
  })
})

t.test('an empty region', async (t) => {
  t.same(createCoverage([], { year: 2020, regionCode: '11', regionName: '北京市' }), {
    year: 2020,
    regionCode: '11',
    regionName: '北京市',
    agencies: 0,
    reported: 0,
    onTime: 0,
    missing: [],
    late: [],
    unknownDate: []
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
