// tsx bench/compression.ts [--duration 10] [--rounds 2] [--file data/bench.db] [--cpu-prof]
// Large answers with and without Accept-Encoding, beside hello-world: what compressing costs the server
// (and so what a client that asks for it pays in req/s), for a page of 50 summaries, a whole document and
// a CSV export of 500 summaries. The rows without Accept-Encoding are the reads' own figures.
import type { LoadOptions } from './lib/args.js'
import { cycle, randomReportIds } from './lib/sample.js'
import { isMain, main, runReadScenario, type ReadCase } from './lib/scenario.js'

const variants = [
  ['', undefined],
  [', Accept-Encoding: gzip', 'gzip'],
  [', Accept-Encoding: br', 'br']
] as const

export const compression = (options?: LoadOptions) =>
  runReadScenario(
    'compression',
    ({ file }) => {
      const documents = randomReportIds(file).map((id) => `/v1/reports/${id}`)
      const bases: Array<[string, string | (() => string)]> = [
        ['GET /v1/reports?limit=50', '/v1/reports?limit=50'],
        ['GET /v1/reports/{id}', cycle(documents)],
        ['GET /v1/reports?limit=500&output=csv', '/v1/reports?limit=500&output=csv']
      ]
      const cases: ReadCase[] = []
      for (const [name, path] of bases) {
        for (const [suffix, encoding] of variants) {
          cases.push({ scenario: `${name}${suffix}`, request: { path, ...(encoding ? { headers: { 'accept-encoding': encoding } } : {}) } })
        }
      }
      return cases
    },
    options
  )

if (isMain(import.meta.url)) main(() => compression())
