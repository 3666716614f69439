// A conditional read of a document (If-None-Match) decides its 304 from the report's head: revision, state and
// agency. Where the engine knows its data version at once (SQLite on a file), the head a poller asks for again is
// kept while that version stays, and read again after any commit, by this instance or another one on the same
// database. Who may read a report is decided for each request, never kept.
import t from 'tap'
import { buildTestApp, correctReport, createAgency, createKey, json, sampleReport, sharedDatabase, TEST_ENGINE } from '../helper.js'

t.test('a polled document: 304 while unchanged, the new revision after another instance writes it', async (t) => {
  const shared = await sharedDatabase(t)
  const a = await buildTestApp(shared)
  t.teardown(() => a.close())
  const b = await buildTestApp(shared)
  t.teardown(() => b.close())
  const agency = await createAgency(a, { regionCode: '630223' })
  const created = await a.inject({ method: 'PUT', url: `/v1/agencies/${agency}/reports/2025`, payload: sampleReport(agency) })
  const id = json(created).id as number

  // statements a reads through its engine
  let statements = 0
  const get = a.engine.get
  a.engine.get = (...args) => {
    statements++
    return get(...args)
  }

  for (const url of [`/v1/reports/${id}`, `/v1/agencies/${agency}/reports/2025`]) {
    const full = await a.injectAs(null, url)
    t.equal(full.statusCode, 200)
    const tag = full.headers.etag as string
    t.equal(tag, '"1"')
    const first = await a.injectAs(null, { url, headers: { 'if-none-match': tag } })
    const before = statements
    const again = await a.injectAs(null, { url, headers: { 'if-none-match': tag } })
    for (const res of [first, again]) {
      t.equal(res.statusCode, 304, `${url}: the tag is current`)
      t.equal(res.body, '')
      t.equal(res.headers.etag, tag)
      t.equal(res.headers['cache-control'], full.headers['cache-control'])
      t.equal(res.headers['x-request-id'] !== undefined, true)
    }
    t.same(Object.keys(again.headers).sort(), Object.keys(first.headers).sort(), 'the same headers, whence the head came')
    if (TEST_ENGINE === 'sqlite') t.equal(statements, before, 'the head asked again is not read again while nothing is written')
  }

  // the other instance writes a new revision: the next conditional read sees it at once
  const changed = sampleReport(agency)
  changed.sections = { ...changed.sections, overview: `${changed.sections?.overview ?? ''}（修订）` }
  const corrected = await correctReport(b, id, changed)
  t.equal(corrected.statusCode, 200, corrected.body)
  for (const url of [`/v1/reports/${id}`, `/v1/agencies/${agency}/reports/2025`]) {
    const stale = await a.injectAs(null, { url, headers: { 'if-none-match': '"1"' } })
    t.equal(stale.statusCode, 200, `${url}: the old tag gets the new document`)
    t.equal(stale.headers.etag, '"2"')
    t.equal(stale.body, (await b.injectAs(null, url)).body)
    t.equal((await a.injectAs(null, { url, headers: { 'if-none-match': '"2"' } })).statusCode, 304)
  }

  // deleted by the other instance: no 304 for a tag of it
  t.equal((await b.inject({ method: 'DELETE', url: `/v1/reports/${id}` })).statusCode, 204)
  const gone = await a.injectAs(null, { url: `/v1/reports/${id}`, headers: { 'if-none-match': '"2"' } })
  t.equal(gone.statusCode, 404)
  t.notOk(gone.headers.etag)
})

t.test('a kept head of a report never accepted: a 304 only for the keys that may read it, each time', async (t) => {
  const shared = await sharedDatabase(t)
  const app = await buildTestApp(shared)
  t.teardown(() => app.close())
  const agency = await createAgency(app, { regionCode: '630223' })
  const submitter = await createKey(app, '互助县城管局', 'submitter', ['630223'])
  const reader = await createKey(app, '看板', 'reader')
  const draft = await app.injectAs(submitter, { method: 'PUT', url: `/v1/agencies/${agency}/reports/2025`, payload: sampleReport(agency) })
  const id = json(draft).id as number
  const url = `/v1/reports/${id}`
  const tag = draft.headers.etag as string
  for (let round = 0; round < 2; round++) {
    // the submitter's 304 keeps the head; those who may not read the draft still learn nothing from it
    t.equal((await app.injectAs(submitter, { url, headers: { 'if-none-match': tag } })).statusCode, 304)
    t.equal((await app.inject({ url, headers: { 'if-none-match': tag } })).statusCode, 304, 'the admin')
    for (const key of [null, reader]) {
      const res = await app.injectAs(key, { url, headers: { 'if-none-match': tag } })
      t.equal(res.statusCode, 404)
      t.notOk(res.headers.etag)
    }
  }
  // submitted, then accepted: each change of state is a commit, and the kept head goes with it
  t.equal((await app.injectAs(submitter, { method: 'POST', url: `${url}/transitions`, payload: { to: 'submitted' } })).statusCode, 200)
  t.equal((await app.inject({ method: 'POST', url: `${url}/transitions`, payload: { to: 'accepted' } })).statusCode, 200)
  const current = (await app.injectAs(null, url)).headers.etag as string
  t.not(current, tag)
  t.equal((await app.injectAs(reader, { url, headers: { 'if-none-match': current } })).statusCode, 304, 'accepted: anyone')
  t.equal((await app.injectAs(null, { url, headers: { 'if-none-match': tag } })).statusCode, 200, 'the draft’s tag is stale')
})
