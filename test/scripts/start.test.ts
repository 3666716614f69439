// npm start as a deployment runs it: builds what is stale, then serves from the bundle (dist/nianbao.mjs),
// where every module the sources use must still be found — the pages' assets, the migrations, Swagger
// UI's files, and the PDF reader loaded from its own chunk on the first PDF.
import t from 'tap'
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { childEnv } from '../child.js'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

async function start(dir: string): Promise<{ child: ChildProcess; url: string; stdout: () => string; stderr: () => string }> {
  const port = await freePort()
  let out = ''
  let err = ''
  const child = spawn(process.execPath, ['scripts/start.mjs'], {
    cwd: ROOT,
    env: childEnv(process.env, {
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_FILE: join(dir, 'nianbao.db'),
      LOG_LEVEL: 'info',
      BOOTSTRAP_ADMIN_KEY: 'start-test-admin-key-0001',
      // the PDF import below must not hit the production budget (10 s) on a machine busy with other tests:
      // what is tested here is that the bundle's reader loads, not how fast it reads
      IMPORT_TIME_LIMIT_MS: '120000'
    }),
    stdio: ['ignore', 'pipe', 'pipe']
  })
  child.stdout!.on('data', (d) => (out += d))
  child.stderr!.on('data', (d) => (err += d))
  const url = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 280_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`exited ${child.exitCode}: ${err}`)
    if (Date.now() > deadline) throw new Error(`not ready: ${err}`)
    const ok = await fetch(`${url}/readyz`).then(
      (r) => r.ok,
      () => false
    )
    if (ok) break
    await new Promise((r) => setTimeout(r, 100))
  }
  return { child, url, stdout: () => out, stderr: () => err }
}

async function stop(child: ChildProcess) {
  child.kill('SIGTERM')
  const [code] = await once(child, 'exit')
  return code
}

t.test('npm start: builds once, then serves everything from the bundle', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'nianbao-start-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const first = await start(dir)
  t.teardown(() => void first.child.kill('SIGKILL'))

  // identity: a compressed answer's tag names its encoding too ("1+gzip")
  const report = await fetch(`${first.url}/v1/agencies/1/reports/2025`, {
    headers: { 'x-request-id': 'start-test-1', 'accept-encoding': 'identity' }
  })
  t.equal(report.status, 200, 'the sample report, from the migrated database')
  t.equal(report.headers.get('x-request-id'), 'start-test-1')
  t.match(report.headers.get('etag'), /^"1(\+(br|gzip))?"$/, 'revision 1 (fetch asks for compression: the tag names the encoding)')
  t.equal((await fetch(`${first.url}/docs/`)).status, 200, 'Swagger UI')
  t.equal((await fetch(`${first.url}/`)).status, 200, 'the pages')

  const pdf = readFileSync(join(ROOT, 'test/fixtures/documents/huzhu-urban-management-2025.portrait.pdf'))
  const imported = await fetch(`${first.url}/v1/imports?year=2025`, {
    method: 'POST',
    headers: { 'content-type': 'application/pdf' },
    body: pdf
  })
  t.equal(imported.status, 200, 'a PDF is read: the reader’s chunk loads')
  t.equal(((await imported.json()) as { report: { year: number } }).report.year, 2025)

  await new Promise((r) => setTimeout(r, 300))
  const lines = first
    .stdout()
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>)
  const access = lines.filter((l) => l.reqId === 'start-test-1')
  t.equal(access.length, 1, 'one line for the request')
  t.match(access[0], { msg: 'request', method: 'GET', route: '/v1/agencies/:agencyId/reports/:year', status: 200 })
  t.equal(await stop(first.child), 0, 'SIGTERM: a clean exit')

  const second = await start(dir)
  t.teardown(() => void second.child.kill('SIGKILL'))
  t.notMatch(second.stderr(), /building/, 'nothing rebuilt on the second start')
  t.equal(await stop(second.child), 0)
})
