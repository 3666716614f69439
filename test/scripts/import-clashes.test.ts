// npm run import: clashing and rejected files (apart from import.test.ts, so that each file runs in its time limit)
import t from 'tap'
import { copyFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { document, fixture, run, storedReports, workspace } from './import-tool.js'

t.test('two files of one agency and year: both reported, neither replaces the other', async (t) => {
  const { reports, env } = workspace(t)
  copyFileSync(fixture('huzhu-urban-management-2025.txt'), join(reports, 'a.txt'))
  copyFileSync(document('huzhu-urban-management-2025.portrait.pdf'), join(reports, 'b.pdf'))
  const r = await run(['--commit', reports], env)
  t.equal(r.code, 1)
  t.match(r.stdout, `${join(reports, 'a.txt')}: imported: created report #1 and agency #`)
  t.match(
    r.stdout,
    `${join(reports, 'b.pdf')}: not imported: the same agency and year as ${join(reports, 'a.txt')} (互助县城市管理综合行政执法局 2025); import one of them alone\n`
  )
  t.match(r.stdout, /\nimported 1, with errors 0, rejected 0, failed 0, clashes 1, skipped 0\n$/)
  t.same(storedReports(env.DATABASE_FILE), [{ name: '互助县城市管理综合行政执法局', regionCode: '630223', year: 2025 }])
})

t.test('rejected files: one line each, exit 1; a file named on the command line is never skipped', async (t) => {
  const { reports, env } = workspace(t)
  copyFileSync(fixture('huzhu-urban-management-2025.txt'), join(reports, 'a.txt'))
  writeFileSync(join(reports, 'c.txt'), '某县2018年政府信息公开工作年度报告\n一、总体情况\n2018年，本县……\n')
  copyFileSync(document('legacy.doc'), join(reports, 'd.doc'))
  copyFileSync(document('scan.pdf'), join(reports, 'e.pdf'))
  const notes = join(reports, 'notes.txt')
  writeFileSync(notes, 'nothing to see\n')
  const r = await run(['--lang', 'en', reports, notes], env)
  t.equal(r.code, 1)
  t.match(r.stdout, /c\.txt: rejected: The report cannot be imported: reports for 2018 .*\n/)
  t.match(
    r.stdout,
    /d\.doc: rejected: Legacy Word 97–2003 files \(\.doc\) are not read: open the file in Word, WPS or LibreOffice and save it as DOCX or PDF, then send that\.\n/
  )
  t.match(
    r.stdout,
    /e\.pdf: rejected: The file cannot be read: the PDF has no text layer: it is a scanned image\. Run text recognition \(OCR\).*\n/
  )
  t.match(r.stdout, `${join(reports, 'notes.txt')}: skipped: holds no report\n`)
  t.match(r.stdout, `${notes}: rejected: The report cannot be imported: no 政府信息公开工作年度报告 was found`)
  t.match(r.stdout, /\nwould import 1, with errors 0, rejected 4, failed 0, clashes 0, skipped 1\ndry run: nothing was stored/)
  t.notMatch(r.stdout + r.stderr, /\n\s+at /, 'no stack trace')
})
