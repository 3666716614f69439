// `npm run backup` while the service is writing: the backup passes the integrity check and holds every
// report acknowledged before it began; restored as scripts/backup.ts says, the service starts on it and
// serves those reports.
import t from 'tap'
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import Database from 'better-sqlite3'
import { sampleReport } from '../helper.js'
import { PROJECT_ROOT, call, killAll, startServer, createAgencies } from './server.js'
import { childEnv, nodeCommand } from '../child.js'

const SQLITE_ONLY = process.env.TEST_DATABASE_URL ? 'the single-file SQLite backup: PostgreSQL is backed up with its own tools' : false

const AGENCIES = 20
const FIRST_YEAR = 2021
const YEARS = 20
const WRITERS = 3
/** acknowledged writes before the backup starts */
const BEFORE_BACKUP = 40

const run = promisify(execFile)

t.test('a backup taken under write load is consistent, complete, and restores', { skip: SQLITE_ONLY }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'nianbao-backup-'))
  const file = join(dir, 'nianbao.db')
  const backup = join(dir, 'backup.db')
  t.teardown(() => {
    killAll()
    rmSync(dir, { recursive: true, force: true })
  })

  const server = await startServer(file)
  const agencyIds = await createAgencies(server.url, AGENCIES, '备份测试局')
  const slots = agencyIds.flatMap((agencyId) => Array.from({ length: YEARS }, (_, y) => ({ agencyId, year: FIRST_YEAR + y })))
  const key = (s: { agencyId: number; year: number }) => `${s.agencyId}/${s.year}`

  /** each write: when it was sent and when it was acknowledged */
  const writes: Array<{ slot: (typeof slots)[number]; sentAt: number; ackedAt: number | null }> = []
  let next = 0
  let stop = false
  async function writer() {
    while (!stop && next < slots.length) {
      const slot = slots[next++]
      const write = { slot, sentAt: performance.now(), ackedAt: null as number | null }
      writes.push(write)
      const res = await call(
        `${server.url}/v1/agencies/${slot.agencyId}/reports/${slot.year}`,
        'PUT',
        sampleReport(slot.agencyId, { year: slot.year })
      )
      if (res.status === 201) write.ackedAt = performance.now()
      else t.fail(`write ${key(slot)}: ${res.status}`)
    }
  }
  const writing = Promise.all(Array.from({ length: WRITERS }, writer))

  while (writes.filter((w) => w.ackedAt !== null).length < BEFORE_BACKUP) await sleep(5)
  const backupStarted = performance.now()
  const ackedBefore = writes.filter((w) => w.ackedAt !== null).map((w) => w.slot)
  const result = await run(...nodeCommand('scripts/backup.ts', [backup]), {
    cwd: PROJECT_ROOT,
    env: childEnv(process.env, { DATABASE_FILE: file })
  })
  const backupEnded = performance.now()
  const summary = JSON.parse(result.stdout)
  t.equal(summary.integrity, 'ok', 'the backup script checked its copy')
  await sleep(200) // writes go on after the backup
  stop = true
  await writing
  const during = writes.filter((w) => w.sentAt > backupStarted && w.sentAt < backupEnded).length
  t.ok(during > 0, `${during} writes were sent while the backup ran`)
  const after = writes.filter((w) => w.sentAt > backupEnded && w.ackedAt !== null).map((w) => w.slot)
  t.ok(after.length > 0, `${after.length} writes were acknowledged after it`)

  const copy = new Database(backup, { readonly: true })
  t.equal(copy.pragma('integrity_check', { simple: true }), 'ok', 'PRAGMA integrity_check of the backup')
  t.equal(copy.pragma('journal_mode', { simple: true }), 'delete', 'a single self-contained file')
  const has = copy.prepare('SELECT count(*) FROM reports WHERE agency_id = ? AND year = ?').pluck()
  const missing = ackedBefore.filter((s) => has.get(s.agencyId, s.year) !== 1)
  t.same(missing, [], `all ${ackedBefore.length} reports acknowledged before the backup are in it`)
  t.same(
    after.filter((s) => has.get(s.agencyId, s.year) !== 0),
    [],
    'no write sent after it ended is'
  )
  const inBackup = copy.prepare('SELECT count(*) FROM reports').pluck().get() as number
  t.equal(summary.tables.reports, inBackup)
  copy.close()

  // restore: stop the service, copy the backup over the database, drop its -wal and -shm, start again
  t.equal(await server.stop('SIGTERM'), 0, 'the service stops cleanly')
  copyFileSync(backup, file)
  for (const sidecar of [`${file}-wal`, `${file}-shm`]) rmSync(sidecar, { force: true })
  t.notOk(existsSync(`${file}-wal`))
  const restored = await startServer(file)
  for (const s of ackedBefore) {
    const res = await call(`${restored.url}/v1/agencies/${s.agencyId}/reports/${s.year}`, 'GET')
    if (res.status !== 200) t.fail(`report ${key(s)} after the restore: ${res.status}`)
  }
  t.pass(`the restored service serves the ${ackedBefore.length} reports`)
  const lost = after[0]
  t.equal(
    (await call(`${restored.url}/v1/agencies/${lost.agencyId}/reports/${lost.year}`, 'GET')).status,
    404,
    'and not what came after the backup'
  )
  const list = await call(`${restored.url}/v1/reports?limit=500`, 'GET')
  t.equal(list.body.items.length, inBackup, 'it serves exactly what the backup holds')
  t.equal(
    (
      await call(
        `${restored.url}/v1/agencies/${lost.agencyId}/reports/${lost.year}`,
        'PUT',
        sampleReport(lost.agencyId, { year: lost.year })
      )
    ).status,
    201,
    'and takes writes again'
  )
  t.equal(await restored.stop('SIGTERM'), 0)
})

t.test('the backup script refuses what it cannot do', { skip: SQLITE_ONLY }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'nianbao-backup-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const script = (args: string[], env: Record<string, string> = {}) =>
    run(...nodeCommand('scripts/backup.ts', args), { cwd: PROJECT_ROOT, env: childEnv(process.env, env) }).then(
      () => ({ code: 0, stderr: '' }),
      (err: { code: number; stderr: string }) => ({ code: err.code, stderr: err.stderr })
    )
  t.match(await script([]), { code: 2, stderr: /usage: npm run backup/ })
  t.match(await script([join(dir, 'b.db')], { DATABASE_FILE: join(dir, 'none.db') }), { code: 1 }, 'no database to back up')
  t.notOk(existsSync(join(dir, 'none.db')), 'and none was created')
  t.match(
    await script([join(dir, 'b.db')], { DATABASE_URL: 'postgres://127.0.0.1:1/n' }),
    { code: 1, stderr: /DATABASE_URL is set/ },
    'PostgreSQL: its own tools'
  )
  const db = new Database(join(dir, 'a.db'))
  db.exec('CREATE TABLE x (y)')
  db.close()
  t.match(await script([join(dir, 'a.db')], { DATABASE_FILE: join(dir, 'a.db') }), { code: 1, stderr: /another file/ })
  t.match(await script([join(dir, 'b.db'), '--database', join(dir, 'a.db')]), { code: 0 })
  t.match(await script([join(dir, 'b.db'), '--database', join(dir, 'a.db')]), { code: 1, stderr: /exists; pass --force/ })
  t.match(await script([join(dir, 'b.db'), '--database', join(dir, 'a.db'), '--force']), { code: 0 })
})
