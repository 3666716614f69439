// The start as a user runs it (src/server.ts, the module the bundle is built from): a configuration
// mistake stops it with exit code 1 and one line on stderr naming the setting — no stack trace — and
// nothing is created or changed; a good start says in one line where everything is; the sample report
// loads on a plain start and never with NODE_ENV=production.
import t, { type Test } from 'tap'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { nodeCommand } from '../child.js'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))

/**
 * src/server.ts as the tests run the project's modules (test/child.ts), through a shell that drops the test
 * runner's NODE_OPTIONS: the runner's hooks write into the project at exit, which a server running as another
 * user may not.
 */
function spawnServer(env: NodeJS.ProcessEnv, options: { cwd?: string; uid?: number; gid?: number } = {}) {
  const [node, args] = nodeCommand('src/server.ts')
  return spawn('/bin/sh', ['-c', 'unset NODE_OPTIONS; exec "$0" "$@"', node, ...args], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    ...options
  })
}

/** The environment of a start: nothing inherited that configures nianbao. */
function baseEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [k, v] of Object.entries(process.env)) {
    if (!/^(PORT|HOST|DATABASE_|LOG_LEVEL|SAMPLE_DATA|BOOTSTRAP_|NODE_ENV|READ_REQUIRES_KEY|MAP_DIR)/.test(k)) env[k] = v
  }
  return { ...env, HOST: '127.0.0.1', PORT: '0', ...extra }
}

interface Exit {
  code: number | null
  stdout: string
  stderr: string
}

/** Starts the server and waits for it to exit (a mistake) — it must, within the test's time. */
async function startFails(env: Record<string, string>, spawnOptions: { uid?: number; gid?: number } = {}): Promise<Exit> {
  const child = spawnServer(baseEnv(env), spawnOptions)
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d) => (stdout += d))
  child.stderr.on('data', (d) => (stderr += d))
  const [code] = await once(child, 'exit')
  return { code, stdout, stderr }
}

/** Starts the server, waits for its start line, and returns it with the port; the caller stops it. */
async function startServes(env: Record<string, string>) {
  const child = spawnServer(baseEnv(env))
  let stderr = ''
  const line = await new Promise<string>((resolve, reject) => {
    child.stderr.on('data', (d) => {
      stderr += d
      const found = stderr.split('\n').find((l) => l.startsWith('nianbao: API '))
      if (found) resolve(found)
    })
    child.on('exit', (code) => reject(new Error(`exited ${code}: ${stderr}`)))
  })
  child.stdout.resume()
  const port = Number(/:(\d+)\/v1/.exec(line)![1])
  return {
    line,
    base: `http://127.0.0.1:${port}`,
    stderr: () => stderr,
    stop: async () => {
      child.kill('SIGTERM')
      if (child.exitCode === null) await once(child, 'exit')
      return child.exitCode
    }
  }
}

/** One line on stderr, no stack trace. */
function assertOneLine(t: Test, exit: Exit, pattern: RegExp) {
  t.equal(exit.code, 1, 'exit code 1')
  const lines = exit.stderr.trimEnd().split('\n')
  t.equal(lines.length, 1, `one line: ${exit.stderr}`)
  t.match(lines[0], pattern)
  t.notMatch(exit.stderr, /\n\s+at /, 'no stack trace')
  t.equal(exit.stdout, '', 'nothing logged: the app was never built')
}

const listing = (dir: string) => readdirSync(dir, { recursive: true }).map(String).sort()

/** A scratch folder in the system's temporary directory, removed after the test. */
function scratch(t: Test, files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'nianbao-start-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text)
  return dir
}

t.test('a DATABASE_FILE in a directory that does not exist: no directory is made', async (t) => {
  const dir = scratch(t)
  const exit = await startFails({ DATABASE_FILE: join(dir, 'missing', 'nianbao.db') })
  assertOneLine(
    t,
    exit,
    /^nianbao: DATABASE_FILE=.*missing\/nianbao\.db: the directory .*missing does not exist; create it first, or choose another path$/
  )
  t.same(listing(dir), [], 'nothing created')
})

t.test('a DATABASE_FILE that is not a database: left as it was', async (t) => {
  const dir = scratch(t, { 'notes.db': '这不是数据库\n' })
  const file = join(dir, 'notes.db')
  const exit = await startFails({ DATABASE_FILE: file })
  assertOneLine(
    t,
    exit,
    /^nianbao: DATABASE_FILE=.*notes\.db is not a SQLite database; point DATABASE_FILE at a nianbao database, or at a new file$/
  )
  t.equal(readFileSync(file, 'utf8'), '这不是数据库\n', 'the file is unchanged')
  t.same(listing(dir), ['notes.db'], 'no -wal, -shm or key file beside it')
})

t.test('a directory the server cannot write', async (t) => {
  const dir = scratch(t)
  chmodSync(dir, 0o555)
  // root writes anywhere: the start then runs as nobody, as an unprivileged deployment does
  const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {}
  const exit = await startFails({ DATABASE_FILE: join(dir, 'nianbao.db'), HOME: tmpdir() }, asUser)
  assertOneLine(t, exit, /^nianbao: DATABASE_FILE=.*nianbao\.db: the directory .* is not writable by this user$/)
  t.same(listing(dir), [])
})

t.test('a port in use: checked before the database, a key or the sample is written', async (t) => {
  const dir = scratch(t)
  const busy: Server = createServer()
  await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve))
  t.teardown(() => busy.close())
  const { port } = busy.address() as { port: number }
  const exit = await startFails({ DATABASE_FILE: join(dir, 'nianbao.db'), PORT: String(port) })
  assertOneLine(
    t,
    exit,
    new RegExp(
      `^nianbao: PORT=${port}: port ${port} on 127\\.0\\.0\\.1 is already in use \\(another nianbao\\?\\); stop it, or set PORT to a free port$`
    )
  )
  t.same(listing(dir), [], 'no database, no key file')
})

t.test('a bad LOG_LEVEL: the message lists the allowed values', async (t) => {
  const dir = scratch(t)
  const exit = await startFails({ DATABASE_FILE: join(dir, 'nianbao.db'), LOG_LEVEL: 'verbose' })
  assertOneLine(
    t,
    exit,
    /^nianbao: invalid configuration: LOG_LEVEL=verbose: must be one of fatal, error, warn, info, debug, trace, silent$/
  )
  t.same(listing(dir), [])
})

t.test('several bad settings: each named, on one line', async (t) => {
  const dir = scratch(t)
  const exit = await startFails({ DATABASE_FILE: join(dir, 'nianbao.db'), PORT: 'abc', SAMPLE_DATA: 'maybe' })
  assertOneLine(
    t,
    exit,
    /^nianbao: invalid configuration: PORT=abc: must be a whole number from 0 to 65535; SAMPLE_DATA=maybe: must be true or false$/
  )
  t.same(listing(dir), [])
})

t.test('a BOOTSTRAP_KEY_FILE in a directory that does not exist: no key is created', async (t) => {
  const dir = scratch(t)
  const exit = await startFails({ DATABASE_FILE: join(dir, 'nianbao.db'), BOOTSTRAP_KEY_FILE: join(dir, 'keys', 'admin') })
  assertOneLine(t, exit, /^nianbao: BOOTSTRAP_KEY_FILE=.*keys\/admin: the directory .*keys does not exist/)
  t.same(listing(dir), [])
})

t.test('SAMPLE_DATA=true with NODE_ENV=production is refused', async (t) => {
  const dir = scratch(t)
  const exit = await startFails({ DATABASE_FILE: join(dir, 'nianbao.db'), NODE_ENV: 'production', SAMPLE_DATA: 'true' })
  assertOneLine(t, exit, /^nianbao: SAMPLE_DATA=true is refused with NODE_ENV=production/)
  t.same(listing(dir), [])
})

t.test('a plain start: one line says where everything is; the sample report is loaded', async (t) => {
  const dir = scratch(t)
  const server = await startServes({ DATABASE_FILE: join(dir, 'nianbao.db') })
  t.teardown(() => server.stop())
  const keyFile = join(dir, 'bootstrap-admin-key')
  t.equal(
    server.line,
    `nianbao: API ${server.base}/v1 · docs ${server.base}/docs · database ${join(dir, 'nianbao.db')} · admin key written to ${keyFile} (read it, keep it safe, delete the file)`
  )
  t.equal(
    server
      .stderr()
      .split('\n')
      .filter((l) => l.startsWith('nianbao:')).length,
    1,
    'one line'
  )
  t.equal(statSync(keyFile).mode & 0o777, 0o600, 'the key file is owner-only')
  const key = readFileSync(keyFile, 'utf8').trim()
  t.match(key, /^nbk_/)
  t.equal((await fetch(`${server.base}/docs/`)).status, 200, '/docs is where the line says')
  const sample = await fetch(`${server.base}/v1/agencies/1/reports/2025`)
  t.equal(sample.status, 200, 'the sample report')
  t.equal(((await sample.json()) as { year: number }).year, 2025)
  const keys = await fetch(`${server.base}/v1/keys`, { headers: { authorization: `Bearer ${key}` } })
  t.equal(keys.status, 200, 'the key in the file is the admin key')
  t.equal(await server.stop(), 0)

  // the second start finds the keys; the file is still there until the user deletes it
  const again = await startServes({ DATABASE_FILE: join(dir, 'nianbao.db') })
  t.teardown(() => again.stop())
  t.match(again.line, / · admin key still in .*bootstrap-admin-key \(delete the file once the key is kept safe\)$/)
  t.equal(readFileSync(keyFile, 'utf8').trim(), key, 'the key file is not rewritten')
  t.equal(await again.stop(), 0)
})

t.test('NODE_ENV=production: no sample report', async (t) => {
  const dir = scratch(t)
  const server = await startServes({
    DATABASE_FILE: join(dir, 'nianbao.db'),
    NODE_ENV: 'production',
    BOOTSTRAP_ADMIN_KEY: 'production-admin-key-0001'
  })
  t.teardown(() => server.stop())
  t.equal(
    server.line,
    `nianbao: API ${server.base}/v1 · docs ${server.base}/docs · database ${join(dir, 'nianbao.db')}`,
    'no key file to mention'
  )
  t.same(await (await fetch(`${server.base}/v1/agencies`)).json(), { items: [], next: null }, 'an empty database stays empty')
  t.same(
    listing(dir).filter((f) => !f.startsWith('nianbao.db')),
    [],
    'no key file: the key came from BOOTSTRAP_ADMIN_KEY'
  )
  t.equal(await server.stop(), 0)
})

t.test('the Docker image sets NODE_ENV=production, so it never loads the sample', async (t) => {
  const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8')
  const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '))
  t.match(runtime, /ENV NODE_ENV=production/)
  t.notMatch(runtime, /SAMPLE_DATA=true/)
})

t.test('the default data/ folder is the one folder created', async (t) => {
  // run in a scratch working directory so the default DATABASE_FILE (data/nianbao.db) lands there
  const cwd = scratch(t)
  const child = spawnServer(baseEnv({}), { cwd })
  let stderr = ''
  child.stdout.resume()
  const line = await new Promise<string>((resolve, reject) => {
    child.stderr.on('data', (d) => {
      stderr += d
      const found = stderr.split('\n').find((l) => l.startsWith('nianbao: API '))
      if (found) resolve(found)
    })
    child.on('exit', (code) => reject(new Error(`exited ${code}: ${stderr}`)))
  })
  t.teardown(() => void child.kill('SIGKILL'))
  t.match(line, / · database data\/nianbao\.db · admin key written to data\/bootstrap-admin-key /, 'paths as the user would type them')
  t.ok(statSync(join(cwd, 'data', 'nianbao.db')).isFile())
  child.kill('SIGTERM')
  await once(child, 'exit')
})
