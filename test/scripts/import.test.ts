import t from 'tap'
import { copyFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { document, fixture, run, storedReports, workspace } from './import-tool.js'

t.test('--help says how, and usage errors are one line with exit 2', async (t) => {
  const { env } = workspace(t)
  const help = await run(['--help'], env)
  t.equal(help.code, 0)
  t.match(help.stdout, /^usage: npm run import -- \[options\] <files or folders>\.\.\.$/m)
  t.match(help.stdout, /--commit/)
  t.match(help.stdout, /\.pdf \(with a\ntext layer\), \.docx/)
  t.ok(
    help.stdout.split('\n').every((l) => l.length <= 100),
    'fits 100 columns'
  )

  const usage = [
    [[], 'import: no files or folders given (--help says how)'],
    [['--format', '2020', 'x'], 'import: --format must be 2019 or 2021, not 2020'],
    [['--year', 'soon', 'x'], 'import: --year must be a whole number, not soon'],
    [['--lang', 'fr', 'x'], 'import: --lang must be zh or en, not fr'],
    [['--reason', '更正', 'x'], 'import: --reason is taken only with --commit'],
    [['--commit', '--reason', ' ', 'x'], 'import: --reason is blank'],
    [['no/such/file.txt'], 'import: no such file or folder: no/such/file.txt']
  ] as const
  const results = await Promise.all(usage.map(([args]) => run([...args], env)))
  usage.forEach(([args, message], i) => {
    t.equal(results[i].code, 2, args.join(' '))
    t.equal(results[i].stderr, `${message}\n`, 'one line, no stack trace')
    t.equal(results[i].stdout, '')
  })
  const unknown = await run(['--nope', 'x'], env)
  t.equal(unknown.code, 2)
  t.match(unknown.stderr, /^import: Unknown option '--nope'\..*\(--help lists the options\)\n$/)
})

t.test('a folder of reports: warnings under each file, notes for what is skipped, a summary of 100 columns', async (t) => {
  const { dir, reports, env } = workspace(t)
  copyFileSync(fixture('huzhu-urban-management-2025.txt'), join(reports, 'a.txt'))
  copyFileSync(fixture('pingtan-2021-page.html'), join(reports, 'b.html'))
  copyFileSync(document('huaian-city-government-2024.landscape.pdf'), join(reports, 'c.pdf'))
  copyFileSync(document('shanghai-general-office-2025.docx'), join(reports, 'd.docx'))
  writeFileSync(join(reports, 'README.md'), '# Reports\n\nThe reports of 2025, as published.\n')
  writeFileSync(join(reports, 'list.csv'), 'name\n')

  const dry = await run([reports], env)
  t.equal(dry.code, 0, dry.stderr)
  t.equal(dry.stderr, '')
  const lines = dry.stdout.split('\n')
  const summary = lines.slice(lines.indexOf('') + 1)
  t.ok(summary.length >= 6)
  t.ok(
    summary.every((l) => [...l].reduce((n, c) => n + (/[\u3000-\u9fff\uff00-\uffef]/.test(c) ? 2 : 1), 0) <= 100),
    'the summary fits 100 columns'
  )
  t.match(dry.stdout, `${join(reports, 'a.txt')}: would import: would import the 2025 report of 互助县城市管理综合行政执法局\n`)
  t.match(dry.stdout, `${join(reports, 'c.pdf')}: would import: would import the 2024 report of 淮安市人民政府\n  - `)
  // each warning of the file, under it
  const huaian = lines.indexOf(`${join(reports, 'c.pdf')}: would import: would import the 2024 report of 淮安市人民政府`)
  t.equal(
    lines[huaian + 1],
    '  - 报告范围推定为本级政府年度报告（aggregate）：报告以淮安市人民政府的名义发布，是政府而非部门',
    'in Chinese by default'
  )
  t.match(dry.stdout, `${join(reports, 'README.md')}: skipped: holds no report\n`)
  t.match(dry.stdout, `${join(reports, 'list.csv')}: skipped: not a file type that holds a report\n`)
  t.match(dry.stdout, /^file {20}status {8}year {2}cells {4}errors {2}warnings {2}agency$/m)
  t.match(dry.stdout, /reports\/c\.pdf {2}would import {2}2024 {2}200\/200 {2}0 {7}1 {9}淮安市人民政府$/m)
  t.match(dry.stdout, /reports\/a\.txt {2}would import {2}2025 {2}200\/200 {2}0 {7}0 {9}互助县城市管理综合行政执法局$/m)
  t.match(
    dry.stdout,
    /\nwould import 4, with errors 0, rejected 0, failed 0, clashes 0, skipped 2\ndry run: nothing was stored; --commit stores\n$/
  )
  t.same(storedReports(env.DATABASE_FILE), [], 'a dry run stores nothing')

  const commit = await run(['--commit', reports], env)
  t.equal(commit.code, 0, commit.stderr)
  t.match(commit.stdout, `${join(reports, 'a.txt')}: imported: created report #`)
  t.match(commit.stdout, /\nimported 4, with errors 0, rejected 0, failed 0, clashes 0, skipped 2\n$/)
  t.same(storedReports(env.DATABASE_FILE), [
    { name: '平潭综合实验区', regionCode: '350128', year: 2021 },
    { name: '淮安市人民政府', regionCode: '320800', year: 2024 },
    { name: '互助县城市管理综合行政执法局', regionCode: '630223', year: 2025 },
    { name: '上海市人民政府办公厅', regionCode: '310000', year: 2025 }
  ])
  t.ok(dir)
})
