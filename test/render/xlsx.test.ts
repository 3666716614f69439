import t from 'tap'
import { columnName, renderXlsx, xmlText, MAX_CELL_TEXT } from '../../src/render/xlsx.js'
import { renderReportXlsx } from '../../src/render/index.js'
import { readSampleData } from '../../src/sample.js'
import { cellsOf, CELL_BY_CODE } from '../../src/format/registry.js'
import { getCell, type ReportInput } from '../../src/format/document.js'
import { readXlsx, xlsxParts } from '../fixtures/read-xlsx.js'

const buffer = (bytes: Uint8Array) => Buffer.from(bytes)

t.test('column names and XML text', async (t) => {
  t.same([0, 25, 26, 51, 52, 701, 702].map(columnName), ['A', 'Z', 'AA', 'AZ', 'BA', 'ZZ', 'AAA'])
  t.equal(xmlText('a<b & "c">'), 'a&lt;b &amp; &quot;c&quot;&gt;')
  t.equal(xmlText('bell\u0007 tab\t'), 'bell_x0007_ tab\t', 'control characters as _xHHHH_, tab kept')
  t.equal(xmlText('_x0041_'), '_x005F_x0041_', 'a literal escape-looking text is itself escaped')
})

t.test('a workbook ExcelJS reads back exactly: codes text, numbers exact, blanks empty, control characters kept', async (t) => {
  const body = renderXlsx([
    {
      name: '表',
      header: ['代码', '名称', '数值'],
      types: ['text', 'text', 'number'],
      rows: [
        ['000000', '全国', 24252.311082],
        ['630223', '=1+1', null],
        [630102, 'a\u0001b', 0.1 + 0.2],
        ['_x0041_', '+SUM(A1)', -3]
      ]
    },
    { name: 'second', header: ['x'], rows: [] }
  ])
  t.same(renderXlsx([{ name: 'a', header: ['x'], rows: [[1]] }]), renderXlsx([{ name: 'a', header: ['x'], rows: [[1]] }]), 'deterministic')
  const [sheet, second] = await readXlsx(buffer(body))
  t.equal(sheet.name, '表')
  t.equal(second.name, 'second')
  t.same(
    sheet.rows.map((r) => r.map((c) => c.value)),
    [
      ['代码', '名称', '数值'],
      ['000000', '全国', 24252.311082],
      ['630223', '=1+1', null],
      // ExcelJS does not decode ECMA-376's _xHHHH_ escapes (Excel does): the raw XML is checked below
      ['630102', 'a_x0001_b', 0.30000000000000004],
      ['_x005F_x0041_', '+SUM(A1)', -3]
    ]
  )
  t.same(
    sheet.rows.slice(1).map((r) => r[0].type),
    ['string', 'string', 'string', 'string'],
    'a number in a text column is text'
  )
  const xml = xlsxParts(buffer(body))['xl/worksheets/sheet1.xml']
  t.match(xml, /<c r="C2"><v>24252.311082<\/v><\/c>/, 'plain decimal digits')
  t.match(xml, /<c r="B4" s="2" t="inlineStr"><is><t xml:space="preserve">a_x0001_b<\/t><\/is><\/c>/, 'U+0001 as its escape')
  t.match(xml, /<c r="A5" s="2" t="inlineStr"><is><t xml:space="preserve">_x005F_x0041_<\/t><\/is><\/c>/, 'a literal _x0041_ as itself')
  t.notMatch(xml, /<f>/)
  t.match(xml, /state="frozen"/)
  t.match(xml, /<autoFilter ref="A1:C5"\/>/)
  t.throws(() => renderXlsx([{ name: 'a/b', header: [], rows: [] }]), /sheet name/)
  t.throws(
    () => renderXlsx([{ name: 'a', header: ['x'], rows: [['x'.repeat(MAX_CELL_TEXT + 1)]] }]),
    /more than a cell can/,
    'never cut silently'
  )
})

t.test('a report as XLSX: every cell of its format, its facts and its text', async (t) => {
  const doc = readSampleData().report as ReportInput
  const long = '长'.repeat(MAX_CELL_TEXT + 10)
  const body = renderReportXlsx({ ...doc, agencyId: 7, sections: { ...doc.sections, otherMatters: long } } as ReportInput, {
    agencyName: '互助县城市管理综合行政执法局'
  })
  const [cells, facts] = await readXlsx(buffer(body))
  t.equal(cells.name, '单元格')
  t.same(
    cells.rows[0].map((c) => c.value),
    ['code', 'label', 'value']
  )
  const codes = cellsOf(doc.format).map((c) => c.code)
  t.same(
    cells.rows.slice(1).map((r) => r[0].value),
    codes
  )
  t.same(
    cells.rows.slice(1).map((r) => r[2].value),
    codes.map((code) => getCell(doc as never, CELL_BY_CODE.get(code)!)),
    'the values as stored, blanks empty'
  )
  t.equal(facts.name, '报告')
  const byLabel = new Map(facts.rows.slice(1).map((r) => [r[0].value, r[1].value]))
  t.equal(byLabel.get('机关'), '互助县城市管理综合行政执法局')
  t.equal(byLabel.get('机关ID'), '7')
  t.equal(byLabel.get('年度'), String(doc.year))
  t.equal(byLabel.get('一、总体情况'), doc.sections!.overview)
  t.equal(
    String(byLabel.get('六、其他需要报告的事项')) + String(byLabel.get('六、其他需要报告的事项（续）')),
    long,
    'a text longer than a cell goes on below'
  )
})
