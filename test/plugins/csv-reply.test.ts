// Every CSV list neutralises text a spreadsheet would run as a formula (OWASP's CSV injection rule): an
// agency's name is the caller's text, and reaches the reports, aggregates, statistics and findings CSV.
import t from 'tap'
import { buildTestApp, createAgency, sampleReport } from '../helper.js'
import { parseCsv } from '../fixtures/parse-csv.js'

const HOSTILE = "=cmd|' /C calc'!A0"

t.test('the agency name is neutralised in every CSV list; numbers stay numbers', async (t) => {
  const app = await buildTestApp()
  t.teardown(() => app.close())
  const id = await createAgency(app, { name: HOSTILE, regionCode: '630223' })
  const doc = sampleReport(id)
  ;(doc.applications.newReceived as Record<string, number>).total += 1 // a T3 error finding to list
  const put = await app.inject({ method: 'PUT', url: `/v1/agencies/${id}/reports/2025`, payload: doc })
  t.equal(put.statusCode, 201)

  const csvOf = async (url: string) => {
    const res = await app.inject({ url, headers: { accept: 'text/csv' } })
    t.equal(res.statusCode, 200, url)
    t.match(res.headers['content-type'], /^text\/csv/)
    return parseCsv(res.body)
  }
  const column = (rows: string[][], header: string) => rows.slice(1).map((r) => r[rows[0].indexOf(header)])

  const reports = await csvOf('/v1/reports')
  t.same(column(reports, '机关名称'), [`'${HOSTILE}`], 'reports')
  t.same(column(reports, '报告ID'), ['1'])

  const aggregates = await csvOf('/v1/aggregates?metrics=applications.newReceived.total&groupBy=agency')
  t.same(column(aggregates, '机关名称'), [`'${HOSTILE}`], 'aggregates')
  t.same(column(aggregates, '机关ID'), [String(id)])

  const statistics = await csvOf('/v1/statistics?item=proactive.licensing.decisions')
  t.same(column(statistics, '机关名称'), [`'${HOSTILE}`], 'statistics')
  t.same(column(statistics, '数值'), [String(doc.proactive.licensing && (doc.proactive.licensing as Record<string, number>).decisions)])

  const findings = await csvOf('/v1/findings?severity=error')
  t.ok(findings.length > 1, 'the report has error findings')
  t.same(new Set(column(findings, '机关名称')), new Set([`'${HOSTILE}`]), 'findings')
  t.ok(
    column(findings, '应为').every((v) => /^-?\d+(\.\d+)?$|^$/.test(v)),
    'expected figures stay numbers'
  )
})
