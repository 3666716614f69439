// Command-line flags of the benchmark commands: `--name value`, `--name=value`, or a bare `--flag`.
import { resolve } from 'node:path'

export type Flags = Record<string, string | true>

export function parseFlags(argv: readonly string[] = process.argv.slice(2)): Flags {
  const flags: Flags = {}
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    if (!arg.startsWith('--')) throw new Error(`unexpected argument ${arg}: flags are --name value`)
    const eq = arg.indexOf('=')
    if (eq > 0) flags[arg.slice(2, eq)] = arg.slice(eq + 1)
    else if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) flags[arg.slice(2)] = argv[++i]
    else flags[arg.slice(2)] = true
  }
  return flags
}

export function numberFlag(flags: Flags, name: string, fallback: number): number {
  const raw = flags[name]
  if (raw === undefined) return fallback
  const value = Number(raw)
  if (raw === true || !Number.isFinite(value) || value <= 0) throw new Error(`--${name} needs a positive number`)
  return value
}

export function stringFlag(flags: Flags, name: string, fallback: string): string {
  const raw = flags[name]
  if (raw === undefined) return fallback
  if (raw === true) throw new Error(`--${name} needs a value`)
  return raw
}

export interface LoadOptions {
  /** seconds of load per round */
  duration: number
  connections: number
  /** rounds per server: hello, target, hello, target … */
  rounds: number
  /** seconds of unmeasured load on each server before the first round (JIT, page cache) */
  warmup: number
  /** the SQLite file nianbao serves */
  file: string
  /** write a V8 CPU profile of the nianbao process into this folder */
  cpuProf?: string
  /**
   * serve from this PostgreSQL database instead of the file (DATABASE_URL): it must hold the file's data
   * (`npm run move -- --from <file> --to <url>`), since requests are built from the file's ids and documents
   */
  databaseUrl?: string
}

export const DEFAULT_DATABASE = 'data/bench.db'

export function loadOptions(flags: Flags = parseFlags()): LoadOptions {
  const cpuProf = flags['cpu-prof']
  const databaseUrl = flags['database-url']
  if (databaseUrl === true || (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)))
    throw new Error('--database-url needs a postgres:// URL')
  return {
    duration: numberFlag(flags, 'duration', 10),
    connections: numberFlag(flags, 'connections', 50),
    rounds: Math.max(2, Math.floor(numberFlag(flags, 'rounds', 2))),
    warmup: flags.warmup === '0' ? 0 : numberFlag(flags, 'warmup', 2),
    file: resolve(stringFlag(flags, 'file', DEFAULT_DATABASE)),
    ...(cpuProf ? { cpuProf: resolve(cpuProf === true ? 'bench/results/profiles' : cpuProf) } : {}),
    ...(databaseUrl ? { databaseUrl } : {})
  }
}

/** The flags as the user gave them, for the `command` column (a database URL without its credentials). */
export function commandLine(script: string, flags: Flags = parseFlags()): string {
  const parts = Object.entries(flags).map(([k, v]) =>
    v === true ? `--${k}` : `--${k} ${k === 'database-url' ? v.replace(/\/\/[^@/]*@/, '//') : v}`
  )
  return [`tsx bench/${script}.ts`, ...parts].join(' ')
}
