// The servers under test, each in its own child process (its own event loop and CPU thread, apart from
// autocannon in this process), with a bounded start, a bounded stop, and an RSS sampler.
// - hello-world: a Fastify route, forked, telling its port over IPC;
// - nianbao: the real server as `npm start` runs it (dist/nianbao.mjs, rebuilt first if a source changed, with
//   npm start's node flags: the heap limit),
//   with the production defaults: logging at info (into a file, one line per request), rate limits on,
//   security headers on. The only setting changed is RATE_LIMIT_MAX, raised so that the limiter counts
//   every request (its whole cost) without refusing the load generator's single address.
import { fork, spawn, type ChildProcess } from 'node:child_process'
import { closeSync, openSync, readFileSync, rmSync, statSync } from 'node:fs'
import { mkdirSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { ChildMessage, ParentMessage } from '../servers/child.js'
import { BENCH_ADMIN_KEY } from '../servers/child.js'
import { BUNDLE, bundle, isStale } from '../../scripts/bundle.mjs'

const START_TIMEOUT_MS = 120_000
const STOP_TIMEOUT_MS = 10_000

export interface ServerChild {
  name: string
  pid: number
  url: string
  /** lines the server has logged so far (nianbao only) */
  logLines?(): number
  /** resident set size in bytes, from /proc where there is one, else asked over IPC */
  rss(): Promise<number>
  /** asks the child to close; kills it after `timeoutMs` (a child busy in a long synchronous write answers late) */
  stop(timeoutMs?: number): Promise<void>
}

const live = new Set<ChildProcess>()
let hooked = false

/** Whatever happens to this process, its servers go with it. */
function killChildrenOnExit() {
  if (hooked) return
  hooked = true
  process.on('exit', () => {
    for (const child of live) child.kill('SIGKILL')
  })
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      for (const child of live) child.kill('SIGKILL')
      process.exit(130)
    })
  }
}

/** CPU time (user + system) a process has used, in ms, from /proc (Linux); undefined elsewhere. */
export function readProcCpuMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    // utime and stime are fields 14 and 15 of the line, in clock ticks (100 a second on Linux)
    return (Number(fields[11]) + Number(fields[12])) * 10
  } catch {
    return undefined
  }
}

export function readProcRss(pid: number): number | undefined {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return match ? Number(match[1]) * 1024 : undefined
  } catch {
    return undefined
  }
}

export interface SpawnOptions {
  env?: Record<string, string>
  /** a folder: run the child with --cpu-prof and write the profile there */
  cpuProf?: string
}

function startChild(name: string, entry: string, options: SpawnOptions = {}): Promise<ServerChild> {
  killChildrenOnExit()
  const execArgv = ['--import', 'tsx']
  if (options.cpuProf) {
    // one folder per process: the main thread and tsx's loader thread each write a profile there
    const dir = join(options.cpuProf, `${name}-${new Date().toISOString().replace(/[:.]/g, '-')}`)
    mkdirSync(dir, { recursive: true })
    execArgv.push('--cpu-prof', `--cpu-prof-dir=${dir}`)
    process.stderr.write(`${name}: CPU profile into ${dir} (tsx bench/profile-summary.ts ${dir})\n`)
  }
  const child = fork(fileURLToPath(new URL(`../servers/${entry}`, import.meta.url)), [], {
    execArgv,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc']
  })
  live.add(child)
  const exited = new Promise<void>((done) =>
    child.once('exit', () => {
      live.delete(child)
      done()
    })
  )

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`${name} did not start within ${START_TIMEOUT_MS / 1000} s`))
    }, START_TIMEOUT_MS)
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`${name} exited with ${code} before it was ready`))
    })
    const onReady = (message: ChildMessage) => {
      if (message.type !== 'ready') return
      child.off('message', onReady)
      clearTimeout(timer)
      const pid = child.pid!
      resolve({
        name,
        pid,
        url: `http://127.0.0.1:${message.port}`,
        rss: () => {
          const fromProc = readProcRss(pid)
          if (fromProc !== undefined) return Promise.resolve(fromProc)
          return new Promise((answer) => {
            const onRss = (m: ChildMessage) => {
              if (m.type === 'rss') {
                child.off('message', onRss)
                answer(m.rss)
              }
            }
            child.on('message', onRss)
            child.send({ type: 'rss' } satisfies ParentMessage)
          })
        },
        stop: async (timeoutMs = STOP_TIMEOUT_MS) => {
          if (child.exitCode !== null || child.signalCode !== null) return
          child.send({ type: 'stop' } satisfies ParentMessage)
          const killer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
          await exited
          clearTimeout(killer)
        }
      })
    }
    child.on('message', onReady)
  })
}

export const startHello = () => startChild('hello', 'hello.ts')

/**
 * hello-world with nianbao's production defaults (bench/servers/hello-production.ts), logging into a file of its own;
 * `answersFile` adds the recorded answers it serves from memory (bench/ceiling.ts).
 */
export async function startHelloProduction(answersFile?: string): Promise<ServerChild> {
  const logFile = join(tmpdir(), `nianbao-bench-hello-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}.log`)
  const env: Record<string, string> = { HELLO_LOG_FILE: logFile, ...(answersFile ? { HELLO_ANSWERS: answersFile } : {}) }
  const child = await startChild(answersFile ? 'hello-answers' : 'hello-production', 'hello-production.ts', { env })
  return {
    ...child,
    logLines: () => countLines(logFile),
    stop: async (timeoutMs) => {
      await child.stop(timeoutMs)
      rmSync(logFile, { force: true })
    }
  }
}

function countLines(file: string): number {
  try {
    let n = 0
    const text = readFileSync(file)
    for (let i = text.indexOf(10); i !== -1; i = text.indexOf(10, i + 1)) n++
    return n
  } catch {
    return 0
  }
}

const ROOT = fileURLToPath(new URL('../../', import.meta.url))

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))))
    })
  })
}

/** The server bundle, built if missing or older than its sources (as `npm start` does). */
export async function ensureBundle(): Promise<string> {
  if (isStale()) {
    process.stderr.write('building dist/nianbao.mjs\n')
    await bundle()
  }
  return BUNDLE
}

/** The environment of a production start, on this database; RATE_LIMIT_MAX high enough never to refuse. */
export function productionEnv(file: string, port: number, databaseUrl?: string): Record<string, string> {
  return {
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    NODE_ENV: 'production',
    PORT: String(port),
    HOST: '127.0.0.1',
    DATABASE_FILE: file,
    LOG_LEVEL: 'info',
    SAMPLE_DATA: 'false',
    RATE_LIMIT_MAX: '1000000000',
    BOOTSTRAP_ADMIN_KEY: BENCH_ADMIN_KEY
  }
}

/** Polls /readyz until it answers 200. */
export async function waitReady(url: string, child: ChildProcess, timeoutMs = START_TIMEOUT_MS): Promise<void> {
  const started = performance.now()
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`the server exited (${child.exitCode ?? child.signalCode}) before it was ready`)
    if (performance.now() - started > timeoutMs) throw new Error(`not ready within ${timeoutMs / 1000} s`)
    try {
      const res = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(1000) })
      await res.arrayBuffer()
      if (res.status === 200) return
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 5))
  }
}

/** Waits until the server's log has a line containing `text`. */
async function waitForLine(file: string, text: string, child: ChildProcess, timeoutMs = START_TIMEOUT_MS): Promise<void> {
  const started = performance.now()
  while (!readFileSync(file, 'utf8').includes(text)) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the server exited before logging ${text}`)
    if (performance.now() - started > timeoutMs) throw new Error(`the server did not log ${text} within ${timeoutMs / 1000} s`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

/** The node flags `npm start` runs the server with (package.json: the heap limit), so that a benchmark measures the same. */
export function startFlags(): string[] {
  const start = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start
  return start.split(/\s+/).filter((word) => word.startsWith('--'))
}

/** nianbao as `npm start` runs it, on `file`, with the production defaults (see the top of this file). */
export async function startNianbao(file: string, options: { cpuProf?: string; databaseUrl?: string } = {}): Promise<ServerChild> {
  killChildrenOnExit()
  const entry = await ensureBundle()
  const port = await freePort()
  const args = [...startFlags(), entry]
  if (options.cpuProf) {
    const dir = join(options.cpuProf, `nianbao-${new Date().toISOString().replace(/[:.]/g, '-')}`)
    mkdirSync(dir, { recursive: true })
    args.unshift('--cpu-prof', `--cpu-prof-dir=${dir}`)
    process.stderr.write(`nianbao: CPU profile into ${dir} (tsx bench/profile-summary.ts ${dir})\n`)
  }
  const logFile = join(tmpdir(), `nianbao-bench-${process.pid}-${port}.log`)
  const out = openSync(logFile, 'w')
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...productionEnv(file, port, options.databaseUrl) },
    stdio: ['ignore', out, 'inherit']
  })
  closeSync(out)
  live.add(child)
  const exited = new Promise<void>((done) =>
    child.once('exit', () => {
      live.delete(child)
      done()
    })
  )
  const url = `http://127.0.0.1:${port}`
  try {
    await waitReady(url, child)
  } catch (err) {
    child.kill('SIGKILL')
    rmSync(logFile, { force: true })
    throw err
  }
  // the schemas are compiled in the background once listening: measure after that
  await waitForLine(logFile, '"msg":"schemas compiled"', child)
  const pid = child.pid!
  return {
    name: 'nianbao',
    pid,
    url,
    logLines: () => countLines(logFile),
    rss: async () => readProcRss(pid) ?? 0,
    stop: async (timeoutMs = STOP_TIMEOUT_MS) => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM')
        const killer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
        await exited
        clearTimeout(killer)
      }
      process.stderr.write(`nianbao: ${statSync(logFile, { throwIfNoEntry: false })?.size ?? 0} bytes of log\n`)
      rmSync(logFile, { force: true })
    }
  }
}

/** Samples a child's RSS every `intervalMs` and keeps the largest value. */
export function sampleRss(child: ServerChild, intervalMs = 250) {
  let max = 0
  let pending = false
  const take = async () => {
    if (pending) return
    pending = true
    try {
      max = Math.max(max, await child.rss())
    } catch {
      // the child may be exiting
    } finally {
      pending = false
    }
  }
  void take()
  const timer = setInterval(take, intervalMs)
  timer.unref()
  return {
    get max() {
      return max
    },
    async stop(): Promise<number> {
      clearInterval(timer)
      await take()
      return max
    }
  }
}
export type RssSampler = ReturnType<typeof sampleRss>
