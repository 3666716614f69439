// tsx bench/write-floor.ts [--file data/bench.db] [--reports 3000] [--batch 1000] [--rounds 3]
// The least a new report of POST /v1/reports/batch costs before any storage: the work every write does on its
// document whatever the engine and however the rows are written — reading the request's JSON text (the same parser
// and limits as the server's), validating it against the route's body schema (the app's own compiled validator),
// the shape check (toReportInputs) and the checks (checkReport, with the report of the year before where the data
// set has one, as the service gives it). Measured in this process, on one thread, on the same bodies
// `bench/batch-write.ts --mode create` sends; CPU time (process.cpuUsage) a report for each step, best of the rounds.
// The target of 5 000 reports/s on SQLite's one writer is 200 µs a report for everything.
import Database from 'better-sqlite3'
import { BatchSchema } from '../routes/reports.js'
import { buildApp } from '../src/app.js'
import { checkReport } from '../src/checks/index.js'
import type { ReportInput } from '../src/format/document.js'
import { toReportInputs, type ReportBody } from '../src/format/validate.js'
import { DEFAULT_JSON_LIMITS, parseJsonBody } from '../src/plugins/json-body.js'
import { createBodies } from './batch-write.js'
import { DEFAULT_DATABASE, numberFlag, parseFlags, stringFlag } from './lib/args.js'
import { progress } from './lib/report.js'
import { isMain, main } from './lib/scenario.js'

type Step = 'parse' | 'validate' | 'shape' | 'checks'

const cpuUs = (from: NodeJS.CpuUsage) => {
  const d = process.cpuUsage(from)
  return d.user + d.system
}

export async function writeFloor(): Promise<Record<Step, number>> {
  const flags = parseFlags()
  const file = stringFlag(flags, 'file', DEFAULT_DATABASE)
  const total = Math.floor(numberFlag(flags, 'reports', 3000))
  const size = Math.floor(numberFlag(flags, 'batch', 1000))
  const rounds = Math.floor(numberFlag(flags, 'rounds', 3))

  // the route's own validator, as the app compiles it (its ajv options and shared schemas)
  const app = await buildApp({ databaseFile: ':memory:', logger: false, sampleData: false })
  await app.ready()
  const compile = app.validatorCompiler
  if (!compile) throw new Error('the app has no validator compiler')
  const validate = compile({
    schema: BatchSchema,
    method: 'POST',
    url: '/v1/reports/batch',
    httpPart: 'body'
  })

  // the bodies batch-write sends, and each report's previous year from the data set (the cross-year rules' input)
  const bodies = [...createBodies(file, total, size)]
  const db = new Database(file, { readonly: true, fileMustExist: true })
  const previousOf = db
    .prepare(
      'SELECT r.id, v.document FROM reports r JOIN report_revisions v ON v.report_id = r.id AND v.revision = r.revision WHERE r.agency_id = ? AND r.year = ?'
    )
    .raw()
  const previous = bodies.map(({ body }) =>
    (JSON.parse(body) as { reports: ReportInput[] }).reports.map((doc) => {
      const row = previousOf.get(doc.agencyId, doc.year - 1) as [number, string] | undefined
      return row ? { id: row[0], doc: JSON.parse(row[1]) as ReportInput } : undefined
    })
  )
  db.close()
  const reports = bodies.reduce((n, b) => n + b.count, 0)
  progress(`write-floor: ${bodies.length} batches, ${reports} reports, ${previous.flat().filter(Boolean).length} with a previous year`)

  const best: Record<Step, number> = { parse: Infinity, validate: Infinity, shape: Infinity, checks: Infinity }
  let findings = 0
  for (let round = 1; round <= rounds; round++) {
    const spent: Record<Step, number> = { parse: 0, validate: 0, shape: 0, checks: 0 }
    for (let b = 0; b < bodies.length; b++) {
      let from = process.cpuUsage()
      const parsed = parseJsonBody(bodies[b].body, DEFAULT_JSON_LIMITS) as { reports: ReportBody[] }
      spent.parse += cpuUs(from)
      from = process.cpuUsage()
      if (!validate(parsed)) throw new Error(`the body does not validate: ${JSON.stringify(validate.errors).slice(0, 300)}`)
      spent.validate += cpuUs(from)
      from = process.cpuUsage()
      const inputs = toReportInputs(parsed.reports)
      spent.shape += cpuUs(from)
      from = process.cpuUsage()
      for (let i = 0; i < inputs.length; i++) {
        const prev = previous[b][i]
        findings += checkReport(inputs[i], prev ? { previous: prev } : {}).length
      }
      spent.checks += cpuUs(from)
    }
    const per = Object.fromEntries(Object.entries(spent).map(([k, v]) => [k, v / reports])) as Record<Step, number>
    for (const k of Object.keys(best) as Step[]) best[k] = Math.min(best[k], per[k])
    progress(
      `write-floor: round ${round}/${rounds}: ${(Object.keys(per) as Step[]).map((k) => `${k} ${per[k].toFixed(0)} µs`).join(', ')} a report`
    )
  }
  await app.close()
  const sum = best.parse + best.validate + best.shape + best.checks
  console.log(
    `write-floor (${reports} new reports, best of ${rounds} rounds, CPU a report): parse ${best.parse.toFixed(0)} µs, validate ${best.validate.toFixed(0)} µs, shape ${best.shape.toFixed(0)} µs, checks ${best.checks.toFixed(0)} µs — ${sum.toFixed(0)} µs in all, ${Math.floor(1e6 / sum)} reports per CPU-second before any storage (${findings / rounds} findings a round)`
  )
  return best
}

if (isMain(import.meta.url)) main(() => writeFloor())
