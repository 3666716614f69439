// tsx bench/startup.ts [--file data/bench.db] [--runs 5] [--entry npm|bundle|src|all] [--cpu-prof]
// Time from spawning the server to the first 200 from /readyz, on the benchmark database, with the
// production settings; the CPU time the process had used by then (a figure that other work on the
// machine disturbs less than the wall clock), and RSS when ready. Target: < 1 s.
// Entries: `npm` is `npm start` on a built tree (npm's own start included), `bundle` is what it runs
// (node dist/nianbao.mjs), `src` the sources through tsx (development).
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { commandLine, loadOptions, numberFlag, parseFlags, stringFlag, type LoadOptions } from './lib/args.js'
import { ensureBundle, freePort, productionEnv, readProcCpuMs, readProcRss, waitReady } from './lib/children.js'
import { emitRow, progress, type Row } from './lib/report.js'
import { isMain, main } from './lib/scenario.js'

const ROOT = fileURLToPath(new URL('../', import.meta.url))
const READY_TIMEOUT_MS = 60_000
const ENTRIES = {
  npm: { label: 'npm start', command: 'npm', args: ['start', '--silent'] },
  bundle: { label: 'node dist/nianbao.mjs', command: process.execPath, args: ['dist/nianbao.mjs'] },
  src: { label: 'node --import tsx src/server.ts', command: process.execPath, args: ['--import', 'tsx', 'src/server.ts'] }
} as const
type Entry = keyof typeof ENTRIES

/** the process groups of the servers still running: stopped whatever ends this process (they are detached) */
const groups = new Set<number>()
let hooked = false
function stopGroupsOnExit() {
  if (hooked) return
  hooked = true
  const killAll = () => {
    for (const pid of groups) {
      try {
        process.kill(-pid, 'SIGKILL')
      } catch {
        // gone already
      }
    }
  }
  process.on('exit', killAll)
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      killAll()
      process.exit(130)
    })
  }
}

/** One start: ms to ready, CPU ms used by then (the node process), RSS at ready. */
async function startOnce(entry: Entry, file: string, cpuProf?: string): Promise<{ ms: number; cpu?: number; rss: number }> {
  const port = await freePort()
  const { command, args } = ENTRIES[entry]
  const execArgs: string[] = [...args]
  if (cpuProf && command === process.execPath) {
    const dir = join(cpuProf, `startup-${entry}-${new Date().toISOString().replace(/[:.]/g, '-')}`)
    mkdirSync(dir, { recursive: true })
    execArgs.unshift('--cpu-prof', `--cpu-prof-dir=${dir}`)
    progress(`startup: CPU profile into ${dir}`)
  }
  const started = performance.now()
  const child = spawn(command, execArgs, {
    cwd: ROOT,
    // the production settings; warnings only (this polls /readyz every 5 ms)
    env: { ...process.env, ...productionEnv(file, port), LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
    // a process group of its own, stopped as a whole: npm runs the server under `sh -c`, and a signal to npm
    // alone reached the shell, not the server (every `npm start` run left its server running)
    detached: true
  })
  stopGroupsOnExit()
  groups.add(child.pid!)
  const stop = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal)
    } catch {
      // the group is gone already
    }
  }
  const exited = new Promise<void>((done) => child.once('exit', () => done()))
  try {
    await waitReady(`http://127.0.0.1:${port}`, child, READY_TIMEOUT_MS)
    const ms = performance.now() - started
    // under npm, the server is npm's child: its CPU time is not npm's
    return { ms, cpu: command === process.execPath ? readProcCpuMs(child.pid!) : undefined, rss: readProcRss(child.pid!) ?? 0 }
  } finally {
    stop('SIGTERM')
    const killer = setTimeout(() => stop('SIGKILL'), 10_000)
    await exited
    clearTimeout(killer)
    groups.delete(child.pid!)
  }
}

export async function startup(options: LoadOptions = loadOptions(), flags = parseFlags()): Promise<Row[]> {
  if (!existsSync(options.file)) throw new Error(`${options.file} does not exist: make it first with npm run bench:data`)
  const runs = Math.floor(numberFlag(flags, 'runs', 5))
  const which = stringFlag(flags, 'entry', 'npm,bundle')
  const entries = (which === 'all' ? Object.keys(ENTRIES) : which.split(',')) as Entry[]
  for (const e of entries) if (!(e in ENTRIES)) throw new Error(`--entry: one of ${Object.keys(ENTRIES).join(', ')}, or all`)
  const command = commandLine('startup', flags)
  await ensureBundle()
  const rows: Row[] = []
  for (const entry of entries) {
    const times: number[] = []
    const cpus: number[] = []
    let rss = 0
    for (let i = 0; i < runs; i++) {
      const r = await startOnce(entry, options.file, options.cpuProf)
      progress(
        `startup (${entry}) run ${i + 1}/${runs}: ready in ${r.ms.toFixed(0)} ms${r.cpu !== undefined ? `, ${r.cpu} ms CPU` : ''}, RSS ${Math.round(r.rss / 2 ** 20)} MB`
      )
      times.push(r.ms)
      if (r.cpu !== undefined) cpus.push(r.cpu)
      if (entry !== 'npm') rss = Math.max(rss, r.rss)
    }
    times.sort((a, b) => a - b)
    cpus.sort((a, b) => a - b)
    const cpu = cpus.length ? `; CPU median ${cpus[Math.floor(cpus.length / 2)]} ms` : ''
    const row: Row = {
      scenario: `start-up to /readyz 200 (${ENTRIES[entry].label}; median and max of ${runs}${cpu})`,
      rps: '—',
      p50: times[Math.floor(times.length / 2)],
      p99: times[times.length - 1],
      ratio: '—',
      ...(rss ? { rss } : {}),
      command
    }
    emitRow(row, { entry, times, cpus, file: options.file })
    rows.push(row)
  }
  return rows
}

if (isMain(import.meta.url)) main(() => startup())
