// tsx bench/get-report.ts [--duration 10] [--rounds 2] [--file data/bench.db] [--cpu-prof]
// GET /v1/reports/{id}, whole documents of random reports, beside hello-world. Target: ≥ 0.5×.
import type { LoadOptions } from './lib/args.js'
import { cycle, randomReportIds } from './lib/sample.js'
import { isMain, main, runReadScenario } from './lib/scenario.js'

export const getReport = (options?: LoadOptions) =>
  runReadScenario(
    'get-report',
    ({ file }) => [{ scenario: 'GET /v1/reports/{id}', request: { path: cycle(randomReportIds(file).map((id) => `/v1/reports/${id}`)) } }],
    options
  )

if (isMain(import.meta.url)) main(() => getReport())
