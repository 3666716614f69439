// `npm test` (after the type-check): every test file on SQLite, then — when TEST_DATABASE_URL names a
// PostgreSQL server — again on PostgreSQL, for the test files that open a database.
//
// Which files run on PostgreSQL is decided here and only here (onPostgres): a test file runs on both engines
// when it imports one of the modules that give a test a database — test/helper.ts (buildTestApp), test/postgres.ts,
// test/durability/server.ts, src/app.ts or db/engines — except the browser tests (test/e2e), whose pages read the
// same API the route tests cover on both engines. Pure unit tests (importers, checks, format, render) touch no
// database and run once.
//
// The PostgreSQL pass makes one migrated template database for the whole run; each test app clones it (CREATE
// DATABASE … TEMPLATE, a copy of a few pages, far cheaper than migrating) and drops its clone when it closes.
// Every database of the run is named nianbao_test_<run>_…, and whatever is left of them at the end (a test
// killed half-way) is dropped, on failure too.
//
// Coverage: the whole SQLite pass is measured (tap's own V8 coverage, reported by c8) over src/, db/ and routes/,
// and the run fails when lines or branches fall below COVERAGE_FLOOR; one line at the end says where they are.
// The PostgreSQL pass runs the same tests on the other engine and is not measured (it would add the engine's
// few files at the cost of a second report), nor is a run of named files (a part of the suite covers a part).
//
//   npm test                                   SQLite, then PostgreSQL if TEST_DATABASE_URL is set
//   npm test -- test/routes/reports.test.ts    only those files (on both engines, by the same rule)
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { join, relative, sep } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { DATABASE_PREFIX, createTemplate, dropDatabases } from './postgres.js'

const ROOT = fileURLToPath(new URL('../', import.meta.url))

/** Percentages `npm test` may not fall below (README: Tests and coverage): just under what the suite reaches. */
export const COVERAGE_FLOOR = { lines: 95, branches: 90 }

/** What is measured: src/, db/ and routes/ — never the tests, benchmarks, scripts or the pages' scripts. */
const NOT_COVERED = ['test/**', 'bench/**', 'scripts/**', 'web/**', 'dist/**', '*.ts']

/** tap's options for a measured pass (package.json turns coverage off for every other run of tap). */
const COVERAGE_OPTIONS = [
  '--no-disable-coverage',
  // the floor is checked below, on lines and branches: tap's own check (100% of everything) is off
  '--allow-incomplete-coverage',
  ...['lines', 'branches', 'functions', 'statements'].map((k) => `--${k}=0`),
  '--coverage-report=json-summary',
  ...NOT_COVERED.map((glob) => `--coverage-exclude=${glob}`),
  // tap's --node-arg replaces package.json's: the test processes' loader again (it keeps the sources' lines, which line
  // coverage reads), then the hook that keeps their children unmeasured
  ...['test/loader.mjs', 'test/coverage-hooks.mjs'].map((f) => `--node-arg=--import=${pathToFileURL(join(ROOT, f)).href}`)
]

/** The one-line summary of the measured pass, and whether it holds the floor. */
function checkCoverage(): boolean {
  const file = join(ROOT, '.tap/report/coverage-summary.json')
  if (!existsSync(file)) {
    console.log('# coverage: no report was written')
    return false
  }
  const total = JSON.parse(readFileSync(file, 'utf8')).total as Record<string, { pct: number; covered: number; total: number }>
  const below = (Object.keys(COVERAGE_FLOOR) as Array<keyof typeof COVERAGE_FLOOR>).filter((k) => total[k].pct < COVERAGE_FLOOR[k])
  const part = (k: string) =>
    `${k} ${total[k].pct}%${k in COVERAGE_FLOOR ? ` (floor ${COVERAGE_FLOOR[k as keyof typeof COVERAGE_FLOOR]}%)` : ''}`
  console.log(
    `# coverage of src/, db/, routes/ (SQLite pass): ${['lines', 'branches', 'functions', 'statements'].map(part).join(', ')}${
      below.length ? ` — below the floor: ${below.join(', ')}` : ''
    }`
  )
  return below.length === 0
}
/** Does a test file open a database (and so run on PostgreSQL too)? */
export function onPostgres(file: string, source: string): boolean {
  if (file.startsWith('test/e2e/')) return false
  return /from '(?:\.\.?\/)+(?:helper|postgres|durability\/server)\.js'|from '(?:\.\.\/)+(?:src\/app\.js|db\/engines\/)/.test(source)
}

function testFiles(): string[] {
  return (readdirSync(join(ROOT, 'test'), { recursive: true }) as string[])
    .map((f) => `test/${f.split(sep).join('/')}`)
    .filter((f) => f.endsWith('.test.ts'))
    .sort()
}

function tap(files: string[], env: NodeJS.ProcessEnv, extra: string[]): Promise<number> {
  const child = spawn(process.execPath, [join(ROOT, 'node_modules/tap/dist/esm/run.mjs'), ...extra, ...files], {
    cwd: ROOT,
    env,
    stdio: 'inherit'
  })
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0))))
}

/**
 * Tap builds its test class for the plugins `package.json` names on the first run that finds it built for others (after
 * `npm ci`, always), but that run's test processes still get the loaders of the class it found — the TypeScript
 * plugin's (tsx) and the mock plugin's, which `package.json` turns off. So the class is built here first when the one
 * installed still holds a plugin that is turned off.
 */
async function buildTapTestClass(): Promise<number> {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { tap?: { plugin?: string[] } }
  const off = (pkg.tap?.plugin ?? []).filter((p) => p.startsWith('!')).map((p) => p.slice(1))
  // the class's `signature` export, read from its file: importing @tapjs/test outside tap's own order of loading
  // fails on a circular import
  const classFile = readFileSync(join(ROOT, 'node_modules/@tapjs/test/test-built/dist/esm/index.js'), 'utf8')
  const signature = /export const signature = `([^`]*)`/.exec(classFile)?.[1]
  if (signature === undefined) throw new Error("tap's test class names no plugin signature: has tap changed?")
  const built = new Set(signature.split('\n'))
  if (!off.some((p) => built.has(p))) return 0
  console.log(`# building tap's test class without ${off.filter((p) => built.has(p)).join(', ')}`)
  return tap(['build'], process.env, [])
}

async function main() {
  const args = process.argv.slice(2)
  const named = args.filter((a) => !a.startsWith('-')).map((a) => relative(ROOT, join(ROOT, a)).split(sep).join('/'))
  const options = args.filter((a) => a.startsWith('-'))
  const files = named.length ? named : testFiles()
  const server = process.env.TEST_DATABASE_URL || undefined

  if ((await buildTapTestClass()) !== 0) return 1
  const sqliteEnv = { ...process.env }
  delete sqliteEnv.TEST_DATABASE_URL
  console.log(`# SQLite: ${files.length} test files`)
  const measured = named.length === 0
  if (measured) rmSync(join(ROOT, '.tap/report'), { recursive: true, force: true })
  let sqlite = await tap(files, sqliteEnv, measured ? [...COVERAGE_OPTIONS, ...options] : options)
  if (measured && !checkCoverage()) sqlite ||= 1
  if (!server) return sqlite

  const both = files.filter((f) => onPostgres(f, readFileSync(join(ROOT, f), 'utf8')))
  const run = randomBytes(4).toString('hex')
  const template = `${DATABASE_PREFIX}${run}_template`
  console.log(`# PostgreSQL: ${both.length} test files that open a database`)
  let postgres = 1
  try {
    await createTemplate(server, template)
    postgres = await tap(both, { ...process.env, NIANBAO_TEST_RUN: run, NIANBAO_TEST_TEMPLATE: template }, options)
  } finally {
    await dropDatabases(server, `${DATABASE_PREFIX}${run}_`)
  }
  return sqlite || postgres
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.exitCode = await main()
}
