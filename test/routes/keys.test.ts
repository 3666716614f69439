import t from 'tap'
import { ADMIN_KEY, buildTestApp, createAgency, json, sampleReport } from '../helper.js'

t.test('writes need a key; roles and scopes decide; nothing changes on refusal', async (t) => {
  const app = await buildTestApp()
  t.teardown(() => app.close())
  const haidong = await createAgency(app, { name: '海东市某局', regionCode: '630200', level: 'prefectural' })
  const xining = await createAgency(app, { name: '西宁市某局', regionCode: '630100', level: 'prefectural' })

  const created = await app.inject({ method: 'POST', url: '/v1/keys', payload: { name: '海东市政务公开办', role: 'submitter', regions: ['6302'] } })
  t.equal(created.statusCode, 201)
  const submitter = json(created)
  t.match(submitter, { name: '海东市政务公开办', role: 'submitter', regions: ['6302'], agencies: [] })
  t.match(submitter.key, /^nbk_[A-Za-z0-9_-]{43}$/)
  const reader = json(await app.inject({ method: 'POST', url: '/v1/keys', payload: { name: '看板', role: 'reader' } })).key

  const agencyBody = (regionCode: string) => ({ name: `某局${regionCode}`, regionCode, level: 'county', kind: 'department' })
  const inScope = await app.injectAs(submitter.key, { method: 'POST', url: '/v1/agencies', payload: agencyBody('630223') })
  t.equal(inScope.statusCode, 201, 'a submitter for 6302 writes an agency in 630223')
  const outOfScope = await app.injectAs(submitter.key, { method: 'POST', url: '/v1/agencies', payload: agencyBody('630121') })
  t.equal(outOfScope.statusCode, 403, '…but not one in 6301')
  t.equal(json(outOfScope).type, '/problems/forbidden')
  t.equal((await app.injectAs(submitter.key, { method: 'PUT', url: `/v1/agencies/${xining}/reports/2025`, payload: sampleReport(xining) })).statusCode, 403, '…nor a report of one')
  t.equal((await app.injectAs(submitter.key, { method: 'PUT', url: `/v1/agencies/${haidong}/reports/2025`, payload: sampleReport(haidong) })).statusCode, 201)
  const moveOut = await app.injectAs(submitter.key, { method: 'PATCH', url: `/v1/agencies/${haidong}`, payload: { regionCode: '630100' } })
  t.equal(moveOut.statusCode, 403, 'nor move an agency out of its scope')
  const batch = await app.injectAs(submitter.key, {
    method: 'POST',
    url: '/v1/reports/batch',
    payload: { reports: [sampleReport(haidong, { year: 2024 }), sampleReport(xining, { year: 2024 })] }
  })
  t.equal(batch.statusCode, 403, 'one report out of scope refuses the batch')
  t.equal((await app.injectAs(reader, { method: 'POST', url: '/v1/agencies', payload: agencyBody('630223') })).statusCode, 403, 'a reader cannot write')
  t.equal((await app.injectAs(submitter.key, { method: 'POST', url: '/v1/keys', payload: { name: 'x', role: 'admin' } })).statusCode, 403, 'only admins make keys')

  const anonymous = await app.injectAs(null, { method: 'POST', url: '/v1/agencies', payload: agencyBody('630223') })
  t.equal(anonymous.statusCode, 401)
  t.equal(anonymous.headers['www-authenticate'], 'Bearer realm="nianbao"')
  t.equal((await app.injectAs('nbk_wrong-key-wrong-key-wrong', { method: 'POST', url: '/v1/agencies', payload: agencyBody('630223') })).statusCode, 401)
  t.equal((await app.injectAs(null, '/v1/agencies')).statusCode, 200, 'reads are public by default')

  t.equal((await app.inject({ method: 'DELETE', url: `/v1/keys/${submitter.id}` })).statusCode, 204)
  t.equal((await app.injectAs(submitter.key, { method: 'POST', url: '/v1/agencies', payload: agencyBody('630223') })).statusCode, 401, 'a revoked key is refused')
  const listed = json(await app.inject('/v1/keys')).items
  t.match(listed.find((k: { id: number }) => k.id === submitter.id), { revokedAt: /^\d{4}-/ })
  t.notOk(JSON.stringify(listed).includes('nbk_'), 'listing never shows a key')

  const stored = JSON.stringify(app.db.$client.prepare('SELECT * FROM api_keys').all())
  t.notOk(stored.includes(submitter.key) || stored.includes(reader) || stored.includes(ADMIN_KEY), 'keys are not stored in clear')
  t.same(
    json(await app.inject('/v1/agencies?regionCode=63')).items.map((a: { name: string }) => a.name).sort(),
    ['某局630223', '海东市某局', '西宁市某局'].sort(),
    'refused requests changed nothing'
  )
})

t.test('READ_REQUIRES_KEY makes reads need a key', async (t) => {
  const app = await buildTestApp({ readRequiresKey: true })
  t.teardown(() => app.close())
  t.equal((await app.injectAs(null, '/v1/agencies')).statusCode, 401)
  t.equal((await app.inject('/v1/agencies')).statusCode, 200)
  t.equal((await app.injectAs(null, '/healthz')).statusCode, 200, 'health stays public')
  t.equal((await app.injectAs(null, '/openapi.json')).statusCode, 200, 'so does the API description')
})

t.test('two writers with the same If-Match: one wins, one gets 412, both revisions are kept', async (t) => {
  const app = await buildTestApp()
  t.teardown(() => app.close())
  const agencyId = await createAgency(app)
  const first = await app.inject({ method: 'PUT', url: `/v1/agencies/${agencyId}/reports/2025`, payload: sampleReport(agencyId) })
  const id = json(first).id
  t.equal(first.headers.etag, '"1"')
  const a = sampleReport(agencyId)
  a.proactive = { ...a.proactive, penalty: { decisions: 100 } }
  const b = sampleReport(agencyId)
  b.proactive = { ...b.proactive, penalty: { decisions: 200 } }
  const [ra, rb] = await Promise.all([
    app.inject({ method: 'PUT', url: `/v1/reports/${id}`, headers: { 'if-match': '"1"' }, payload: { ...a, agencyId: undefined, year: undefined } }),
    app.inject({ method: 'PUT', url: `/v1/reports/${id}`, headers: { 'if-match': '"1"' }, payload: { ...b, agencyId: undefined, year: undefined } })
  ])
  t.same([ra.statusCode, rb.statusCode].sort(), [200, 412])
  const [winner, loser] = ra.statusCode === 200 ? [ra, rb] : [rb, ra]
  t.match(json(loser), { status: 412, currentRevision: 2 })
  const stored = json(await app.inject(`/v1/reports/${id}`))
  t.equal(stored.proactive.penalty.decisions, json(winner).proactive.penalty.decisions, 'the stored report is the first writer’s')
  const history = json(await app.inject(`/v1/reports/${id}/revisions`)).items
  t.same(history.map((h: { revision: number; operation: string }) => [h.revision, h.operation]), [[1, 'created'], [2, 'replaced']])
  t.equal(history[0].keyName, 'bootstrap admin')
  const old = json(await app.inject(`/v1/reports/${id}/revisions/1`))
  t.equal(old.document.proactive.penalty.decisions, 45, 'the first revision is kept whole')

  t.equal((await app.inject({ url: `/v1/reports/${id}`, headers: { 'if-none-match': '"2"' } })).statusCode, 304)
  t.equal((await app.inject({ url: `/v1/reports/${id}`, headers: { 'if-none-match': '"1"' } })).statusCode, 200)
  const createOnly = await app.inject({ method: 'PUT', url: `/v1/agencies/${agencyId}/reports/2025`, headers: { 'if-none-match': '*' }, payload: sampleReport(agencyId) })
  t.equal(createOnly.statusCode, 412, 'If-None-Match: * creates only')
  t.equal((await app.inject({ method: 'PUT', url: `/v1/agencies/${agencyId}/reports/2024`, headers: { 'if-none-match': '*' }, payload: sampleReport(agencyId, { year: 2024 }) })).statusCode, 201)

  t.equal((await app.inject({ method: 'DELETE', url: `/v1/reports/${id}`, headers: { 'if-match': '"1"' } })).statusCode, 412)
  t.equal((await app.inject({ method: 'DELETE', url: `/v1/reports/${id}`, headers: { 'if-match': '"2"' } })).statusCode, 204)
  const after = json(await app.inject(`/v1/reports/${id}/revisions`)).items
  t.same(after.map((h: { revision: number; operation: string }) => [h.revision, h.operation]), [[1, 'created'], [2, 'replaced'], [3, 'deleted']], 'a tombstone after delete')
  t.equal(json(await app.inject(`/v1/reports/${id}/revisions/3`)).document, null)
  t.equal(json(await app.inject(`/v1/reports/${id}/revisions/2`)).document.proactive.penalty.decisions, json(winner).proactive.penalty.decisions)

  const agency = await app.inject(`/v1/agencies/${agencyId}`)
  t.equal(agency.headers.etag, '"1"')
  t.equal((await app.inject({ method: 'PATCH', url: `/v1/agencies/${agencyId}`, headers: { 'if-match': '"7"' }, payload: { name: '新名' } })).statusCode, 412)
  t.equal((await app.inject({ method: 'PATCH', url: `/v1/agencies/${agencyId}`, headers: { 'if-match': '"1"' }, payload: { name: '新名' } })).headers.etag, '"2"')
})
