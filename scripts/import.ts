// Imports published reports from files, as POST /v1/imports does:
//   npm run import -- [--commit] [--strict] [--agency <id>] [--year <y>] [--format 2019|2021] <files or folders>...
// Folders are read for .txt, .md, .htm and .html files. Without --commit it is a dry run that stores
// nothing. Prints a progress bar, then a summary table; exits 1 when any file was rejected or failed.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { extname, join } from 'node:path'
import { parseArgs } from 'node:util'
import { buildApp } from '../src/app.js'
import { createImportService } from '../src/import-service.js'
import { SYSTEM_ACTOR } from '../src/auth/keys.js'
import { CELLS } from '../src/format/registry.js'
import { getCell } from '../src/format/document.js'
import type { Format } from '../src/format/registry.js'

const EXTENSIONS = new Set(['.txt', '.md', '.htm', '.html'])

function collect(paths: string[]): string[] {
  const files: string[] = []
  for (const path of paths) {
    if (statSync(path).isDirectory()) {
      for (const entry of readdirSync(path).sort()) {
        const full = join(path, entry)
        if (statSync(full).isDirectory() || EXTENSIONS.has(extname(entry).toLowerCase())) files.push(...collect([full]))
      }
    } else files.push(path)
  }
  return files
}

function progress(done: number, total: number, label: string) {
  if (!process.stderr.isTTY) return
  const width = 30
  const filled = Math.round((done / Math.max(total, 1)) * width)
  process.stderr.write(`\r[${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${done}/${total} ${label.slice(-40).padEnd(40)}`)
}

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    commit: { type: 'boolean', default: false },
    strict: { type: 'boolean', default: false },
    agency: { type: 'string' },
    year: { type: 'string' },
    format: { type: 'string' }
  }
})
if (positionals.length === 0) {
  console.error('usage: npm run import -- [--commit] [--strict] [--agency <id>] [--year <y>] [--format 2019|2021] <files or folders>...')
  process.exit(2)
}
if (values.format && values.format !== '2019' && values.format !== '2021') {
  console.error('import: --format must be 2019 or 2021')
  process.exit(2)
}

const files = collect(positionals)
const app = await buildApp({ databaseFile: process.env.DATABASE_FILE ?? 'data/nianbao.db', sampleData: false, logger: false })
await app.ready()
const service = createImportService(app)

interface Row {
  file: string
  status: 'imported' | 'with errors' | 'rejected' | 'failed'
  report: string
  cells: string
  errors: number
  warnings: number
  note: string
}
const rows: Row[] = []
for (const [i, file] of files.entries()) {
  progress(i, files.length, file)
  const html = /\.html?$/i.test(file)
  try {
    const result = await service.run(
      {
        body: readFileSync(file),
        contentType: html ? 'text/html' : 'text/plain; charset=utf-8',
        agencyId: values.agency ? Number(values.agency) : undefined,
        year: values.year ? Number(values.year) : undefined,
        format: values.format as Format | undefined,
        commit: values.commit,
        strict: values.strict
      },
      values.commit ? SYSTEM_ACTOR : null
    )
    const formatCells = CELLS.filter((c) => c.formats.includes(result.report.format))
    const read = formatCells.filter((c) => getCell(result.report as unknown as Record<string, unknown>, c) !== null).length
    const errors = result.findings.filter((f) => f.severity === 'error').length
    rows.push({
      file,
      status: errors > 0 ? 'with errors' : 'imported',
      report: result.committed ? `#${result.committed.reportId} ${result.committed.status}` : `${result.report.year} (dry run)`,
      cells: `${read}/${formatCells.length}`,
      errors,
      warnings: result.warnings.length,
      note: result.agencyName ?? ''
    })
  } catch (err) {
    const e = err as Error & { statusCode?: number }
    rows.push({ file, status: e.statusCode && e.statusCode < 500 ? 'rejected' : 'failed', report: '', cells: '', errors: 0, warnings: 0, note: e.message })
  }
}
progress(files.length, files.length, 'done')
if (process.stderr.isTTY) process.stderr.write('\n')
await app.close()

console.table(rows)
const count = (s: Row['status']) => rows.filter((r) => r.status === s).length
console.log(`imported ${count('imported')}, with errors ${count('with errors')}, rejected ${count('rejected')}, failed ${count('failed')}${values.commit ? '' : ' (dry run: nothing stored; --commit stores)'}`)
process.exit(count('rejected') + count('failed') > 0 ? 1 : 0)
