// tsx bench/startup.ts [--file data/bench.db] [--runs 5] [--entry both|src|dist] [--cpu-prof]
// Time from spawning the real server (src/server.ts through tsx, and dist/src/server.js when built)
// to the first 200 from /readyz, on the benchmark database; RSS when ready. Targets: < 1.5 s, < 250 MB.
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'
import { commandLine, loadOptions, numberFlag, parseFlags, stringFlag, type LoadOptions } from './lib/args.js'
import { readProcRss } from './lib/children.js'
import { emitRow, progress, type Row } from './lib/report.js'
import { isMain, main } from './lib/scenario.js'
import { BENCH_ADMIN_KEY } from './servers/child.js'

const ROOT = fileURLToPath(new URL('../', import.meta.url))
const READY_TIMEOUT_MS = 60_000

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))))
    })
  })
}

async function ready(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(1000) })
    await res.arrayBuffer()
    return res.status === 200
  } catch {
    return false
  }
}

/** One start: ms to ready and RSS at ready. */
async function startOnce(entry: 'src' | 'dist', file: string, cpuProf?: string): Promise<{ ms: number; rss: number }> {
  const port = await freePort()
  const args = entry === 'src' ? ['--import', 'tsx', 'src/server.ts'] : ['dist/src/server.js']
  if (cpuProf) {
    const dir = join(cpuProf, `startup-${entry}-${new Date().toISOString().replace(/[:.]/g, '-')}`)
    mkdirSync(dir, { recursive: true })
    args.unshift('--cpu-prof', `--cpu-prof-dir=${dir}`)
    progress(`startup: CPU profile into ${dir}`)
  }
  const started = performance.now()
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    // no rate limit (this polls /readyz every 5 ms); the benchmark's admin key, so no key file is written
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_FILE: file,
      LOG_LEVEL: 'warn',
      SAMPLE_DATA: 'false',
      RATE_LIMIT_MAX: '0',
      BOOTSTRAP_ADMIN_KEY: BENCH_ADMIN_KEY
    },
    stdio: ['ignore', 'ignore', 'inherit']
  })
  const exited = new Promise<void>((done) => child.once('exit', () => done()))
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode} before it was ready`)
      if (performance.now() - started > READY_TIMEOUT_MS) throw new Error(`not ready within ${READY_TIMEOUT_MS / 1000} s`)
      if (await ready(`http://127.0.0.1:${port}/readyz`)) break
      await new Promise((r) => setTimeout(r, 5))
    }
    const ms = performance.now() - started
    return { ms, rss: readProcRss(child.pid!) ?? 0 }
  } finally {
    child.kill('SIGTERM')
    const killer = setTimeout(() => child.kill('SIGKILL'), 10_000)
    await exited
    clearTimeout(killer)
  }
}

export async function startup(options: LoadOptions = loadOptions(), flags = parseFlags()): Promise<Row[]> {
  if (!existsSync(options.file)) throw new Error(`${options.file} does not exist: make it first with npm run bench:data`)
  const runs = Math.floor(numberFlag(flags, 'runs', 5))
  const which = stringFlag(flags, 'entry', 'both')
  const entries = (['src', 'dist'] as const).filter((e) => which === 'both' || which === e)
  const command = commandLine('startup', flags)
  const rows: Row[] = []
  for (const entry of entries) {
    if (entry === 'dist' && !existsSync(`${ROOT}dist/src/server.js`)) {
      progress('startup: dist/src/server.js not built (npm run build); measuring src only')
      continue
    }
    const times: number[] = []
    let rss = 0
    for (let i = 0; i < runs; i++) {
      const r = await startOnce(entry, options.file, options.cpuProf)
      progress(`startup (${entry}) run ${i + 1}/${runs}: ready in ${r.ms.toFixed(0)} ms, RSS ${Math.round(r.rss / 2 ** 20)} MB`)
      times.push(r.ms)
      rss = Math.max(rss, r.rss)
    }
    times.sort((a, b) => a - b)
    const row: Row = {
      scenario: `start-up to /readyz 200 (${entry === 'src' ? 'node --import tsx src/server.ts' : 'node dist/src/server.js'}; median and max of ${runs})`,
      rps: '—',
      p50: times[Math.floor(times.length / 2)],
      p99: times[times.length - 1],
      ratio: '—',
      rss,
      command
    }
    emitRow(row, { entry, times, file: options.file })
    rows.push(row)
  }
  return rows
}

if (isMain(import.meta.url)) main(() => startup())
