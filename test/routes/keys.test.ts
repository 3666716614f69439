import t from 'tap'
import { ADMIN_KEY, buildTestApp, createAgency, createKey, json, sampleReport } from '../helper.js'

t.test('writes need a key; roles and scopes decide; nothing changes on refusal', async (t) => {
  const app = await buildTestApp()
  t.teardown(() => app.close())
  const haidong = await createAgency(app, { name: '海东市某局', regionCode: '630200', level: 'prefectural' })
  const xining = await createAgency(app, { name: '西宁市某局', regionCode: '630100', level: 'prefectural' })

  const created = await app.inject({
    method: 'POST',
    url: '/v1/keys',
    payload: { name: '海东市政务公开办', role: 'submitter', regions: ['6302'] }
  })
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
  t.equal(
    (await app.injectAs(submitter.key, { method: 'PUT', url: `/v1/agencies/${xining}/reports/2025`, payload: sampleReport(xining) }))
      .statusCode,
    403,
    '…nor a report of one'
  )
  t.equal(
    (await app.injectAs(submitter.key, { method: 'PUT', url: `/v1/agencies/${haidong}/reports/2025`, payload: sampleReport(haidong) }))
      .statusCode,
    201
  )
  const moveOut = await app.injectAs(submitter.key, { method: 'PATCH', url: `/v1/agencies/${haidong}`, payload: { regionCode: '630100' } })
  t.equal(moveOut.statusCode, 403, 'nor move an agency out of its scope')
  const batch = await app.injectAs(submitter.key, {
    method: 'POST',
    url: '/v1/reports/batch',
    payload: { reports: [sampleReport(haidong, { year: 2024 }), sampleReport(xining, { year: 2024 })] }
  })
  t.equal(batch.statusCode, 403, 'one report out of scope refuses the batch')
  t.equal(
    (await app.injectAs(reader, { method: 'POST', url: '/v1/agencies', payload: agencyBody('630223') })).statusCode,
    403,
    'a reader cannot write'
  )
  t.equal(
    (await app.injectAs(submitter.key, { method: 'POST', url: '/v1/keys', payload: { name: 'x', role: 'admin' } })).statusCode,
    403,
    'only admins make keys'
  )

  const anonymous = await app.injectAs(null, { method: 'POST', url: '/v1/agencies', payload: agencyBody('630223') })
  t.equal(anonymous.statusCode, 401)
  t.equal(anonymous.headers['www-authenticate'], 'Bearer realm="nianbao"')
  t.equal(
    (await app.injectAs('nbk_wrong-key-wrong-key-wrong', { method: 'POST', url: '/v1/agencies', payload: agencyBody('630223') }))
      .statusCode,
    401
  )
  t.equal((await app.injectAs(null, '/v1/agencies')).statusCode, 200, 'reads are public by default')

  t.equal((await app.inject({ method: 'DELETE', url: `/v1/keys/${submitter.id}` })).statusCode, 204)
  t.equal(
    (await app.injectAs(submitter.key, { method: 'POST', url: '/v1/agencies', payload: agencyBody('630223') })).statusCode,
    401,
    'a revoked key is refused'
  )
  const listed = json(await app.inject('/v1/keys')).items
  t.match(
    listed.find((k: { id: number }) => k.id === submitter.id),
    { revokedAt: /^\d{4}-/ }
  )
  t.notOk(JSON.stringify(listed).includes('nbk_'), 'listing never shows a key')

  const stored = JSON.stringify(await app.engine.all('SELECT * FROM api_keys'))
  t.notOk(stored.includes(submitter.key) || stored.includes(reader) || stored.includes(ADMIN_KEY), 'keys are not stored in clear')
  t.same(
    json(await app.inject('/v1/agencies?regionCode=63'))
      .items.map((a: { name: string }) => a.name)
      .sort(),
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
  // a submitter's draft: writes replace it (an accepted report changes only by a correction)
  const submitter = await createKey(app, '报送', 'submitter', ['630223'])
  const first = await app.injectAs(submitter, {
    method: 'PUT',
    url: `/v1/agencies/${agencyId}/reports/2025`,
    payload: sampleReport(agencyId)
  })
  const id = json(first).id
  t.equal(first.headers.etag, '"1"')
  const a = sampleReport(agencyId)
  a.proactive = { ...a.proactive, penalty: { decisions: 100 } }
  const b = sampleReport(agencyId)
  b.proactive = { ...b.proactive, penalty: { decisions: 200 } }
  const [ra, rb] = await Promise.all([
    app.injectAs(submitter, {
      method: 'PUT',
      url: `/v1/reports/${id}`,
      headers: { 'if-match': '"1"' },
      payload: { ...a, agencyId: undefined, year: undefined }
    }),
    app.injectAs(submitter, {
      method: 'PUT',
      url: `/v1/reports/${id}`,
      headers: { 'if-match': '"1"' },
      payload: { ...b, agencyId: undefined, year: undefined }
    })
  ])
  t.same([ra.statusCode, rb.statusCode].sort(), [200, 412])
  const [winner, loser] = ra.statusCode === 200 ? [ra, rb] : [rb, ra]
  t.match(json(loser), { status: 412, currentRevision: 2 })
  const stored = json(await app.inject(`/v1/reports/${id}`))
  t.equal(stored.proactive.penalty.decisions, json(winner).proactive.penalty.decisions, 'the stored report is the first writer’s')
  const history = json(await app.inject(`/v1/reports/${id}/revisions`)).items
  t.same(
    history.map((h: { revision: number; operation: string }) => [h.revision, h.operation]),
    [
      [1, 'created'],
      [2, 'replaced']
    ]
  )
  t.equal(history[0].keyName, '报送', 'the history names the key that wrote it')
  const old = json(await app.inject(`/v1/reports/${id}/revisions/1`))
  t.equal(old.document.proactive.penalty.decisions, 45, 'the first revision is kept whole')

  t.equal((await app.inject({ url: `/v1/reports/${id}`, headers: { 'if-none-match': '"2"' } })).statusCode, 304)
  t.equal((await app.inject({ url: `/v1/reports/${id}`, headers: { 'if-none-match': '"1"' } })).statusCode, 200)
  const createOnly = await app.inject({
    method: 'PUT',
    url: `/v1/agencies/${agencyId}/reports/2025`,
    headers: { 'if-none-match': '*' },
    payload: sampleReport(agencyId)
  })
  t.equal(createOnly.statusCode, 412, 'If-None-Match: * creates only')
  t.equal(
    (
      await app.inject({
        method: 'PUT',
        url: `/v1/agencies/${agencyId}/reports/2024`,
        headers: { 'if-none-match': '*' },
        payload: sampleReport(agencyId, { year: 2024 })
      })
    ).statusCode,
    201
  )

  t.equal((await app.inject({ method: 'DELETE', url: `/v1/reports/${id}`, headers: { 'if-match': '"1"' } })).statusCode, 412)
  t.equal((await app.inject({ method: 'DELETE', url: `/v1/reports/${id}`, headers: { 'if-match': '"2"' } })).statusCode, 204)
  const after = json(await app.inject(`/v1/reports/${id}/revisions`)).items
  t.same(
    after.map((h: { revision: number; operation: string }) => [h.revision, h.operation]),
    [
      [1, 'created'],
      [2, 'replaced'],
      [3, 'deleted']
    ],
    'a tombstone after delete'
  )
  t.equal(json(await app.inject(`/v1/reports/${id}/revisions/3`)).document, null)
  t.equal(
    json(await app.inject(`/v1/reports/${id}/revisions/2`)).document.proactive.penalty.decisions,
    json(winner).proactive.penalty.decisions
  )

  const agency = await app.inject(`/v1/agencies/${agencyId}`)
  t.equal(agency.headers.etag, '"1"')
  t.equal(
    (await app.inject({ method: 'PATCH', url: `/v1/agencies/${agencyId}`, headers: { 'if-match': '"7"' }, payload: { name: '新名' } }))
      .statusCode,
    412
  )
  t.equal(
    (await app.inject({ method: 'PATCH', url: `/v1/agencies/${agencyId}`, headers: { 'if-match': '"1"' }, payload: { name: '新名' } }))
      .headers.etag,
    '"2"'
  )
})

t.test('moving an agency to another region needs a key whose scope covers the destination too', async (t) => {
  const app = await buildTestApp()
  t.teardown(() => app.close())
  const huzhu = await createAgency(app, { name: '互助县某局', regionCode: '630223' })
  const makeKey = async (body: object) =>
    json(await app.inject({ method: 'POST', url: '/v1/keys', payload: { name: '钥', role: 'submitter', ...body } })).key
  const ownAgency = await makeKey({ agencies: [huzhu] })
  const haidong = await makeKey({ regions: ['6302'] })
  const both = await makeKey({ agencies: [huzhu], regions: ['6301'] })
  const patch = (key: string, regionCode: string) =>
    app.injectAs(key, { method: 'PATCH', url: `/v1/agencies/${huzhu}`, payload: { regionCode } })

  t.equal(
    (await app.injectAs(ownAgency, { method: 'PATCH', url: `/v1/agencies/${huzhu}`, payload: { name: '互助县某局（新）' } })).statusCode,
    200,
    'a key for the agency writes it'
  )
  for (const destination of ['000000', '110101', '630121', '630203']) {
    const res = await patch(ownAgency, destination)
    t.equal(res.statusCode, 403, `…but an agency key cannot move it, not even next door (${destination})`)
    t.match(json(res).detail, new RegExp(`区划 ${destination}`))
  }
  t.equal((await patch(haidong, '630121')).statusCode, 403, 'a 6302 key cannot move it out of 6302')
  t.equal((await patch(haidong, '630203')).statusCode, 200, 'a 6302 key moves it within 6302')
  t.equal((await patch(both, '630121')).statusCode, 200, 'a key for the agency and for 6301 moves it to 6301')
  t.equal((await patch(haidong, '630223')).statusCode, 403, 'now in 6301, it is outside the 6302 key: it cannot bring it back')
  t.equal(
    (await app.inject({ method: 'PATCH', url: `/v1/agencies/${huzhu}`, payload: { regionCode: '000000', level: 'national' } })).statusCode,
    200,
    'an admin moves anything'
  )
  t.match(json(await app.inject(`/v1/agencies/${huzhu}`)), { regionCode: '000000', revision: 5 }, 'each refusal changed nothing')
})

t.test('references across scopes: a parent the key may write, a USCC issued in its scope, no leak of other regions', async (t) => {
  const app = await buildTestApp()
  t.teardown(() => app.close())
  const xiningParent = await createAgency(app, {
    name: '西宁市人民政府',
    regionCode: '630100',
    level: 'prefectural',
    kind: 'government',
    uscc: '11630100MB0000001A'
  })
  const haidongParent = await createAgency(app, { name: '海东市人民政府', regionCode: '630200', level: 'prefectural', kind: 'government' })
  const submitter = json(
    await app.inject({ method: 'POST', url: '/v1/keys', payload: { name: '海东市政务公开办', role: 'submitter', regions: ['6302'] } })
  ).key
  const ownAgencyOnly = json(
    await app.inject({ method: 'POST', url: '/v1/keys', payload: { name: '某局', role: 'submitter', agencies: [haidongParent] } })
  ).key
  const post = (body: object, key = submitter) =>
    app.injectAs(key, {
      method: 'POST',
      url: '/v1/agencies',
      payload: { name: '互助县某局', regionCode: '630223', level: 'county', kind: 'department', ...body }
    })

  const foreignParent = await post({ parentId: xiningParent })
  t.equal(foreignParent.statusCode, 403, 'another region’s agency cannot be made a parent (it would block its deletion)')
  t.match(json(foreignParent).detail, /上级机关/)
  const child = await post({ parentId: haidongParent })
  t.equal(child.statusCode, 201, 'a parent in scope is fine')
  const childId = json(child).id
  t.equal(
    (await app.injectAs(submitter, { method: 'PATCH', url: `/v1/agencies/${childId}`, payload: { parentId: xiningParent } })).statusCode,
    403,
    'nor by PATCH'
  )
  t.equal(
    (await app.inject({ method: 'DELETE', url: `/v1/agencies/${xiningParent}` })).statusCode,
    204,
    'the other region’s agency is still free to go'
  )

  const squat = await post({ name: '抢注局', uscc: '11630100MB0000002B' })
  t.equal(squat.statusCode, 403, 'a USCC issued in 630100 cannot be claimed by a 6302 key, whether or not it is taken')
  t.match(json(squat).detail, /统一社会信用代码 11630100MB0000002B .*630100/)
  t.equal(
    (await app.injectAs(submitter, { method: 'PATCH', url: `/v1/agencies/${childId}`, payload: { uscc: '11630100MB0000002B' } }))
      .statusCode,
    403,
    'nor by PATCH'
  )
  const xining = await createAgency(app, { name: '西宁市某局', regionCode: '630100', level: 'prefectural', uscc: '11630100MB0000002B' })
  t.ok(xining, 'so the real agency can still register it')

  const inScope = await post({ name: '互助县另一局', uscc: '11630223MB0000003C' })
  t.equal(inScope.statusCode, 201, 'a USCC issued in scope is fine')
  const adminTaken = await createAgency(app, {
    name: '西宁市代管局',
    regionCode: '630100',
    level: 'prefectural',
    uscc: '11630223MB0000004D'
  })
  const conflict = await post({ name: '互助县第三局', uscc: '11630223MB0000004D' })
  t.equal(conflict.statusCode, 409, 'a USCC taken by an agency outside the scope is a conflict…')
  t.equal(
    json(conflict).detail,
    '统一社会信用代码 11630223MB0000004D 已登记给此密钥范围以外的机关；请联系管理员。',
    '…that names no agency outside the scope'
  )
  t.notOk(json(conflict).detail.includes(`机关 ${adminTaken}`))
  const localConflict = await post({ name: '互助县第四局', uscc: '11630223MB0000003C' })
  t.equal(localConflict.statusCode, 409)
  t.match(json(localConflict).detail, new RegExp(`机关 ${json(inScope).id} 已使用`), 'within the scope, the agency is named')

  t.equal(
    (await app.injectAs(ownAgencyOnly, { method: 'PATCH', url: `/v1/agencies/${haidongParent}`, payload: { uscc: '11630200MB0000005E' } }))
      .statusCode,
    200,
    'an agency key may give its agency a USCC of the agency’s own region'
  )
  t.equal(
    (await app.injectAs(ownAgencyOnly, { method: 'PATCH', url: `/v1/agencies/${haidongParent}`, payload: { uscc: '11630223MB0000006F' } }))
      .statusCode,
    403,
    '…but not one issued elsewhere'
  )
  t.equal(
    (
      await app.inject({
        method: 'POST',
        url: '/v1/agencies',
        payload: { name: '全国局', regionCode: '000000', level: 'national', kind: 'department', uscc: '11630100MB0000007G' }
      })
    ).statusCode,
    201,
    'an admin sets any'
  )
  t.same(json(await app.inject('/v1/agencies?q=抢注')).items, [], 'refused requests stored nothing')
})

t.test('GET /v1/keys/current: any valid key learns its own name, role and scope, never a secret', async (t) => {
  const app = await buildTestApp()
  t.teardown(() => app.close())
  const make = async (payload: Record<string, unknown>) => json(await app.inject({ method: 'POST', url: '/v1/keys', payload }))
  const reviewer = await make({ name: '海东市政务公开办', role: 'reviewer', regions: ['6302'], agencies: [7] })
  const reader = await make({ name: '看板', role: 'reader' })

  const asReviewer = await app.injectAs(reviewer.key, '/v1/keys/current')
  t.equal(asReviewer.statusCode, 200)
  const body = json(asReviewer)
  t.same(Object.keys(body).sort(), ['agencies', 'createdAt', 'id', 'name', 'regions', 'revokedAt', 'role'])
  t.match(body, { id: reviewer.id, name: '海东市政务公开办', role: 'reviewer', regions: ['6302'], agencies: [7], revokedAt: null })
  t.match(body.createdAt, /^\d{4}-\d\d-\d\dT/)
  t.notOk(JSON.stringify(body).includes(reviewer.key), 'the secret is not in the answer')
  t.match(json(await app.injectAs(reader.key, '/v1/keys/current')), { id: reader.id, role: 'reader', regions: [], agencies: [] })
  t.match(json(await app.inject('/v1/keys/current')), { role: 'admin' }, 'the admin key too')

  const anonymous = await app.injectAs(null, '/v1/keys/current')
  t.equal(anonymous.statusCode, 401, 'without a key there is no one to describe, even where reads are open')
  t.equal(anonymous.headers['www-authenticate'], 'Bearer realm="nianbao"')
  t.match(json(anonymous), { status: 401, detail: '需要 API 密钥（Authorization: Bearer …）。' })
  const anonymousEn = await app.injectAs(null, { url: '/v1/keys/current', headers: { 'accept-language': 'en' } })
  t.equal(json(anonymousEn).detail, 'An API key is required.')
  const wrong = await app.injectAs('nbk_not-a-key-at-all-0000000000', '/v1/keys/current')
  t.equal(wrong.statusCode, 401)
  t.match(wrong.headers['www-authenticate'], /error="invalid_token"/)

  t.equal((await app.inject({ method: 'DELETE', url: `/v1/keys/${reviewer.id}` })).statusCode, 204)
  t.equal((await app.injectAs(reviewer.key, '/v1/keys/current')).statusCode, 401, 'a revoked key is no one')
  t.equal((await app.injectAs(reader.key, '/v1/keys/current?x=1')).statusCode, 400, 'it takes no parameters')
})
