// The servers under test, each in its own child process (its own event loop and CPU thread, apart from
// autocannon in this process), with a bounded start, a bounded stop, and an RSS sampler.
import { fork, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { ChildMessage, ParentMessage } from '../servers/child.js'

const START_TIMEOUT_MS = 120_000
const STOP_TIMEOUT_MS = 10_000

export interface ServerChild {
  name: string
  pid: number
  url: string
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
  const exited = new Promise<void>((done) => child.once('exit', () => (live.delete(child), done())))

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
              if (m.type === 'rss') (child.off('message', onRss), answer(m.rss))
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

export const startNianbao = (file: string, options: { cpuProf?: string } = {}) =>
  startChild('nianbao', 'nianbao.ts', { env: { BENCH_DATABASE: file }, ...options })

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
