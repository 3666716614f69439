import t from 'tap'
import { buildTestApp, createAgency, sampleReport } from '../helper.js'
import { readXlsx } from '../fixtures/read-xlsx.js'

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

t.test('a report as XLSX by output=xlsx or Accept, by id and by natural key', async (t) => {
  const app = await buildTestApp()
  t.teardown(() => app.close())
  const agencyId = await createAgency(app, { name: '互助县城市管理综合行政执法局' })
  const put = await app.inject({ method: 'PUT', url: `/v1/agencies/${agencyId}/reports/2025`, payload: sampleReport(agencyId) })
  const id = JSON.parse(put.body).id
  const csv = (await app.inject(`/v1/reports/${id}?output=csv`)).body.trim().split('\r\n').slice(1)
  for (const res of [
    await app.inject(`/v1/reports/${id}?output=xlsx`),
    await app.inject({ url: `/v1/reports/${id}`, headers: { accept: XLSX } }),
    await app.inject(`/v1/agencies/${agencyId}/reports/2025?output=xlsx`)
  ]) {
    t.equal(res.statusCode, 200)
    t.equal(res.headers['content-type'], XLSX)
    t.equal(res.headers['content-disposition'], `attachment; filename="report-${agencyId}-2025.xlsx"`)
    const [cells, facts] = await readXlsx(res.rawPayload)
    t.equal(cells.rows.length - 1, csv.length, 'one row per line of the CSV')
    t.same(
      cells.rows.slice(1).map((r) => r[0].value),
      csv.map((line) => line.split(',')[0]),
      'the same cells in the same order'
    )
    t.same(
      facts.rows[2].map((c) => c.value),
      ['机关', '互助县城市管理综合行政执法局']
    )
  }
  const refused = await app.inject({ url: `/v1/reports/${id}`, headers: { accept: 'application/pdf' } })
  t.equal(refused.statusCode, 406)
  t.match(JSON.parse(refused.body).detail, /spreadsheetml/)
})
