// Every cell of the registry, with a value of its own, goes through the API, the database, every renderer
// and the importer, and comes back unchanged: nothing is dropped or renamed on the way.
import t from 'tap'
import { type CELLS, FORMATS, cellsOf, type Format } from '../../src/format/registry.js'
import { emptyReport, getCell, setCell, type ReportInput } from '../../src/format/document.js'
import { renderHtml, renderMarkdown, renderReportCsv } from '../../src/render/index.js'
import { importHtml, importText } from '../../src/importers/index.js'
import { buildTestApp, createAgency, json } from '../helper.js'
import { parseCsv } from '../fixtures/parse-csv.js'

/** A value no other cell has: the cell's index, negative for a signed cell, with decimals for money. */
function distinctReport(format: Format, agencyId: number): ReportInput {
  const year = format === '2019' ? 2020 : 2025
  const doc = emptyReport(format, { agencyId, year, title: `测试机关${year}年政府信息公开工作年度报告`, publishedAt: `${year + 1}-01-20` })
  doc.sections = { overview: '总体情况的文字。', problems: '存在的问题和改进情况。', otherMatters: '本年度未收取信息处理费。' }
  cellsOf(format).forEach((cell, i) => {
    const v =
      cell.kind === 'money' ? Number(`${i + 1}.${cell.decimals === 6 ? '123456' : '25'}`) : cell.kind === 'signedCount' ? -(i + 1) : i + 1
    setCell(doc as unknown as Record<string, unknown>, cell, v)
  })
  return doc
}

for (const format of FORMATS) {
  t.test(`format ${format}: every cell through the API, the database, the renderers and the importer`, async (t) => {
    const app = await buildTestApp()
    t.teardown(() => app.close())
    const agencyId = await createAgency(app, { name: '测试机关' })
    const doc = distinctReport(format, agencyId)
    const cells = cellsOf(format)
    const value = (d: unknown, code: (typeof CELLS)[number]) => getCell(d as Record<string, unknown>, code)

    const put = await app.inject({ method: 'PUT', url: `/v1/agencies/${agencyId}/reports/${doc.year}`, payload: doc })
    t.equal(put.statusCode, 201)
    const stored = json(await app.inject(`/v1/reports/${json(put).id}`))
    const row = (await app.engine.get<Record<string, number | null>>('SELECT * FROM report_cells WHERE report_id = ?', [json(put).id]))!
    for (const cell of cells) {
      t.equal(value(stored, cell), value(doc, cell), `API: ${cell.code}`)
      const want = value(doc, cell)!
      t.equal(row[cell.sqlName], cell.kind === 'money' ? Math.round(want * cell.scale!) : want, `database: ${cell.code}`)
    }

    const meta = { agencyName: '测试机关' }
    const fromHtml = importHtml(renderHtml(stored, meta))
    const fromMarkdown = importText(renderMarkdown(stored, meta))
    for (const cell of cells) {
      t.equal(value(fromHtml.report, cell), value(doc, cell), `HTML: ${cell.code}`)
      t.equal(value(fromMarkdown.report, cell), value(doc, cell), `Markdown: ${cell.code}`)
    }
    t.equal(fromHtml.report.format, format)
    t.equal(fromMarkdown.report.year, doc.year)

    const csv = parseCsv(renderReportCsv(stored))
    t.same(
      csv.slice(1).map((r) => [r[0], r[2] === '' ? null : Number(r[2])]),
      cells.map((c) => [c.code, value(doc, c)]),
      'CSV: every cell, in registry order'
    )
  })
}
