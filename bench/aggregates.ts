// npm run bench:aggregates -- [--duration 10] [--rounds 2] [--file data/bench.db] [--uncached 20] [--uncached-only] [--province 63] [--cpu-prof]
// The six dashboard questions of the aggregates issue, each beside hello-world. Target: p50 < 20 ms at
// 500 000 reports, measured both under 50 connections (req/s, ratio) and on one connection (what one
// dashboard request costs), and with the result cache missed (see uncached below). While
// GET /v1/aggregates does not exist, every row says `pending`.
import { createEngine } from '../db/engines/index.js'
import { commandLine, loadOptions, numberFlag, parseFlags, stringFlag, type Flags, type LoadOptions } from './lib/args.js'
import { withServers, type Servers } from './lib/compare.js'
import { probe, runLoad } from './lib/load.js'
import { emitRow, progress, type Row } from './lib/report.js'
import { isMain, main, measureCases, type ReadCase } from './lib/scenario.js'

const NEW = 'applications.newReceived.total'
const query = (params: Record<string, string>) => `/v1/aggregates?${new URLSearchParams(params)}`

/** The six questions; `province` is the one of the top-20 question (default 63, 青海省). */
export const aggregateCases = (province = '63'): ReadCase[] => [
  { scenario: 'aggregates: one metric, one year (grand total)', request: { path: query({ metrics: NEW, year: '2025' }) } },
  {
    scenario: 'aggregates: one metric by year, 2021–2025',
    request: { path: query({ metrics: NEW, groupBy: 'year', yearFrom: '2021', yearTo: '2025' }) }
  },
  { scenario: 'aggregates: one year by province', request: { path: query({ metrics: NEW, groupBy: 'province', year: '2025' }) } },
  {
    scenario: 'aggregates: disclosureRate by year',
    request: { path: query({ metrics: 'disclosureRate', groupBy: 'year', yearFrom: '2021', yearTo: '2025' }) }
  },
  {
    scenario: 'aggregates: one year by kind, three metrics',
    request: {
      path: query({
        metrics: [NEW, 'applications.outcomes.granted.total', 'proactive.penalty.decisions'].join(','),
        groupBy: 'kind',
        year: '2025'
      })
    }
  },
  {
    scenario: `aggregates: top 20 agencies by penalty decisions, province ${province}, one year`,
    request: {
      path: query({
        metrics: 'proactive.penalty.decisions',
        groupBy: 'agency',
        regionCode: province,
        year: '2025',
        sort: '-proactive.penalty.decisions',
        limit: '20'
      })
    }
  }
]

export async function aggregates(options: LoadOptions = loadOptions(), flags: Flags = parseFlags()): Promise<Row[]> {
  const command = commandLine('aggregates', flags)
  const cases = aggregateCases(stringFlag(flags, 'province', '63'))
  return withServers(options, async (servers) => {
    const first = await probe({ url: servers.nianbao.url, path: cases[0].request.path })
    if (first.status === 404) {
      progress(`GET /v1/aggregates answered 404: the endpoint does not exist yet; rows are pending`)
      return cases.map((c) => {
        const row: Row = { scenario: c.scenario, rps: '—', p50: '—', p99: '—', ratio: 'pending', command, note: 'endpoint not built yet' }
        emitRow(row, { path: c.request.path })
        return row
      })
    }
    // --uncached-only: the cache misses alone
    const rows = flags['uncached-only'] === true ? [] : await measureCases(servers, cases, command)
    // p50 under 50 connections is mostly queueing (Little's law: 50 / req/s); one connection shows what
    // a single dashboard request costs
    for (const c of flags['uncached-only'] === true ? [] : cases) {
      const single = await runLoad({ ...c.request, url: servers.nianbao.url }, options.duration, 1)
      const row: Row = {
        scenario: `${c.scenario}, 1 connection`,
        rps: single.rps,
        p50: single.p50,
        p99: single.p99,
        ratio: '—',
        command,
        ...(single.non2xx ? { note: `${single.non2xx} non-2xx` } : {})
      }
      emitRow(row, { path: c.request.path, connections: 1 })
      rows.push(row)
    }
    rows.push(...(await uncached(servers, cases, command, flags)))
    return rows
  })
}

/**
 * The aggregates keep the answers of identical queries until the database changes (a cache keyed on
 * SQLite's data_version), so under load they measure cache hits. This measures misses: before each
 * request, another connection commits a harmless write (a trailing space on the benchmark key's name,
 * added and removed in turn), which moves data_version on, and the next answer must be computed again.
 */
async function uncached(servers: Servers, cases: ReadCase[], command: string, flags: Flags): Promise<Row[]> {
  const samples = Math.floor(numberFlag(flags, 'uncached', 20))
  // the database the server reads (the file, or PostgreSQL with --database-url)
  const db = await createEngine({ file: servers.options.file, url: servers.options.databaseUrl })
  // a real change each time (SQLite does not commit an UPDATE that leaves a row as it was); it alternates,
  // so the name ends as it began after an even number of requests, and is trimmed at the end anyway
  const touch = () => db.run("UPDATE api_keys SET name = CASE WHEN name LIKE '% ' THEN rtrim(name) ELSE name || ' ' END")
  const rows: Row[] = []
  try {
    for (const c of cases) {
      const times: number[] = []
      for (let i = 0; i < samples; i++) {
        if ((await touch()).changes === 0) throw new Error('no API key row to touch: the bench server creates one on start')
        const started = performance.now()
        const res = await probe({ ...c.request, url: servers.nianbao.url })
        if (res.status !== 200) throw new Error(`${c.scenario}: ${res.status} ${res.body.slice(0, 200)}`)
        times.push(performance.now() - started)
      }
      times.sort((a, b) => a - b)
      const row: Row = {
        scenario: `${c.scenario}, uncached (1 connection, ${samples} requests)`,
        rps: '—',
        p50: times[Math.floor(times.length / 2)],
        p99: times[times.length - 1],
        ratio: '—',
        command
      }
      emitRow(row, { path: c.request.path, times })
      rows.push(row)
    }
  } finally {
    await db.run('UPDATE api_keys SET name = rtrim(name)')
    await db.close()
  }
  return rows
}

if (isMain(import.meta.url)) main(() => aggregates())
