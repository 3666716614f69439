import t from 'tap'
import fc from 'fast-check'
import { checkInYear, hasErrors } from '../../src/checks/index.js'
import { buildConsistentReport, freeCellsOf } from '../../src/checks/consistent-report.js'
import { fromStoredMoney } from '../../src/format/document.js'
import { type Format, cellsOf } from '../../src/format/registry.js'
import { get, set } from './support.js'

const NUM_RUNS = 150

/** Random values for every free cell of a format. */
function freeValues(format: Format) {
  const cells = freeCellsOf(format)
  return fc
    .tuple(
      ...cells.map((cell) =>
        cell.kind === 'signedCount'
          ? fc.integer({ min: -40, max: 40 })
          : cell.kind === 'money'
            ? fc.nat({ max: 100_000_000 }).map((n) => fromStoredMoney(n, cell))
            : fc.nat({ max: 40 })
      )
    )
    .map((values) => Object.fromEntries(cells.map((cell, i) => [cell.code, values[i]])))
}

const tableCells = (format: Format) => cellsOf(format).filter((c) => c.table === 'applications' || c.table === 'reviewLitigation')
const delta = fc.oneof(
  fc.integer({ min: -60, max: 60 }).filter((d) => d !== 0),
  fc.constantFrom(0.5, -0.5, 0.25, 1e-3)
)

for (const format of ['2019', '2021'] as const) {
  const cells = tableCells(format)

  t.test(`${format}: a report built to satisfy every sum rule has no finding`, async (t) => {
    fc.assert(
      fc.property(freeValues(format), (values) => {
        const found = checkInYear(buildConsistentReport(format, values))
        return found.length === 0
      }),
      { numRuns: NUM_RUNS }
    )
    t.pass(`${NUM_RUNS} reports`)
  })

  t.test(`${format}: changing any one table-三/四 cell gives an error that names it`, async (t) => {
    fc.assert(
      fc.property(freeValues(format), fc.nat({ max: cells.length - 1 }), delta, (values, index, d) => {
        const doc = buildConsistentReport(format, values)
        const code = cells[index].code
        set(doc, code, (get(doc, code) as number) + d)
        const found = checkInYear(doc)
        return hasErrors(found) && found.some((f) => f.severity === 'error' && f.cells.includes(code))
      }),
      { numRuns: NUM_RUNS }
    )
    t.pass(`${NUM_RUNS} changes`)
  })

  t.test(`${format}: blanking any one table-三/四 cell gives no error, but a finding that names it`, async (t) => {
    fc.assert(
      fc.property(freeValues(format), fc.nat({ max: cells.length - 1 }), (values, index) => {
        const doc = buildConsistentReport(format, values)
        const code = cells[index].code
        set(doc, code, null)
        const found = checkInYear(doc)
        return !hasErrors(found) && found.some((f) => f.cells.includes(code))
      }),
      { numRuns: NUM_RUNS }
    )
    t.pass(`${NUM_RUNS} blanks`)
  })
}

t.test('every table cell of the format is reachable by the properties above', async (t) => {
  t.equal(tableCells('2021').length, 25 * 7 + 15)
  t.equal(tableCells('2019').length, 23 * 7 + 15)
})
