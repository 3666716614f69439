// The command-line tools answer --help, and say what is wrong in one line on stderr — never a stack
// trace: exit code 2 for a usage error, 1 when the work itself fails. Backups are owner-only.
import t, { type Test } from 'tap'
import { execFile } from 'node:child_process'
import { chmodSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import Database from 'better-sqlite3'
import { childEnv, nodeCommand } from '../child.js'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))

interface Result {
  code: number
  stdout: string
  stderr: string
}

function run(script: string, args: string[], env: Record<string, string> = {}): Promise<Result> {
  return new Promise((resolve) => {
    execFile(...nodeCommand(`scripts/${script}`, args), { cwd: ROOT, env: childEnv(process.env, env) }, (err, stdout, stderr) =>
      resolve({ code: err ? Number((err as { code?: number }).code) : 0, stdout, stderr })
    )
  })
}

function scratch(t: Test): string {
  const dir = mkdtempSync(join(tmpdir(), 'nianbao-cli-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

function oneLine(t: Test, result: Result, code: number, pattern: RegExp) {
  t.equal(result.code, code, `exit code ${code}`)
  t.equal(result.stderr.trimEnd().split('\n').length, 1, `one line: ${result.stderr}`)
  t.match(result.stderr.trimEnd(), pattern)
  t.notMatch(result.stderr, /\n\s+at /, 'no stack trace')
}

t.test('keys', async (t) => {
  const dir = scratch(t)
  const env = { DATABASE_FILE: join(dir, 'k.db') }

  for (const flag of ['--help', '-h']) {
    const help = await run('keys.ts', [flag], env)
    t.equal(help.code, 0)
    t.match(help.stdout, /^usage: npm run keys -- <command> \[options\]$/m)
    t.match(help.stdout, /create --role <role> --name <name>/)
    t.match(help.stdout, /revoke <id>/)
    t.equal(help.stderr, '')
  }
  t.same(readdirSync(dir), [], '--help opens no database')

  oneLine(t, await run('keys.ts', [], env), 2, /^keys: no command given; usage: npm run keys -- /)
  oneLine(t, await run('keys.ts', ['rotate'], env), 2, /^keys: unknown command rotate; usage: /)
  oneLine(t, await run('keys.ts', ['list', '--bogus'], env), 2, /^keys: unknown option --bogus \(--help lists the options\)$/)
  oneLine(
    t,
    await run('keys.ts', ['create', '--role', 'king', '--name', 'x'], env),
    2,
    /^keys: --role must be one of admin, submitter, reviewer, reader$/
  )
  oneLine(
    t,
    await run('keys.ts', ['create', '--role', 'submitter', '--name', 'x', '--region', '99'], env),
    2,
    /^keys: --region 99 is not a GB\/T 2260 prefix$/
  )
  oneLine(t, await run('keys.ts', ['revoke', 'x'], env), 2, /^keys: revoke needs a key id$/)
  t.same(readdirSync(dir), [], 'a usage error opens no database')

  // the work fails: 1
  oneLine(t, await run('keys.ts', ['revoke', '99'], env), 1, /^keys: Key 99 does not exist\.$/)
  writeFileSync(join(dir, 'text.db'), 'not a database\n')
  oneLine(
    t,
    await run('keys.ts', ['list'], { DATABASE_FILE: join(dir, 'text.db') }),
    1,
    /^keys: DATABASE_FILE=.*text\.db is not a SQLite database/
  )
  oneLine(
    t,
    await run('keys.ts', ['list'], { DATABASE_FILE: join(dir, 'missing', 'k.db') }),
    1,
    /^keys: DATABASE_FILE=.*k\.db: the directory .*missing does not exist/
  )
  t.notOk(readdirSync(dir).includes('missing'), 'no folder made')
})

t.test('backup', async (t) => {
  const dir = scratch(t)
  const database = join(dir, 'nianbao.db')
  const db = new Database(database)
  db.exec("CREATE TABLE api_keys (id INTEGER PRIMARY KEY, hash TEXT); INSERT INTO api_keys (hash) VALUES ('a hash')")
  db.close()
  const env = { DATABASE_FILE: database }

  const help = await run('backup.ts', ['--help'], env)
  t.equal(help.code, 0)
  t.match(help.stdout, /^usage: npm run backup -- <backup-file> \[--database <db-file>\] \[--force\]$/m)
  t.match(help.stdout, /owner-only/)

  oneLine(t, await run('backup.ts', [], env), 2, /^backup: no backup file given; usage: npm run backup -- <backup-file>/)
  oneLine(t, await run('backup.ts', ['--keep', 'b.db'], env), 2, /^backup: unknown option --keep \(--help lists the options\)$/)
  oneLine(t, await run('backup.ts', ['a.db', 'b.db'], env), 2, /^backup: one backup file at a time: b\.db is one too many/)
  oneLine(t, await run('backup.ts', [join(dir, 'x.db'), '--database'], env), 2, /^backup: --database needs a file/)
  oneLine(t, await run('backup.ts', [join(dir, 'nowhere', 'b.db')], env), 1, /^backup: the directory of .*nowhere\/b\.db does not exist$/)
  oneLine(
    t,
    await run('backup.ts', [join(dir, 'b.db')], { DATABASE_FILE: join(dir, 'none.db') }),
    1,
    /^backup: the database .*none\.db does not exist$/
  )

  // written owner-only: it holds the keys' hashes
  const target = join(dir, 'backup.db')
  const done = await run('backup.ts', [target], env)
  t.equal(done.code, 0, done.stderr)
  t.match(JSON.parse(done.stdout), { integrity: 'ok', tables: { api_keys: 1 } })
  t.equal(statSync(target).mode & 0o777, 0o600, 'mode 0600')
  const copy = new Database(target, { readonly: true })
  t.same(copy.prepare('SELECT hash FROM api_keys').pluck().all(), ['a hash'])
  copy.close()

  oneLine(t, await run('backup.ts', [target], env), 1, /^backup: .*backup\.db exists; pass --force to overwrite it$/)
  // over a file anyone could read, --force leaves an owner-only file
  chmodSync(target, 0o644)
  t.equal((await run('backup.ts', [target, '--force'], env)).code, 0)
  t.equal(statSync(target).mode & 0o777, 0o600, 'mode 0600 after --force')
  t.same(
    readdirSync(dir).filter((f) => f.includes('partial')),
    [],
    'no partial file left'
  )
})
