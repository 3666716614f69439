// Each layout the importer meets, on synthetic reports whose every value is known.
import t from 'tap'
import { CELLS, cellsOf, type Format } from '../../src/format/registry.js'
import { setCell } from '../../src/format/document.js'
import { ImportRejectedError, importHtml, importText, type ImportResult } from '../../src/importers/index.js'
import { AGENCY, SECTIONS, cell, cellPerLineLayout, flatLayout, pdfLayout, sampleReport, tabLayout, wrongCells } from './layouts.js'

/** The reason an import is rejected with, or null when it is not. */
function rejection(run: () => unknown): string | null {
  try {
    run()
    return null
  } catch (e) {
    return e instanceof ImportRejectedError ? e.reason : `not a rejection: ${e}`
  }
}

for (const format of ['2021', '2019'] as Format[]) {
  t.test(`tab-separated rows copied from a web page (${format})`, async (t) => {
    const doc = sampleReport(format)
    const result = importText(tabLayout(doc))
    t.same(wrongCells(result, doc), [], 'every cell read')
    t.equal(result.report.format, format)
    t.equal(result.report.year, doc.year)
    t.equal(result.report.publishedAt, doc.publishedAt, 'from the signature')
    t.same(result.report.sections, SECTIONS)
    t.equal(result.agencyName, AGENCY)
    t.equal(result.report.scope, 'own')
    t.same(result.warnings, [])
  })

  t.test(`a PDF text layer: wrapped and shredded labels, page markers (${format})`, async (t) => {
    const doc = sampleReport(format)
    const result = importText(pdfLayout(doc))
    t.same(wrongCells(result, doc), [], 'every cell read')
    t.equal(result.report.format, format)
    t.equal(result.agencyName, AGENCY, 'the agency on the line above the title')
    t.same(result.report.sections, SECTIONS, 'wrapped lines joined, page marker dropped')
    t.same(result.warnings, [])
  })

  t.test(`a flattened page: no cell is ever wrong (${format})`, async (t) => {
    const doc = sampleReport(format)
    const result = importText(flatLayout(doc))
    const wrong = CELLS.filter((c) => cell(result, c.code) !== null && cell(result, c.code) !== cell(doc, c.code))
    t.same(
      wrong.map((c) => c.code),
      []
    )
    // table 三 and 四 rows are cut by their sums; every cell of them is determined here
    const sums = cellsOf(format).filter((c) => c.table !== 'proactive')
    t.same(
      sums.filter((c) => cell(result, c.code) === null).map((c) => c.code),
      []
    )
    t.equal(result.report.publishedAt, doc.publishedAt, 'from 发布时间')
    t.equal(result.report.sections.otherMatters, SECTIONS.otherMatters, 'page furniture cut off')
  })

  t.test(`a page copied one cell per line (${format})`, async (t) => {
    const doc = sampleReport(format)
    const result = importText(cellPerLineLayout(doc))
    t.same(wrongCells(result, doc), [], 'every cell read')
    t.same(result.report.sections, SECTIONS)
  })
}

t.test('PDF layout: numbers wrapped onto the next line, and a bare page number after a row', async (t) => {
  const doc = sampleReport('2021')
  const wrapped = pdfLayout(doc)
    .replace(/^(1、属于国家秘密(?: \d+){3}) /mu, '$1\n')
    .replace(/^(3、其他(?: \d+){7})$/mu, '$1\n17')
  const result = importText(wrapped)
  t.same(wrongCells(result, doc), [], 'the wrapped row joined, the page number left out')
})

t.test('tab layout: blank cells, dashes and 无 stay null', async (t) => {
  const doc = sampleReport('2021')
  const blanks = ['applications.outcomes.granted.researchInstitution', 'applications.carriedForward.total', 'reviewLitigation.review.other']
  for (const code of blanks) setCell(doc as unknown as Record<string, unknown>, code, null)
  const text = tabLayout(doc)
    .replace(/^(行政处罚\t)\d+/mu, '$1—')
    .replace(/^(行政强制\t)\d+/mu, '$1无')
  const result = importText(text)
  for (const code of blanks) t.equal(cell(result, code), null, `${code} blank`)
  t.equal(cell(result, 'proactive.penalty.decisions'), null)
  t.equal(cell(result, 'proactive.coercion.decisions'), null)
  t.has(result.warnings, [
    { code: 'cell.placeholder', params: { cell: 'proactive.penalty.decisions', printed: '—' } },
    { code: 'cell.placeholder', params: { cell: 'proactive.coercion.decisions', printed: '无' } }
  ])
  // every other cell is read as printed
  const others = cellsOf('2021').filter(
    (c) => !blanks.includes(c.code) && !c.code.startsWith('proactive.penalty') && !c.code.startsWith('proactive.coercion')
  )
  t.same(
    others.filter((c) => cell(result, c.code) !== cell(doc, c.code)).map((c) => c.code),
    []
  )
})

t.test('PDF layout: a row that lost a number is read only where the sums leave one reading, never shifted', async (t) => {
  const doc = sampleReport('2021')
  const row = 'applications.outcomes.notProcessed.duplicate'
  // the line lost its first number: the row's sum and the column sums (T3-02) leave one place and one value
  const lost = importText(pdfLayout(doc).replace(/^(2、重复申请) (\d+) /mu, '$1 '))
  t.same(wrongCells(lost, doc), [], 'every cell right, the lost one deduced')
  const read = lost.warnings.find((w) => w.code === 'row.readBySums')
  t.match(read, { params: { label: '2.重复申请', deduced: ['自然人'] } })
  t.equal(read?.params.values.length, 6)
  // two rows each lost a number: each row's sum and the column sums still leave one reading per row
  const both = importText(
    pdfLayout(doc)
      .replace(/^(2、重复申请) (\d+) /mu, '$1 ')
      .replace(/^(3、要求提供公开出版物) (\d+) /mu, '$1 ')
  )
  t.same(wrongCells(both, doc), [])
  t.equal(both.warnings.filter((w) => w.code === 'row.readBySums').length, 2)
  // a line that lost two numbers: too many readings to choose from — blank, not shifted
  const two = importText(pdfLayout(doc).replace(/^(2、重复申请) (\d+) (\d+) /mu, '$1 '))
  for (const c of ['naturalPerson', 'commercialEnterprise', 'total']) t.equal(cell(two, `${row}.${c}`), null)
  t.ok(
    two.warnings.some(
      (w) => w.code === 'row.width' && w.params.label === '2.重复申请' && w.params.values.length === 5 && w.params.columns === 7
    )
  )
  t.equal(
    cell(two, 'applications.outcomes.notProcessed.publication.total'),
    cell(doc, 'applications.outcomes.notProcessed.publication.total')
  )
  // a report whose column sums do not hold: nothing to confirm a reading, the row stays blank
  const broken = pdfLayout(doc)
    .replace(/^(2、重复申请) (\d+) /mu, '$1 ')
    .replace(/^(（七）总计) (\d+) /mu, (_, l: string, v: string) => `${l} ${Number(v) + 1} `)
  const unconfirmed = importText(broken)
  for (const c of ['naturalPerson', 'commercialEnterprise', 'total']) t.equal(cell(unconfirmed, `${row}.${c}`), null)
  t.notOk(unconfirmed.warnings.some((w) => w.code === 'row.readBySums'))
})

t.test('PDF layout: group labels beside the first row and a page marker inside a label', async (t) => {
  const text = [
    '某某县人民政府办公室2024年政府信息公开工作年度报告',
    '三、收到和处理政府信息公开申请情况',
    '（四）无 1.本机关不掌握相关政府信息 746 12 0 0 10 1 769',
    '- 5 -',
    '法提供 2.没有现成信息需要另行制作 11 0 0 0 0 0 11',
    '3.补正后申请内容仍不明确 1 0 0 0 0 0 1',
    '（二）部分公开（区分处理的，只计这一情',
    '形，不计其他情形） 447 7 0 0 0 0 454'
  ].join('\n')
  const result = importText(text)
  t.equal(cell(result, 'applications.outcomes.unavailable.notHeld.total'), 769)
  t.equal(cell(result, 'applications.outcomes.unavailable.needsCreation.naturalPerson'), 11)
  t.equal(cell(result, 'applications.outcomes.unavailable.unclearAfterCorrection.total'), 1)
  t.equal(cell(result, 'applications.outcomes.partiallyGranted.total'), 454, 'printed out of order, read by its own label')
})

t.test('Markdown converted from a PDF: notes in cells, group labels in the first cell, a row without its label', async (t) => {
  const text = [
    '# 某某市发展和改革委员会2024年政府信息公开工作年度报告',
    '## 二、主动公开政府信息情况',
    '| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |',
    '|---|---|---|---|',
    '| 规章 | 2（其中修订 1 件） | 0 | 15 |',
    '| 行政规范性文件 | 3 | 1 | 40 |',
    '## 三、收到和处理政府信息公开申请情况',
    '| 一、本年新收政府信息公开申请数量 | 10 | 2 | 0 | 0 | 1 | 0 | 13 |',
    '|---|---|---|---|---|---|---|---|',
    '| （五）不 | 3.要求提供公开出版物 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |',
    '| 予处理 | 4.无正当理由大量反复申请 | 2 | 0 | 0 | 0 | 0 | 0 | 2 |',
    '| 3 | 0 | 0 | 0 | 0 | 0 | 3 |',
    '| 行政机关不再处理其政府信息公 | 4 | 1 | 0 | 0 | 0 | 0 | 5 |',
    '| 缴纳费用、 | 行政机关不再处理其政 | 6 | 0 | 0 | 0 | 0 | 0 | 6 |',
    '| 3.其他 | 7 | 0 | 0 | 0 | 0 | 0 | 7 |',
    '## 四、政府信息公开行政复议、行政诉讼情况',
    '| 维持 | 纠正 | 结果 | 审结 | 总计 | 总计 |',
    '|---|---|---|---|---|---|',
    '| 1 | 0 | 0 | 0 | 1 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |'
  ].join('\n')
  const result = importText(text)
  t.equal(cell(result, 'proactive.regulations.issued'), 2, 'the note is left out')
  t.ok(result.warnings.some((w) => w.code === 'cell.noteLeftOut' && w.params.printed === '2（其中修订 1 件）'))
  t.equal(cell(result, 'proactive.normativeDocuments.inForce'), 40)
  t.equal(cell(result, 'applications.newReceived.legalServiceAgency'), 1)
  t.equal(cell(result, 'applications.outcomes.notProcessed.excessive.total'), 2)
  t.equal(cell(result, 'applications.outcomes.notProcessed.confirmation.naturalPerson'), 3, 'placed between two rows read by label')
  t.equal(cell(result, 'applications.outcomes.other.overdueCorrection.total'), 5, 'a cut label that two rows share, placed by order')
  t.equal(cell(result, 'applications.outcomes.other.unpaidFee.total'), 6)
  t.equal(cell(result, 'applications.outcomes.other.other.total'), 7)
  t.ok(result.warnings.some((w) => w.code === 'row.recognisedByPosition' && w.params.label?.startsWith('5.要求行政机关确认')))
  t.equal(cell(result, 'reviewLitigation.review.upheld'), 1)
  t.equal(cell(result, 'reviewLitigation.review.total'), 1)
})

t.test('a flattened row is cut only where the sums allow a single cut', async (t) => {
  /** A flattened report whose table 三 is all zeros but for the rows given (seven cells each). */
  const flat = (rows: Record<string, number[]>) => {
    const doc = sampleReport('2021')
    for (const c of cellsOf('2021').filter((c) => c.table === 'applications')) setCell(doc as unknown as Record<string, unknown>, c, 0)
    for (const [row, values] of Object.entries(rows)) {
      ;[
        'naturalPerson',
        'commercialEnterprise',
        'researchInstitution',
        'publicInterestOrganization',
        'legalServiceAgency',
        'otherOrganization',
        'total'
      ].forEach((c, i) => setCell(doc as unknown as Record<string, unknown>, `applications.${row}.${c}`, values[i]))
    }
    return importText(flatLayout(doc))
  }
  const row = (r: ImportResult, code: string) =>
    [
      'naturalPerson',
      'commercialEnterprise',
      'researchInstitution',
      'publicInterestOrganization',
      'legalServiceAgency',
      'otherOrganization',
      'total'
    ].map((c) => cell(r, `applications.${code}.${c}`))

  // 120000012: of its cuts into 7 cells only 12|0|0|0|0|0|12 adds up, and the column sums confirm it
  const twelve = [12, 0, 0, 0, 0, 0, 12]
  const unique = flat({ newReceived: twelve, 'outcomes.granted': twelve, 'outcomes.total': twelve })
  t.same(row(unique, 'newReceived'), twelve)
  t.same(row(unique, 'outcomes.granted'), twelve)
  t.same(row(unique, 'outcomes.total'), twelve)

  // 101000011: 10|1|0|0|0|0|11 and 1|0|10|0|0|0|11 both add up, in every row: nothing is taken
  const eleven = [10, 1, 0, 0, 0, 0, 11]
  const doubtful = flat({ newReceived: eleven, 'outcomes.granted': eleven, 'outcomes.total': eleven })
  t.same(row(doubtful, 'newReceived'), [null, null, null, null, null, null, null])
  t.same(row(doubtful, 'outcomes.granted'), [null, null, null, null, null, null, null])
  t.ok(doubtful.warnings.some((w) => w.code === 'row.ambiguous' && w.params.label?.includes('本年新收') && w.params.ways === 2))
  t.ok(doubtful.warnings.some((w) => w.code === 'rows.cutUnconfirmed'))
  t.same(row(doubtful, 'carriedOver'), [0, 0, 0, 0, 0, 0, 0], 'a run of seven digits has one cut')

  // a report whose row does not add up: no cut fits, nothing is invented
  const broken = flat({ newReceived: [9, 0, 0, 0, 0, 0, 1] })
  t.same(row(broken, 'newReceived'), [null, null, null, null, null, null, null])
  t.ok(broken.warnings.some((w) => w.code === 'row.noCut' && w.params.digits.join('') === '9000001'))
})

t.test('values: zeros, separators, full-width digits, units and money', async (t) => {
  const base = (rows: string[], format: Format = '2021', year = 2022) =>
    importText(
      [`某某区民政局${year}年政府信息公开工作年度报告`, '二、主动公开政府信息情况', ...rows, '三、收到和处理政府信息公开申请情况'].join(
        '\n'
      ),
      { format }
    )
  const r = base(['规章\t0.00\t1,234\t１２', '行政规范性文件\t12.5\t/\t-', '行政许可\t3 件', '行政事业性收费\t3940元'])
  t.equal(cell(r, 'proactive.regulations.issued'), 0, '0.00 is a printed zero')
  t.equal(cell(r, 'proactive.regulations.repealed'), 1234)
  t.equal(cell(r, 'proactive.regulations.inForce'), 12)
  t.equal(cell(r, 'proactive.normativeDocuments.issued'), null, 'a count is a whole number')
  t.equal(cell(r, 'proactive.normativeDocuments.repealed'), null)
  t.equal(cell(r, 'proactive.normativeDocuments.inForce'), null)
  t.equal(cell(r, 'proactive.licensing.decisions'), 3)
  t.equal(cell(r, 'proactive.fees.amountWanYuan'), 0.394, '元 converted to 万元 exactly')
  t.has(r.warnings, [
    { code: 'cell.notWhole', params: { cell: 'proactive.normativeDocuments.issued', printed: '12.5' } },
    { code: 'cell.placeholder', params: { cell: 'proactive.normativeDocuments.repealed', printed: '/' } }
  ])

  const fees = base(['行政事业性收费\t24252.311082'])
  t.equal(cell(fees, 'proactive.fees.amountWanYuan'), 24252.311082)
  const tooFine = base(['行政事业性收费\t1.1234567'])
  t.equal(cell(tooFine, 'proactive.fees.amountWanYuan'), null, 'more decimals than 万元 holds')

  const y2019 = base(['政府集中采购\t3\t35.5万元', '行政许可\t12\t-3\t40'], '2019', 2020)
  t.equal(cell(y2019, 'proactive.procurement.amountYuan'), 355000, '万元 → 元')
  t.equal(cell(y2019, 'proactive.procurement.projects'), 3)
  t.equal(cell(y2019, 'proactive.licensing.change'), -3, '本年增/减 may be negative')
  const header = base(['采购项目数量\t采购总金额（万元）', '政府集中采购\t2\t0.0125'], '2019', 2020)
  t.equal(cell(header, 'proactive.procurement.amountYuan'), 125, 'the header names 万元')
})

t.test('format: from the tables, not the year; an explicit format wins', async (t) => {
  const doc = sampleReport('2019', 2021)
  const read = importText(tabLayout(doc))
  t.equal(read.report.format, '2019')
  t.has(read.warnings, [{ code: 'format.notOfYear', params: { format: '2019', year: 2021, expected: '2021' } }])
  t.same(wrongCells(read, doc), [], 'every cell read')
  const forced = importText(tabLayout(sampleReport('2021')), { format: '2021', year: 2024 })
  t.equal(forced.report.format, '2021')
  t.same(forced.warnings, [])
  const bare = importText('某某局2022年政府信息公开工作年度报告\n一、总体情况\n本年度工作情况良好。')
  t.equal(bare.report.format, '2021')
  t.has(bare.warnings, [{ code: 'format.assumed', params: { format: '2021', year: 2022 } }])
  t.match(bare.provenance.format, { text: 'year 2022' })
})

t.test('rejections', async (t) => {
  const old = tabLayout(sampleReport('2019', 2019)).replace(/2019年政府信息公开/u, '2018年政府信息公开')
  t.throws(() => importText(old), ImportRejectedError)
  t.match(
    rejection(() => importText(old)),
    /2018 and earlier/
  )
  t.match(
    rejection(() => importText(tabLayout(sampleReport('2021')), { year: 2017 })),
    /2017/
  )
  t.match(
    rejection(() => importText('今天天气很好。2024年我们去了公园。')),
    /no 政府信息公开工作年度报告/
  )
  t.match(
    rejection(() => importText('一、总体情况\n本年度工作情况良好。')),
    /year/
  )
  t.match(
    rejection(() => importHtml('<html><body><p>新闻</p></body></html>')),
    /no 政府信息公开工作年度报告/
  )
  t.equal(
    rejection(() => importText(tabLayout(sampleReport('2019', 2019)))),
    null
  )
})

t.test('scope: aggregate only on clear evidence, with a warning', async (t) => {
  const doc = sampleReport('2021')
  const as = (title: string, body = '') =>
    importText(
      tabLayout(doc)
        .replace(`${AGENCY}${doc.year}年政府信息公开工作年度报告`, title)
        .replace(SECTIONS.overview, SECTIONS.overview + body)
    )
  const dept = as('某某县教育局2024年政府信息公开工作年度报告', '全县共收到政府信息公开申请12件。')
  t.equal(dept.report.scope, 'own', 'a department stays own')
  const county = as('某某县人民政府2024年政府信息公开工作年度报告')
  t.equal(county.report.scope, 'aggregate')
  t.ok(county.warnings.some((w) => w.code === 'scope.aggregateByName'))
  t.equal(as('某某市2024年政府信息公开工作年度报告').report.scope, 'aggregate')
  t.equal(as('某某镇人民政府2024年政府信息公开工作年度报告').report.scope, 'own', 'a township has no area below it')
  const untitled = as('2024年政府信息公开工作年度报告', '全区共收到政府信息公开申请70件。')
  t.equal(untitled.agencyName, AGENCY, 'the agency from the signature')
  t.equal(untitled.report.scope, 'own')
})
