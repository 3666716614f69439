// The typed client (test/client/client.ts, compiled by `npm run typecheck` without a cast) against a
// listening server: what it reads is what it wrote.
import t from 'tap'
import type { AddressInfo } from 'node:net'
import { ADMIN_KEY, buildTestApp } from '../helper.js'
import { runClient } from './client.js'

t.test('a client generated from the document writes and reads a report, lists and aggregates', async (t) => {
  const app = await buildTestApp()
  t.teardown(() => app.close())
  await app.listen({ port: 0, host: '127.0.0.1' })
  const { port } = app.server.address() as AddressInfo
  const out = await runClient(`http://127.0.0.1:${port}`, ADMIN_KEY)
  t.equal(out.created.format, '2021')
  t.equal(out.created.revision, 1)
  t.same(out.read, out.created, 'the report read is the report written')
  t.equal(out.read.proactive.licensing?.decisions, 78)
  t.equal(out.read.applications.newReceived.naturalPerson, 10)
  t.equal(out.read.applications.carriedForward.total, 4)
  t.equal(out.read.sections.problems, null, 'a blank part is null')
  t.match(out.etag, /^"1(\+gzip)?"$/, 'revision 1 (fetch asks for gzip: the tag says so)')
  t.equal(out.csvFirstLine, 'code,label,value')
  t.same(out.listed, [out.reportId])
  t.equal(out.groups, 1)
  t.equal(out.disclosureRate, 1, 'the 6 applications answered were all disclosed')
  t.match(out.problem, { status: 404, title: '未找到', detail: `机关 999999 不存在。` })
})
