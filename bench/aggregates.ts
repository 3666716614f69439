// npm run bench:aggregates -- [--duration 10] [--rounds 2] [--file data/bench.db] [--cpu-prof]
// The six dashboard questions of the aggregates issue, each beside hello-world. Target: p50 < 20 ms at
// 500 000 reports. While GET /v1/aggregates does not exist, every row says `pending`.
import { commandLine, loadOptions, parseFlags, type LoadOptions } from './lib/args.js'
import { withServers } from './lib/compare.js'
import { probe } from './lib/load.js'
import { emitRow, progress, type Row } from './lib/report.js'
import { isMain, main, measureCases, type ReadCase } from './lib/scenario.js'

const NEW = 'applications.newReceived.total'
const query = (params: Record<string, string>) => `/v1/aggregates?${new URLSearchParams(params)}`

export const AGGREGATE_CASES: ReadCase[] = [
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
    scenario: 'aggregates: top 20 agencies by penalty decisions, one province and year',
    request: {
      path: query({
        metrics: 'proactive.penalty.decisions',
        groupBy: 'agency',
        regionCode: '63',
        year: '2025',
        sort: '-proactive.penalty.decisions',
        limit: '20'
      })
    }
  }
]

export async function aggregates(options: LoadOptions = loadOptions()): Promise<Row[]> {
  const command = commandLine('aggregates', parseFlags())
  return withServers(options, async (servers) => {
    const first = await probe({ url: servers.nianbao.url, path: AGGREGATE_CASES[0].request.path })
    if (first.status === 404) {
      progress(`GET /v1/aggregates answered 404: the endpoint does not exist yet; rows are pending`)
      return AGGREGATE_CASES.map((c) => {
        const row: Row = { scenario: c.scenario, rps: '—', p50: '—', p99: '—', ratio: 'pending', command, note: 'endpoint not built yet' }
        emitRow(row, { path: c.request.path })
        return row
      })
    }
    return measureCases(servers, AGGREGATE_CASES, command)
  })
}

if (isMain(import.meta.url)) main(() => aggregates())
