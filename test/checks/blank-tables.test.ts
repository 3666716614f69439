import t from 'tap'
import fc from 'fast-check'
import { checkInYear } from '../../src/checks/index.js'
import { checkT001, checkT202 } from '../../src/checks/blank-tables.js'
import { buildConsistentReport } from '../../src/checks/consistent-report.js'
import { emptyReport } from '../../src/format/document.js'
import { type Format, cellsOf } from '../../src/format/registry.js'
import { brief, ofRule, set } from './support.js'

const codesOf = (format: Format, table: string) =>
  cellsOf(format)
    .filter((c) => c.table === table)
    .map((c) => c.code)

for (const format of ['2019', '2021'] as const) {
  t.test(`${format}: T0-01 one warning per blank table, naming every cell of it`, async (t) => {
    const year = format === '2019' ? 2020 : 2024
    t.same(checkT001(buildConsistentReport(format, {}, { year })), [], 'zeros are not blanks')
    const blank = emptyReport(format, { year, agencyId: 1 })
    const found = checkT001(blank)
    t.same(found.map(brief), [
      { rule: 'T0-01', severity: 'warning', cells: codesOf(format, 'proactive'), expected: null, actual: null },
      { rule: 'T0-01', severity: 'warning', cells: codesOf(format, 'applications'), expected: null, actual: null },
      { rule: 'T0-01', severity: 'warning', cells: codesOf(format, 'reviewLitigation'), expected: null, actual: null }
    ])
    const sizes = format === '2021' ? [10, 175, 15] : [22, 161, 15]
    t.same(
      found.map((f) => f.cells.length),
      sizes
    )
    t.equal(
      found[1].message,
      `“三、收到和处理政府信息公开申请情况”整张表格空白：${sizes[1]} 个单元格均未填写（没有发生的事项应填 0，空白不视为 0）`
    )
    t.same(checkT202(blank), [], 'a blank table 二 is T0-01’s, not one T2-02 per cell')

    // one filled cell makes the table not blank
    const one = emptyReport(format, { year, agencyId: 1 })
    set(one, 'reviewLitigation.review.pending', 0)
    t.same(
      checkT001(one).map((f) => f.cells[0]),
      [codesOf(format, 'proactive')[0], codesOf(format, 'applications')[0]]
    )
  })

  t.test(`${format}: T2-02 one info per blank table-二 cell`, async (t) => {
    const doc = buildConsistentReport(format, {}, { year: format === '2019' ? 2020 : 2024 })
    set(doc, 'proactive.licensing.decisions', null)
    set(doc, 'proactive.penalty.decisions', null)
    const found = checkT202(doc)
    t.same(found.map(brief), [
      { rule: 'T2-02', severity: 'info', cells: ['proactive.licensing.decisions'], expected: null, actual: null },
      { rule: 'T2-02', severity: 'info', cells: ['proactive.penalty.decisions'], expected: null, actual: null }
    ])
    t.equal(
      found[0].message,
      format === '2021'
        ? '“行政许可 · 本年处理决定数量”为空：格式要求填写数字，没有发生的填 0'
        : '“行政许可 · 处理决定数量”为空：格式要求填写数字，没有发生的填 0'
    )
    t.same(ofRule(checkInYear(doc), 'T2-02'), found)
    t.same(ofRule(checkInYear(doc), 'T0-01'), [])
  })

  t.test(`${format}: blanking any set of table-二 cells — T2-02 names exactly those, or T0-01 when it is all of them`, async (t) => {
    const cells = codesOf(format, 'proactive')
    fc.assert(
      fc.property(fc.subarray(cells, { minLength: 1 }), (blanked) => {
        const doc = buildConsistentReport(format, {}, { year: format === '2019' ? 2020 : 2024 })
        for (const code of blanked) set(doc, code, null)
        const found = checkInYear(doc)
        const t202 = ofRule(found, 'T2-02').map((f) => f.cells[0])
        const t001 = ofRule(found, 'T0-01').map((f) => f.cells)
        if (blanked.length === cells.length) return t202.length === 0 && t001.length === 1 && t001[0].join() === cells.join()
        return t001.length === 0 && t202.join() === cells.filter((c) => blanked.includes(c)).join()
      }),
      { numRuns: 200 }
    )
    t.pass('200 subsets')
  })
}
