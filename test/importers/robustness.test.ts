// A damaged text (a line lost or doubled, page furniture in the middle of a table) may cost cells,
// but never gives a wrong one: every cell read is the printed value or null.
import t from 'tap'
import fc from 'fast-check'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { cellsOf, type Format } from '../../src/format/registry.js'
import { getCell, type ReportInput } from '../../src/format/document.js'
import { decodeHtml, ImportRejectedError, importHtml, importText } from '../../src/importers/index.js'
import { HOSTILE } from '../fixtures/hostile.js'
import { cellPerLineLayout, flatLayout, pdfLayout, sampleReport, tabLayout } from './layouts.js'

type Edit = { at: number; kind: 'drop' | 'double' | 'marker' | 'header' }

const edits = fc.array(fc.record({ at: fc.nat(), kind: fc.constantFrom<Edit['kind']>('drop', 'double', 'marker', 'header') }), {
  minLength: 1,
  maxLength: 3
})

function damage(text: string, list: Edit[]): string {
  const lines = text.split('\n')
  for (const { at, kind } of list) {
    const i = at % lines.length
    if (kind === 'drop') lines.splice(i, 1)
    if (kind === 'double') lines.splice(i, 0, lines[i])
    if (kind === 'marker') lines.splice(i, 0, '— 7 —')
    if (kind === 'header') lines.splice(i, 0, '某某市自然资源和规划局2024年政府信息公开工作年度报告')
  }
  return lines.join('\n')
}

/** Cells read with a value other than the one printed. */
function wrongCells(text: string, truth: ReportInput): string[] {
  let read: Record<string, unknown>
  try {
    read = importText(text).report as unknown as Record<string, unknown>
  } catch {
    return [] // a rejection invents nothing
  }
  const printed = truth as unknown as Record<string, unknown>
  return cellsOf(truth.format)
    .filter((c) => getCell(read, c) !== null && getCell(read, c) !== getCell(printed, c))
    .map((c) => c.code)
}

const layouts = { tabLayout, pdfLayout, cellPerLineLayout, flatLayout }

for (const [name, layout] of Object.entries(layouts)) {
  t.test(`${name}: damage loses cells, never misreads them`, async (t) => {
    fc.assert(
      fc.property(fc.constantFrom<Format>('2019', '2021'), edits, (format, list) => {
        const doc = sampleReport(format)
        t.same(wrongCells(damage(layout(doc), list), doc), [])
      }),
      { numRuns: 60 }
    )
  })
}

t.test('a published report, damaged', async (t) => {
  const dir = fileURLToPath(new URL('../fixtures/reports/', import.meta.url))
  const source = readFileSync(`${dir}huaian-city-government-2024.txt`, 'utf8')
  const truth = importText(source).report as unknown as ReportInput
  fc.assert(
    fc.property(edits, (list) => {
      t.same(wrongCells(damage(source, list), truth), [])
    }),
    { numRuns: 60 }
  )
})

// Hostile shapes (test/fixtures/hostile.ts) end in a result or a rejection, never in a crash; the
// time they take is measured by bench/import-hostile.ts, not here.
t.test('hostile shapes end in a result or a rejection', async (t) => {
  for (const [name, make] of Object.entries(HOSTILE)) {
    const { contentType, body } = make(64 * 1024)
    const outcome = (() => {
      try {
        const result = contentType.startsWith('text/html') ? importHtml(decodeHtml(body, contentType)) : importText(body.toString('utf8'))
        return `read, ${result.warnings.length > 0 ? 'with' : 'without'} warnings`
      } catch (err) {
        return err instanceof ImportRejectedError ? 'rejected' : `crashed: ${err}`
      }
    })()
    t.notMatch(outcome, /^crashed/, `${name}: ${outcome}`)
  }
})

t.test('a report inside thousands of nested elements reads as the same report', async (t) => {
  const dir = fileURLToPath(new URL('../fixtures/reports/', import.meta.url))
  const page = readFileSync(`${dir}pingtan-2021-page.html`, 'utf8')
  const expected = importHtml(page).report
  const body = /<body[^>]*>([\s\S]*)<\/body>/i.exec(page)![1]
  const divs = (n: number) => page.replace(body, `${'<div>'.repeat(n)}${body}${'</div>'.repeat(n)}`)
  t.same(importHtml(divs(4000)).report, expected, '4 000 nested <div>')
  const tables = page.replace(body, `${'<table><tr><td>'.repeat(1000)}${body}${'</td></tr></table>'.repeat(1000)}`)
  t.same(importHtml(tables).report, expected, 'inside 1 000 nested layout tables')
})
