import t from 'tap'
import { getCell } from '../../src/format/document.js'
import {
  APPLICANT_COLUMN_FULL_LABELS,
  APPLICATION_ROWS,
  CELL_BY_CODE,
  OUTCOMES_HEADING,
  PROACTIVE,
  cellsOf
} from '../../src/format/registry.js'
import { renderHtml } from '../../src/render/index.js'
import { dataCells, distinct, grid, tables } from './html-grid.js'
import { expectedText, huzhuReport, report2019 } from './reports.js'

const cellValueOf = (doc: object, code: string) => getCell(doc as Record<string, unknown>, code)
const squash = (s: string) => s.replace(/\s+/g, '')

t.test('a complete, self-contained printable page', async (t) => {
  const html = renderHtml(huzhuReport(), { agencyName: '互助县城市管理综合行政执法局' })
  t.match(html, /^<!doctype html>\n<html lang="zh-CN">/)
  t.match(html, '<meta charset="utf-8">')
  t.match(html, /<style>[\s\S]*@page[\s\S]*<\/style>/)
  t.notMatch(html, /<script|<link|<img|src=|https?:/i, 'no scripts, no external resources')
  t.match(html, '<title>互助县城市管理综合行政执法局2025年政府信息公开工作年度报告</title>')
  t.match(html, '<h1>互助县城市管理综合行政执法局2025年政府信息公开工作年度报告</h1>')
  t.match(html, '<p class="signature">互助县城市管理综合行政执法局<br>2026年1月19日</p>')
  t.match(html, /<\/html>\n$/)

  const titled = renderHtml({ ...huzhuReport(), title: '互助县城管局2025年度政府信息公开工作年度报告' }, { agencyName: null })
  t.match(titled, '<h1>互助县城管局2025年度政府信息公开工作年度报告</h1>', "the report's own title wins")
  t.match(renderHtml({ ...huzhuReport(), title: null }, { agencyName: null }), '<h1>2025年政府信息公开工作年度报告</h1>')
})

t.test('the six parts, in order, with the sections split into paragraphs', async (t) => {
  const html = renderHtml(huzhuReport(), { agencyName: null })
  const headings = [...html.matchAll(/<h2>([^<]*)<\/h2>/g)].map((m) => m[1])
  t.same(headings, [
    '一、总体情况',
    '二、主动公开政府信息情况',
    '三、收到和处理政府信息公开申请情况',
    '四、政府信息公开行政复议、行政诉讼情况',
    '五、存在的主要问题及改进情况',
    '六、其他需要报告的事项'
  ])
  const parts = [...html.matchAll(/<section class="part" data-part="(\w+)">([\s\S]*?)<\/section>/g)]
  t.same(
    parts.map((m) => m[1]),
    ['overview', 'proactive', 'applications', 'reviewLitigation', 'problems', 'otherMatters']
  )
  const paras = (i: number) => [...parts[i][2].matchAll(/<p>([^<]*)<\/p>/g)].map((m) => m[1])
  t.same(paras(0), ['2025 年，我局坚持以习近平新时代中国特色社会主义思想为指导，严格落实《条例》。', '（一）高度重视，强化组织领导。'])
  t.same(paras(4), ['2025年，我局排查发现政府信息公开工作存在两方面突出问题：一是人员流动性较大。', '二是公开信息的有效性不足。'])
  t.same(paras(5), ['无'])
  t.equal(parts.filter((m) => m[2].includes('<table')).length, 3, 'a table in 二, 三 and 四 only')
  t.match(parts[1][2], '<table class="proactive">')
  t.match(parts[3][2], '<table class="review-litigation">')
})

t.test('everything is escaped', async (t) => {
  const doc = huzhuReport()
  doc.title = 'A & B <i>年报</i>'
  doc.sections.overview = '<script>alert("x")</script> & 说明\n第二段 \'引号\''
  const html = renderHtml(doc, { agencyName: '<b>机关</b>' })
  t.notMatch(html, /<script|<i>|<b>/)
  t.match(html, '<h1>A &amp; B &lt;i&gt;年报&lt;/i&gt;</h1>')
  t.match(html, '<p>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; 说明</p>')
  t.match(html, '<p>第二段 &#39;引号&#39;</p>')
  t.match(html, '&lt;b&gt;机关&lt;/b&gt;')
})

t.test('sample report: every cell at its data-cell, 0 as 0', async (t) => {
  const doc = huzhuReport()
  const cells = dataCells(renderHtml(doc, { agencyName: null }))
  t.same(
    [...cells.keys()].sort(),
    cellsOf('2021')
      .map((c) => c.code)
      .sort(),
    'each cell of format 2021 exactly once'
  )
  for (const cell of cellsOf('2021')) t.equal(cells.get(cell.code), expectedText(cell.code, cellValueOf(doc, cell.code)), cell.code)
  t.equal(cells.get('proactive.licensing.decisions'), '78')
  t.equal(cells.get('proactive.penalty.decisions'), '45')
  t.equal(cells.get('applications.outcomes.total.total'), '0')
})

t.test('2019 report: blanks are empty, negative change, procurement in 元', async (t) => {
  const doc = report2019()
  const html = renderHtml(doc, { agencyName: '某县某局' })
  const cells = dataCells(html)
  t.same(
    [...cells.keys()].sort(),
    cellsOf('2019')
      .map((c) => c.code)
      .sort()
  )
  let blanks = 0
  for (const cell of cellsOf('2019')) {
    const value = cellValueOf(doc, cell.code)
    if (value === null) blanks++
    t.equal(cells.get(cell.code), expectedText(cell.code, value), cell.code)
  }
  t.ok(blanks > 30, 'many blank cells were checked')
  t.equal(cells.get('proactive.licensing.change'), '-3')
  t.equal(cells.get('proactive.procurement.amountYuan'), '1234567.89元')
  t.match(html, '<td data-cell="proactive.regulations.newlyPublished"></td>', 'a blank cell is an empty td')
  t.notMatch(html, /data-cell="proactive\.regulations\.issued"/, 'no 2021 columns')
  t.match(html, '<th>其他对外管理服务事项</th>')
  t.match(html, '<tr><th>信息内容</th><th>上一年项目数量</th><th>本年增/减</th><th>处理决定数量</th></tr>')
  t.match(html, '<tr><th>信息内容</th><th>采购项目数量</th><th colspan="2">采购总金额</th></tr>')
  t.match(html, '<th colspan="4" class="article">第二十条第（九）项</th>')
})

t.test('money is printed exactly', async (t) => {
  const doc = huzhuReport()
  const fee = (v: number) => {
    ;(doc.proactive.fees as Record<string, number>).amountWanYuan = v
    return dataCells(renderHtml(doc, { agencyName: null })).get('proactive.fees.amountWanYuan')
  }
  t.equal(fee(24252.311082), '24252.311082')
  t.equal(fee(96171.6), '96171.6')
  t.equal(fee(0.000001), '0.000001')
  t.equal(fee(123456789), '123456789')
  t.equal(fee(0), '0')
})

t.test('table 二 reads from its labels: article, 信息内容 headings, row labels', async (t) => {
  for (const [format, doc] of [
    ['2021', huzhuReport()],
    ['2019', report2019()]
  ] as const) {
    const g = grid(tables(renderHtml(doc, { agencyName: null }))[0])
    let article = ''
    let header: string[] = []
    let seen = 0
    for (const row of g) {
      if (distinct(row.map((c) => c.text)).length === 1 && row[0].tag === 'th' && row.length === 4) {
        article = row[0].text
        continue
      }
      if (row[0].text === '信息内容') {
        header = row.map((c) => c.text)
        continue
      }
      row.forEach((cell, i) => {
        if (!cell.code || row[i - 1] === cell) return
        const def = CELL_BY_CODE.get(cell.code)!
        const rowDef = PROACTIVE[format].find((r) => `proactive.${r.code}` === def.row)!
        t.equal(row[0].text, def.rowLabel, `${cell.code} row label`)
        // the format's own wording: 2019 prints 处理决定数量 where 2021 prints 本年处理决定数量
        const columnDef = rowDef.columns.find((col) => col.code === def.column)!
        t.equal(header[i], columnDef.label, `${cell.code} column heading`)
        t.equal(article, rowDef.article, `${cell.code} article`)
        seen++
      })
    }
    t.equal(seen, cellsOf(format).filter((c) => c.table === 'proactive').length, `format ${format}: every table-二 cell`)
  }
  const html = renderHtml(huzhuReport(), { agencyName: null })
  t.match(html, '<tr><th>信息内容</th><th colspan="3">本年收费金额（单位：万元）</th></tr>', 'a one-column block stretches its column')
})

t.test('table 三: merged headers as in the official format', async (t) => {
  const html = renderHtml(huzhuReport(), { agencyName: null })
  const table = tables(html)[1]
  t.match(
    table,
    '<th rowspan="3" colspan="3">（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</th><th colspan="7">申请人情况</th>'
  )
  t.match(table, '<tr><th rowspan="2">自然人</th><th colspan="5">法人或其他组织</th><th rowspan="2">总计</th></tr>')
  t.match(table, '<tr><th>商业企业</th><th>科研机构</th><th>社会公益组织</th><th>法律服务机构</th><th>其他</th></tr>')
  t.match(table, '<th rowspan="22">三、本年度办理结果</th><th colspan="2">（一）予以公开</th>')
  t.match(table, '<th rowspan="8">（三）不予公开</th><th>1.属于国家秘密</th>')
  t.match(table, '<th rowspan="3">（四）无法提供</th>')
  t.match(table, '<th rowspan="5">（五）不予处理</th>')
  t.match(table, '<th rowspan="3">（六）其他处理</th><th>1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请</th>')
  t.match(table, '<th colspan="3">四、结转下年度继续办理</th>')
  const g = grid(table)
  t.equal(g.length, 3 + 25)
  for (const row of g) t.equal(row.length, 10, 'every line is ten columns wide')
})

t.test('table 三 reads from its labels alone (rows and columns of every cell)', async (t) => {
  for (const [format, doc] of [
    ['2021', huzhuReport()],
    ['2019', report2019()]
  ] as const) {
    const g = grid(tables(renderHtml(doc, { agencyName: null }))[1])
    let seen = 0
    g.forEach((row, _r) =>
      row.forEach((cell, c) => {
        if (!cell.code) return
        const def = CELL_BY_CODE.get(cell.code)!
        const rowDef = APPLICATION_ROWS.find((a) => `applications.${a.code}` === def.row)!
        const rowLabels = distinct(row.slice(0, 3).map((x) => x.text))
        let expected = rowDef.fullLabel
        if (rowDef.code.startsWith('outcomes.') && !expected.startsWith(OUTCOMES_HEADING)) expected = OUTCOMES_HEADING + expected
        if (format === '2019' && rowDef.code === 'outcomes.other.other') expected = `${OUTCOMES_HEADING}（六）其他处理`
        t.equal(squash(rowLabels.join('')), squash(expected), `${cell.code} row`)
        const columnLabels = distinct(g.slice(0, 3).map((h) => h[c].text)).filter((x) => x !== '申请人情况')
        t.equal(columnLabels.join('·'), APPLICANT_COLUMN_FULL_LABELS[def.column], `${cell.code} column`)
        seen++
      })
    )
    t.equal(seen, cellsOf(format).filter((c) => c.table === 'applications').length)
  }
})

t.test('2019: a single （六）其他处理 row holding outcomes.other.other', async (t) => {
  const doc = report2019()
  const table = tables(renderHtml(doc, { agencyName: null }))[1]
  t.equal(table.split('（六）其他处理').length - 1, 1, 'the label once')
  t.match(table, /<tr><th colspan="2">（六）其他处理<\/th><td data-cell="applications\.outcomes\.other\.other\.naturalPerson">/)
  t.notMatch(table, /overdueCorrection|unpaidFee|3\.其他|1\.申请人无正当理由/)
  t.match(table, '<th rowspan="20">三、本年度办理结果</th>')
  t.equal(grid(table).length, 3 + 23)
})

t.test('table 四: 行政复议 | 行政诉讼 (未经复议直接起诉, 复议后起诉), one row of 15', async (t) => {
  const doc = report2019()
  const table = tables(renderHtml(doc, { agencyName: null }))[2]
  t.match(table, '<tr><th colspan="5">行政复议</th><th colspan="10">行政诉讼</th></tr>')
  t.match(table, '<th colspan="5">未经复议直接起诉</th><th colspan="5">复议后起诉</th>')
  const g = grid(table)
  t.equal(g.length, 4)
  t.equal(g[3].length, 15)
  g[3].forEach((cell, c) => {
    const def = CELL_BY_CODE.get(cell.code!)!
    t.equal(distinct(g.slice(0, 3).map((h) => h[c].text)).join('·'), squash(def.label), `${def.code} heading`)
    t.equal(cell.text, expectedText(def.code, cellValueOf(doc, def.code)))
  })
})
