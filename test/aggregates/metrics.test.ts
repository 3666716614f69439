import t from 'tap'
import { CELLS } from '../../src/format/registry.js'
import { METRICS, METRIC_BY_CODE, isFormatSpecific, type Term } from '../../src/aggregates/index.js'
import { GROUP_METRICS, INDICATOR_FORMULAS } from './model.js'

const signed = (terms: readonly Term[]) => terms.map((x) => `${x.sign < 0 ? '-' : ''}${x.cell.code}`).sort()

t.test('the catalog: reports, the indicators, the outcome groups, every cell', async (t) => {
  t.equal(METRICS.length, 1 + 12 + 28 + CELLS.length)
  t.equal(new Set(METRICS.map((m) => m.code)).size, METRICS.length, 'codes are unique')
  t.same(
    METRICS.filter((m) => m.kind === 'indicator').map((m) => m.code),
    Object.keys(INDICATOR_FORMULAS)
  )
  t.same(
    METRICS.filter((m) => m.kind === 'group').map((m) => m.code),
    GROUP_METRICS
  )
  for (const cell of CELLS) {
    const m = METRIC_BY_CODE.get(cell.code)!
    t.same([m.kind, m.label, m.unit, m.formats, signed(m.numerator)], ['cell', cell.label, cell.unit, cell.formats, [cell.code]], cell.code)
  }
  t.same(METRIC_BY_CODE.get('reports'), {
    code: 'reports',
    kind: 'reports',
    label: '报告数',
    unit: '份',
    numerator: [],
    formats: ['2019', '2021'],
    cells: []
  })
})

t.test('indicators are the formulas of FORMAT.md §8', async (t) => {
  for (const [code, [numerator, denominator]] of Object.entries(INDICATOR_FORMULAS)) {
    const m = METRIC_BY_CODE.get(code)!
    t.same(signed(m.numerator), [...numerator].sort(), `${code} numerator`)
    t.same(signed(m.denominator!), [...denominator].sort(), `${code} denominator`)
    t.equal(m.unit, '比率')
    t.notOk(isFormatSpecific(m), `${code} spans both formats`)
  }
  t.same(
    [
      '公开率',
      '办结率',
      '结转率',
      '不予公开率',
      '无法提供率',
      '不掌握率',
      '不予处理率',
      '其他处理率',
      '法人或其他组织申请占比',
      '复议纠错率',
      '诉讼纠错率',
      '复议诉讼发生率'
    ],
    METRICS.filter((m) => m.kind === 'indicator').map((m) => m.label)
  )
  t.equal(
    METRIC_BY_CODE.get('organizationShare')!.formula,
    '(applications.newReceived.total − applications.newReceived.naturalPerson) / applications.newReceived.total'
  )
})

t.test('outcome groups sum their rows, per column', async (t) => {
  const denied = METRIC_BY_CODE.get('applications.outcomes.denied.naturalPerson')!
  t.equal(denied.numerator.length, 8)
  t.ok(
    denied.numerator.every(
      (x) => x.sign === 1 && x.cell.column === 'naturalPerson' && x.cell.row.startsWith('applications.outcomes.denied.')
    )
  )
  t.equal(denied.label, '（三）不予公开 · 自然人')
  const other = METRIC_BY_CODE.get('applications.outcomes.other.total')!
  t.same(
    other.numerator.map((x) => x.cell.code),
    [
      'applications.outcomes.other.overdueCorrection.total',
      'applications.outcomes.other.unpaidFee.total',
      'applications.outcomes.other.other.total'
    ]
  )
  t.same(other.formats, ['2019', '2021'], 'format 2019 keeps its single row in other.other')
  t.equal(METRIC_BY_CODE.get('applications.outcomes.unavailable.total')!.numerator.length, 3)
  t.equal(METRIC_BY_CODE.get('applications.outcomes.notProcessed.total')!.numerator.length, 5)
})

t.test('format-specific and comparable metrics', async (t) => {
  const formats = (code: string) => METRIC_BY_CODE.get(code)!.formats
  t.same(formats('proactive.regulations.inForce'), ['2021'])
  t.same(formats('proactive.fees.amountWanYuan'), ['2021'])
  t.same(formats('proactive.regulations.totalPublished'), ['2019'])
  t.same(formats('proactive.procurement.amountYuan'), ['2019'])
  t.same(formats('applications.outcomes.other.unpaidFee.naturalPerson'), ['2021'])
  for (const code of [
    'proactive.licensing.decisions',
    'proactive.penalty.decisions',
    'proactive.coercion.decisions',
    'applications.newReceived.total',
    'reviewLitigation.litigationDirect.pending'
  ]) {
    t.notOk(isFormatSpecific(METRIC_BY_CODE.get(code)!), `${code} is comparable`)
  }
  t.ok(
    METRICS.filter((m) => m.kind !== 'cell').every((m) => m.cells.every((c) => c.kind !== 'money')),
    'composites add counts only'
  )
})
