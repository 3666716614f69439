import t from 'tap'
import { getCell } from '../../src/format/document.js'
import { cellsOf } from '../../src/format/registry.js'
import { renderReportCsv, toCsv } from '../../src/render/index.js'
import { huzhuReport, report2019 } from './reports.js'
import { parseCsv } from '../fixtures/parse-csv.js'

const cellValueOf = (doc: object, code: string) => getCell(doc as Record<string, unknown>, code)

t.test('toCsv: RFC 4180 quoting, CRLF, blanks, BOM on request', async (t) => {
  const csv = toCsv(
    ['名称', 'n', 'note'],
    [
      ['a,b', 1, 'say "hi"'],
      ['line\nbreak', null, undefined],
      ['cr\rhere', -2.5, ''],
      ['plain', 1e-7, 'x']
    ]
  )
  t.equal(csv, '名称,n,note\r\n"a,b",1,"say ""hi"""\r\n"line\nbreak",,\r\n"cr\rhere",-2.5,\r\nplain,0.0000001,x\r\n')
  t.same(parseCsv(csv), [
    ['名称', 'n', 'note'],
    ['a,b', '1', 'say "hi"'],
    ['line\nbreak', '', ''],
    ['cr\rhere', '-2.5', ''],
    ['plain', '0.0000001', 'x']
  ])
  t.notOk(csv.startsWith('\uFEFF'), 'no BOM by default')
  const bom = toCsv(['a'], [[1]], { bom: true })
  t.equal(bom, '\uFEFFa\r\n1\r\n')
  t.equal(toCsv(['a'], []), 'a\r\n', 'a header alone')
})

t.test('report CSV: header code,label,value and one line per cell of the format', async (t) => {
  for (const doc of [huzhuReport(), report2019()]) {
    const csv = renderReportCsv(doc)
    t.notOk(csv.startsWith('\uFEFF'))
    const [header, ...rows] = parseCsv(csv)
    t.same(header, ['code', 'label', 'value'])
    t.same(
      rows.map((r) => r[0]),
      cellsOf(doc.format).map((c) => c.code),
      `format ${doc.format}: registry order`
    )
    for (const [code, label, value] of rows) {
      const expected = cellValueOf(doc, code)
      t.equal(value, expected === null ? '' : String(expected), code)
      t.ok(label.length > 0)
    }
  }
  t.ok(renderReportCsv(huzhuReport(), { bom: true }).startsWith('\uFEFFcode,label,value\r\n'))
})

t.test('report CSV: labels as the format prints them, values exact', async (t) => {
  const doc = report2019()
  const rows = new Map(parseCsv(renderReportCsv(doc)).map(([code, label, value]) => [code, { label, value }]))
  t.same(rows.get('proactive.procurement.amountYuan'), { label: '政府集中采购 · 采购总金额', value: '1234567.89' })
  t.equal(rows.get('proactive.licensing.change')!.value, '-3')
  t.equal(rows.get('proactive.licensing.decisions')!.label, '行政许可 · 处理决定数量', '2019 wording')
  t.equal(rows.get('applications.outcomes.other.other.total')!.label, '（六）其他处理 · 总计')
  t.equal(rows.get('applications.outcomes.denied.stateSecret.total')!.label, '（三）不予公开 1.属于国家秘密 · 总计')
  t.equal(rows.has('applications.outcomes.other.unpaidFee.total'), false)
  t.ok(
    [...rows.values()].some((r) => r.value === ''),
    'blank cells are empty fields'
  )

  const huzhu = huzhuReport()
  ;(huzhu.proactive.fees as Record<string, number>).amountWanYuan = 24252.311082
  const fee = parseCsv(renderReportCsv(huzhu)).find((r) => r[0] === 'proactive.fees.amountWanYuan')!
  t.same(fee, ['proactive.fees.amountWanYuan', '行政事业性收费 · 本年收费金额（单位：万元）', '24252.311082'])
  const decisions = parseCsv(renderReportCsv(huzhu)).find((r) => r[0] === 'proactive.licensing.decisions')!
  t.same(decisions, ['proactive.licensing.decisions', '行政许可 · 本年处理决定数量', '78'])
})

t.test('toCsv: text that a spreadsheet would run as a formula gets a leading apostrophe; numbers stay numbers', async (t) => {
  const hostile = ["=cmd|' /C calc'!A0", '+1+1', '-2+3', '@SUM(A1:A2)', '\t=1', '\r=1', '＝1+1', '－1']
  const csv = toCsv(['text'], [...hostile.map((h) => [h]), ['-3'], ['+5'], ['-2.5'], ['a=b'], [' =1'], [-7], [-0.25], ['']])
  t.same(
    parseCsv(csv)
      .slice(1)
      .map((r) => r[0]),
    [
      "'=cmd|' /C calc'!A0",
      "'+1+1",
      "'-2+3",
      "'@SUM(A1:A2)",
      "'\t=1",
      "'\r=1",
      "'＝1+1",
      "'－1",
      '-3',
      '+5',
      '-2.5',
      'a=b',
      ' =1',
      '-7',
      '-0.25',
      ''
    ]
  )
  t.match(csv, /\r\n"'\r=1"\r\n/, 'a neutralised field is still quoted when it must be')
})
