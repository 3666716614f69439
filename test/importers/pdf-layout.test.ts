// Tables rebuilt from positions and ruling lines, on pages made by hand: merged cells, a table that
// goes on over a page break with its header rows repeated, text around it in reading order.
import t from 'tap'
import { hasTextLayer, pdfToItems, type Glyph, type PdfPage, type Rule } from '../../src/importers/pdf-layout.js'
import { fromRadicals } from '../../src/importers/pdf.js'

const glyph = (text: string, x: number, y: number, size = 10): Glyph => ({ text, x0: x, x1: x + size * text.length, y0: y - size, y1: y })

/** The rules of a grid: horizontal lines at `ys` across `xs`, vertical lines at `xs` down `ys`, minus the gaps given. */
function grid(xs: number[], ys: number[], gaps: Array<{ y: number; from: number; to: number }> = []): Rule[] {
  const rules: Rule[] = []
  for (const y of ys) {
    const gap = gaps.find((g) => g.y === y)
    if (!gap) rules.push({ x0: xs[0], x1: xs[xs.length - 1], y0: y, y1: y })
    else {
      if (gap.from > xs[0]) rules.push({ x0: xs[0], x1: gap.from, y0: y, y1: y })
      if (gap.to < xs[xs.length - 1]) rules.push({ x0: gap.to, x1: xs[xs.length - 1], y0: y, y1: y })
    }
  }
  for (const x of xs) rules.push({ x0: x, x1: x, y0: ys[0], y1: ys[ys.length - 1] })
  return rules
}

const rows = (items: ReturnType<typeof pdfToItems>) => items.map((i) => (i.kind === 'text' ? i.text : i.cells.map((c) => c.text)))

t.test('a merged label cell goes to the first row it spans; text before and after in reading order', async (t) => {
  // columns: group label | item label | value; rows at 100, 120, 140, 160; the group cell spans rows 2 and 3
  const page: PdfPage = {
    width: 600,
    height: 800,
    rules: grid([50, 150, 350, 450], [100, 120, 140, 160], [{ y: 140, from: 50, to: 150 }]),
    glyphs: [
      glyph('三、收到和处理政府信息公开申请情况', 50, 80),
      glyph('信息内容', 60, 115),
      glyph('数量', 360, 115),
      glyph('（三）不予公开', 60, 145), // vertically centred in its merged cell: printed in the third row
      glyph('1.属于国家秘密', 160, 135),
      glyph('2', 360, 135),
      glyph('2.其他法律行政法规禁止公开', 160, 155),
      glyph('31', 360, 155),
      glyph('- 4 -', 280, 780)
    ]
  }
  const items = pdfToItems([page])
  t.same(rows(items), [
    '三、收到和处理政府信息公开申请情况',
    ['信息内容', '', '数量'],
    ['（三）不予公开', '1.属于国家秘密', '2'],
    ['', '2.其他法律行政法规禁止公开', '31']
  ])
  t.same(items[2].kind === 'row' && items[2].cells[2].at, { page: 1, table: 1, row: 2, column: 3 })
})

t.test('a table going on over a page break: one table, the repeated header dropped', async (t) => {
  const header = (y: number) => [glyph('信息内容', 60, y), glyph('数量', 360, y)]
  const first: PdfPage = {
    width: 600,
    height: 800,
    rules: grid([50, 350, 450], [700, 720, 740, 760]),
    glyphs: [
      glyph('二、主动公开政府信息情况', 50, 680),
      ...header(715),
      glyph('行政许可', 60, 735),
      glyph('78', 360, 735),
      glyph('行政处罚', 60, 755),
      glyph('45', 360, 755)
    ]
  }
  const second: PdfPage = {
    width: 600,
    height: 800,
    rules: grid([50, 350, 450], [50, 70, 90]),
    glyphs: [...header(65), glyph('行政强制', 60, 85), glyph('0', 360, 85), glyph('三、收到和处理政府信息公开申请情况', 50, 120)]
  }
  const items = pdfToItems([first, second])
  t.same(rows(items), [
    '二、主动公开政府信息情况',
    ['信息内容', '数量'],
    ['行政许可', '78'],
    ['行政处罚', '45'],
    ['行政强制', '0'],
    '三、收到和处理政府信息公开申请情况'
  ])
  const last = items[4]
  t.same(last.kind === 'row' && last.cells[1].at, { page: 2, table: 1, row: 4, column: 2 }, 'the rows of the table are counted on')

  // another table at the top of the next page, of other edges, is a new table
  const other = { ...second, rules: grid([40, 350, 460], [50, 70, 90]) }
  const apart = pdfToItems([first, other])
  t.same(
    rows(apart).slice(4, 6),
    [
      ['信息内容', '数量'],
      ['行政强制', '0']
    ],
    'its header is kept'
  )
})

t.test('runs joined: spaces where the page leaves a gap, none inside Chinese text; radicals read as characters', async (t) => {
  const page: PdfPage = {
    width: 600,
    height: 800,
    rules: [],
    glyphs: [glyph('行政', 50, 100), glyph('许可', 70, 100), glyph('447228', 200, 100), glyph('2025', 50, 130), glyph('年', 92, 130)]
  }
  t.same(rows(pdfToItems([page])), ['行政许可 447228', '2025年'])
  t.equal(fromRadicals('⼀、本年新收政府信息公开申请数量（⼈⺠）⻔'), '一、本年新收政府信息公开申请数量（人民）门')
  t.notOk(hasTextLayer([{ ...page, glyphs: [glyph('1', 10, 10)] }]), 'a stray character is no text layer')
  t.notOk(hasTextLayer([page]), '15 characters are not a report')
  t.ok(hasTextLayer([{ ...page, glyphs: [...page.glyphs, glyph('二、主动公开政府信息情况', 50, 160)] }]))
})
