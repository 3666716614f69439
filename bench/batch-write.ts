// tsx bench/batch-write.ts [--file data/bench.db] [--reports 50000] [--batch 1000] [--mode both|all|create|replace|resync] [--max-seconds 300] [--analyze] [--cpu-prof]
// POST /v1/reports/batch, 1 000 reports a request, sustained over 50 000 reports, on the benchmark
// database (which already holds the data set). Target: ≥ 5 000 reports/s.
// - create: next year's reports of the data set's agencies (carrying their last report's figures on, so
//   the checks see ordinary reports); they are deleted again afterwards through the repository layer.
// - replace: 50 000 stored reports sent again with new figures and texts (a corrected re-import: the batch
//   carries a correction's reason, since the data set's reports are accepted), each corrected: a new revision,
//   its cells, roll-up and findings;
// - resync: 50 000 stored reports sent again as they are (a nightly re-sync): each one `unchanged`, no write.
// `both` is create and replace; `all` adds resync.
// Two requests are kept in flight so that the server never waits for this process to build a body.
// --analyze: a what-if, with SQLite planner statistics (ANALYZE) in the file during the run, dropped
// after it; the app itself never runs ANALYZE.
import { existsSync } from 'node:fs'
import { Agent, request } from 'node:http'
import Database from 'better-sqlite3'
import { createEngine } from '../db/engines/index.js'
import { buildApp } from '../src/app.js'
import type { ReportInput } from '../src/format/document.js'
import { seededRandom } from '../src/checks/consistent-report.js'
import { commandLine, loadOptions, numberFlag, parseFlags, stringFlag, type LoadOptions } from './lib/args.js'
import { readProcCpuMs, sampleRss, startNianbao } from './lib/children.js'
import { carryOf, generateReport, traitsOf, type PlannedAgency } from './lib/dataset.js'
import { emitRow, progress, type Row } from './lib/report.js'
import { isMain, main } from './lib/scenario.js'
import { BENCH_ADMIN_KEY } from './servers/child.js'

interface AgencyRow extends PlannedAgency {
  id: number
}

type Mode = 'create' | 'replace' | 'resync'

/** Batches of request bodies, built lazily. */
export function* createBodies(file: string, total: number, size: number): Generator<{ body: string; count: number }> {
  const db = new Database(file, { readonly: true, fileMustExist: true })
  try {
    const agencies = db.prepare('SELECT id, name, region_code AS regionCode, level, kind FROM agencies ORDER BY id').all() as AgencyRow[]
    const maxYear = db.prepare('SELECT max(year) FROM reports').pluck().get() as number
    const last = db
      .prepare(
        'SELECT v.document FROM reports r JOIN report_revisions v ON v.report_id = r.id AND v.revision = r.revision WHERE r.agency_id = ? ORDER BY r.year DESC LIMIT 1'
      )
      .pluck()
    const random = seededRandom(2026)
    let made = 0
    while (made < total) {
      const docs: ReportInput[] = []
      for (; docs.length < size && made < total; made++) {
        const agency = agencies[made % agencies.length]
        const year = maxYear + 1 + Math.floor(made / agencies.length)
        const previousText = last.get(agency.id) as string | undefined
        const previous = previousText ? carryOf(JSON.parse(previousText) as ReportInput) : undefined
        const traits = traitsOf(agency, random)
        const scope = previousText ? (JSON.parse(previousText) as ReportInput).scope : traits.scope
        docs.push(generateReport(agency, year, { ...traits, scope }, random, previous))
      }
      yield { body: JSON.stringify({ reports: docs }), count: docs.length }
    }
  } finally {
    db.close()
  }
}

const SERVER_FIELDS = ['id', 'revision', 'createdAt', 'updatedAt', 'state']

/**
 * Random stored reports: as stored (resync), or regenerated for the same agency and year with new figures (replace).
 * They are read from the database under test (on PostgreSQL not from the file it was moved from: a replace run
 * has changed them there since).
 */
async function* replaceBodies(
  options: LoadOptions,
  total: number,
  size: number,
  fresh: boolean
): AsyncGenerator<{ body: string; count: number }> {
  const engine = await createEngine({ file: options.file, url: options.databaseUrl })
  const current = 'SELECT v.document FROM reports r JOIN report_revisions v ON v.report_id = r.id AND v.revision = r.revision'
  const documentOf = async (sql: string, params: Array<number>) => (await engine.get<{ document: string }>(sql, params))?.document
  try {
    // random reports, one per (agency, year) by construction
    const ids = (await engine.all<{ id: number }>('SELECT id FROM reports ORDER BY random() LIMIT ?', [total])).map((r) => r.id)
    const random = seededRandom(2027)
    for (let i = 0; i < ids.length; i += size) {
      const docs: Array<Record<string, unknown>> = []
      for (const id of ids.slice(i, i + size)) {
        const stored = JSON.parse((await documentOf(`${current} WHERE r.id = ?`, [id]))!) as Record<string, unknown>
        if (fresh) {
          const report = stored as unknown as ReportInput
          const row = (await engine.get<AgencyRow>('SELECT id, name, region_code AS "regionCode", level, kind FROM agencies WHERE id = ?', [
            report.agencyId
          ]))!
          const previousText = await documentOf(`${current} WHERE r.agency_id = ? AND r.year = ?`, [report.agencyId, report.year - 1])
          const previous = previousText ? carryOf(JSON.parse(previousText) as ReportInput) : undefined
          docs.push(
            generateReport(row, report.year, { ...traitsOf(row, random), scope: report.scope }, random, previous) as unknown as Record<
              string,
              unknown
            >
          )
          continue
        }
        for (const f of SERVER_FIELDS) delete stored[f]
        docs.push(stored)
      }
      // the data set's reports are accepted (published): new figures for one are a correction, with its reason
      yield {
        body: JSON.stringify(fresh ? { reason: '更正：重新导入已发布的年度报告', reports: docs } : { reports: docs }),
        count: docs.length
      }
    }
  } finally {
    await engine.close()
  }
}

interface BatchResult {
  ms: number
  created: number
  replaced: number
  unchanged: number
}

/** Waits (up to 30 s) until the process spends under 5 % of a core over 500 ms. */
async function idle(pid: number) {
  const until = performance.now() + 30_000
  while (performance.now() < until) {
    const before = readProcCpuMs(pid)
    await sleep(500)
    const after = readProcCpuMs(pid)
    if (before === undefined || after === undefined || after - before < 25) return
  }
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, Math.max(0, ms)).unref())

function post(url: string, agent: Agent, body: string, timeoutSeconds: number): Promise<BatchResult> {
  const started = performance.now()
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}/v1/reports/batch`,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          authorization: `Bearer ${BENCH_ADMIN_KEY}`
        },
        timeout: timeoutSeconds * 1000
      },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8')
          if (res.statusCode !== 200) return reject(new Error(`POST /v1/reports/batch answered ${res.statusCode}: ${text.slice(0, 500)}`))
          const items = (JSON.parse(text) as { items: Array<{ status: string }> }).items
          resolve({
            ms: performance.now() - started,
            created: items.filter((i) => i.status === 'created').length,
            replaced: items.filter((i) => i.status === 'replaced').length,
            unchanged: items.filter((i) => i.status === 'unchanged').length
          })
        })
      }
    )
    req.on('timeout', () => req.destroy(new Error('batch request timed out')))
    req.on('error', reject)
    req.end(body)
  })
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]

/** Deletes the reports a create run added (years after the data set's), through the app's repositories. */
async function removeCreated(options: LoadOptions, fromYear: number): Promise<number> {
  const { file, databaseUrl } = options
  const app = await buildApp({ databaseFile: file, databaseUrl, logger: false, sampleData: false })
  await app.ready()
  try {
    const ids = (await app.engine.all<{ id: number }>('SELECT id FROM reports WHERE year >= ? ORDER BY id', [fromYear])).map((r) => r.id)
    for (let i = 0; i < ids.length; i += 1000) {
      await app.engine.transaction(async (tx) => {
        for (const id of ids.slice(i, i + 1000)) await app.services.reports.removeIn(tx, id)
      })
    }
    return ids.length
  } finally {
    await app.close()
    if (!databaseUrl) {
      const db = new Database(file, { fileMustExist: true })
      db.pragma('wal_checkpoint(TRUNCATE)')
      db.close()
    }
  }
}

/** The last year stored in the database the server writes to. */
async function lastYearServed(options: LoadOptions): Promise<number> {
  const engine = await createEngine({ file: options.file, url: options.databaseUrl })
  try {
    return Number((await engine.get<{ year: number }>('SELECT max(year) AS year FROM reports'))?.year)
  } finally {
    await engine.close()
  }
}

/** Adds (ANALYZE) or drops SQLite's planner statistics. */
function statistics(file: string, on: boolean) {
  const db = new Database(file, { fileMustExist: true })
  try {
    const started = performance.now()
    db.exec(on ? 'ANALYZE' : 'DROP TABLE IF EXISTS sqlite_stat1; DROP TABLE IF EXISTS sqlite_stat4')
    progress(`batch-write: ${on ? 'ANALYZE' : 'statistics dropped'} in ${((performance.now() - started) / 1000).toFixed(1)} s`)
  } finally {
    db.close()
  }
}

async function runMode(
  mode: Mode,
  options: LoadOptions,
  { total, size, command, analyze, maxSeconds }: { total: number; size: number; command: string; analyze: boolean; maxSeconds: number }
): Promise<Row> {
  // on PostgreSQL the server's database holds a move of the file: bodies come from the file, years from the server's
  if (mode === 'create' && (await lastYearServed(options)) > 2025) {
    progress(`batch-write: reports after 2025 left by an interrupted run; removing them first`)
    await removeCreated(options, 2026)
  }
  const maxYear = await lastYearServed(options)
  const bodies: Iterator<{ body: string; count: number }> | AsyncIterator<{ body: string; count: number }> =
    mode === 'create' ? createBodies(options.file, total, size) : replaceBodies(options, total, size, mode === 'replace')
  if (analyze && options.databaseUrl) throw new Error('--analyze is a SQLite what-if: not with --database-url')
  if (analyze) statistics(options.file, true)
  const server = await startNianbao(options.file, { cpuProf: options.cpuProf, databaseUrl: options.databaseUrl })
  const rss = sampleRss(server)
  const agent = new Agent({ keepAlive: true, maxSockets: 2 })
  const results: BatchResult[] = []
  let started = 0
  let ended = 0
  let cpuStart: number | undefined
  let cpuEnd: number | undefined
  let cutShort = false
  try {
    // first body before the clock starts: building it is the client's work
    let next = await bodies.next()
    // the server compiles its schemas in the background once it listens: that is start-up, not the writes
    await idle(server.pid)
    started = performance.now()
    cpuStart = readProcCpuMs(server.pid)
    const deadline = started + maxSeconds * 1000
    const inFlight = new Set<Promise<void>>()
    while (!next.done && performance.now() < deadline) {
      const { body } = next.value
      const p: Promise<void> = post(server.url, agent, body, maxSeconds + 60).then((r) => {
        results.push(r)
        inFlight.delete(p)
        if (results.length % 10 === 0 || r.ms > 10_000)
          progress(`batch-write ${mode}: ${results.length} batches, last ${r.ms.toFixed(0)} ms`)
      })
      inFlight.add(p)
      next = await bodies.next()
      if (inFlight.size >= 2) await Promise.race([...inFlight, sleep(deadline - performance.now())])
    }
    cutShort = !next.done
    // what is still in flight at the deadline is not counted
    await Promise.race([Promise.all(inFlight), sleep(deadline - performance.now())])
    ended = performance.now()
    cpuEnd = readProcCpuMs(server.pid)
  } finally {
    agent.destroy()
    await rss.stop()
    // a batch still being written finishes first (and its CPU profile gets written)
    await server.stop((maxSeconds + 60) * 1000)
    if (analyze) statistics(options.file, false)
  }
  const seconds = (ended - started) / 1000
  const reports = results.reduce((s, r) => s + r.created + r.replaced + r.unchanged, 0)
  const latencies = results.map((r) => r.ms).sort((a, b) => a - b)
  const created = results.reduce((s, r) => s + r.created, 0)
  const unchanged = results.reduce((s, r) => s + r.unchanged, 0)
  if (mode === 'create') {
    const removed = await removeCreated(options, maxYear + 1)
    progress(`batch-write: removed the ${removed} reports the run created`)
  }
  const rate = reports / seconds
  // the server's CPU time per report: on a shared machine steadier than the wall-clock rate (it leaves out
  // the time the server waited for a core, and for the disk)
  const cpuMs = cpuStart !== undefined && cpuEnd !== undefined && reports > 0 ? (cpuEnd - cpuStart) / reports : undefined
  const cpuNote =
    cpuMs === undefined ? '' : `; server CPU ${cpuMs.toFixed(2)} ms/report = ${Math.round(1000 / cpuMs)} reports per CPU-second`
  const row: Row = {
    scenario: `POST /v1/reports/batch (${size}/request, ${mode}: ${created} created, ${reports - created - unchanged} replaced, ${unchanged} unchanged${analyze ? ', with ANALYZE statistics' : ''}${cpuNote})`,
    rps: `${(results.length / seconds).toFixed(2)} batches/s`,
    p50: latencies.length ? percentile(latencies, 50) : `> ${maxSeconds} s`,
    p99: latencies.length ? percentile(latencies, 99) : `> ${maxSeconds} s`,
    ratio: `${rate.toFixed(0)} reports/s`,
    rss: rss.max,
    command,
    ...(cutShort ? { note: `stopped at --max-seconds ${maxSeconds}: ${reports} of ${total} reports written` } : {})
  }
  emitRow(row, { mode, reports, seconds, reportsPerSecond: rate, serverCpuMsPerReport: cpuMs, file: options.file })
  return row
}

export async function batchWrite(options: LoadOptions = loadOptions(), flags = parseFlags()): Promise<Row[]> {
  if (!existsSync(options.file)) throw new Error(`${options.file} does not exist: make it first with npm run bench:data`)
  const total = Math.floor(numberFlag(flags, 'reports', 50_000))
  const size = Math.min(1000, Math.floor(numberFlag(flags, 'batch', 1000)))
  const mode = stringFlag(flags, 'mode', 'both')
  const maxSeconds = numberFlag(flags, 'max-seconds', 300)
  if (!['both', 'all', 'create', 'replace', 'resync'].includes(mode)) throw new Error('--mode is both, all, create, replace or resync')
  const command = commandLine('batch-write', flags)
  const rows: Row[] = []
  for (const m of ['create', 'replace', 'resync'] as const) {
    if (mode === 'all' || (mode === 'both' && m !== 'resync') || mode === m)
      rows.push(await runMode(m, options, { total, size, command, analyze: flags.analyze === true, maxSeconds }))
  }
  return rows
}

if (isMain(import.meta.url)) main(() => batchWrite())
