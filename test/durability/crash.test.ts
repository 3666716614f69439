// kill -9 in the middle of a stream of batch writes: after a restart every acknowledged batch is there
// whole, no batch is there in part, and the database passes its integrity check.
import t from 'tap'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import Database from 'better-sqlite3'
import { sampleReport } from '../helper.js'
import { call, killAll, startServer, createAgencies } from './server.js'

/** on PostgreSQL durability is the server's (fsync, its write-ahead log), not nianbao's file */
const SQLITE_ONLY = process.env.TEST_DATABASE_URL
  ? 'kill -9 of a SQLite file (synchronous=FULL): on PostgreSQL durability is the server’s'
  : false

const AGENCIES = 50
const BATCHES = 20
const FIRST_YEAR = 2021
/** batches in flight at once */
const CONCURRENCY = 2
/** the kill comes after this many acknowledgements, while other batches are being written */
const KILL_AFTER = 6

t.test('acknowledged batches survive kill -9 whole; none is left in part', { skip: SQLITE_ONLY }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'nianbao-crash-'))
  const file = join(dir, 'nianbao.db')
  t.teardown(() => {
    killAll()
    rmSync(dir, { recursive: true, force: true })
  })

  const server = await startServer(file)
  const agencyIds = await createAgencies(server.url, AGENCIES, '崩溃测试局')

  // batch b writes every agency's report for year FIRST_YEAR + b: a distinct set of (agency, year)
  const bodies = Array.from({ length: BATCHES }, (_, b) => ({ reports: agencyIds.map((id) => sampleReport(id, { year: FIRST_YEAR + b })) }))
  const acknowledged = new Set<number>()
  const failed = new Set<number>()
  let next = 0
  let killed = false
  const killing = (async () => {
    while (acknowledged.size < KILL_AFTER) await sleep(2)
    await sleep(Math.floor(Math.random() * 30))
    killed = true
    return server.stop('SIGKILL')
  })()
  async function writer() {
    while (!killed && next < BATCHES) {
      const b = next++
      try {
        const res = await call(`${server.url}/v1/reports/batch`, 'POST', bodies[b])
        if (res.status === 200 && res.body.items.length === AGENCIES) acknowledged.add(b)
        else failed.add(b)
      } catch {
        failed.add(b) // the connection died with the server: not acknowledged
      }
    }
  }
  await Promise.all([...Array.from({ length: CONCURRENCY }, writer), killing])
  t.equal(await killing, 'SIGKILL', 'the server was killed')
  t.ok(acknowledged.size >= KILL_AFTER, `${acknowledged.size} batches acknowledged before the kill`)
  t.ok(acknowledged.size < BATCHES, 'the kill came before the stream ended')
  t.ok(failed.size >= 1, `${failed.size} batches were in flight when the server died`)

  const restarted = await startServer(file)
  t.equal((await call(`${restarted.url}/readyz`, 'GET')).status, 200, 'the service starts again on the same file')
  for (const b of acknowledged) {
    const res = await call(`${restarted.url}/v1/reports?year=${FIRST_YEAR + b}&limit=500`, 'GET')
    t.equal(res.body.items.length, AGENCIES, `batch ${b} (acknowledged) is served whole`)
  }
  t.equal(await restarted.stop('SIGTERM'), 0, 'and stops cleanly')

  const db = new Database(file, { readonly: true })
  t.teardown(() => db.close())
  t.equal(db.pragma('integrity_check', { simple: true }), 'ok', 'PRAGMA integrity_check')
  t.same(db.pragma('foreign_key_check'), [], 'no dangling references')
  const perYear = new Map(
    (db.prepare('SELECT year, count(*) AS n FROM reports GROUP BY year').all() as Array<{ year: number; n: number }>).map((r) => [
      r.year,
      r.n
    ])
  )
  for (let b = 0; b < BATCHES; b++) {
    const n = perYear.get(FIRST_YEAR + b) ?? 0
    if (acknowledged.has(b)) t.equal(n, AGENCIES, `batch ${b}: acknowledged, all ${AGENCIES} reports`)
    else t.ok(n === 0 || n === AGENCIES, `batch ${b}: not acknowledged, all or nothing (${n})`)
  }
  const reports = db.prepare('SELECT count(*) FROM reports').pluck().get() as number
  t.equal(db.prepare('SELECT count(*) FROM report_cells').pluck().get(), reports, 'every report has its cells')
  t.equal(
    db
      .prepare(
        'SELECT count(*) FROM reports r WHERE NOT EXISTS (SELECT 1 FROM report_revisions v WHERE v.report_id = r.id AND v.revision = r.revision)'
      )
      .pluck()
      .get(),
    0,
    'every report has its revision in the history'
  )
  t.equal(db.prepare('SELECT coalesce(sum(reports), 0) FROM rollup').pluck().get(), reports, 'the rollup counts every report once')
})
