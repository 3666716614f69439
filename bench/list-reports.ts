// tsx bench/list-reports.ts [--duration 10] [--rounds 2] [--file data/bench.db] [--province 63] [--cpu-prof]
// GET /v1/reports?limit=50 (the first page of summaries), and the same with the filters a dashboard
// sends (one province, one year), beside hello-world. Target: ≥ 0.15×.
import { parseFlags, stringFlag, type LoadOptions } from './lib/args.js'
import { isMain, main, runReadScenario } from './lib/scenario.js'

export const listReports = (options?: LoadOptions, province = stringFlag(parseFlags(), 'province', '63')) =>
  runReadScenario(
    'list-reports',
    () => [
      { scenario: 'GET /v1/reports?limit=50', request: { path: '/v1/reports?limit=50' } },
      {
        scenario: `GET /v1/reports?limit=50&regionCode=${province}&year=2025`,
        request: { path: `/v1/reports?limit=50&regionCode=${province}&year=2025` }
      }
    ],
    options
  )

if (isMain(import.meta.url)) main(() => listReports())
