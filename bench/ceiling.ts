// tsx bench/ceiling.ts [--duration 10] [--rounds 2] [--file data/bench.db] [--only <text>]
// What this stack allows for nianbao's answers. nianbao runs once, on the benchmark database, to record what it
// answers to the read scenarios — a stored report's document, a later list page, a cached aggregate, and the 304s
// of a document and of that aggregate: their status, the headers that describe the representation (type, ETag,
// Cache-Control, Vary, Link) and the bytes. Then the production hello-world (bench/servers/hello-production.ts:
// logging at info, request ids, security headers, rate limit, as nianbao runs) serves each recorded answer from
// memory, and is measured beside the bare hello-world exactly as nianbao is in the other scenarios. Nothing is read
// or computed for those answers, so no route of nianbao's that sends the same answer with the same defaults can
// reach a higher ratio: each row is the ceiling of its scenario on this stack.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadOptions, parseFlags, stringFlag, commandLine, type LoadOptions } from './lib/args.js'
import { startHelloProduction } from './lib/children.js'
import { withServers } from './lib/compare.js'
import { progress, type Row } from './lib/report.js'
import { randomReportIds } from './lib/sample.js'
import { isMain, main, measureCases, type ReadCase } from './lib/scenario.js'
import type { RecordedAnswer } from './servers/hello-production.js'

const AGGREGATE = `/v1/aggregates?${new URLSearchParams({ metrics: 'applications.newReceived.total', groupBy: 'province', year: '2025' })}`
/** The headers of nianbao's answer that belong to its representation (the production hello sets the others itself). */
const REPLAYED = ['content-type', 'etag', 'cache-control', 'vary', 'link', 'last-modified', 'content-disposition']

interface Recording {
  name: string
  scenario: string
  path: string
  /** sent with the ETag of the 200 answer, for a 304 */
  conditional?: boolean
}

async function record(base: string, path: string, conditional: boolean): Promise<RecordedAnswer> {
  let headers: Record<string, string> = {}
  if (conditional) {
    const first = await fetch(base + path)
    await first.arrayBuffer()
    const tag = first.headers.get('etag')
    if (!tag) throw new Error(`${path} gave no ETag`)
    headers = { 'if-none-match': tag }
  }
  const res = await fetch(base + path, { headers })
  const body = Buffer.from(await res.arrayBuffer())
  if (res.status !== (conditional ? 304 : 200)) throw new Error(`${path} answered ${res.status}: ${body.toString('utf8', 0, 300)}`)
  const replayed: Record<string, string> = {}
  for (const name of REPLAYED) {
    const value = res.headers.get(name)
    if (value !== null) replayed[name] = value
  }
  return { status: res.status, headers: replayed, body: body.toString('base64') }
}

export async function ceiling(options: LoadOptions = loadOptions()): Promise<Row[]> {
  const flags = parseFlags()
  const command = commandLine('ceiling', flags)
  const only = flags.only === undefined ? undefined : stringFlag(flags, 'only', '')
  const id = randomReportIds(options.file, 1)[0]
  return withServers(options, async (servers) => {
    const base = servers.nianbao.url
    // a later page: the first page's cursor, as a mirror walking the list would send it
    const first = await fetch(`${base}/v1/reports?limit=50`)
    const next = ((await first.json()) as { next?: string | null }).next
    if (!next) throw new Error('the first page of /v1/reports has no next page: the database is too small')
    const laterPage = `/v1/reports?${new URLSearchParams({ limit: '50', cursor: next })}`
    const recordings: Recording[] = [
      { name: 'document', scenario: 'GET /v1/reports/{id}', path: `/v1/reports/${id}` },
      { name: 'page', scenario: 'GET /v1/reports?limit=50&cursor=… (a later page)', path: laterPage },
      { name: 'aggregate', scenario: 'the same GET /v1/aggregates repeated', path: AGGREGATE },
      { name: 'aggregate-304', scenario: 'the same with If-None-Match (304)', path: AGGREGATE, conditional: true },
      { name: 'document-304', scenario: 'GET /v1/reports/{id} with If-None-Match (304)', path: `/v1/reports/${id}`, conditional: true }
    ].filter((r) => only === undefined || r.scenario.includes(only))
    if (recordings.length === 0) throw new Error(`no case of ceiling is named with “${only}”`)
    const answers: Record<string, RecordedAnswer> = {}
    for (const r of recordings) answers[r.name] = await record(base, r.path, r.conditional ?? false)
    const dir = mkdtempSync(join(tmpdir(), 'nianbao-ceiling-'))
    const file = join(dir, 'answers.json')
    writeFileSync(file, JSON.stringify(answers))
    const replay = await startHelloProduction(file)
    let rows: Row[]
    try {
      // the recorded answers' server takes nianbao's place in the comparison; nianbao idles meanwhile
      const cases: ReadCase[] = recordings.map((r) => ({
        scenario: `ceiling: ${r.scenario}, sent from memory by the production hello (${Buffer.from(answers[r.name].body, 'base64').length} bytes)`,
        request: { path: `/answer/${r.name}` },
        expect: answers[r.name].status
      }))
      rows = await measureCases({ ...servers, nianbao: replay }, cases, command)
    } finally {
      await replay.stop()
      rmSync(dir, { recursive: true, force: true })
    }
    progress(`ceiling: ${rows.length} answers measured`)
    return rows
  })
}

if (isMain(import.meta.url)) main(() => ceiling())
