// The measurement every read scenario shares: two hello-world servers (bare, and with nianbao's production
// defaults: logging, request ids, security headers, rate limit, compression hooks) and nianbao side by side,
// loaded in turn (hello, hello-production, target, hello, hello-production, target …) so that the machine's drift
// falls on all alike, and the target reported as a ratio of the hello-world rounds just before it: to the bare
// one (the yardstick) and to the production one (what nianbao costs beyond what its configuration costs
// any route).
import { existsSync } from 'node:fs'
import type { LoadOptions } from './args.js'
import { readProcCpuMs, sampleRss, startHello, startHelloProduction, startNianbao, type RssSampler, type ServerChild } from './children.js'
import { probe, runLoad, type LoadResult, type Target } from './load.js'
import { progress, type Row } from './report.js'

export interface Servers {
  hello: ServerChild
  helloProduction: ServerChild
  nianbao: ServerChild
  /** max RSS of nianbao over the whole session */
  rss: RssSampler
  options: LoadOptions
  /** warmed up the hello server already */
  helloWarm: boolean
}

export async function withServers<T>(options: LoadOptions, fn: (servers: Servers) => Promise<T>): Promise<T> {
  if (!existsSync(options.file)) {
    throw new Error(`${options.file} does not exist: make it first with npm run bench:data -- --reports 500000 --file ${options.file}`)
  }
  const [hello, helloProduction, nianbao] = await Promise.all([
    startHello(),
    startHelloProduction(),
    startNianbao(options.file, { cpuProf: options.cpuProf, databaseUrl: options.databaseUrl })
  ])
  const rss = sampleRss(nianbao)
  try {
    return await fn({ hello, helloProduction, nianbao, rss, options, helloWarm: false })
  } finally {
    await rss.stop()
    await Promise.all([hello.stop(), helloProduction.stop(), nianbao.stop()])
  }
}

export interface Comparison {
  hello: LoadResult[]
  helloProduction: LoadResult[]
  target: LoadResult[]
  /** per round: target req/s over the hello req/s of the round before */
  ratios: number[]
  /** per round: target req/s over the production hello's req/s of the round before */
  productionRatios: number[]
  productionRatio: number
  /** per round: the production hello's req/s over the bare hello's (what the production defaults alone cost) */
  loggingRatios: number[]
  /**
   * per round: hello's CPU time per request over the target's. On a machine shared with other work the
   * req/s of both move with the load; the CPU each spends on one request moves far less, so this ratio is
   * the steadier reading of the same comparison (equal to the req/s ratio when each server has a core).
   */
  cpuRatios: number[]
  cpuRatio?: number
  ratio: number
  rps: number
  p50: number
  p99: number
  helloRps: number
  /** max RSS of nianbao during these rounds */
  rssMax: number
  /** lines nianbao logged during the rounds, and requests it answered */
  logged: number
  served: number
  non2xx: number
  errors: number
}

const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length

/** A round of load, with the CPU time the server spent on it per request answered (µs). */
async function measured(server: ServerChild, run: () => Promise<LoadResult>): Promise<LoadResult> {
  const before = readProcCpuMs(server.pid)
  const result = await run()
  const after = readProcCpuMs(server.pid)
  if (before === undefined || after === undefined || result.requests === 0) return result
  return { ...result, cpuPerRequest: ((after - before) * 1000) / result.requests }
}

export class ScenarioError extends Error {}

/** Checks the target answers 2xx once, then runs the interleaved rounds. */
export async function compareWithHello(servers: Servers, name: string, request: Omit<Target, 'url'>, expect?: number): Promise<Comparison> {
  const { options } = servers
  const target: Target = { ...request, url: servers.nianbao.url }
  const hello: Target = { url: servers.hello.url, path: '/' }
  const helloProduction: Target = { url: servers.helloProduction.url, path: '/' }
  const first = await probe(target)
  if (expect !== undefined ? first.status !== expect : first.status < 200 || first.status >= 300) {
    throw new ScenarioError(
      `${name}: ${target.method ?? 'GET'} ${typeof request.path === 'string' ? request.path : '…'} answered ${first.status}: ${first.body.slice(0, 300)}`
    )
  }
  if (options.warmup > 0) {
    progress(`${name}: warming up (${options.warmup} s each)`)
    if (!servers.helloWarm) {
      await runLoad(hello, options.warmup, options.connections)
      await runLoad(helloProduction, options.warmup, options.connections)
    }
    servers.helloWarm = true
    await runLoad(target, options.warmup, options.connections)
  }
  const sampler = sampleRss(servers.nianbao)
  const linesBefore = servers.nianbao.logLines?.() ?? 0
  const helloRounds: LoadResult[] = []
  const productionRounds: LoadResult[] = []
  const targetRounds: LoadResult[] = []
  const ratios: number[] = []
  const productionRatios: number[] = []
  const loggingRatios: number[] = []
  const cpuRatios: number[] = []
  for (let round = 1; round <= options.rounds; round++) {
    const h = await measured(servers.hello, () => runLoad(hello, options.duration, options.connections))
    helloRounds.push(h)
    const l = await measured(servers.helloProduction, () => runLoad(helloProduction, options.duration, options.connections))
    productionRounds.push(l)
    const t = await measured(servers.nianbao, () => runLoad(target, options.duration, options.connections))
    targetRounds.push(t)
    ratios.push(t.rps / h.rps)
    productionRatios.push(t.rps / l.rps)
    loggingRatios.push(l.rps / h.rps)
    if (h.cpuPerRequest && t.cpuPerRequest) cpuRatios.push(h.cpuPerRequest / t.cpuPerRequest)
    progress(
      `${name}: round ${round}/${options.rounds}: hello ${h.rps.toFixed(0)} req/s, hello production ${l.rps.toFixed(0)} req/s, target ${t.rps.toFixed(0)} req/s (p50 ${t.p50} ms, p99 ${t.p99} ms), ratio ${(t.rps / h.rps).toFixed(3)}, to production ${(t.rps / l.rps).toFixed(3)}` +
        (h.cpuPerRequest && t.cpuPerRequest
          ? `; CPU per request: hello ${h.cpuPerRequest.toFixed(0)} µs, hello production ${l.cpuPerRequest?.toFixed(0) ?? '?'} µs, target ${t.cpuPerRequest.toFixed(0)} µs, ratio ${(h.cpuPerRequest / t.cpuPerRequest).toFixed(3)}`
          : '')
    )
  }
  const rssMax = await sampler.stop()
  // the access log: one line per request (written asynchronously: the last few may still be on their way)
  await new Promise((r) => setTimeout(r, 200))
  const logged = (servers.nianbao.logLines?.() ?? 0) - linesBefore
  const served = targetRounds.reduce((s, r) => s + r.requests, 0)
  progress(`${name}: ${logged} access lines for ${served} requests`)
  return {
    logged,
    served,
    cpuRatios,
    ...(cpuRatios.length ? { cpuRatio: mean(cpuRatios) } : {}),
    hello: helloRounds,
    helloProduction: productionRounds,
    target: targetRounds,
    ratios,
    productionRatios,
    productionRatio: mean(productionRatios),
    loggingRatios,
    ratio: mean(ratios),
    rps: mean(targetRounds.map((r) => r.rps)),
    p50: mean(targetRounds.map((r) => r.p50)),
    p99: mean(targetRounds.map((r) => r.p99)),
    helloRps: mean(helloRounds.map((r) => r.rps)),
    rssMax,
    // answers other than the expected status (a 304 scenario expects 304s)
    non2xx: targetRounds.reduce((s, r) => s + (expect === undefined ? r.non2xx : r.requests - (r.statusCodes[String(expect)] ?? 0)), 0),
    errors: targetRounds.reduce((s, r) => s + r.errors, 0)
  }
}

/** The table row of a comparison, with a note when anything but 2xx came back. */
export function comparisonRow(scenario: string, c: Comparison, command: string): Row {
  const faults = []
  if (c.non2xx) faults.push(`${c.non2xx} unexpected statuses`)
  if (c.errors) faults.push(`${c.errors} errors (timeouts at 10 s)`)
  // nothing answered: autocannon's latencies are then zeros, not measurements
  const none = c.target.every((t) => t.requests === 0 || t.rps === 0)
  return {
    scenario,
    rps: c.rps,
    p50: none ? '—' : c.p50,
    p99: none ? '—' : c.p99,
    ratio: c.ratio,
    productionRatio: c.productionRatio,
    ...(c.cpuRatio !== undefined ? { cpuRatio: c.cpuRatio } : {}),
    rss: c.rssMax,
    command,
    ...(faults.length ? { note: faults.join(', ') } : {})
  }
}

/** The extra fields kept in results.jsonl beside the row. */
export function comparisonDetail(c: Comparison) {
  return {
    helloRps: c.helloRps,
    ratios: c.ratios,
    productionRatios: c.productionRatios,
    loggingRatios: c.loggingRatios,
    cpuRatios: c.cpuRatios,
    cpuRatio: c.cpuRatio,
    logged: c.logged,
    served: c.served,
    rounds: c.target.map((t, i) => ({
      hello: c.hello[i].rps,
      helloProduction: c.helloProduction[i].rps,
      target: t.rps,
      p50: t.p50,
      p99: t.p99,
      statusCodes: t.statusCodes,
      cpuPerRequest: { hello: c.hello[i].cpuPerRequest, helloProduction: c.helloProduction[i].cpuPerRequest, target: t.cpuPerRequest }
    }))
  }
}
