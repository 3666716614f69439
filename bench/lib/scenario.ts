// The frame of a scenario command: flags, servers, rows, and a clean exit whatever happens.
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { commandLine, loadOptions, parseFlags, stringFlag, type LoadOptions } from './args.js'
import { comparisonDetail, comparisonRow, compareWithHello, ScenarioError, withServers, type Servers } from './compare.js'
import type { Target } from './load.js'
import { emitRow, progress, type Row } from './report.js'

export interface ReadCase {
  scenario: string
  request: Omit<Target, 'url'>
  /** the status every answer must have (default: any 2xx) */
  expect?: number
}

/** Measures each case beside hello-world; a case that does not answer 2xx gets a row saying so. */
export async function measureCases(servers: Servers, cases: ReadCase[], command: string): Promise<Row[]> {
  const rows: Row[] = []
  for (const c of cases) {
    try {
      const comparison = await compareWithHello(servers, c.scenario, c.request, c.expect)
      const row = comparisonRow(c.scenario, comparison, command)
      emitRow(row, { ...comparisonDetail(comparison), file: servers.options.file })
      rows.push(row)
    } catch (err) {
      if (!(err instanceof ScenarioError)) throw err
      const row: Row = { scenario: c.scenario, rps: '—', p50: '—', p99: '—', ratio: 'failed', command, note: err.message.slice(0, 200) }
      emitRow(row)
      rows.push(row)
    }
  }
  return rows
}

/** Runs a read scenario's cases with its own servers; `cases` may read the database first. */
export async function runReadScenario(
  script: string,
  cases: (options: LoadOptions) => ReadCase[] | Promise<ReadCase[]>,
  options: LoadOptions = loadOptions(),
  /** runs once the servers are up, before any load: e.g. reads ETags to send back */
  prepare?: (nianbaoUrl: string, cases: ReadCase[]) => Promise<void>
): Promise<Row[]> {
  const flags = parseFlags()
  const command = commandLine(script, flags)
  // --only <text>: the cases whose name holds the text (one path of a scenario, e.g. for a profile)
  const only = flags.only === undefined ? undefined : stringFlag(flags, 'only', '')
  const list = (await cases(options)).filter((c) => only === undefined || c.scenario.includes(only))
  if (list.length === 0) throw new Error(`no case of ${script} is named with “${only}”`)
  return withServers(options, async (servers) => {
    if (prepare) await prepare(servers.nianbao.url, list)
    const rows = await measureCases(servers, list, command)
    progress(`${script}: nianbao max RSS over the run ${Math.round(servers.rss.max / 2 ** 20)} MB`)
    return rows
  })
}

/** True when the module is the command being run (not imported by run-all). */
export function isMain(url: string): boolean {
  return process.argv[1] !== undefined && fileURLToPath(url) === resolve(process.argv[1])
}

export function main(run: () => Promise<unknown>) {
  run().then(
    () => process.exit(0),
    (err) => {
      console.error(err instanceof Error ? err.message : err)
      process.exit(1)
    }
  )
}
