// Imports published reports from files, as POST /v1/imports does. `npm run import -- --help` says how.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { basename, extname, join } from 'node:path'
import { parseArgs } from 'node:util'
import type { ImportResponse } from '../src/import-service.js'
import type { Format } from '../src/format/registry.js'
import { oneLine, reportErrorsInOneLine, usageError } from './cli.js'

const HELP = `Imports published 政府信息公开工作年度报告 from files into the database (DATABASE_URL when set,
else DATABASE_FILE, default data/nianbao.db), as POST /v1/imports does. Without --commit it is a
dry run that stores nothing.

usage: npm run import -- [options] <files or folders>...

  --commit         store the reports (upsert by agency and year); without it: a dry run
  --strict         with --commit: refuse a report with error findings
  --reason <text>  with --commit: the reason (更正说明) that corrects an accepted report a file
                   changes; without it such a file is refused
  --agency <id>    the agency of every file (otherwise found by the printed name, or created)
  --year <year>    the report year of every file (otherwise read from the report)
  --format <f>     2019 or 2021: the table format of every file (otherwise read from the tables)
  --lang <l>       zh (default) or en: the language of the importer's warnings and refusals
  -h, --help       this text

Files: .txt and .md (UTF-8 text), .htm and .html (saved pages, any declared charset), .pdf (with a
text layer), .docx. A legacy .doc is refused: save it as DOCX or PDF. Folders are read recursively;
their files of other types, and files that hold no report (a README), are skipped with a note.
Two files for the same agency and year are both reported and neither replaces the other.

Each file's warnings are printed under it, then a summary. Exit code: 0 when every report was read,
1 when a file was rejected, failed or clashed with another, 2 for a usage error.`

const FORMATS = ['2019', '2021']
const TYPES: Record<string, string> = {
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/plain; charset=utf-8',
  '.htm': 'text/html',
  '.html': 'text/html',
  '.pdf': 'application/pdf',
  '.docx': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  '.doc': 'application/msword'
}

/** Columns of a terminal a string takes: Chinese characters and full-width forms take two. */
const WIDE =
  /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u
const widthOf = (text: string) => [...text].reduce((n, c) => n + (WIDE.test(c) ? 2 : 1), 0)

/** The text cut to `width` columns (an ellipsis marks the cut), padded to it. */
function fit(text: string, width: number, keepEnd = false): string {
  if (widthOf(text) <= width) return text + ' '.repeat(width - widthOf(text))
  const chars = [...text]
  let out = ''
  for (const c of keepEnd ? chars.reverse() : chars) {
    if (widthOf(out + c) > width - 1) break
    out = keepEnd ? c + out : out + c
  }
  const cut = keepEnd ? `…${out}` : `${out}…`
  return cut + ' '.repeat(width - widthOf(cut))
}

reportErrorsInOneLine('import')
function fail(message: string): never {
  return usageError('import', message)
}

let parsed
try {
  parsed = parseArgs({
    allowPositionals: true,
    options: {
      commit: { type: 'boolean', default: false },
      strict: { type: 'boolean', default: false },
      reason: { type: 'string' },
      agency: { type: 'string' },
      year: { type: 'string' },
      format: { type: 'string' },
      lang: { type: 'string', default: 'zh' },
      help: { type: 'boolean', short: 'h', default: false }
    }
  })
} catch (err) {
  fail(`${oneLine((err as Error).message)} (--help lists the options)`)
}
const { positionals, values } = parsed
if (values.help) {
  console.log(HELP)
  process.exit(0)
}
if (positionals.length === 0) fail('no files or folders given (--help says how)')
if (values.format !== undefined && !FORMATS.includes(values.format)) fail(`--format must be ${FORMATS.join(' or ')}, not ${values.format}`)
if (values.lang !== 'zh' && values.lang !== 'en') fail(`--lang must be zh or en, not ${values.lang}`)
const language = values.lang as 'zh' | 'en'
if (values.reason !== undefined && !values.commit) fail('--reason is taken only with --commit')
if (values.reason !== undefined && !values.reason.trim()) fail('--reason is blank')
const integer = (name: string, text: string | undefined) => {
  if (text === undefined) return undefined
  if (!/^\d+$/.test(text)) fail(`--${name} must be a whole number, not ${text}`)
  return Number(text)
}
const agencyId = integer('agency', values.agency)
const year = integer('year', values.year)

interface Candidate {
  path: string
  /** found in a folder: a file that holds no report is skipped, not rejected */
  fromFolder: boolean
}
const skipped: Array<{ path: string; note: string }> = []

function collect(paths: string[], fromFolder: boolean): Candidate[] {
  const files: Candidate[] = []
  for (const path of paths) {
    let stat
    try {
      stat = statSync(path)
    } catch {
      fail(`no such file or folder: ${path}`)
    }
    if (stat.isDirectory()) {
      for (const entry of readdirSync(path).sort()) {
        if (entry.startsWith('.')) continue
        const full = join(path, entry)
        if (statSync(full).isDirectory()) files.push(...collect([full], true))
        else if (extname(entry).toLowerCase() in TYPES) files.push({ path: full, fromFolder: true })
        else skipped.push({ path: full, note: 'not a file type that holds a report' })
      }
    } else files.push({ path, fromFolder })
  }
  return files
}

const files = collect(positionals, false)

type Status = 'imported' | 'would import' | 'with errors' | 'rejected' | 'failed' | 'clash' | 'skipped'
interface Row {
  file: string
  status: Status
  year: string
  cells: string
  errors: string
  warnings: string
  agency: string
}
const rows: Row[] = []
const seen = new Map<string, string>()

function progress(done: number, label: string) {
  if (!process.stderr.isTTY) return
  const width = 30
  const filled = Math.round((done / Math.max(files.length, 1)) * width)
  process.stderr.write(`\r[${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${done}/${files.length} ${fit(label, 40, true)}`)
}
const clearProgress = () => process.stderr.isTTY && process.stderr.write(`\r${' '.repeat(80)}\r`)

function print(file: string, status: string, lines: string[]) {
  clearProgress()
  console.log(`${file}: ${status}`)
  for (const line of lines) console.log(`  - ${line}`)
}

// the application is loaded only once the arguments are known to be good: --help and usage errors answer at once
const [{ buildApp }, { createImportService }, { SYSTEM_ACTOR }, { CELLS }, { getCell }, { ReadError }, { renderMessage }] =
  await Promise.all([
    import('../src/app.js'),
    import('../src/import-service.js'),
    import('../src/auth/keys.js'),
    import('../src/format/registry.js'),
    import('../src/format/document.js'),
    import('../src/importers/read.js'),
    import('../src/importers/messages.js')
  ])
/** Refusals that mean the file holds no report at all (in a folder: a README, a notice), not a bad one. */
const NOT_A_REPORT = new Set(['rejected.noReport', 'rejected.noTables'])
const database = (await import('../db/engines/index.js')).databaseFromEnv()
const app = await buildApp({
  databaseFile: database.file,
  databaseUrl: database.url,
  databasePoolSize: database.poolSize,
  sampleData: false,
  logger: false
}).catch((err: Error) => fail(`cannot open the database: ${oneLine(err.message)}`))
await app.ready()
const service = createImportService(app)

for (const [i, { path, fromFolder }] of files.entries()) {
  progress(i, path)
  const request = {
    body: readFileSync(path),
    contentType: TYPES[extname(path).toLowerCase()] ?? 'text/plain; charset=utf-8',
    agencyId,
    year,
    format: values.format as Format | undefined,
    strict: values.strict,
    ...(values.reason !== undefined ? { reason: values.reason } : {}),
    language
  }
  const row: Row = { file: path, status: 'rejected', year: '', cells: '', errors: '', warnings: '', agency: '' }
  try {
    // read first: two files of one agency and year must not replace each other, so nothing of a
    // file is stored before it is known to be the only one
    const preview = await service.run({ ...request, commit: false }, null)
    const key = `${agencyId ?? preview.agencyName ?? basename(path)}|${preview.report.year}`
    const other = seen.get(key)
    describe(row, preview)
    if (other) {
      row.status = 'clash'
      print(
        path,
        `not imported: the same agency and year as ${other} (${row.agency} ${row.year}); import one of them alone`,
        preview.warnings.map((w) => renderMessage(w, language))
      )
      rows.push(row)
      continue
    }
    seen.set(key, path)
    const result = values.commit ? await service.run({ ...request, commit: true }, SYSTEM_ACTOR) : preview
    describe(row, result)
    const what = result.committed
      ? `${result.committed.status} report #${result.committed.reportId}${result.committed.agencyCreated ? ` and agency #${result.committed.agencyId}` : ''}`
      : `would import the ${row.year} report of ${row.agency || 'an unnamed agency'}`
    print(
      path,
      `${row.status}: ${what}`,
      result.warnings.map((w) => renderMessage(w, language))
    )
  } catch (err) {
    const e = err as Error & { statusCode?: number; cause?: unknown }
    const refusal = e.cause instanceof ReadError && e.cause.failure.kind === 'rejected' ? e.cause.failure.detail : null
    if (fromFolder && refusal && NOT_A_REPORT.has(refusal.code)) {
      skipped.push({ path, note: 'holds no report' })
      continue
    }
    row.status = e.statusCode && e.statusCode < 500 ? 'rejected' : 'failed'
    print(path, `${row.status}: ${oneLine(e.message)}`, [])
  }
  rows.push(row)
}
progress(files.length, 'done')
clearProgress()
await app.close()

function describe(row: Row, result: ImportResponse) {
  const formatCells = CELLS.filter((c) => c.formats.includes(result.report.format))
  const read = formatCells.filter((c) => getCell(result.report as unknown as Record<string, unknown>, c) !== null).length
  const errors = result.findings.filter((f) => f.severity === 'error').length
  row.status = errors > 0 ? 'with errors' : values.commit ? 'imported' : 'would import'
  row.year = String(result.report.year)
  row.cells = `${read}/${formatCells.length}`
  row.errors = String(errors)
  row.warnings = String(result.warnings.length)
  row.agency = result.agencyName ?? ''
}

for (const s of skipped) console.log(`${s.path}: skipped: ${s.note}`)

// the summary: 100 columns at most, the file name and agency cut to fit
const columns: Array<{ key: keyof Row; title: string; width: number; keepEnd?: boolean }> = [
  { key: 'file', title: 'file', width: 22, keepEnd: true },
  { key: 'status', title: 'status', width: 12 },
  { key: 'year', title: 'year', width: 4 },
  { key: 'cells', title: 'cells', width: 7 },
  { key: 'errors', title: 'errors', width: 6 },
  { key: 'warnings', title: 'warnings', width: 8 },
  { key: 'agency', title: 'agency', width: 100 - (22 + 12 + 4 + 7 + 6 + 8) - 6 * 2 }
]
if (rows.length > 0) {
  console.log('')
  console.log(
    columns
      .map((c) => fit(c.title, c.width))
      .join('  ')
      .trimEnd()
  )
  for (const row of rows)
    console.log(
      columns
        .map((c) => fit(row[c.key], c.width, c.keepEnd))
        .join('  ')
        .trimEnd()
    )
}
const count = (s: Status) => rows.filter((r) => r.status === s).length
const done = values.commit ? `imported ${count('imported')}` : `would import ${count('would import')}`
console.log(
  `\n${done}, with errors ${count('with errors')}, rejected ${count('rejected')}, failed ${count('failed')}, clashes ${count('clash')}, skipped ${skipped.length}`
)
if (!values.commit) console.log('dry run: nothing was stored; --commit stores')
process.exit(count('rejected') + count('failed') + count('clash') > 0 ? 1 : 0)
