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
//   npm test                                   SQLite, then PostgreSQL if TEST_DATABASE_URL is set
//   npm test -- test/routes/reports.test.ts    only those files (on both engines, by the same rule)
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { DATABASE_PREFIX, createTemplate, dropDatabases } from './postgres.js'

const ROOT = fileURLToPath(new URL('../', import.meta.url))

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

async function main() {
  const args = process.argv.slice(2)
  const named = args.filter((a) => !a.startsWith('-')).map((a) => relative(ROOT, join(ROOT, a)).split(sep).join('/'))
  const options = args.filter((a) => a.startsWith('-'))
  const files = named.length ? named : testFiles()
  const server = process.env.TEST_DATABASE_URL || undefined

  const sqliteEnv = { ...process.env }
  delete sqliteEnv.TEST_DATABASE_URL
  console.log(`# SQLite: ${files.length} test files`)
  const sqlite = await tap(files, sqliteEnv, options)
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
