import t from 'tap'
import { getCell } from '../../src/format/document.js'
import { APPLICANT_COLUMNS, APPLICANT_COLUMN_FULL_LABELS, APPLICATION_ROWS, PROACTIVE, REVIEW_GROUPS } from '../../src/format/registry.js'
import { renderMarkdown } from '../../src/render/index.js'
import { expectedText, huzhuReport, report2019 } from './reports.js'

/** The cells of a pipe-table line, `\|` kept inside its cell and unescaped. */
const pipeCells = (line: string): string[] =>
  line
    .slice(2, -2)
    .split(/ (?<!\\)\| /)
    .map((c) => c.replace(/\\(.)/g, '$1'))

/** Every pipe-table line whose first cell is `label` (there must be exactly one). */
function lineOf(md: string, label: string): string[] {
  const lines = md.split('\n').filter((l) => l.startsWith('| ') && pipeCells(l)[0] === label)
  if (lines.length !== 1) throw new Error(`${lines.length} lines labelled ${label}`)
  return pipeCells(lines[0])
}

const cellValueOf = (doc: object, code: string) => getCell(doc as Record<string, unknown>, code)

t.test('the six parts in order as ## headings', async (t) => {
  const md = renderMarkdown(huzhuReport(), { agencyName: '互助县城市管理综合行政执法局' })
  t.match(md, /^# 互助县城市管理综合行政执法局2025年政府信息公开工作年度报告\n\n## 一、总体情况\n\n2025 年，我局/)
  const headings = md.split('\n').filter((l) => l.startsWith('## '))
  t.same(headings, [
    '## 一、总体情况',
    '## 二、主动公开政府信息情况',
    '## 三、收到和处理政府信息公开申请情况',
    '## 四、政府信息公开行政复议、行政诉讼情况',
    '## 五、存在的主要问题及改进情况',
    '## 六、其他需要报告的事项'
  ])
  t.match(md, '## 六、其他需要报告的事项\n\n无\n\n互助县城市管理综合行政执法局  \n2026年1月19日\n')
  t.match(md, '\n\n二是公开信息的有效性不足。\n\n', 'a line of a section is a paragraph')
})

t.test('every row label and value of the sample report (format 2021)', async (t) => {
  const doc = huzhuReport()
  const md = renderMarkdown(doc, { agencyName: null })
  for (const row of PROACTIVE['2021']) {
    t.same(lineOf(md, row.label), [
      row.label,
      ...row.columns.map((c) => expectedText(`proactive.${row.code}.${c.code}`, cellValueOf(doc, `proactive.${row.code}.${c.code}`)))
    ])
  }
  t.same(lineOf(md, '行政许可'), ['行政许可', '78'])
  const blockHeaders = md
    .split('\n')
    .filter((l) => l.startsWith('| 信息内容 |'))
    .map(pipeCells)
  t.same(
    blockHeaders.map((h) => h.slice(1)),
    [['本年制发件数', '本年废止件数', '现行有效件数'], ['本年处理决定数量'], ['本年处理决定数量'], ['本年收费金额（单位：万元）']],
    'one 信息内容 header per article block'
  )
  t.same(
    md.split('\n').filter((l) => l.startsWith('### ')),
    ['### 第二十条第（一）项', '### 第二十条第（五）项', '### 第二十条第（六）项', '### 第二十条第（八）项']
  )
  t.match(md, '### 第二十条第（八）项\n\n| 信息内容 | 本年收费金额（单位：万元） |\n| --- | --- |\n| 行政事业性收费 | 0 |')
  const header = md.split('\n').find((l) => l.startsWith('| （本列数据的勾稽关系'))!
  t.same(
    pipeCells(header).slice(1),
    APPLICANT_COLUMNS.map((c) => APPLICANT_COLUMN_FULL_LABELS[c.code])
  )
  for (const row of APPLICATION_ROWS) {
    const cells = lineOf(md, row.fullLabel)
    t.same(
      cells.slice(1),
      APPLICANT_COLUMNS.map((c) => expectedText('', cellValueOf(doc, `applications.${row.code}.${c.code}`))),
      row.fullLabel
    )
  }
  t.equal(lineOf(md, '（三）不予公开 1.属于国家秘密').length, 8, 'the example line of the brief')
})

t.test('2019: own rows, blanks empty, negative change, amount in 元, one （六）其他处理 line', async (t) => {
  const doc = report2019()
  const md = renderMarkdown(doc, { agencyName: null })
  t.same(lineOf(md, '行政许可'), [
    '行政许可',
    ...['previousItems', 'change', 'decisions'].map((c) => expectedText('', cellValueOf(doc, `proactive.licensing.${c}`)))
  ])
  t.equal(lineOf(md, '行政许可')[2], '-3')
  t.same(lineOf(md, '政府集中采购'), ['政府集中采购', expectedText('', cellValueOf(doc, 'proactive.procurement.projects')), '1234567.89元'])
  t.same(lineOf(md, '其他对外管理服务事项').length, 4)
  let blanks = 0
  for (const row of APPLICATION_ROWS.filter((r) => !r.only2021)) {
    const label = row.code === 'outcomes.other.other' ? '（六）其他处理' : row.fullLabel
    const values = APPLICANT_COLUMNS.map((c) => expectedText('', cellValueOf(doc, `applications.${row.code}.${c.code}`)))
    blanks += values.filter((v) => v === '').length
    t.same(lineOf(md, label).slice(1), values, label)
  }
  t.ok(blanks > 20)
  t.notMatch(md, /3\.其他|逾期不补正|逾期未按收费通知/)
  const review = md
    .split('\n')
    .filter((l) => l.startsWith('| '))
    .slice(-3)
  t.equal(pipeCells(review[0])[0], '行政复议 · 结果维持')
  t.equal(pipeCells(review[0]).length, 15)
  t.same(
    pipeCells(review[2]),
    REVIEW_GROUPS.flatMap((g) =>
      ['upheld', 'corrected', 'other', 'pending', 'total'].map((c) => expectedText('', cellValueOf(doc, `reviewLitigation.${g.code}.${c}`)))
    )
  )
})

t.test('markdown text is only text: HTML, pipes and line starts escaped', async (t) => {
  const doc = huzhuReport()
  doc.sections.overview = '<script>alert(1)</script> & 说明 | 竖线\n# 不是标题\n1. 不是列表\n- 不是列表'
  const md = renderMarkdown(doc, { agencyName: null })
  t.notMatch(md, '<script>')
  t.match(md, '\\<script\\>alert(1)\\</script\\> \\& 说明 \\| 竖线\n\n\\# 不是标题\n\n1\\. 不是列表\n\n\\- 不是列表\n')
})
