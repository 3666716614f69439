// Export → import is the identity: for nianbao's own HTML and Markdown, and for the text layouts
// of published reports, on the fixtures and on any valid document.
import t from 'tap'
import fc from 'fast-check'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { cellsOf, type CellDef, type Format } from '../../src/format/registry.js'
import { emptyReport, getCell, setCell, type ReportInput } from '../../src/format/document.js'
import { renderHtml, renderMarkdown } from '../../src/render/index.js'
import { importHtml, importText, type ImportResult } from '../../src/importers/index.js'
import { pdfLayout, tabLayout } from './layouts.js'

const AGENCY = '某某市交通运输局'
const dir = fileURLToPath(new URL('../fixtures/reports/', import.meta.url))

/** What an import must give back: every cell of the format, the year, format and sections. */
const essence = (doc: Omit<ReportInput, 'agencyId'>) => ({
  year: doc.year,
  format: doc.format,
  publishedAt: doc.publishedAt,
  sections: doc.sections,
  cells: Object.fromEntries(cellsOf(doc.format).map((c) => [c.code, getCell(doc as unknown as Record<string, unknown>, c)]))
})

const stripCellNames = (html: string) => html.replace(/ data-cell="[^"]*"/g, '')

t.test('fixtures: render → import gives the document back', async (t) => {
  const sources: Array<[string, (s: string) => ImportResult]> = [
    ['pingtan-2021-page.html', importHtml],
    ['huzhu-urban-management-2025.txt', importText],
    ['huaian-city-government-2024.txt', importText]
  ]
  for (const [file, read] of sources) {
    const { report, agencyName } = read(readFileSync(dir + file, 'utf8'))
    const doc = { ...report, agencyId: 1 }
    const meta = { agencyName }
    t.same(essence(importHtml(renderHtml(doc, meta)).report), essence(report), `${file}: HTML`)
    t.same(essence(importHtml(stripCellNames(renderHtml(doc, meta))).report), essence(report), `${file}: HTML read by its labels`)
    t.same(essence(importText(renderMarkdown(doc, meta)).report), essence(report), `${file}: Markdown`)
  }
})

// ---------------------------------------------------------------- any valid document

const SENTENCES = [
  '本机关坚持以人民为中心，深入推进政务公开。',
  '全年主动公开政府信息1200余条。',
  '一是政策解读形式还不够丰富；',
  '二是信息发布的时效性有待提高。',
  '本年度未收取信息处理费。',
  '下一步，将进一步加强业务培训，提升公开质量。'
]
const section = fc.option(
  fc
    .array(
      fc.array(fc.constantFrom(...SENTENCES), { minLength: 1, maxLength: 3 }).map((s) => s.join('')),
      { minLength: 1, maxLength: 3 }
    )
    .map((p) => p.join('\n')),
  { nil: null }
)

function value(cell: CellDef, blanks: boolean): fc.Arbitrary<number | null> {
  const v =
    cell.kind === 'money'
      ? fc.integer({ min: 0, max: 10 ** 10 }).map((n) => n / (cell.scale ?? 1))
      : cell.kind === 'signedCount'
        ? fc.integer({ min: -999, max: 999 })
        : fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 99_999 }))
  return blanks ? fc.option(v, { nil: null, freq: 6 }) : v
}

function documents(blanks: boolean): fc.Arbitrary<ReportInput> {
  return fc.constantFrom<Format>('2019', '2021').chain((format) =>
    fc
      .record({
        year: format === '2019' ? fc.integer({ min: 2019, max: 2020 }) : fc.integer({ min: 2021, max: 2030 }),
        day: fc.integer({ min: 1, max: 28 }),
        month: fc.integer({ min: 1, max: 3 }),
        overview: section,
        problems: section,
        otherMatters: section,
        values: fc.tuple(...cellsOf(format).map((c) => value(c, blanks)))
      })
      .map(({ year, day, month, overview, problems, otherMatters, values }) => {
        const doc = emptyReport(format, {
          agencyId: 1,
          year,
          publishedAt: `${year + 1}-0${month}-${String(day).padStart(2, '0')}`,
          sections: { overview, problems, otherMatters }
        })
        cellsOf(format).forEach((c, i) => setCell(doc as unknown as Record<string, unknown>, c, values[i]))
        return doc
      })
  )
}

const runs = { numRuns: 40 }

t.test('any document → renderHtml → importHtml is the identity', async (t) => {
  fc.assert(
    fc.property(documents(true), (doc) => {
      const html = renderHtml(doc, { agencyName: AGENCY })
      t.same(essence(importHtml(html).report), essence(doc))
      t.same(essence(importHtml(stripCellNames(html)).report), essence(doc), 'read by labels alone')
    }),
    runs
  )
})

t.test('any document → renderMarkdown → importText is the identity', async (t) => {
  fc.assert(
    fc.property(documents(true), (doc) => {
      t.same(essence(importText(renderMarkdown(doc, { agencyName: AGENCY })).report), essence(doc))
    }),
    runs
  )
})

const withSections = (doc: ReportInput): ReportInput => ({
  ...doc,
  sections: { overview: SENTENCES[0], problems: SENTENCES[2], otherMatters: SENTENCES[4] }
})

t.test('any document copied from a web page (tab-separated) reads back', async (t) => {
  fc.assert(
    fc.property(documents(false), (doc) => {
      t.same(essence(importText(tabLayout(withSections(doc))).report), essence(withSections(doc)))
    }),
    runs
  )
})

t.test('blank cells at the edge of a tab-separated row are ambiguous: never a wrong value', async (t) => {
  fc.assert(
    fc.property(documents(true), (doc) => {
      const read = essence(importText(tabLayout(withSections(doc))).report).cells
      const printed = essence(doc).cells
      const wrong = Object.keys(printed).filter((code) => read[code] !== null && read[code] !== printed[code])
      t.same(wrong, [])
    }),
    runs
  )
})

t.test('any document printed as a PDF text layer reads back (a PDF drops blank cells, so none here)', async (t) => {
  fc.assert(
    fc.property(documents(false), (doc) => {
      t.same(essence(importText(pdfLayout(withSections(doc))).report).cells, essence(doc).cells)
    }),
    runs
  )
})
