// Shapes of real published reports the development set does not show, each on a text the team wrote
// in that shape from a report whose every value is known: headings renumbered or reworded, a section
// of the agency's own between the standard ones.
import t from 'tap'
import { cellsOf, type Format } from '../../src/format/registry.js'
import type { ReportInput } from '../../src/format/document.js'
import { importText, type ImportResult } from '../../src/importers/index.js'
import { SECTIONS, cell, sampleReport, tabLayout, wrongCells } from './layouts.js'

const codes = (r: ImportResult) => r.warnings.map((w) => w.code)

/** The tab layout with its headings replaced, in order. */
function withHeadings(doc: ReportInput, headings: string[]): string {
  const official = [
    '一、总体情况',
    '二、主动公开政府信息情况',
    '三、收到和处理政府信息公开申请情况',
    '四、政府信息公开行政复议、行政诉讼情况',
    '五、存在的主要问题及改进情况',
    '六、其他需要报告的事项'
  ]
  let text = tabLayout(doc)
  official.forEach((h, i) => {
    text = text.replace(`\n${h}\n`, `\n${headings[i]}\n`)
  })
  return text
}

for (const format of ['2021', '2019'] as Format[]) {
  t.test(`总体情况 unnumbered, the tables under 一、二、三 (${format})`, async (t) => {
    const doc = sampleReport(format)
    const text = withHeadings(doc, [
      '总体情况',
      '一、主动公开政府信息情况',
      '二、收到和处理政府信息公开申请情况',
      '三、政府信息公开行政复议、行政诉讼情况',
      '四、存在的主要问题及改进情况',
      '五、其他需要报告的事项'
    ])
    const read = importText(text)
    t.same(wrongCells(read, doc), [], 'every cell read')
    t.same(read.report.sections, SECTIONS, 'every section in its place')
    t.same(codes(read), ['headings.renumbered'])
  })
}

t.test('section 五 reworded: 改进措施, 明年工作计划, 不足', async (t) => {
  const doc = sampleReport('2021')
  for (const problems of [
    '五、存在的主要问题及改进措施',
    '五、存在的问题和2025年工作计划',
    '五、存在的不足及下一步工作打算',
    '五、工作中存在的不足和改进方向'
  ]) {
    const read = importText(
      withHeadings(doc, [
        '一、总体情况',
        '二、主动公开政府信息情况',
        '三、收到和处理政府信息公开申请情况',
        '四、政府信息公开行政复议、行政诉讼情况',
        problems,
        '六、其他需要报告的事项'
      ])
    )
    t.equal(read.report.sections.problems, SECTIONS.problems, problems)
    t.equal(read.report.sections.otherMatters, SECTIONS.otherMatters)
    t.same(codes(read), [], 'the official number: no warning')
  }
})

t.test('an extra section between the standard ones is kept in 六, with a warning', async (t) => {
  const doc = sampleReport('2021')
  const fee = '本年度共收取信息处理费0元。'
  const text = withHeadings(doc, [
    '一、总体情况',
    '二、主动公开政府信息情况',
    '三、收到和处理政府信息公开申请情况',
    '四、政府信息公开行政复议、行政诉讼情况',
    `五、信息处理费收取情况\n\n${fee}\n\n六、存在的主要问题及改进情况`,
    '七、其他需要报告的事项'
  ])
  const read = importText(text)
  t.same(wrongCells(read, doc), [], 'every cell read')
  t.equal(read.report.sections.problems, SECTIONS.problems, 'section 五 is the one numbered 六, without the fee text')
  t.equal(read.report.sections.otherMatters, `${SECTIONS.otherMatters}\n五、信息处理费收取情况\n${fee}`)
  t.same(read.warnings, [
    { code: 'headings.renumbered', params: {} },
    { code: 'section.extra', params: { heading: '五、信息处理费收取情况' } }
  ])
})

t.test('numbered lines inside a section are not taken for headings', async (t) => {
  const doc = sampleReport('2021')
  doc.sections.problems = '一、培训不足。\n二、解读形式单一。\n下一步，我局将进一步加强培训。'
  const text = withHeadings(doc, [
    '总体情况',
    '一、主动公开政府信息情况',
    '二、收到和处理政府信息公开申请情况',
    '三、政府信息公开行政复议、行政诉讼情况',
    '四、存在的主要问题及改进情况',
    '五、其他需要报告的事项'
  ])
  const read = importText(text)
  t.equal(read.report.sections.problems, doc.sections.problems)
  t.equal(read.report.sections.otherMatters, SECTIONS.otherMatters)
  t.same(wrongCells(read, doc), [])
})

t.test('a page’s HTML source sent as text is read as the page', async (t) => {
  const { readFileSync } = await import('node:fs')
  const { importHtml } = await import('../../src/importers/index.js')
  const html = readFileSync(new URL('../fixtures/reports/pingtan-2021-page.html', import.meta.url), 'utf8')
  const asPage = importHtml(html)
  const asText = importText(html)
  t.same(asText.report, asPage.report, 'the same document as the page gives')
  t.same(asText.warnings, [{ code: 'text.isHtml', params: {} }, ...asPage.warnings])
  // a fragment without <html>: a table copied with its markup
  const fragment = html.slice(html.search(/<body[\s>]/iu)).replace(/<body[^>]*>/iu, '')
  t.same(importText(fragment).report.applications, asPage.report.applications, 'a body fragment too')
  // a report text that merely mentions a sign or a tag stays text
  const doc = sampleReport('2021')
  doc.sections.otherMatters = '本年度收费<1元，网页中使用<p>标签排版。'
  const plain = importText(tabLayout(doc))
  t.equal(plain.report.sections.otherMatters, doc.sections.otherMatters)
  t.notOk(codes(plain).includes('text.isHtml'))
})

t.test('format 2019: 23-23 is 23 then −23 — a minus between numbers is a sign, never a separator', async (t) => {
  const { pdfLayout } = await import('./layouts.js')
  const doc = sampleReport('2019')
  t.equal(cell(doc, 'proactive.otherServices.change'), -5, 'the sample has negative changes')
  const glued = pdfLayout(doc)
    .replace('其他对外管理服务事项 31 -5 33', '其他对外管理服务事项 31-5 33')
    .replace('行政强制 51 -7 53', '行政强制 51－7 53')
  t.not(glued, pdfLayout(doc), 'the text was changed')
  const read = importText(glued)
  t.same(wrongCells(read, doc), [], 'every cell read, the negative changes included')
  t.same(read.warnings, [])
  // a dash standing alone is still a blank, and a dash between dashes is no number
  const dashed = importText(pdfLayout(doc).replace('其他对外管理服务事项 31 -5 33', '其他对外管理服务事项 31 - 33'))
  t.equal(cell(dashed, 'proactive.otherServices.change'), null)
  t.equal(cell(dashed, 'proactive.otherServices.previousItems'), 31)
  t.equal(cell(dashed, 'proactive.otherServices.decisions'), 33)
})

t.test('format 2021 printing （六）其他处理 as one row: zeros give three zero rows, anything else three blanks', async (t) => {
  const { APPLICANT_COLUMNS } = await import('../../src/format/registry.js')
  const doc = sampleReport('2021')
  const parts = ['overdueCorrection', 'unpaidFee', 'other']
  const asOneRow = (values: number[]) => {
    const lines = tabLayout(doc).split('\n')
    const at = lines.findIndex((l) => l.includes('（六）其他处理'))
    t.match(lines[at + 2], /^\t\t3\.其他\t/, 'the group’s three rows are where the test expects them')
    lines.splice(at, 3, `\t（六）其他处理\t\t${values.join('\t')}\t`)
    return importText(lines.join('\n'))
  }
  const others = (r: ImportResult) =>
    parts.flatMap((p) => APPLICANT_COLUMNS.map((c) => cell(r, `applications.outcomes.other.${p}.${c.code}`)))
  const rest = (r: ImportResult) => wrongCells(r, doc).filter((w) => !w.startsWith('applications.outcomes.other.'))

  const zero = asOneRow([0, 0, 0, 0, 0, 0, 0])
  t.same(others(zero), Array(21).fill(0), 'every sub-row 0')
  t.same(rest(zero), [], 'every other cell as printed')
  t.same(zero.warnings, [{ code: 'row.otherAsOneZero', params: { table: 'applications', values: ['0', '0', '0', '0', '0', '0', '0'] } }])
  t.equal(zero.provenance['applications.outcomes.other.unpaidFee.total']?.text, '0', 'provenance: the printed zero')

  const sums = APPLICANT_COLUMNS.map((c) =>
    parts.reduce((a, p) => a + (cell(doc, `applications.outcomes.other.${p}.${c.code}`) as number), 0)
  )
  const filled = asOneRow(sums)
  t.same(others(filled), Array(21).fill(null), 'sub-rows blank: their split is unknown')
  t.same(rest(filled), [])
  t.same(filled.warnings, [{ code: 'row.otherAsOne', params: { table: 'applications', values: sums.map(String) } }])
})

for (const format of ['2021', '2019'] as Format[]) {
  t.test(`table 四's 15 values printed without its heading (${format})`, async (t) => {
    const { pdfLayout } = await import('./layouts.js')
    const doc = sampleReport(format)
    for (const [name, text] of [
      ['with its column headers', tabLayout(doc).replace('\n四、政府信息公开行政复议、行政诉讼情况\n', '\n')],
      ['the numbers alone', tabLayout(doc).replace(/\n四、政府信息公开行政复议、行政诉讼情况\n\n(?:.*\n){3}/u, '\n')],
      ['a PDF layer', pdfLayout(doc).replace('四、政府信息公开行政复议、行政诉讼情况\n', '')]
    ] as const) {
      t.not(text, tabLayout(doc), `${name}: the heading is gone`)
      const read = importText(text)
      t.same(wrongCells(read, doc), [], `${name}: every cell read`)
      t.same(read.report.sections, SECTIONS, `${name}: sections in place`)
      t.same(codes(read), ['table.reviewWithoutHeading'], name)
    }
    // under table 三 but not 15 numbers: nothing is guessed
    const short = tabLayout(doc).replace(
      /\n四、政府信息公开行政复议、行政诉讼情况\n\n(?:.*\n){3}(.*)\n/u,
      (_, row: string) => `\n${row.split('\t').slice(0, 14).join('\t')}\n`
    )
    const none = importText(short)
    t.same(
      cellsOf(format)
        .filter((c) => c.table === 'reviewLitigation')
        .map((c) => cell(none, c.code)),
      Array(15).fill(null),
      '14 numbers: table 四 stays blank'
    )
    t.ok(codes(none).includes('table.headingMissing'))
  })
}

t.test('a PDF line with digits run together: read where the row sum and the column sums leave one cut', async (t) => {
  const { pdfLayout } = await import('./layouts.js')
  const doc = sampleReport('2021')
  const base = pdfLayout(doc)
  t.match(base, /^1、信访举报投诉类申请 2 5 1 4 0 3 15$/mu, 'the row as the sample prints it')
  const glued = importText(base.replace('1、信访举报投诉类申请 2 5 1 4 0 3 15', '1、信访举报投诉类申请 25 1 4 0 3 15'))
  t.same(wrongCells(glued, doc), [])
  t.same(glued.warnings, [
    {
      code: 'row.readBySums',
      params: {
        table: 'applications',
        label: '1.信访举报投诉类申请',
        values: ['25', '1', '4', '0', '3', '15'],
        read: ['2', '5', '1', '4', '0', '3', '15'],
        deduced: []
      }
    }
  ])
})

t.test('a table-二 row ambiguous in a flattened table, settled by the figures the text states', async (t) => {
  const { flatLayout } = await import('./layouts.js')
  const doc = sampleReport('2021')
  const row = (r: ImportResult) => ['issued', 'repealed', 'inForce'].map((c) => cell(r, `proactive.normativeDocuments.${c}`))
  t.same(row({ report: doc } as unknown as ImportResult), [11, 12, 13], 'the sample prints 111213 for the row')
  const bare = importText(flatLayout(doc))
  t.same(row(bare), [null, null, null], 'without the text: ambiguous, blank')
  const sentence = '本年度制发规范性文件11件，现行有效规范性文件13件。'
  const told = { ...doc, sections: { ...doc.sections, overview: `${doc.sections.overview}${sentence}` } }
  const settled = importText(flatLayout(told))
  t.same(row(settled), [11, 12, 13], 'the one reading that agrees with the text')
  t.match(
    settled.warnings.find((w) => w.code === 'row.settledByText'),
    { params: { table: 'proactive', label: '规范性文件', read: ['11', '12', '13'], sentences: [sentence] } }
  )
  // the text agreeing with no reading, or stating the figure twice differently, settles nothing
  for (const text of ['本年度制发规范性文件40件。', '本年度制发规范性文件11件。全年制发规范性文件12件。']) {
    const read = importText(flatLayout({ ...doc, sections: { ...doc.sections, overview: `${doc.sections.overview}${text}` } }))
    t.same(row(read), [null, null, null], text)
    t.notOk(read.warnings.some((w) => w.code === 'row.settledByText'))
  }
})
