// npm run bench:data -- --reports 500000 [--file data/bench.db] [--seed 1] [--analyze]
// Writes a synthetic national data set into a new database file through the repository layer as the
// app wires it (app.repos: agencies.create, then reports.batch in batches of 1 000, each one transaction
// with its checks and its roll-up). Reports are generated in a child process, ahead of the writes.
//
// --analyze: run ANALYZE once the first batch is in, and drop the statistics at the end. The app never
// runs ANALYZE; this was needed while the write path's covering-aggregate lookup was planned as a scan
// of the whole year (every write O(reports of that year): days for 500 000 reports). That lookup now
// fixes its join order (CROSS JOIN), so the default load runs exactly as the app does.
import { existsSync, rmSync, statSync } from 'node:fs'
import { resolve } from 'node:path'
import Database from 'better-sqlite3'
import { buildApp } from '../src/app.js'
import { DEFAULT_DATABASE, numberFlag, parseFlags, stringFlag } from './lib/args.js'
import { planDataSet } from './lib/dataset.js'
import { generatedBatches } from './lib/generate-child.js'
import { progress } from './lib/report.js'

const BATCH = 1000
const flags = parseFlags()
const reportCount = Math.floor(numberFlag(flags, 'reports', 500_000))
const file = resolve(stringFlag(flags, 'file', DEFAULT_DATABASE))
const seed = Math.floor(numberFlag(flags, 'seed', 1))

for (const suffix of ['', '-wal', '-shm']) {
  if (existsSync(file + suffix)) rmSync(file + suffix)
}
const started = performance.now()
const app = await buildApp({ databaseFile: file, logger: false, sampleData: false })
await app.ready()
const { agencies, reports } = app.services

const plan = planDataSet(reportCount, seed)
let firstId = 0
for (let i = 0; i < plan.agencies.length; i += BATCH) {
  await app.engine.transaction(async (tx) => {
    for (const [j, { agency }] of plan.agencies.slice(i, i + BATCH).entries()) {
      const id = (await agencies.createIn(tx, agency)).id
      if (i + j === 0) firstId = id
      else if (id !== firstId + i + j) throw new Error('agency ids are not consecutive: is the database empty?')
    }
  })
}
const agenciesDone = performance.now()
progress(`${plan.agencies.length} agencies in ${((agenciesDone - started) / 1000).toFixed(1)} s`)

let written = 0
let writing = 0
let lastProgress = performance.now()
const analyze = flags.analyze === true
for await (const batch of generatedBatches({ reports: reportCount, seed, batch: BATCH, firstId })) {
  const t = performance.now()
  await reports.batch(batch)
  writing += performance.now() - t
  if (written === 0 && analyze) await app.engine.run('ANALYZE')
  written += batch.length
  if (performance.now() - lastProgress > 15_000) {
    lastProgress = performance.now()
    progress(`${written} reports, ${(written / ((lastProgress - agenciesDone) / 1000)).toFixed(0)} reports/s`)
  }
}
await app.close()
// SQLite housekeeping on the file itself, once the app is closed
const sqlite = new Database(file, { fileMustExist: true })
if (analyze) sqlite.exec('DROP TABLE IF EXISTS sqlite_stat1; DROP TABLE IF EXISTS sqlite_stat4')
sqlite.pragma('wal_checkpoint(TRUNCATE)')
sqlite.close()

const seconds = (performance.now() - agenciesDone) / 1000
const total = (performance.now() - started) / 1000
console.log(
  `${file}: ${plan.agencies.length} agencies, ${written} reports in ${total.toFixed(1)} s; ` +
    `reports: ${seconds.toFixed(1)} s, ${(written / seconds).toFixed(0)} reports/s ` +
    `(${(written / (writing / 1000)).toFixed(0)} reports/s inside reports.batch); ${(statSync(file).size / 2 ** 20).toFixed(0)} MB`
)
