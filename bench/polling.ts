// tsx bench/polling.ts [--duration 10] [--rounds 2] [--file data/bench.db] [--cpu-prof]
// What a dashboard that polls costs, beside hello-world: the same aggregate asked again and again
// (answered from the never-stale cache of serialized answers; target ≥ 0.5×), and the same with the
// ETag it got in If-None-Match (a 304 before anything is read; target ≥ 0.7×). Lists and documents
// with If-None-Match too.
import type { LoadOptions } from './lib/args.js'
import { randomReportIds } from './lib/sample.js'
import { isMain, main, runReadScenario, type ReadCase } from './lib/scenario.js'

const AGGREGATE = `/v1/aggregates?${new URLSearchParams({ metrics: 'applications.newReceived.total', groupBy: 'province', year: '2025' })}`
const LIST = '/v1/reports?limit=50'

export const polling = (options?: LoadOptions) =>
  runReadScenario(
    'polling',
    async ({ file }) => {
      const id = randomReportIds(file, 1)[0]
      // the If-None-Match values are filled in once the server runs (below)
      return [
        { scenario: 'the same GET /v1/aggregates repeated (one year by province, from the cache)', request: { path: AGGREGATE } },
        { scenario: 'the same with If-None-Match (304)', request: { path: AGGREGATE, headers: { 'if-none-match': '' } }, expect: 304 },
        {
          scenario: 'GET /v1/reports?limit=50 with If-None-Match (304)',
          request: { path: LIST, headers: { 'if-none-match': '' } },
          expect: 304
        },
        {
          scenario: 'GET /v1/reports/{id} with If-None-Match (304)',
          request: { path: `/v1/reports/${id}`, headers: { 'if-none-match': '' } },
          expect: 304
        }
      ] satisfies ReadCase[]
    },
    options,
    // each If-None-Match holds the ETag the server gives that URL
    async (url, cases) => {
      for (const c of cases) {
        if (c.request.headers?.['if-none-match'] !== '') continue
        const res = await fetch(url + (c.request.path as string))
        await res.arrayBuffer()
        const tag = res.headers.get('etag')
        if (!tag) throw new Error(`${c.request.path as string} gave no ETag`)
        c.request.headers['if-none-match'] = tag
      }
    }
  )

if (isMain(import.meta.url)) main(() => polling())
