// Markdown rows of the benchmark table, printed as each scenario ends and appended, as JSON lines, to
// bench/results/results.jsonl (ignored by git) so that a results page can be written from them.
import { appendFileSync, mkdirSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { fileURLToPath } from 'node:url'

export interface Row {
  scenario: string
  /** requests per second, or a throughput in other units already formatted */
  rps: number | string
  /** ms */
  p50: number | string
  p99: number | string
  /** target / hello-world, or a note where no ratio applies */
  ratio: number | string
  /** target / hello-world with nianbao's logging */
  productionRatio?: number
  /** hello-world's CPU time per request over nianbao's (steadier than the req/s ratio on a shared machine) */
  cpuRatio?: number
  /** bytes, max RSS of the nianbao process during the scenario */
  rss?: number
  /** the 1-minute load average when the row was measured */
  load?: number
  command: string
  /** anything a reader should know: non-2xx answers, pending endpoints */
  note?: string
}

export const TABLE_HEADER = [
  '| scenario | req/s | p50 | p99 | ratio | ratio to production hello | CPU ratio | max RSS | load | command |',
  '|---|---:|---:|---:|---:|---:|---:|---:|---:|---|'
].join('\n')

const fmt = (v: number | string, digits = 0) => (typeof v === 'string' ? v : v.toFixed(digits))
// autocannon counts latency in whole milliseconds: 0 means under one
const ms = (v: number | string) => (typeof v === 'string' ? v : v === 0 ? '< 1 ms' : `${v.toFixed(v < 10 ? 1 : 0)} ms`)
export const mb = (bytes: number | undefined) => (bytes ? `${Math.round(bytes / 2 ** 20)} MB` : '—')

export function formatRow(row: Row): string {
  const ratio = typeof row.ratio === 'number' ? `${row.ratio.toFixed(2)}×` : row.ratio
  const scenario = row.note ? `${row.scenario} (${row.note})` : row.scenario
  const cpu = row.cpuRatio === undefined ? '—' : `${row.cpuRatio.toFixed(2)}×`
  const logged = row.productionRatio === undefined ? '—' : `${row.productionRatio.toFixed(2)}×`
  // the 1-minute load average when the row was written: on 2 cores, above ~2 other work competed
  return `| ${scenario} | ${fmt(row.rps)} | ${ms(row.p50)} | ${ms(row.p99)} | ${ratio} | ${logged} | ${cpu} | ${mb(row.rss)} | ${(row.load ?? loadavg()[0]).toFixed(1)} | \`${row.command}\` |`
}

const resultsFile = fileURLToPath(new URL('../results/results.jsonl', import.meta.url))

/** Prints the row under a header (once per process) and records it. */
let printedHeader = false
export function emitRow(row: Row, extra: Record<string, unknown> = {}): void {
  row.load ??= Math.round(loadavg()[0] * 10) / 10
  if (!printedHeader) {
    console.log(`\n${TABLE_HEADER}`)
    printedHeader = true
  }
  console.log(formatRow(row))
  mkdirSync(fileURLToPath(new URL('../results/', import.meta.url)), { recursive: true })
  const record = {
    at: new Date().toISOString(),
    node: process.version,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model,
    // other work on the machine shows here: on 2 cores, anything above ~2 competes with the benchmark
    loadavg: loadavg().map((x) => Math.round(x * 100) / 100),
    ...row,
    ...extra
  }
  appendFileSync(resultsFile, `${JSON.stringify(record)}\n`)
}

/** Progress lines go to stderr so that stdout stays a table. */
export const progress = (message: string) => process.stderr.write(`${message}\n`)
