// One round of load with autocannon, bounded in time, summarised as req/s and latency percentiles.
import autocannon, { type RequestSpec } from 'autocannon'

export interface Target {
  /** base URL of a server on 127.0.0.1 */
  url: string
  method?: string
  /** a fixed path, or a function giving the next one (random ids) */
  path: string | (() => string)
  headers?: Record<string, string>
  body?: string
}

export interface LoadResult {
  rps: number
  /** ms */
  p50: number
  p99: number
  requests: number
  non2xx: number
  errors: number
  statusCodes: Record<string, number>
  /** µs of the server's CPU time per request answered (set by the comparison, from /proc) */
  cpuPerRequest?: number
}

export async function runLoad(target: Target, seconds: number, connections: number): Promise<LoadResult> {
  if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(target.url)) throw new Error(`benchmarks send traffic to 127.0.0.1 only, not ${target.url}`)
  const path = target.path
  const request: RequestSpec =
    typeof path === 'string'
      ? { method: target.method ?? 'GET', path }
      : { method: target.method ?? 'GET', setupRequest: (req) => ({ ...req, path: path() }) }
  if (target.headers) request.headers = target.headers
  if (target.body !== undefined) request.body = target.body
  const instance = autocannon({
    url: target.url,
    connections,
    duration: seconds,
    timeout: 10,
    requests: [request]
  })
  // autocannon ends by itself after `duration`; this guard bounds a run whose server stops answering
  const guard = setTimeout(() => instance.stop(), (seconds + 30) * 1000)
  try {
    const result = await instance
    const statusCodes: Record<string, number> = {}
    for (const [code, { count }] of Object.entries(result.statusCodeStats ?? {})) statusCodes[code] = Number(count)
    return {
      rps: result.requests.average,
      p50: result.latency.p50,
      p99: result.latency.p99,
      requests: result.requests.total,
      non2xx: result.non2xx,
      errors: result.errors,
      statusCodes
    }
  } finally {
    clearTimeout(guard)
  }
}

/** One request outside the load, to check a scenario answers what it should before timing it. */
export async function probe(target: Target): Promise<{ status: number; body: string }> {
  const path = typeof target.path === 'string' ? target.path : target.path()
  const res = await fetch(target.url + path, {
    method: target.method ?? 'GET',
    headers: target.headers,
    body: target.body,
    signal: AbortSignal.timeout(60_000)
  })
  return { status: res.status, body: await res.text() }
}
