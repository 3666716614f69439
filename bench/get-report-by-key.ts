// tsx bench/get-report-by-key.ts [--duration 10] [--rounds 2] [--file data/bench.db] [--cpu-prof]
// GET /v1/agencies/{id}/reports/{year} of random reports, beside hello-world. Target: ≥ 0.5×.
import type { LoadOptions } from './lib/args.js'
import { cycle, randomReportKeys } from './lib/sample.js'
import { isMain, main, runReadScenario } from './lib/scenario.js'

export const getReportByKey = (options?: LoadOptions) =>
  runReadScenario(
    'get-report-by-key',
    ({ file }) => [
      {
        scenario: 'GET /v1/agencies/{id}/reports/{year}',
        request: { path: cycle(randomReportKeys(file).map((k) => `/v1/agencies/${k.agencyId}/reports/${k.year}`)) }
      }
    ],
    options
  )

if (isMain(import.meta.url)) main(() => getReportByKey())
