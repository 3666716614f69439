// Sums of money at national scale: enough reports at the largest fee a cell may hold (MONEY_MAX_FEN) to pass
// 2^63 分, which a 64-bit integer sum cannot hold, and a sum past 2^53 分, which a double cannot hold to the
// 分. The aggregates answer the exact sum (JSON, CSV, XLSX), and the summaries of that year — whose AG-01
// reads the same sums — and every later report with a fee are written as usual.
import t from 'tap'
import { unzipSync, strFromU8 } from 'fflate'
import { buildConsistentReport } from '../../src/checks/consistent-report.js'
import { CELLS, CELL_BY_CODE, MONEY_MAX_FEN } from '../../src/format/registry.js'
import { createRollup } from '../../db/repositories/rollup.js'
import { buildTestApp, createAgency, json, type TestApp } from '../helper.js'

const FEE = 'proactive.fees.amountWanYuan'
const YEAR = 2025
/** The fewest reports at the largest fee whose sum in 分 passes 2^63 − 1. */
const REPORTS = Number((2n ** 63n - 1n) / BigInt(MONEY_MAX_FEN) + 1n)
/** Counties the bulk reports are spread over (each county's sum stays small; the national one does not). */
const FIRST = 1_000_000
const COUNTIES = ['630102', '630103', '630104', '630105', '630121', '630123', '630202', '630203', '630222', '630223']

/**
 * REPORTS own reports of province 63 at the largest fee, written in one transaction below the API: the rows by
 * three INSERT … SELECT over a counter (the same SQL on both engines), and the roll-up by the deltas the write
 * path uses, flushed once. Seconds, where 92 000 writes through the API would take many minutes. Nothing but
 * the fee is filled; no document is needed to aggregate. Report i's agency is FIRST + i, in COUNTIES[i % 10].
 */
async function bulk(app: TestApp) {
  const fee = CELL_BY_CODE.get(FEE)!
  const now = new Date().toISOString()
  const counter = `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${REPORTS - 1})`
  const county = `CASE i % ${COUNTIES.length} ${COUNTIES.map((c, k) => `WHEN ${k} THEN '${c}'`).join(' ')} END`
  await app.engine.transaction(async (tx) => {
    await tx.run(
      `INSERT INTO agencies (id, name, region_code, level, kind, created_at, updated_at) ${counter}
       SELECT ${FIRST} + i, '收费单位' || CAST(i AS TEXT), ${county}, 'county', 'department', ?, ? FROM n`,
      [now, now]
    )
    await tx.run(
      `INSERT INTO reports (id, agency_id, year, format, scope, created_at, updated_at, state, region_code) ${counter}
       SELECT ${FIRST} + i, ${FIRST} + i, ${YEAR}, '2021', 'own', ?, ?, 'accepted', ${county} FROM n`,
      [now, now]
    )
    await tx.run(`INSERT INTO report_cells (report_id, ${fee.sqlName}) ${counter} SELECT ${FIRST} + i, ${MONEY_MAX_FEN} FROM n`)
    const stored = CELLS.map((c) => (c === fee ? MONEY_MAX_FEN : null))
    const delta = createRollup().delta()
    for (let i = 0; i < REPORTS; i++) {
      const key = {
        year: YEAR,
        regionCode: COUNTIES[i % COUNTIES.length],
        level: 'county',
        kind: 'department',
        format: '2021',
        scope: 'own'
      }
      delta.add({ ...key, state: 'accepted' }, stored, 1)
    }
    await delta.flush(tx)
  })
}

/** A consistent 2025 report with a fee of `wanYuan` 万元. */
function withFee(agencyId: number, wanYuan: number, scope: 'own' | 'aggregate' = 'own') {
  const doc = buildConsistentReport('2021', {}, { agencyId, year: YEAR, scope }) as unknown as {
    proactive: { fees: { amountWanYuan: number } }
  }
  doc.proactive.fees.amountWanYuan = wanYuan
  return doc
}

async function put(app: TestApp, agencyId: number, body: unknown) {
  return app.inject({ method: 'PUT', url: `/v1/agencies/${agencyId}/reports/${YEAR}`, payload: body as object })
}

t.test(`${REPORTS} reports at the largest fee: exact sums, and every write of the year still works`, async (t) => {
  t.equal(REPORTS, 92_234, '92 234 × 10^14 分 passes 2^63 − 1')
  const app = await buildTestApp()
  t.teardown(() => app.close())
  await bulk(app)

  // one more report of 1 分 (0.000001 万元): the exact sum is no double's digits
  const small = await createAgency(app, { name: '小额收费局', regionCode: '630223', level: 'county', kind: 'department' })
  t.equal((await put(app, small, withFee(small, 0.000001))).statusCode, 201)
  const exact = `${REPORTS}00000000.000001` // REPORTS × 10^8 万元 + 0.000001 万元

  const res = await app.inject(`/v1/aggregates?metrics=${FEE},reports&year=${YEAR}`)
  t.equal(res.statusCode, 200, 'the national fee aggregate answers')
  t.match(res.headers['content-type'], /^application\/json/)
  t.match(
    res.body,
    new RegExp(`"${FEE.replace(/\./g, '\\.')}":${exact.replace('.', '\\.')}[,}]`),
    'the exact sum, a JSON number of its digits'
  )
  const body = json(res)
  t.equal(body.groups[0].reports, REPORTS + 1)
  t.equal(body.groups[0].values[FEE], Number(exact), 'JSON.parse reads the nearest double')

  const rows = await app.inject(`/v1/aggregates?metrics=${FEE}&year=${YEAR}&shape=rows`)
  t.equal(rows.statusCode, 200)
  t.match(rows.body, `"${FEE}":${exact}`, 'shape=rows: the same exact number')

  const csv = await app.inject(`/v1/aggregates?metrics=${FEE}&year=${YEAR}&output=csv`)
  t.equal(csv.statusCode, 200)
  t.equal(csv.body.split('\r\n')[1], `${REPORTS + 1},0,${REPORTS + 1},${exact}`, 'CSV: the exact decimal')

  const xlsx = await app.inject(`/v1/aggregates?metrics=${FEE}&year=${YEAR}&output=xlsx`)
  t.equal(xlsx.statusCode, 200)
  const sheet = strFromU8(unzipSync(xlsx.rawPayload)['xl/worksheets/sheet1.xml'])
  t.match(sheet, `<v>${exact}</v>`, 'XLSX: a number cell with the exact digits')

  // by county every sum is a plain number, exact
  const byCounty = json(await app.inject(`/v1/aggregates?metrics=${FEE}&year=${YEAR}&groupBy=county&regionCode=6301`))
  const expected = COUNTIES.filter((c) => c.startsWith('6301')).map((c) => {
    let n = 0
    for (let i = 0; i < REPORTS; i++) if (COUNTIES[i % COUNTIES.length] === c) n++
    return [c, n * 100_000_000]
  })
  t.same(
    byCounty.groups.map((g: { key: { county: string }; values: Record<string, number> }) => [g.key.county, g.values[FEE]]),
    expected
  )

  // the previous-year comparison and ranks read the same sums
  const compared = await app.inject(`/v1/aggregates?metrics=${FEE}&year=${YEAR}&compare=previousYear&rank=true`)
  t.equal(compared.statusCode, 200)
  t.match(compared.body, `"change":{"${FEE}":null}`)

  // the province's and the country's summaries of that year (AG-01 reads the own sums) are written
  const province = await createAgency(app, { name: '青海省人民政府', regionCode: '630000', level: 'provincial', kind: 'government' })
  const provincial = await put(app, province, withFee(province, 100_000_000, 'aggregate'))
  t.equal(provincial.statusCode, 201, 'a provincial summary is written')
  const nation = await createAgency(app, { name: '国务院办公厅', regionCode: '000000', level: 'national', kind: 'generalOffice' })
  const national = await put(app, nation, withFee(nation, 100_000_000, 'aggregate'))
  t.equal(national.statusCode, 201, 'a national summary is written')
  const ag01 = json(await app.inject(`/v1/reports/${json(provincial).id}/findings`)).items.filter(
    (f: { rule: string; cells: string[] }) => f.rule === 'AG-01' && f.cells[0] === FEE
  )
  t.equal(ag01.length, 1, 'AG-01 sees that the summary is not the sum of the own reports')

  // and afterwards an ordinary report with a fee, in the same province, is written as usual
  const later = await createAgency(app, { name: '互助县市场监管局', regionCode: '630223', level: 'county', kind: 'department' })
  const res2 = await put(app, later, withFee(later, 12.5))
  t.equal(res2.statusCode, 201, 'a report with a fee is written')
  const after = await app.inject(`/v1/aggregates?metrics=${FEE}&year=${YEAR}&regionCode=63`)
  t.equal(after.statusCode, 200)
  t.match(after.body, `"${FEE}":${REPORTS}00000012.500001`, 'the province’s sum, exact')
})
