import t from 'tap'
import { APPLICATION_ROWS, CELLS, CELL_BY_CODE, COUNT_MAX, STORAGE_NAME_MAX, cellsOf, formatForYear } from '../../src/format/registry.js'
import { checkShape, emptyReport, fromStoredMoney, getCell, setCell, toStoredMoney } from '../../src/format/document.js'

t.test('the registry names every cell of FORMAT.md once', async (t) => {
  t.equal(APPLICATION_ROWS.length, 25, 'table 三 has 25 rows')
  t.equal(CELLS.length, new Set(CELLS.map((c) => c.code)).size, 'codes are unique')
  t.equal(CELLS.length, new Set(CELLS.map((c) => c.sqlName)).size, 'storage columns are unique')
  // 2021: 2×3 + 3×1 + 1 = 10 proactive; 2019: 2×3 + 4×3 + 2 + 2 = 22 proactive
  t.equal(cellsOf('2021').filter((c) => c.table === 'proactive').length, 10)
  t.equal(cellsOf('2019').filter((c) => c.table === 'proactive').length, 22)
  t.equal(cellsOf('2021').filter((c) => c.table === 'applications').length, 25 * 7)
  t.equal(cellsOf('2019').filter((c) => c.table === 'applications').length, 23 * 7)
  t.equal(CELLS.filter((c) => c.table === 'reviewLitigation').length, 15)
  t.same(CELL_BY_CODE.get('applications.outcomes.denied.stateSecret.total')?.formats, ['2019', '2021'])
  t.same(CELL_BY_CODE.get('proactive.regulations.inForce')?.formats, ['2021'])
  t.same(CELL_BY_CODE.get('proactive.licensing.decisions')?.formats, ['2021', '2019'])
  t.equal(CELL_BY_CODE.get('proactive.fees.amountWanYuan')?.label, '行政事业性收费 · 本年收费金额（单位：万元）')
  t.equal(CELL_BY_CODE.get('reviewLitigation.review.corrected')?.sqlName, 'review_litigation_review_corrected')
})

t.test('storage names fit PostgreSQL identifiers, roll-up prefixes included', async (t) => {
  const longest = Math.max(...CELLS.map((c) => Buffer.byteLength(c.sqlName)))
  t.ok(longest <= STORAGE_NAME_MAX && STORAGE_NAME_MAX + 2 <= 63, `the longest is ${longest} bytes`)
  t.equal(CELL_BY_CODE.get('applications.newReceived.naturalPerson')?.sqlName, 'applications_new_received_natural_person')
  t.equal(CELL_BY_CODE.get('applications.newReceived.publicInterestOrganization')?.sqlName, 'applications_new_received_public_interest')
  t.equal(
    CELL_BY_CODE.get('applications.outcomes.unavailable.unclearAfterCorrection.otherOrganization')?.sqlName,
    'outcomes_unavailable_unclear_after_correction_other_org'
  )
})

t.test('format for year', async (t) => {
  t.equal(formatForYear(2018), null)
  t.equal(formatForYear(2019), '2019')
  t.equal(formatForYear(2020), '2019')
  t.equal(formatForYear(2021), '2021')
  t.equal(formatForYear(2030), '2021')
})

t.test('cells are read and written by code', async (t) => {
  const doc = emptyReport('2021') as unknown as Record<string, unknown>
  t.equal(getCell(doc, 'applications.outcomes.denied.stateSecret.total'), null)
  setCell(doc, 'applications.outcomes.denied.stateSecret.total', 4)
  t.equal(getCell(doc, 'applications.outcomes.denied.stateSecret.total'), 4)
  t.equal(getCell(doc, 'applications.nothing.here'), null)
})

t.test('money is converted exactly, never rounded', async (t) => {
  const wan = CELL_BY_CODE.get('proactive.fees.amountWanYuan')!
  const yuan = CELL_BY_CODE.get('proactive.procurement.amountYuan')!
  t.equal(toStoredMoney(24252.311082, wan), 24252311082)
  t.equal(fromStoredMoney(24252311082, wan), 24252.311082)
  t.equal(toStoredMoney(96171.6, wan), 96171600000)
  t.equal(toStoredMoney(0.000001, wan), 1)
  t.equal(toStoredMoney(0.0000001, wan), undefined, 'a 7th decimal cannot be stored')
  t.equal(toStoredMoney(0.1 + 0.2, wan), undefined, 'binary float noise is refused, not rounded')
  t.equal(toStoredMoney(1e30, wan), undefined, 'beyond exact integers')
  t.equal(toStoredMoney(12.34, yuan), 1234)
  t.equal(toStoredMoney(12.345, yuan), undefined)
  t.equal(fromStoredMoney(-550, yuan), -5.5)
})

t.test('shape: the cells of the format, all present, nothing else', async (t) => {
  t.same(checkShape(emptyReport('2021')), [])
  t.same(checkShape(emptyReport('2019')), [])
  const wrong = emptyReport('2021')
  ;(wrong.proactive as Record<string, unknown>).procurement = { projects: 1, amountYuan: 2 }
  delete (wrong.proactive.regulations as Record<string, unknown>).inForce
  const errors = checkShape(wrong)
  t.same(errors.map((e) => e.pointer).sort(), ['/proactive/procurement', '/proactive/regulations/inForce'])
  const old = emptyReport('2019')
  setCell(old as unknown as Record<string, unknown>, 'applications.outcomes.other.unpaidFee.total', 3)
  t.same(
    checkShape(old).map((e) => e.pointer),
    ['/applications/outcomes/other/unpaidFee/total']
  )
})

t.test('every cell has a documented bound: a billion for counts, 1 万亿元 (10^14 分) for money', async (t) => {
  for (const cell of CELLS) {
    if (cell.kind === 'money') {
      t.equal(cell.max * cell.scale!, 1e14, `${cell.code}: ${cell.max} ${cell.unit} = 10^14 分`)
      t.equal(toStoredMoney(cell.max, cell), 1e14, 'the bound itself is stored exactly')
    } else t.equal(cell.max, COUNT_MAX, cell.code)
  }
  t.equal(COUNT_MAX, 1_000_000_000)
  t.equal(CELL_BY_CODE.get('proactive.fees.amountWanYuan')!.max, 100_000_000, '10^8 万元')
  t.equal(CELL_BY_CODE.get('proactive.procurement.amountYuan')!.max, 1_000_000_000_000, '10^12 元')
})

t.test('shape: counts are whole numbers and every value is within its bound, on every path', async (t) => {
  const doc = emptyReport('2019') as unknown as Record<string, unknown>
  setCell(doc, 'applications.newReceived.total', 0.2)
  setCell(doc, 'proactive.licensing.change', -2.5)
  setCell(doc, 'reviewLitigation.review.total', COUNT_MAX + 1)
  setCell(doc, 'applications.carriedOver.total', -(COUNT_MAX + 1))
  setCell(doc, 'proactive.procurement.amountYuan', 1_000_000_000_000.01)
  setCell(doc, 'applications.outcomes.granted.total', -7)
  setCell(doc, 'applications.carriedForward.total', COUNT_MAX)
  setCell(doc, 'proactive.procurement.projects', 3)
  t.same(
    checkShape(doc as unknown as ReturnType<typeof emptyReport>),
    [
      { pointer: '/proactive/licensing/change', message: '行政许可 · 本年增/减 is a count of 项: it must be a whole number, not -2.5' },
      {
        pointer: '/proactive/procurement/amountYuan',
        message: '政府集中采购 · 采购总金额 is 1000000000000.01 元, beyond ±1000000000000 元, the most a report may state'
      },
      {
        pointer: '/applications/newReceived/total',
        message: '一、本年新收政府信息公开申请数量 · 总计 is a count of 件: it must be a whole number, not 0.2'
      },
      {
        pointer: '/applications/carriedOver/total',
        message: '二、上年结转政府信息公开申请数量 · 总计 is -1000000001 件, beyond ±1000000000 件, the most a report may state'
      },
      {
        pointer: '/reviewLitigation/review/total',
        message: '行政复议 · 总计 is 1000000001 件, beyond ±1000000000 件, the most a report may state'
      }
    ],
    'a negative count within the bound is stored as published (its finding says what is wrong)'
  )
})
