// The PDF and DOCX files of the development reports (test/fixtures/documents) checked against the
// hand-read documents. Shared by the tests of each layout, each in its own file so that each runs
// within its time limit on a loaded machine.
import t from 'tap'
import { readFileSync, readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { CELLS } from '../../src/format/registry.js'
import { getCell } from '../../src/format/document.js'
import { importDocx, importPdf } from '../../src/importers/documents.js'

const dir = fileURLToPath(new URL('../fixtures/documents/', import.meta.url))
const reports = fileURLToPath(new URL('../fixtures/reports/', import.meta.url))
const EXPECTED: Record<string, string> = {
  'huzhu-urban-management-2025': 'huzhu-urban-management-2025.expected.json',
  'pingtan-2021': 'pingtan-2021-page.expected.json',
  'huaian-city-government-2024': 'huaian-city-government-2024.expected.json',
  'shanghai-general-office-2025': 'shanghai-general-office-2025.expected.json'
}
export const files = readdirSync(dir).filter((f) => /\.(pdf|docx)$/.test(f) && f !== 'scan.pdf')

/** Whether the hand-read document lists the cell (partial documents list only what was read). */
const listed = (doc: Record<string, unknown>, path: string[]) =>
  path.reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], doc) !== undefined

/** Every document whose name ends with `suffix` imports with every hand-read value. */
export function checkDocuments(suffix: string) {
  for (const file of files.filter((f) => f.endsWith(suffix))) {
    t.test(file, async (t) => {
      const name = file.replace(/\.(portrait|landscape|writer)?\.?(pdf|docx)$/, '')
      const expected = JSON.parse(readFileSync(reports + EXPECTED[name], 'utf8'))
      const bytes = readFileSync(dir + file)
      const result = file.endsWith('.pdf') ? await importPdf(bytes) : await importDocx(bytes)
      const { report } = result
      t.equal(report.year, expected.year, 'year')
      t.equal(report.format, expected.format, 'format')
      t.equal(report.scope, expected.scope, 'scope')
      t.equal(report.publishedAt, expected.publishedAt ?? report.publishedAt, 'publishedAt')
      t.ok(expected.agency.name.startsWith(result.agencyName), `agency ${result.agencyName}`)
      let compared = 0
      for (const cell of CELLS) {
        if (!listed(expected, cell.path)) continue
        compared++
        t.equal(getCell(report, cell), getCell(expected, cell), cell.code)
        if (getCell(report, cell) !== null) t.ok(result.provenance[cell.code], `${cell.code} has provenance`)
      }
      t.ok(compared >= 20, `${compared} hand-read cells compared`)
      // a PDF's text layer may carry the space a printer puts between Chinese and Western text (`2025 年`)
      const text = (s: string | null | undefined) => (s ?? '').replace(/ (?=\p{Script=Han})|(?<=\p{Script=Han}) /gu, '')
      for (const code of ['overview', 'problems', 'otherMatters'] as const) {
        const startsWith = expected.sections?.[`${code}StartsWith`]
        if (startsWith) t.ok(text(report.sections[code]).startsWith(text(startsWith)), `${code} starts with ${startsWith}`)
        if (typeof expected.sections?.[code] === 'string') t.equal(text(report.sections[code]), text(expected.sections[code]), code)
      }
    })
  }
}
