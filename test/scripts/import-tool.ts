// What the tests of `npm run import` share (import.test.ts, import-clashes.test.ts): running the tool as a child
// process, a scratch folder with its own database, and the reports the tool left in it.
import { execFile } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import Database from 'better-sqlite3'
import { childEnv, nodeCommand } from '../child.js'

const exec = promisify(execFile)
export const fixture = (name: string) => new URL(`../fixtures/reports/${name}`, import.meta.url).pathname
export const document = (name: string) => new URL(`../fixtures/documents/${name}`, import.meta.url).pathname

export interface Run {
  code: number
  stdout: string
  stderr: string
}

/** `npm run import -- …args` with this environment: its exit code and output, whether it succeeded or not. */
export const run = (args: string[], env: NodeJS.ProcessEnv): Promise<Run> =>
  exec(...nodeCommand('scripts/import.ts', args), { env: childEnv(env) }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (err: { code: number; stdout: string; stderr: string }) => ({ code: err.code, stdout: err.stdout, stderr: err.stderr })
  )

/** A scratch folder (removed at the test's end) with an empty `reports/` and the database file the tool will make. */
export function workspace(t: { teardown: (fn: () => void) => void }) {
  const dir = mkdtempSync(join(tmpdir(), 'nianbao-import-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const reports = join(dir, 'reports')
  mkdirSync(reports)
  return { dir, reports, env: { ...process.env, DATABASE_FILE: join(dir, 'n.db') } }
}

/** Every stored report's agency name, region and year, by year. */
export const storedReports = (file: string) => {
  const db = new Database(file, { readonly: true })
  const rows = db
    .prepare('SELECT a.name, a.region_code AS regionCode, r.year FROM reports r JOIN agencies a ON a.id = r.agency_id ORDER BY r.year')
    .all()
  db.close()
  return rows
}
