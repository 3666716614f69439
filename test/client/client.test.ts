// The typed client (test/client/client.ts, compiled by `npm run typecheck` without a cast) against a
// listening server: what it reads is what it wrote.
import t from 'tap'
import type { AddressInfo } from 'node:net'
import { ADMIN_KEY, buildTestApp } from '../helper.js'
import { runClient } from './client.js'

t.test('a client generated from the document writes and reads a report of each format, lists and aggregates', async (t) => {
  const app = await buildTestApp()
  t.teardown(() => app.close())
  await app.listen({ port: 0, host: '127.0.0.1' })
  const { port } = app.server.address() as AddressInfo
  const out = await runClient(`http://127.0.0.1:${port}`, ADMIN_KEY)
  t.equal(out.created.format, '2021')
  t.equal(out.created.revision, 1)
  t.same(out.read, out.created, 'the report read is the report written')
  t.equal(out.read.format === '2021' && out.read.proactive.licensing.decisions, 78)
  t.equal(out.overdueCorrection, 0, 'a cell format 2021 added, read where the type says it is')
  t.equal(out.read.applications.newReceived.naturalPerson, 10)
  t.equal(out.read.applications.carriedForward.total, 4)
  t.equal(out.read.sections.problems, null, 'a blank part is null')
  t.match(out.etag, /^"1(\+gzip)?"$/, 'revision 1 (fetch asks for gzip: the tag says so)')
  t.equal(out.created2019.format, '2019')
  t.same(out.read2019, out.created2019, 'the 2019 report read is the one written')
  t.equal(out.procurementYuan, 81250.5, 'a cell only format 2019 has, read where the type says it is')
  t.equal(out.read2019.format === '2019' && out.read2019.proactive.licensing.change, -2)
  t.notOk('procurement' in out.read.proactive, 'a 2021 report has no 2019 row')
  t.notOk('issued' in out.read2019.proactive.regulations, 'a 2019 report has no 2021 column')
  t.equal(out.csvFirstLine, 'code,label,value')
  t.same(out.listed, [out.reportId])
  t.equal(out.groups, 1)
  t.equal(out.disclosureRate, 1, 'the 6 applications answered were all disclosed')
  t.match(out.problem, { status: 404, title: '未找到', detail: `机关 999999 不存在。` })
})
