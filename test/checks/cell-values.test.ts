import t from 'tap'
import { checkInYear } from '../../src/checks/index.js'
import { buildConsistentReport } from '../../src/checks/consistent-report.js'
import { brief, ofRule, set } from './support.js'

const FORMATS = ['2019', '2021'] as const

for (const format of FORMATS) {
  t.test(`${format}: T3-04 table-三/四 cells must be integers ≥ 0`, async (t) => {
    const doc = buildConsistentReport(format)
    t.same(ofRule(checkInYear(doc), 'T3-04'), [], 'zeros are fine')
    set(doc, 'applications.outcomes.denied.stateSecret.naturalPerson', 1.5)
    set(doc, 'reviewLitigation.review.pending', -3)
    set(doc, 'applications.carriedForward.total', null) // blank is fine for T3-04
    const found = ofRule(checkInYear(doc), 'T3-04')
    t.same(found.map(brief), [
      {
        rule: 'T3-04',
        severity: 'error',
        cells: ['applications.outcomes.denied.stateSecret.naturalPerson'],
        expected: null,
        actual: 1.5
      },
      { rule: 'T3-04', severity: 'error', cells: ['reviewLitigation.review.pending'], expected: null, actual: -3 }
    ])
    t.equal(found[0].message, '“三、本年度办理结果（三）不予公开 1.属于国家秘密 · 自然人” 为 1.5，应为不小于 0 的整数')
    t.equal(found[1].message, '“行政复议 · 尚未审结” 为 -3，应为不小于 0 的整数')
  })
}

t.test('2021: T2-01 counts integers ≥ 0, the fee amount ≥ 0 with decimals', async (t) => {
  const doc = buildConsistentReport('2021', {
    'proactive.regulations.inForce': 12,
    'proactive.fees.amountWanYuan': 24252.311082
  })
  t.same(ofRule(checkInYear(doc), 'T2-01'), [])
  set(doc, 'proactive.normativeDocuments.issued', -1)
  set(doc, 'proactive.licensing.decisions', 2.5)
  set(doc, 'proactive.fees.amountWanYuan', -0.5)
  const found = ofRule(checkInYear(doc), 'T2-01')
  t.same(found.map(brief), [
    { rule: 'T2-01', severity: 'error', cells: ['proactive.normativeDocuments.issued'], expected: null, actual: -1 },
    { rule: 'T2-01', severity: 'error', cells: ['proactive.licensing.decisions'], expected: null, actual: 2.5 },
    { rule: 'T2-01', severity: 'error', cells: ['proactive.fees.amountWanYuan'], expected: null, actual: -0.5 }
  ])
  t.equal(found[0].message, '“行政规范性文件 · 本年制发件数” 为 -1，应为不小于 0 的整数')
  t.equal(found[2].message, '“行政事业性收费 · 本年收费金额（单位：万元）” 为 -0.5 万元，应为不小于 0 的金额')
})

t.test('2019: T2-01 本年增/减 may be negative but whole; 采购金额 ≥ 0', async (t) => {
  const doc = buildConsistentReport('2019', {
    'proactive.licensing.change': -3,
    'proactive.fees.change': -1,
    'proactive.procurement.amountYuan': 1234.56
  })
  t.same(ofRule(checkInYear(doc), 'T2-01'), [])
  set(doc, 'proactive.penalty.change', 1.5)
  set(doc, 'proactive.penalty.previousItems', -2)
  set(doc, 'proactive.procurement.amountYuan', -100.25)
  const found = ofRule(checkInYear(doc), 'T2-01')
  t.same(found.map(brief), [
    { rule: 'T2-01', severity: 'error', cells: ['proactive.penalty.previousItems'], expected: null, actual: -2 },
    { rule: 'T2-01', severity: 'error', cells: ['proactive.penalty.change'], expected: null, actual: 1.5 },
    { rule: 'T2-01', severity: 'error', cells: ['proactive.procurement.amountYuan'], expected: null, actual: -100.25 }
  ])
  t.equal(found[1].message, '“行政处罚 · 本年增/减” 为 1.5，应为整数（可为负数）')
  t.equal(found[2].message, '“政府集中采购 · 采购总金额” 为 -100.25 元，应为不小于 0 的金额')
})

t.test('T2-01 and T3-04 ignore cells of the other format', async (t) => {
  const doc = buildConsistentReport('2021')
  // a stray 2019 column in a 2021 document is the shape check's business, not a value rule's
  ;(doc.proactive as Record<string, unknown>).otherServices = { change: 0.5 }
  t.same(ofRule(checkInYear(doc), 'T2-01'), [])
})
