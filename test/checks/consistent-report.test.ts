import t from 'tap'
import { checkAgainstPrevious, checkInYear } from '../../src/checks/index.js'
import {
  buildConsistentReport,
  defaultSections,
  freeCellsOf,
  randomConsistentReport,
  seededRandom
} from '../../src/checks/consistent-report.js'
import { cellsOf } from '../../src/format/registry.js'
import { app, get } from './support.js'

t.test('free cells: table 二, the six applicant columns of the non-derived rows, table 四 but totals', async (t) => {
  const free21 = freeCellsOf('2021').map((c) => c.code)
  t.equal(free21.filter((c) => c.startsWith('proactive.')).length, 10)
  t.equal(
    free21.filter((c) => c.startsWith('applications.')).length,
    (25 - 2) * 6,
    'every row but newReceived and outcomes.total, without the total column'
  )
  t.equal(free21.filter((c) => c.startsWith('reviewLitigation.')).length, 12)
  t.notOk(free21.includes(app('newReceived', 'naturalPerson')))
  t.notOk(free21.includes(app('carriedOver', 'total')))
  const free19 = freeCellsOf('2019').map((c) => c.code)
  t.equal(free19.filter((c) => c.startsWith('proactive.')).length, 22)
  t.equal(free19.filter((c) => c.startsWith('applications.')).length, (23 - 2) * 6)
  t.notOk(free19.includes(app('outcomes.other.unpaidFee', 'naturalPerson')))
})

t.test('totals are computed from the free cells', async (t) => {
  const doc = buildConsistentReport('2021', {
    'applications.outcomes.granted.naturalPerson': 5,
    'applications.outcomes.denied.stateSecret.naturalPerson': 2,
    'applications.outcomes.granted.otherOrganization': 1,
    'applications.carriedOver.naturalPerson': 3,
    'applications.carriedForward.naturalPerson': 4,
    'reviewLitigation.litigationDirect.corrected': 2,
    'reviewLitigation.litigationDirect.pending': 1,
    'proactive.fees.amountWanYuan': 24252.311082
  })
  t.equal(get(doc, app('outcomes.total', 'naturalPerson')), 7)
  t.equal(get(doc, app('newReceived', 'naturalPerson')), 8, '7 done + 4 carried forward − 3 carried over')
  t.equal(get(doc, app('newReceived', 'total')), 9)
  t.equal(get(doc, app('outcomes.granted', 'total')), 6)
  t.equal(get(doc, app('outcomes.total', 'total')), 8)
  t.equal(get(doc, 'reviewLitigation.litigationDirect.total'), 3)
  t.equal(get(doc, 'proactive.fees.amountWanYuan'), 24252.311082)
  t.equal(get(doc, 'proactive.regulations.issued'), 0, 'a free cell not given is 0')
  t.equal(doc.year, 2021)
  t.equal(doc.format, '2021')
  t.same(checkInYear(doc), [])
})

t.test('carriedOver is capped so that newReceived is never negative', async (t) => {
  const doc = buildConsistentReport('2019', {
    'applications.outcomes.granted.commercialEnterprise': 2,
    'applications.carriedForward.commercialEnterprise': 1,
    'applications.carriedOver.commercialEnterprise': 10
  })
  t.equal(get(doc, app('carriedOver', 'commercialEnterprise')), 3)
  t.equal(get(doc, app('newReceived', 'commercialEnterprise')), 0)
  t.same(checkInYear(doc), [])
})

t.test('unknown or derived cells are refused', async (t) => {
  t.throws(() => buildConsistentReport('2021', { 'applications.newReceived.total': 3 }), RangeError)
  t.throws(() => buildConsistentReport('2019', { 'proactive.regulations.inForce': 3 }), RangeError)
  t.throws(() => buildConsistentReport('2019', { 'applications.outcomes.other.unpaidFee.naturalPerson': 1 }), RangeError)
})

t.test('fields override the document fields', async (t) => {
  const doc = buildConsistentReport('2021', {}, { year: 2024, agencyId: 9, scope: 'aggregate', publishedAt: '2025-01-20' })
  t.same([doc.year, doc.agencyId, doc.scope, doc.publishedAt], [2024, 9, 'aggregate', '2025-01-20'])
  t.equal(doc.title, '2024年政府信息公开工作年度报告')
  t.same(doc.sections, defaultSections(2024))
})

t.test('random consistent reports are reproducible and pass every rule', async (t) => {
  for (const format of ['2019', '2021'] as const) {
    const a = randomConsistentReport(format, seededRandom(42))
    const b = randomConsistentReport(format, seededRandom(42))
    const c = randomConsistentReport(format, seededRandom(43))
    t.same(a, b, `${format}: same seed, same report`)
    t.not(JSON.stringify(a), JSON.stringify(c), `${format}: another seed, another report`)
    t.same(checkInYear(a), [])
    t.ok(
      cellsOf(format).every((cell) => get(a, cell.code) !== null),
      'every cell filled'
    )
    // consecutive generated years are not flagged as copied text
    const prev = randomConsistentReport(format, seededRandom(1), { fields: { year: a.year - 1 } })
    t.same(
      checkAgainstPrevious(a, { id: 1, doc: prev }).filter((f) => f.rule === 'CY-07'),
      [],
      `${format}: default texts alternate`
    )
  }
  const r = seededRandom(7)
  const xs = Array.from({ length: 1000 }, r)
  t.ok(xs.every((x) => x >= 0 && x < 1))
  t.ok(new Set(xs).size > 990)
  const big = randomConsistentReport('2021', seededRandom(5), { max: 3 })
  t.ok(
    cellsOf('2021')
      .filter((c) => c.table === 'reviewLitigation' && c.column !== 'total')
      .every((c) => (get(big, c.code) as number) <= 3)
  )
})
