// TX-01: figures stated in the text against the table cells they name — on generated reports with
// known tables, and on the real published reports of test/fixtures/reports.
import t from 'tap'
import { readFileSync } from 'node:fs'
import { checkInYear, checkReport, readStatedFigures } from '../../src/checks/index.js'
import { buildConsistentReport } from '../../src/checks/consistent-report.js'
import { FIGURE_TARGETS, MAX_QUOTE, checkTX01 } from '../../src/checks/text-figures.js'
import type { ReportInput } from '../../src/format/document.js'
import { importHtml, importText } from '../../src/importers/index.js'
import { brief, bump, get, ofRule, set } from './support.js'

/** 新收 120, 办结 115, 结转下年度 5, 上年结转 0; 复议 3; 诉讼 1 + 1; 规范性文件 制发 8, 现行有效 66. */
function report(overview: string, fields: Partial<ReportInput> = {}): ReportInput {
  const doc = buildConsistentReport(
    (fields.format as '2019' | '2021' | undefined) ?? '2021',
    {
      'applications.outcomes.granted.naturalPerson': 100,
      'applications.outcomes.partiallyGranted.naturalPerson': 15,
      'applications.carriedForward.naturalPerson': 5,
      'reviewLitigation.review.upheld': 2,
      'reviewLitigation.review.pending': 1,
      'reviewLitigation.litigationDirect.upheld': 1,
      'reviewLitigation.litigationAfterReview.corrected': 1,
      ...((fields.format ?? '2021') === '2021'
        ? { 'proactive.normativeDocuments.issued': 8, 'proactive.normativeDocuments.inForce': 66 }
        : {})
    },
    { year: 2024, ...fields }
  )
  doc.sections.overview = overview
  return doc
}

t.test('the generated report has the figures the tests state', async (t) => {
  const doc = report('')
  t.same(
    [
      'applications.newReceived.total',
      'applications.outcomes.total.total',
      'applications.carriedForward.total',
      'applications.carriedOver.total',
      'reviewLitigation.review.total',
      'reviewLitigation.litigationDirect.total',
      'reviewLitigation.litigationAfterReview.total'
    ].map((c) => get(doc, c)),
    [120, 115, 5, 0, 3, 1, 1]
  )
})

t.test('a text that agrees with the tables: no finding', async (t) => {
  const doc = report(
    '（二）依申请公开情况。2024年，本机关共收到政府信息公开申请120件，办结115件，其中撤回3件，结转下年度继续办理5件。因政府信息公开被申请行政复议3件、提起行政诉讼2件。本年制发行政规范性文件8件，截至2024年底现行有效规范性文件66件。'
  )
  t.equal(readStatedFigures(doc.sections.overview as string, { year: 2024, scope: 'own' }).length, 7, 'every figure was read')
  t.same(checkTX01(doc), [])
  t.same(checkInYear(doc), [], 'and no finding of any rule')
})

t.test('a contradicting figure: one warning naming the cell and the section, quoting the sentence', async (t) => {
  const doc = report('（二）依申请公开情况。本年度共收到政府信息公开申请120件，办结118件，其中撤回3件。下一步将加强培训。')
  const found = checkTX01(doc)
  t.same(found.map(brief), [
    { rule: 'TX-01', severity: 'warning', cells: ['applications.outcomes.total.total', 'sections.overview'], expected: 118, actual: 115 }
  ])
  t.equal(
    found[0].message,
    '“一、总体情况”写明“办结118件”，但表格“三、本年度办理结果（七）总计 · 总计”为 115。原文：「本年度共收到政府信息公开申请120件，办结118件，其中撤回3件。」'
  )
  t.same(ofRule(checkInYear(doc), 'TX-01'), found, 'on every in-year check')
  t.same(ofRule(checkReport(doc), 'TX-01'), found)
})

t.test('every figure against its own cell', async (t) => {
  const cases: Array<[string, string[], number, number]> = [
    ['依申请公开：收到政府信息公开申请121件。', ['applications.newReceived.total'], 121, 120],
    ['依申请公开：本年度未收到政府信息公开申请。', ['applications.newReceived.total'], 0, 120],
    ['依申请公开：上年结转申请2件，本年已全部办结。', ['applications.carriedOver.total'], 2, 0],
    ['依申请公开：办结114件。', ['applications.outcomes.total.total'], 114, 115],
    ['依申请公开：收到申请120件，4件结转下年度继续办理。', ['applications.carriedForward.total'], 4, 5],
    ['因政府信息公开被申请行政复议4件。', ['reviewLitigation.review.total'], 4, 3],
    [
      '因政府信息公开被提起行政诉讼3起。',
      ['reviewLitigation.litigationDirect.total', 'reviewLitigation.litigationAfterReview.total'],
      3,
      2
    ],
    ['本年制发行政规范性文件9件。', ['proactive.normativeDocuments.issued'], 9, 8],
    ['现行有效的行政规范性文件65件。', ['proactive.normativeDocuments.inForce'], 65, 66]
  ]
  for (const [overview, cells, expected, actual] of cases) {
    t.same(
      checkTX01(report(overview)).map(brief),
      [{ rule: 'TX-01', severity: 'warning', cells: [...cells, 'sections.overview'], expected, actual }],
      overview
    )
  }
  t.equal(
    checkTX01(report('因政府信息公开被提起行政诉讼3起。'))[0].message,
    '“一、总体情况”写明“行政诉讼3起”，但表格“行政诉讼·未经复议直接起诉 · 总计”与“行政诉讼·复议后起诉 · 总计”合计 2。原文：「因政府信息公开被提起行政诉讼3起。」'
  )
  t.same(Object.keys(FIGURE_TARGETS).length, cases.length - 1, 'every target is covered (newReceived twice)')
})

t.test('sentences that must stay silent even though the tables say otherwise', async (t) => {
  for (const overview of [
    // a count that follows is not the total processed
    '依申请公开：收到申请120件，办结115件，其中撤回3件。',
    '依申请公开：办结115件，结转3件。',
    // 办结 is not 收到
    '依申请公开：收到并办结申请115件。',
    // full-width, Chinese numerals, approximate
    '依申请公开：收到政府信息公开申请１２１件。',
    '依申请公开：收到政府信息公开申请一百二十一件。',
    '依申请公开：收到政府信息公开申请130余件，近110件已办结。',
    '依申请公开：收到政府信息公开申请约130件。',
    '依申请公开：共收到政府信息公开申请近130件。',
    // a part, another period, another area
    '依申请公开：共收到政府信息公开申请125件，其中上年结转5件。',
    '依申请公开：其中，通过网上申请收到申请80件。',
    '依申请公开：2023年收到申请100件。',
    '依申请公开：全县共收到政府信息公开申请300件。',
    '依申请公开：上半年收到申请60件。',
    // a combined or partial figure, or the body deciding the case
    '因政府信息公开引发行政复议和行政诉讼5件。',
    '政府信息公开行政复议后提起行政诉讼1件。',
    '全年办理行政复议案件350件。',
    // another matter
    '全年承办人大代表建议20件，已全部办结20件。',
    '以市政府名义印发规范性文件5件。'
  ]) {
    t.same(checkTX01(report(overview)), [], overview)
  }
})

t.test('a blank cell states nothing to contradict; format 2019 has no 制发 or 现行有效 cells', async (t) => {
  const blank = report('依申请公开：收到政府信息公开申请121件。')
  set(blank, 'applications.newReceived.total', null)
  t.same(checkTX01(blank), [])
  const oneGroup = report('因政府信息公开被提起行政诉讼3起。')
  set(oneGroup, 'reviewLitigation.litigationAfterReview.total', null)
  t.same(checkTX01(oneGroup), [], 'litigation needs both totals')
  const old = report('本年制发行政规范性文件9件，收到政府信息公开申请121件。', { format: '2019', year: 2020 })
  t.same(
    checkTX01(old).map((f) => f.cells[0]),
    ['applications.newReceived.total']
  )
})

t.test('sections read: 一 and 六, not 五', async (t) => {
  const doc = report('')
  doc.sections.problems = '依申请公开：2023年工作中，收到政府信息公开申请99件，答复不够规范。'
  doc.sections.otherMatters = '本年度未收取信息处理费。依申请公开：收到政府信息公开申请121件。'
  t.same(
    checkTX01(doc).map((f) => f.cells),
    [['applications.newReceived.total', 'sections.otherMatters']]
  )
  doc.sections.problems = '依申请公开：收到政府信息公开申请99件，答复不够规范，需要进一步加强培训和指导工作。'
  t.same(
    checkTX01(doc).map((f) => f.cells.at(-1)),
    ['sections.otherMatters'],
    'section 五 is never read'
  )
})

t.test('one finding per figure and section: the first contradicting sentence', async (t) => {
  const doc = report('依申请公开：收到政府信息公开申请120件。后来又写收到政府信息公开申请121件。再写收到政府信息公开申请122件。')
  const found = checkTX01(doc)
  t.same(found.map(brief), [
    { rule: 'TX-01', severity: 'warning', cells: ['applications.newReceived.total', 'sections.overview'], expected: 121, actual: 120 }
  ])
  t.match(found[0].message, /原文：「后来又写收到政府信息公开申请121件。」$/)
})

t.test('a long sentence is quoted around the figure', async (t) => {
  const padding = '坚持公开为常态、不公开为例外，'.repeat(10)
  const doc = report(`依申请公开：${padding}全年收到政府信息公开申请121件，${padding}均在法定期限内答复。`)
  const [finding] = checkTX01(doc)
  const quoted = /原文：「(.*)」$/u.exec(finding.message)?.[1] ?? ''
  t.ok(quoted.startsWith('…') && quoted.endsWith('…'), quoted)
  t.ok(quoted.includes('全年收到政府信息公开申请121件'))
  t.ok([...quoted].length <= MAX_QUOTE + 2)
})

// ---------------------------------------------------------------- the development reports

const dir = new URL('../fixtures/reports/', import.meta.url)
const SOURCES = [
  'huzhu-urban-management-2025.txt',
  'huaian-city-government-2024.txt',
  'pingtan-2021.txt',
  'pingtan-2021-page.html',
  'shanghai-general-office-2025.md'
]

/** The report as the importer reads it: real text sections, every cell it can read. */
function imported(file: string): ReportInput {
  const source = readFileSync(new URL(file, dir), 'utf8')
  return { ...(file.endsWith('.html') ? importHtml(source) : importText(source)).report, agencyId: 1 }
}

t.test('the development reports: no false TX-01, and every figure they state is checked', async (t) => {
  const read: Record<string, string[]> = {}
  for (const file of SOURCES) {
    const doc = imported(file)
    t.same(ofRule(checkInYear(doc), 'TX-01'), [], `${file}: no TX-01`)
    const figures = readStatedFigures(doc.sections.overview ?? '', {
      year: doc.year,
      scope: doc.scope === 'aggregate' ? 'aggregate' : 'own'
    })
    read[file] = figures.map((f) => `${f.target} ${f.value}`)
    // each figure read is compared with a filled cell: change the cell and TX-01 quotes the real sentence
    for (const figure of figures) {
      const cell = FIGURE_TARGETS[figure.target].cells[0]
      t.not(get(doc, cell), null, `${file}: ${cell} was read from the table`)
      const changed = structuredClone(doc)
      bump(changed, cell, 1)
      const found = ofRule(checkInYear(changed), 'TX-01')
      t.equal(found.length, 1, `${file}: ${cell} + 1`)
      t.equal(found[0]?.cells[0], FIGURE_TARGETS[figure.target].cells[0])
      t.ok(figure.sentence.length <= MAX_QUOTE, 'short enough to be quoted whole')
      t.ok(found[0]?.message.endsWith(`原文：「${figure.sentence}」`), found[0]?.message)
    }
  }
  t.same(read, {
    'huzhu-urban-management-2025.txt': [],
    'huaian-city-government-2024.txt': ['newReceived 3119', 'carriedForward 103', 'review 351', 'litigation 46'],
    'pingtan-2021.txt': ['newReceived 70', 'outcomesTotal 69', 'carriedForward 1'],
    'pingtan-2021-page.html': ['newReceived 70', 'outcomesTotal 69', 'carriedForward 1'],
    'shanghai-general-office-2025.md': ['newReceived 1295', 'outcomesTotal 1191']
  })
})
