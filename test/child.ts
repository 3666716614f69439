// How the tests start the project's command-line tools and server as child processes, at the least cost a start
// can have (README: Coverage and test time). A child runs the project's modules compiled to plain JavaScript —
// module for module, by esbuild, the compiler tsx itself uses — from a folder `.test-build-<hash>/` beside src/ (one
// level down, as dist/ is, so the migrations, the seed and the pages are found from it as from a build), with no
// module loader: under tsx every module a process imports (some 1 800 for the app) goes through the loader's
// hooks, which Node 20 runs on a thread of their own, and that cost a tool or a server more than its own work.
// Measured with `/usr/bin/time`: `keys create` 1.4 s of CPU under `node --import tsx`, 0.45 s compiled; `keys --help`
// 0.30 s → 0.07 s. The folder is made by the first test that needs it (about a second) and again whenever a
// source changes; its name is a hash of the sources' names, sizes and times, so a test never runs an old copy.
//
// Tap's process-info hook, which tap puts in NODE_OPTIONS for every process a test starts (it records each module
// the process loads and writes it under .tap/ at exit), is taken out of the child's environment. The children are
// not measured for coverage (test/coverage-hooks.mjs), so the report is the same.
//
// `npm run …` itself (npm, the tsx command, the TypeScript sources) is what test/readme-commands.test.ts runs.
import { createHash } from 'node:crypto'
import { existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { buildSync } from 'esbuild'

export const ROOT = fileURLToPath(new URL('../', import.meta.url))

/** The folders compiled: everything a tool or the server imports. */
const SOURCES = ['src', 'db', 'routes', 'scripts']
const PREFIX = '.test-build-'
/** Older builds (of sources since changed) are removed after this long: a test run may still be using them. */
const KEEP_OLD_MS = 30 * 60_000

function sources(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) sources(path, out)
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) out.push(path)
  }
  return out
}

let current: string | undefined

/** The compiled tree's folder, made now if the sources changed since it was. */
export function compiledTree(): string {
  if (current) return current
  const files = SOURCES.flatMap((dir) => sources(join(ROOT, dir))).sort()
  const hash = createHash('sha256')
  for (const file of [...files, join(ROOT, 'tsconfig.json')]) {
    const { size, mtimeMs } = statSync(file)
    hash.update(`${relative(ROOT, file)}\0${size}\0${mtimeMs}\n`)
  }
  const dir = join(ROOT, `${PREFIX}${hash.digest('hex').slice(0, 16)}`)
  if (!existsSync(dir)) {
    // built aside and renamed into place: a test in another process may be building the same tree
    const scratch = `${dir}.partial-${process.pid}`
    rmSync(scratch, { recursive: true, force: true })
    buildSync({
      absWorkingDir: ROOT,
      entryPoints: files,
      outbase: ROOT,
      outdir: scratch,
      bundle: false,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      tsconfig: join(ROOT, 'tsconfig.json'),
      logLevel: 'error'
    })
    try {
      renameSync(scratch, dir)
    } catch (err) {
      rmSync(scratch, { recursive: true, force: true })
      if (!existsSync(dir)) throw err
    }
    for (const old of readdirSync(ROOT)) {
      const path = join(ROOT, old)
      if (old.startsWith(PREFIX) && path !== dir && Date.now() - statSync(path).mtimeMs > KEEP_OLD_MS)
        rmSync(path, { recursive: true, force: true })
    }
  }
  current = dir
  return dir
}

/** The command and arguments that run a TypeScript file of the project (its path from the project root), compiled. */
export function nodeCommand(file: string, args: readonly string[] = []): [string, string[]] {
  if (!file.endsWith('.ts')) throw new Error(`not a TypeScript file of the project: ${file}`)
  return [process.execPath, [join(compiledTree(), `${file.slice(0, -3)}.js`), ...args]]
}

/** The environment for a child: the given one (the test's own by default) with tap's hook taken out of NODE_OPTIONS. */
export function childEnv(env: NodeJS.ProcessEnv = process.env, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...env, ...extra }
  const options = (out.NODE_OPTIONS ?? '')
    .split(/\s+/)
    .filter((o) => o !== '' && !o.includes('@tapjs/processinfo'))
    .join(' ')
  if (options) out.NODE_OPTIONS = options
  else delete out.NODE_OPTIONS
  return out
}
