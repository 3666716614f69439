import t from 'tap'
import { execFile } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import Database from 'better-sqlite3'

const run = promisify(execFile)
const tsx = new URL('../../node_modules/.bin/tsx', import.meta.url).pathname
const script = new URL('../../scripts/import.ts', import.meta.url).pathname
const fixture = (name: string) => new URL(`../fixtures/reports/${name}`, import.meta.url).pathname

t.test('npm run import: a folder of reports, a summary, and a non-zero exit when one is rejected', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'nianbao-import-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const reports = join(dir, 'reports')
  mkdirSync(reports)
  copyFileSync(fixture('huzhu-urban-management-2025.txt'), join(reports, 'a.txt'))
  copyFileSync(fixture('pingtan-2021-page.html'), join(reports, 'b.html'))
  const env = { ...process.env, DATABASE_FILE: join(dir, 'n.db') }

  const ok = await run(tsx, [script, '--commit', reports], { env })
  t.match(ok.stdout, /imported 2, with errors 0, rejected 0, failed 0/)
  const db = new Database(env.DATABASE_FILE, { readonly: true })
  const stored = db.prepare('SELECT a.name, a.region_code AS regionCode, r.year FROM reports r JOIN agencies a ON a.id = r.agency_id ORDER BY r.year').all()
  db.close()
  t.same(stored, [
    { name: '平潭综合实验区', regionCode: '350128', year: 2021 },
    { name: '互助县城市管理综合行政执法局', regionCode: '630223', year: 2025 }
  ])

  writeFileSync(join(reports, 'c.txt'), '某县2018年政府信息公开工作年度报告\n一、总体情况\n2018年，本县……\n')
  const failed = await run(tsx, [script, reports], { env }).then(
    () => undefined,
    (err: { code: number; stdout: string }) => err
  )
  t.equal(failed?.code, 1, 'exits 1 when a file is rejected')
  t.match(failed?.stdout, /imported 2, with errors 0, rejected 1, failed 0 \(dry run/)
  t.match(failed?.stdout, /c\.txt.*rejected.*2018/)
})
