import t from 'tap'
import { subdivisionCodesOf, subdivisionSums, summaryCoverage, type SubdivisionSummaries } from '../../src/checks/index.js'

t.test('which summaries a government’s summary adds up', async (t) => {
  t.same(subdivisionCodesOf('360500', 'prefectural'), ['360502', '360521'], '新余市: 渝水区, 分宜县')
  t.same(subdivisionCodesOf('630000', 'provincial'), ['630100', '630200', '632200', '632300', '632500', '632600', '632700', '632800'])
  const hubei = subdivisionCodesOf('420000', 'provincial')
  t.ok(hubei.includes('429004') && hubei.includes('429021'), '省直辖: 仙桃市 … 神农架林区 in place of their group')
  t.notOk(hubei.includes('429000'), 'the group has no government')
  t.equal(subdivisionCodesOf('110000', 'provincial').length, 16, 'a municipality: its districts')
  t.ok(
    subdivisionCodesOf('650000', 'provincial').every((c) => !c.startsWith('659')),
    'the 兵团 cities report within the 兵团'
  )
  t.same(subdivisionCodesOf('630223', 'county'), [], 'a county: AG-01 only')
  t.same(subdivisionCodesOf('630200', 'county'), [], 'a county-level agency at a prefecture code is not its government')
  t.same(subdivisionCodesOf('630000', 'prefectural'), [], 'nor a prefecture-level one at a province code')
  t.same(subdivisionCodesOf('441900', 'prefectural'), [], '东莞市 has no counties')
  t.same(subdivisionCodesOf('000000', 'national'), [], 'national bodies')
  t.same(subdivisionCodesOf('999900', 'prefectural'), [], 'an unknown code')
})

const summary = (regionCode: string, reports: number, cells: Record<string, [number, number]>): SubdivisionSummaries => ({
  regionCode,
  reports,
  cells: Object.fromEntries(Object.entries(cells).map(([code, [sum, filled]]) => [code, { sum, filled }]))
})
const own = { reports: 2, sums: { 'applications.newReceived.total': 5 } }

t.test('evaluated only when every sub-division has exactly one summary stored', async (t) => {
  const codes = ['360502', '360521']
  const a = summary('360502', 1, { 'applications.newReceived.total': [10, 1] })
  const b = summary('360521', 1, { 'applications.newReceived.total': [20, 1] })
  t.same(summaryCoverage(codes, [a]), { missing: ['360521'], ambiguous: [] })
  t.equal(subdivisionSums(codes, [a], own), null, 'one missing')
  t.same(summaryCoverage(codes, [a, { ...b, reports: 2 }]), { missing: [], ambiguous: ['360521'] })
  t.equal(subdivisionSums(codes, [a, { ...b, reports: 2 }], own), null, 'two summaries at one code: which is the government’s is unknown')
  t.equal(subdivisionSums([], [], own), null, 'no sub-divisions')
  t.same(
    subdivisionSums(codes, [a, b, summary('360599', 1, { 'applications.newReceived.total': [99, 1] })], own),
    {
      subdivisions: 2,
      summaries: { 'applications.newReceived.total': { sum: 30, filled: 2 } },
      own
    },
    'only the sub-divisions asked for are added'
  )
})

t.test('money is summed in 分 and divided once', async (t) => {
  const sums = subdivisionSums(
    ['1', '2', '3'],
    [
      summary('1', 1, { 'proactive.fees.amountWanYuan': [100_000, 1] }),
      summary('2', 1, { 'proactive.fees.amountWanYuan': [200_000, 1] }),
      summary('3', 1, { 'proactive.fees.amountWanYuan': [1, 0] })
    ],
    own
  )
  t.same(sums?.summaries['proactive.fees.amountWanYuan'], { sum: 0.300001, filled: 2 })
})
