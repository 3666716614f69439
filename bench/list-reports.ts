// tsx bench/list-reports.ts [--duration 10] [--rounds 2] [--file data/bench.db] [--province 63] [--only <text>] [--cpu-prof]
// GET /v1/reports?limit=50 (the first page of summaries), and the same with the filters a dashboard
// sends (one province, one year), beside hello-world. Target: ≥ 0.15× (≥ 0.1× filtered). A first page asked
// again is answered from the never-stale cache of serialized answers (until the next write), so the same
// lists are also measured read afresh: the pages after the first, followed by their cursors, which are never
// kept.
import { parseFlags, stringFlag, type LoadOptions } from './lib/args.js'
import { cycle } from './lib/sample.js'
import { isMain, main, runReadScenario, type ReadCase } from './lib/scenario.js'

/** how many later pages each read-afresh case goes through, round and round */
const PAGES = 200

export const listReports = (options?: LoadOptions, province = stringFlag(parseFlags(), 'province', '63')) => {
  const filtered = `/v1/reports?limit=50&regionCode=${province}&year=2025`
  // the cursors of the later pages, filled in once the server runs (below)
  const later: Record<string, string[]> = { '/v1/reports?limit=50': [], [filtered]: [] }
  return runReadScenario(
    'list-reports',
    () =>
      [
        { scenario: 'GET /v1/reports?limit=50', request: { path: '/v1/reports?limit=50' } },
        { scenario: `GET ${filtered}`, request: { path: filtered } },
        {
          scenario: 'GET /v1/reports?limit=50&cursor=… (later pages, read afresh)',
          request: { path: cycle(later['/v1/reports?limit=50']) }
        },
        { scenario: `GET ${filtered}&cursor=… (later pages, read afresh)`, request: { path: cycle(later[filtered]) } }
      ] satisfies ReadCase[],
    options,
    async (url) => {
      for (const [first, pages] of Object.entries(later)) {
        let next: string | null = null
        do {
          const res: Response = await fetch(url + first + (next === null ? '' : `&cursor=${encodeURIComponent(next)}`))
          if (res.status !== 200) throw new Error(`${first} answered ${res.status}`)
          next = ((await res.json()) as { next: string | null }).next
          if (next !== null) pages.push(`${first}&cursor=${encodeURIComponent(next)}`)
        } while (next !== null && pages.length < PAGES)
        if (pages.length === 0) pages.push(first)
      }
    }
  )
}

if (isMain(import.meta.url)) main(() => listReports())
