// The importer's messages: every code renders in both languages from its parameters, and the
// language is the one the caller's Accept-Language prefers.
import t from 'tap'
import { LANGUAGES, MESSAGES, languageOf, renderMessage, type ImportMessage, type MessageCode } from '../../src/importers/messages.js'

const cell = { cell: 'proactive.penalty.decisions', printed: '—' }
const row = { table: 'applications' as const, label: '（一）予以公开' }
/** Parameters for each code, as the importer gives them. */
const SAMPLES: { [C in MessageCode]: Extract<ImportMessage, { code: C }>['params'] } = {
  'rejected.noReport': {},
  'rejected.noTables': {},
  'rejected.noYear': {},
  'rejected.tooOld': { year: 2018, first: 2019 },
  'rejected.sectionTooLong': { section: 'overview', heading: '一、总体情况', length: 803_000, max: 200_000 },
  'rejected.resultTooLarge': { characters: 16_000_000, max: 2_000_000 },
  'year.overridden': { stated: 2023, given: 2024 },
  'format.overridden': { read: '2019', used: '2021' },
  'format.assumed': { format: '2021', year: 2022 },
  'format.mixed': { format: '2021' },
  'format.notOfYear': { format: '2019', year: 2021, expected: '2021' },
  'section.missing': { section: 'problems', heading: '五、存在的主要问题及改进情况' },
  'section.afterTable': { section: 'problems', heading: '五、存在的主要问题及改进情况' },
  'text.isHtml': {},
  'agency.inferred': {
    name: '平潭综合实验区',
    regionCode: '350128',
    level: 'county',
    kind: 'government',
    rule: '综合实验区、新区、管理委员会'
  },
  'section.extra': { heading: '五、信息处理费收取情况' },
  'headings.renumbered': {},
  'publishedAt.implausible': { date: '2030-01-01', text: '2030年1月1日', year: 2024 },
  'scope.aggregateByName': { agency: '某某县人民政府' },
  'scope.aggregateByArea': { quote: '全县共收到政府信息公开申请' },
  'tables.flattened': {},
  'tables.namedCells': { named: 10, missing: 3, format: '2021' },
  'table.headingMissing': { table: 'proactive', heading: '二、主动公开政府信息情况' },
  'table.reviewWithoutHeading': { heading: '四、政府信息公开行政复议、行政诉讼情况' },
  'table.noNumbers': { table: 'reviewLitigation' },
  'table.rowsMissing': { table: 'applications', rows: ['（一）予以公开', '（二）部分公开'] },
  'row.printedTwice': { ...row, times: 2 },
  'row.otherAsOne': { table: 'applications', values: ['1', '0', '0', '0', '0', '0', '1'] },
  'row.otherAsOneZero': { table: 'applications', values: ['0', '0', '0', '0', '0', '0', '0'] },
  'row.readBySums': { ...row, values: ['1', '23', '4', '5', '6', '39'], read: ['1', '2', '3', '4', '5', '6', '21'], deduced: [] },
  'row.settledByText': {
    table: 'proactive',
    label: '规范性文件',
    ways: 10,
    read: ['12', '3', '186'],
    sentences: ['制发规范性文件12件，现行有效规范性文件186件。']
  },
  'row.unplaced': { table: 'applications', printed: '说明', values: ['1', '', '2'] },
  'row.recognisedByPart': { ...row, printed: '以公开' },
  'row.recognisedByPosition': { ...row, printed: '' },
  'row.gatheredSumsFail': { ...row, values: ['1', '2', '4'] },
  'row.tooManyCuts': { ...row, digits: ['123456789012'] },
  'row.noCut': { ...row, digits: ['9000001'], columns: 7 },
  'row.width': { ...row, values: ['1', '2'], columns: 7 },
  'row.unplaceable': { ...row, cells: 9, columns: 7 },
  'row.ambiguous': { ...row, ways: 2, columns: ['自然人', '总计'] },
  'row.placedLikeOthers': row,
  'rows.cutUnconfirmed': { table: 'applications', rows: ['（一）予以公开'] },
  'proactive.apartSkipped': { values: ['3', '4'] },
  'proactive.apartUndecided': { values: ['3'], rows: ['规章'] },
  'proactive.apartPlaced': { column: '本年废止件数', values: ['55'] },
  'cell.placeholder': cell,
  'cell.unreadable': cell,
  'cell.noteLeftOut': cell,
  'cell.unitConverted': { ...cell, unit: '元', value: '0.394', to: '万元' },
  'cell.tooPrecise': { ...cell, unit: '万元' },
  'cell.notWhole': cell,
  'cell.tooLarge': cell,
  'cell.negative': cell
}

t.test('every code renders in both languages', async (t) => {
  t.same(Object.keys(SAMPLES).sort(), Object.keys(MESSAGES).sort(), 'a sample for every code')
  for (const [code, params] of Object.entries(SAMPLES)) {
    const texts = LANGUAGES.map((language) => renderMessage({ code, params } as ImportMessage, language))
    for (const text of texts) t.notMatch(text, /undefined|\[object|NaN/, `${code}: ${text}`)
    t.not(texts[0], texts[1], `${code}: two languages`)
    t.notMatch(texts[1].replace(/[“”‘’（）\p{Script=Han}、；·：]+/gu, ''), /\p{Script=Han}/u, `${code}: English but for the labels`)
  }
  t.equal(
    renderMessage({ code: 'cell.placeholder', params: cell }, 'zh'),
    '行政处罚 · 本年处理决定数量（proactive.penalty.decisions）：印作“—”，不是数字，留空（null）'
  )
  t.equal(
    renderMessage({ code: 'cell.placeholder', params: cell }, 'en'),
    "行政处罚 · 本年处理决定数量 (proactive.penalty.decisions): printed '—', not a number; kept blank (null)"
  )
  t.equal(
    renderMessage({ code: 'row.width', params: SAMPLES['row.width'] }, 'zh'),
    '表三“（一）予以公开”：7列只印了2个数值（1 2），各单元格留空（null）'
  )
})

t.test('the language of Accept-Language', async (t) => {
  const cases: Array<[string | undefined, string]> = [
    [undefined, 'zh'],
    ['', 'zh'],
    ['en', 'en'],
    ['EN-us', 'en'],
    ['en-GB,en;q=0.9', 'en'],
    ['zh-CN,zh;q=0.9,en;q=0.8', 'zh'],
    ['fr, en;q=0.5', 'en'],
    ['fr, de', 'zh'],
    ['*', 'zh'],
    ['en;q=0, zh;q=0.1', 'zh'],
    ['zh;q=0.4, en;q=0.6', 'en']
  ]
  for (const [header, language] of cases) t.equal(languageOf(header), language, String(header))
})
