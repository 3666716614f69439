// Several nianbao processes on one PostgreSQL database behave as one service. Two real servers (node on
// src/server.ts, each on an ephemeral port) share a fresh database; writers run against both at once, then:
// one report per (agency, year) with every write in its history; If-Match has one winner; the roll-ups equal
// the sums of the stored reports; the findings (in-year, cross-year CY-*, AG-01 of an aggregate report over
// its area's own reports) equal those of the same final reports written one by one into a fresh database; an
// Idempotency-Key replays on either instance and, sent to both at once, writes once; a write on one instance
// shows in the next aggregate read on the other (no cache, no 304 keeps the old answer).
import tap, { type Test } from 'tap'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { ADMIN_KEY, buildTestApp, json, sampleReport } from '../helper.js'
import { createTestDatabase, TEST_DATABASE_URL } from '../postgres.js'
import { killAll, startServer, type ServerProcess } from '../durability/server.js'
import { CELLS, MONEY_SPLIT } from '../../src/format/registry.js'
import { getCell, setCell, type ReportInput } from '../../src/format/document.js'

interface Answer {
  status: number
  headers: Headers
  text: string
  body: any
}

/**
 * The key reports are written with (writeReport): a submitter's of the county, so that its reports stay drafts, which
 * a writer may replace again and again (an accepted report changes only by a correction). Everything else, reads
 * included (an admin reads drafts), is the admin's (call).
 */
let writerKey: string | undefined

/** A request with the admin's key. */
const call = (base: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
  send(base, method, path, body, headers, ADMIN_KEY)

/** A report written with the county submitter's key. */
function writeReport(base: string, method: string, path: string, body: unknown, headers: Record<string, string> = {}) {
  if (writerKey === undefined) throw new Error('the submitter key is made before any report is written')
  return send(base, method, path, body, headers, writerKey)
}

async function send(
  base: string,
  method: string,
  path: string,
  body: unknown,
  headers: Record<string, string>,
  key: string
): Promise<Answer> {
  const res = await fetch(base + path, {
    method,
    headers: {
      authorization: `Bearer ${key}`,
      'accept-encoding': 'identity',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(60_000)
  })
  const text = await res.text()
  let parsed: unknown = null
  try {
    parsed = text ? JSON.parse(text) : null
  } catch {
    parsed = text
  }
  return { status: res.status, headers: res.headers, text, body: parsed }
}

/** A deterministic stream of small numbers, so a failure can be replayed. */
function numbers(seed: number) {
  let x = seed >>> 0 || 1
  return (n: number) => {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    return (x >>> 0) % n
  }
}

const COUNTY = '630223'
const YEARS = [2024, 2025]
/** cells varied between writes: additive ones (AG-01, the roll-ups) and the ones cross-year rules compare */
const VARIED = [
  'proactive.licensing.decisions',
  'proactive.penalty.decisions',
  'applications.newReceived.naturalPerson',
  'applications.newReceived.total',
  'applications.carriedOver.total',
  'applications.carriedForward.total',
  'reviewLitigation.review.upheld',
  'reviewLitigation.review.total'
]

function document(agencyId: number, year: number, scope: 'own' | 'aggregate', draw: (n: number) => number, label: string): ReportInput {
  const doc = sampleReport(agencyId, { year, scope, title: `${year}年度报告 ${label}` })
  for (const code of VARIED) setCell(doc as never, code, draw(40))
  return doc
}

async function main(t: Test, server: string) {
  const db = await createTestDatabase(server)
  const dir = mkdtempSync(join(tmpdir(), 'nianbao-multi-'))
  const servers: ServerProcess[] = []
  t.teardown(async () => {
    for (const s of servers) await s.stop()
    killAll()
    await db.drop()
    rmSync(dir, { recursive: true, force: true })
  })
  // the two instances start together: migrations and the bootstrap key happen once
  const env = (n: number) => ({ DATABASE_URL: db.url, DATABASE_FILE: join(dir, `unused-${n}.db`), DATABASE_POOL_SIZE: '4' })
  servers.push(...(await Promise.all([startServer(':memory:', env(1), 90_000), startServer(':memory:', env(2), 90_000)])))
  const [A, B] = servers.map((s) => s.url)
  const instances = [A, B]

  const submitter = await call(A, 'POST', '/v1/keys', { name: '互助县填报', role: 'submitter', regions: [COUNTY] })
  if (submitter.status !== 201) throw new Error(`the submitter key: ${submitter.status} ${submitter.text}`)
  writerKey = submitter.body.key

  // the agencies: a county government (its aggregate report is AG-01's) and its departments
  const agencies: Array<{ id: number; scope: 'own' | 'aggregate'; name: string }> = []
  const government = await call(A, 'POST', '/v1/agencies', {
    name: '互助县人民政府',
    regionCode: COUNTY,
    level: 'county',
    kind: 'government'
  })
  t.equal(government.status, 201)
  agencies.push({ id: government.body.id, scope: 'aggregate', name: '互助县人民政府' })
  for (const [i, name] of ['互助县教育局', '互助县民政局', '互助县财政局'].entries()) {
    const res = await call(instances[i % 2], 'POST', '/v1/agencies', { name, regionCode: COUNTY, level: 'county', kind: 'department' })
    t.equal(res.status, 201)
    agencies.push({ id: res.body.id, scope: 'own', name })
  }
  const slots = agencies.flatMap((a) => YEARS.map((year) => ({ agency: a, year })))

  // no one has a report yet; the aggregate cache of B holds that answer
  const aggregateUrl = '/v1/aggregates?metrics=reports,proactive.licensing.decisions&groupBy=year&scope=all&state=all&output=csv'
  const before = await call(B, 'GET', aggregateUrl)
  t.equal(before.status, 200)

  await t.test('concurrent natural-key upserts on both instances: one report per (agency, year), every write in its history', async (t) => {
    const writes = new Map<string, number>()
    const writer = async (instance: string, w: number) => {
      const draw = numbers(w * 7919 + 17)
      for (let i = 0; i < 6; i++) {
        const slot = slots[draw(slots.length)]
        const body = document(slot.agency.id, slot.year, slot.agency.scope, draw, `w${w}-${i}`)
        const res = await writeReport(instance, 'PUT', `/v1/agencies/${slot.agency.id}/reports/${slot.year}`, body)
        t.ok(
          res.status === 200 || res.status === 201,
          `writer ${w} write ${i}: ${res.status} ${res.status >= 300 ? res.text.slice(0, 200) : ''}`
        )
        const key = `${slot.agency.id}/${slot.year}`
        writes.set(key, (writes.get(key) ?? 0) + 1)
      }
    }
    // and a batch on each instance, upserting every slot at once
    const batch = async (instance: string, w: number) => {
      const draw = numbers(w * 104729 + 3)
      const res = await writeReport(instance, 'POST', '/v1/reports/batch', {
        reports: slots.map((s) => document(s.agency.id, s.year, s.agency.scope, draw, `batch${w}`))
      })
      t.equal(res.status, 200, `batch on ${w}`)
      for (const s of slots) writes.set(`${s.agency.id}/${s.year}`, (writes.get(`${s.agency.id}/${s.year}`) ?? 0) + 1)
    }
    await Promise.all([...Array.from({ length: 8 }, (_, w) => writer(instances[w % 2], w)), batch(A, 100), batch(B, 101)])
    const list = await call(B, 'GET', '/v1/reports?limit=100')
    t.equal(list.body.items.length, slots.length, 'one report per (agency, year)')
    for (const s of slots) {
      const doc = await call(instances[s.year % 2], 'GET', `/v1/agencies/${s.agency.id}/reports/${s.year}`)
      t.equal(doc.status, 200)
      t.equal(doc.body.revision, writes.get(`${s.agency.id}/${s.year}`), `${s.agency.name} ${s.year}: one revision per write`)
      const history = await call(instances[(s.year + 1) % 2], 'GET', `/v1/reports/${doc.body.id}/revisions`)
      t.same(
        history.body.items.map((r: { revision: number }) => r.revision).sort((a: number, b: number) => a - b),
        Array.from({ length: doc.body.revision }, (_, i) => i + 1),
        'revisions 1…n, none lost, none twice'
      )
    }
  })

  await t.test('If-Match across instances: exactly one winner', async (t) => {
    const s = slots[1]
    const current = await call(A, 'GET', `/v1/agencies/${s.agency.id}/reports/${s.year}`)
    const etag = current.headers.get('etag')!
    const draw = numbers(99)
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        writeReport(
          instances[i % 2],
          'PUT',
          `/v1/reports/${current.body.id}`,
          document(s.agency.id, s.year, s.agency.scope, draw, `if-match ${i}`),
          { 'if-match': etag }
        )
      )
    )
    const statuses = answers.map((a) => a.status).sort()
    t.same(statuses, [200, 412, 412, 412, 412, 412, 412, 412], 'one 200, seven 412')
    const after = await call(B, 'GET', `/v1/reports/${current.body.id}`)
    t.equal(after.body.revision, current.body.revision + 1)
  })

  await t.test('the roll-ups equal the sums of the stored reports', async (t) => {
    const client = new pg.Client({ connectionString: db.url })
    await client.connect()
    try {
      const key = 'year, region_code, level, kind, format, scope, state'
      // a money cell's sum in two parts: w_ the whole multiples of MONEY_SPLIT 分, s_ the rest
      const sums = (c: (typeof CELLS)[number]) =>
        c.kind === 'money'
          ? `coalesce(sum(c.${c.sqlName} % ${MONEY_SPLIT}), 0)::text AS s_${c.sqlName}, coalesce(sum(c.${c.sqlName} / ${MONEY_SPLIT}), 0)::text AS w_${c.sqlName}`
          : `coalesce(sum(c.${c.sqlName}), 0)::text AS s_${c.sqlName}`
      const storedColumns = (c: (typeof CELLS)[number]) =>
        `s_${c.sqlName}::text AS s_${c.sqlName}${c.kind === 'money' ? `, w_${c.sqlName}::text AS w_${c.sqlName}` : ''}`
      const expected = await client.query(
        `SELECT r.year, a.region_code, a.level, a.kind, r.format, r.scope, r.state, count(*)::text AS reports,
                ${CELLS.map((c) => `${sums(c)}, count(c.${c.sqlName})::text AS n_${c.sqlName}`).join(', ')}
           FROM reports r JOIN agencies a ON a.id = r.agency_id JOIN report_cells c ON c.report_id = r.id
          GROUP BY r.year, a.region_code, a.level, a.kind, r.format, r.scope, r.state ORDER BY ${key}`
      )
      const stored = await client.query(
        `SELECT ${key}, reports::text AS reports, ${CELLS.map((c) => `${storedColumns(c)}, n_${c.sqlName}::text AS n_${c.sqlName}`).join(', ')}
           FROM rollup WHERE reports > 0 ORDER BY ${key}`
      )
      t.ok(expected.rows.length > 0)
      t.same(stored.rows, expected.rows, 'rollup: every sum and count of every cell')
      const province = await client.query(
        `SELECT year, province, level, kind, format, scope, state, reports::text AS reports FROM rollup_province WHERE reports > 0 ORDER BY year, province, level, kind, format, scope, state`
      )
      t.same(
        province.rows,
        expected.rows.map((r) => ({
          year: r.year,
          province: r.region_code.slice(0, 2),
          level: r.level,
          kind: r.kind,
          format: r.format,
          scope: r.scope,
          state: r.state,
          reports: r.reports
        })),
        'rollup_province'
      )
    } finally {
      await client.end()
    }
    // and as the API answers it, on either instance, against the documents themselves
    const docs = await Promise.all(slots.map((s) => call(A, 'GET', `/v1/agencies/${s.agency.id}/reports/${s.year}`)))
    for (const instance of instances) {
      const csv = (await call(instance, 'GET', aggregateUrl)).text.trim().split('\n').slice(1)
      for (const year of YEARS) {
        const mine = docs.map((d) => d.body).filter((d) => d.year === year)
        const row = csv.find((line) => line.startsWith(`${year},`))!.split(',')
        t.equal(Number(row.at(-2)), mine.length, `${year}: reports`)
        t.equal(
          Number(row.at(-1)),
          mine.reduce((sum, d) => sum + (getCell(d, 'proactive.licensing.decisions') ?? 0), 0),
          `${year}: the sum of 许可决定 of the documents`
        )
      }
    }
    t.not((await call(B, 'GET', aggregateUrl)).text, before.text, 'B’s answer from before the writes is not served again')
  })

  await t.test('findings, cross-year included, equal those of the final reports written one by one', async (t) => {
    const finals = await Promise.all(slots.map((s) => call(B, 'GET', `/v1/agencies/${s.agency.id}/reports/${s.year}`)))
    const found = async (base: (path: string) => Promise<Answer>, id: number) =>
      ((await base(`/v1/reports/${id}/findings`)).body.items as Array<Record<string, unknown>>)
        .map(({ otherReportId: _o, ...f }) => f)
        .sort((a, b) => String(a.fingerprint).localeCompare(String(b.fingerprint)))
    const concurrent = await Promise.all(finals.map((f, i) => found((p) => call(instances[i % 2], 'GET', p), f.body.id)))
    t.ok(
      concurrent.flat().some((f) => String(f.rule).startsWith('CY-')),
      'and a cross-year rule'
    )

    const oracle = await buildTestApp()
    try {
      for (const a of agencies) {
        const res = await oracle.inject({
          method: 'POST',
          url: '/v1/agencies',
          payload: { name: a.name, regionCode: COUNTY, level: 'county', kind: a.scope === 'aggregate' ? 'government' : 'department' }
        })
        t.equal(json(res).id, a.id, 'the same ids')
      }
      // written as the instances' were: a county submitter's drafts (AG-01 sums accepted reports only, so it is silent
      // on both sides here; its recheck in the writer’s transaction is tested on both engines in test/routes/checks.test.ts)
      const oracleKey = json(
        await oracle.inject({ method: 'POST', url: '/v1/keys', payload: { name: '互助县填报', role: 'submitter', regions: [COUNTY] } })
      ).key
      const ids: number[] = []
      for (const f of finals) {
        const { id: _id, revision: _r, createdAt: _c, updatedAt: _u, state: _s, ...input } = f.body
        const res = await oracle.injectAs(oracleKey, {
          method: 'PUT',
          url: `/v1/agencies/${input.agencyId}/reports/${input.year}`,
          payload: input
        })
        t.equal(res.statusCode, 201)
        ids.push(json(res).id)
      }
      const sequential = await Promise.all(ids.map((id) => found(async (p) => ({ body: json(await oracle.inject(p)) }) as Answer, id)))
      for (const [i, s] of slots.entries()) t.same(concurrent[i], sequential[i], `${s.agency.name} ${s.year}`)
    } finally {
      await oracle.close()
    }
  })

  await t.test('Idempotency-Key: replayed on the other instance; sent to both at once, written once', async (t) => {
    const s = slots[2]
    const draw = numbers(5)
    const body = { reports: [document(s.agency.id, s.year, s.agency.scope, draw, 'idempotent')] }
    const first = await writeReport(A, 'POST', '/v1/reports/batch', body, { 'idempotency-key': 'one-instance' })
    t.equal(first.status, 200)
    const replay = await writeReport(B, 'POST', '/v1/reports/batch', body, { 'idempotency-key': 'one-instance' })
    t.equal(replay.status, 200)
    t.equal(replay.headers.get('idempotent-replayed'), 'true', 'B replays A’s answer')
    t.equal(replay.text, first.text)
    const other = await writeReport(B, 'POST', '/v1/reports/batch', { reports: [] }, { 'idempotency-key': 'one-instance' })
    t.equal(other.status, 422, 'the same key with another request is refused on B too')

    for (let round = 0; round < 3; round++) {
      const before = (await call(A, 'GET', `/v1/agencies/${s.agency.id}/reports/${s.year}`)).body.revision
      const payload = { reports: [document(s.agency.id, s.year, s.agency.scope, draw, `both at once ${round}`)] }
      const answers = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          writeReport(instances[i % 2], 'POST', '/v1/reports/batch', payload, { 'idempotency-key': `both-${round}` })
        )
      )
      const fresh = answers.filter((a) => a.status === 200 && a.headers.get('idempotent-replayed') === null)
      const replays = answers.filter((a) => a.status === 200 && a.headers.get('idempotent-replayed') === 'true')
      const busy = answers.filter((a) => a.status === 409)
      t.equal(fresh.length, 1, `round ${round}: one request ran`)
      t.equal(replays.length + busy.length, 5, 'the others were replayed or told it is under way')
      for (const r of replays) t.equal(r.text, fresh[0].text)
      const after = (await call(B, 'GET', `/v1/agencies/${s.agency.id}/reports/${s.year}`)).body.revision
      t.equal(after, before + 1, 'written once')
      // once answered, every instance replays it
      for (const instance of instances) {
        const again = await writeReport(instance, 'POST', '/v1/reports/batch', payload, { 'idempotency-key': `both-${round}` })
        t.equal(again.headers.get('idempotent-replayed'), 'true')
      }
    }
  })

  await t.test('a write on one instance shows in the next aggregate read on the other', async (t) => {
    const s = slots.find((x) => x.agency.scope === 'own' && x.year === 2025)!
    for (let round = 0; round < 4; round++) {
      const [writer, reader] = round % 2 ? [B, A] : [A, B]
      const old = await call(reader, 'GET', aggregateUrl)
      const again = await call(reader, 'GET', aggregateUrl, undefined, { 'if-none-match': old.headers.get('etag')! })
      t.equal(again.status, 304, 'unchanged: 304')
      const doc = (await call(writer, 'GET', `/v1/agencies/${s.agency.id}/reports/${s.year}`)).body
      const was = getCell(doc, 'proactive.licensing.decisions') ?? 0
      const value = was + 1000 + round
      const { id: _id, revision: _r, createdAt: _c, updatedAt: _u, state: _s, ...input } = doc
      setCell(input, 'proactive.licensing.decisions', value)
      t.equal((await writeReport(writer, 'PUT', `/v1/agencies/${s.agency.id}/reports/${s.year}`, input)).status, 200)
      const fresh = await call(reader, 'GET', aggregateUrl, undefined, { 'if-none-match': old.headers.get('etag')! })
      t.equal(fresh.status, 200, 'the other instance’s old tag no longer matches')
      const row = fresh.text
        .trim()
        .split('\n')
        .find((line) => line.startsWith('2025,'))!
        .split(',')
      const oldRow = old.text
        .trim()
        .split('\n')
        .find((line) => line.startsWith('2025,'))!
        .split(',')
      t.equal(Number(row.at(-1)) - Number(oldRow.at(-1)), value - was, 'the new sum, at once')
    }
  })
}

tap.test(
  'two server processes on one PostgreSQL database behave as one service',
  { skip: TEST_DATABASE_URL ? false : 'TEST_DATABASE_URL is not set: several instances need a PostgreSQL server to share' },
  (t) => main(t, TEST_DATABASE_URL!)
)
