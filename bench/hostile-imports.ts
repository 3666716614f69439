// tsx bench/hostile-imports.ts [--duration 30] [--interval 20]
// /healthz while hostile imports run. The server runs as `npm start` runs it (the bundle, production
// defaults) on a fresh database; four clients each send one hostile shape of the security review to
// POST /v1/imports over and over (15 MiB of text on one line, 13 MB of HTML entities, a 6.5 MB table,
// 200 KB of bad GBK) while a fifth asks /healthz every `interval` ms, one request at a time. Printed:
// /healthz p50, p99 and max alone, then under the imports, and what each import shape got (status, time).
// Target: /healthz p99 under 100 ms while the imports run.
import http from 'node:http'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { rmSync } from 'node:fs'
import { numberFlag, parseFlags } from './lib/args.js'
import { startNianbao } from './lib/children.js'
import { emitRow, progress, type Row } from './lib/report.js'
import { isMain, main } from './lib/scenario.js'
import { HOSTILE, type HostileBody } from '../test/fixtures/hostile.js'

/** The four shapes of the review, at the sizes it sent. */
const SHAPES: Array<{ name: string; make: () => HostileBody }> = [
  { name: '15 MiB single-line text', make: () => HOSTILE['single line'](15 * 1024 * 1024) },
  { name: '13 MB of HTML entities', make: () => HOSTILE['HTML entities'](13_000_000) },
  { name: '6.5 MB table', make: () => HOSTILE['large table'](6_500_000) },
  { name: '200 KB of bad GBK', make: () => HOSTILE['bad GBK'](200_000) }
]

const agent = new http.Agent({ keepAlive: true, maxSockets: 8 })

function request(url: string, method = 'GET', body?: HostileBody): Promise<{ status: number; ms: number }> {
  const started = performance.now()
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method, agent, headers: body ? { 'content-type': body.contentType, 'content-length': body.body.length } : {} },
      (res) => {
        res.resume()
        res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - started }))
      }
    )
    req.on('error', reject)
    req.end(body?.body)
  })
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]

/** /healthz asked every `intervalMs`, one at a time, until `until` resolves. */
async function pingHealth(url: string, intervalMs: number, until: { done: boolean }): Promise<number[]> {
  const times: number[] = []
  while (!until.done) {
    const { status, ms } = await request(`${url}/healthz`)
    if (status !== 200) throw new Error(`/healthz answered ${status}`)
    times.push(ms)
    await new Promise((r) => setTimeout(r, intervalMs))
  }
  return times.sort((a, b) => a - b)
}

export async function hostileImports(flags = parseFlags()): Promise<Row[]> {
  const duration = numberFlag(flags, 'duration', 30) * 1000
  const interval = numberFlag(flags, 'interval', 20)
  const shapes = SHAPES.map(({ name, make }) => ({ name, ...make() }))
  const file = join(tmpdir(), `nianbao-hostile-${process.pid}.db`)
  const server = await startNianbao(file)
  const command = 'tsx bench/hostile-imports.ts'
  const rows: Row[] = []
  try {
    // alone
    const quiet = { done: false }
    setTimeout(() => (quiet.done = true), Math.min(duration, 10_000))
    const alone = await pingHealth(server.url, interval, quiet)
    rows.push({
      scenario: '/healthz alone',
      rps: '—',
      p50: quantile(alone, 0.5),
      p99: quantile(alone, 0.99),
      ratio: '—',
      rss: await server.rss(),
      command
    })
    emitRow(rows.at(-1)!, { samples: alone.length, max: alone.at(-1) })

    // under four clients sending hostile imports back to back
    const load = { done: false }
    const outcomes = shapes.map(() => [] as Array<{ status: number; ms: number }>)
    const senders = shapes.map(async (shape, i) => {
      while (!load.done) outcomes[i].push(await request(`${server.url}/v1/imports`, 'POST', shape))
    })
    let maxRss = 0
    const sampler = setInterval(async () => (maxRss = Math.max(maxRss, await server.rss())), 250)
    setTimeout(() => (load.done = true), duration)
    const loaded = await pingHealth(server.url, interval, load)
    await Promise.all(senders)
    clearInterval(sampler)
    const summary = shapes.map((s, i) => {
      const statuses = [...new Set(outcomes[i].map((o) => o.status))].join('/')
      const slowest = Math.max(...outcomes[i].map((o) => o.ms))
      return `${s.name}: ${outcomes[i].length}× ${statuses}, slowest ${(slowest / 1000).toFixed(1)} s`
    })
    rows.push({
      scenario: '/healthz during 4 hostile imports',
      rps: '—',
      p50: quantile(loaded, 0.5),
      p99: quantile(loaded, 0.99),
      ratio: '—',
      rss: maxRss,
      command,
      note: `max ${loaded.at(-1)!.toFixed(0)} ms; ${summary.join('; ')}`
    })
    emitRow(rows.at(-1)!, { samples: loaded.length, max: loaded.at(-1), outcomes: summary, loadavg: loadavg() })
    const p99 = quantile(loaded, 0.99)
    progress(`/healthz p99 ${p99.toFixed(1)} ms under hostile imports: ${p99 < 100 ? 'within' : 'OVER'} the 100 ms target`)
  } finally {
    await server.stop(30_000)
    agent.destroy()
    for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true })
  }
  return rows
}

if (isMain(import.meta.url)) main(() => hostileImports())
