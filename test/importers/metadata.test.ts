import t from 'tap'
import { findSignature, inferScope, parseDate, parseDateLine, parseTitle } from '../../src/importers/metadata.js'
import { parseValue, shiftDecimal } from '../../src/importers/values.js'

t.test('titles, agencies and years', async (t) => {
  const cases: Array<[string, string | null, number]> = [
    ['互助县城市管理综合行政执法局 2025 年度政府信息公开工作年度报告', '互助县城市管理综合行政执法局', 2025],
    ['2025 年上海市人民政府办公厅政府信息公开工作年度报告', '上海市人民政府办公厅', 2025],
    ['标题: 平潭综合实验区2021年度政府信息公开工作年度报告', '平潭综合实验区', 2021],
    ['某某局二〇二四年政府信息公开工作年度报告', '某某局', 2024],
    ['某某区教育局政府信息公开工作2023年度报告', '某某区教育局', 2023],
    ['关于某某县2022年政府信息公开工作年度报告', '某某县', 2022],
    ['2024年政府信息公开工作年度报告', null, 2024]
  ]
  for (const [text, agency, year] of cases) t.match(parseTitle(text), { agency, year }, text)
  t.equal(parseTitle('某某局二〇二四年政府信息公开工作年度报告')!.text, '某某局二〇二四年政府信息公开工作年度报告', 'the title as printed')
  t.equal(parseTitle('本报告根据《条例》编制'), null)
})

t.test('dates', async (t) => {
  t.equal(parseDateLine('2026年1月19日'), '2026-01-19')
  t.equal(parseDateLine('2026 年 1 月 19 日'), '2026-01-19')
  t.equal(parseDateLine('二〇二六年一月十九日'), '2026-01-19')
  t.equal(parseDateLine('2026年2月30日'), null, 'no such day')
  t.equal(parseDateLine('2026年1月19日印发'), null, 'a date line is only a date')
  t.equal(parseDate('2022-02-08 16:34'), '2022-02-08')
  t.equal(parseDate('2022/2/8'), '2022-02-08')
})

t.test('the signature', async (t) => {
  const line = (text: string, n: number) => ({ kind: 'text' as const, text, at: { line: n } })
  const signed = findSignature([line('无', 1), line('互助县城市管理综合行政执法局', 2), line('2026年1月19日', 3)], null)
  t.equal(signed.agency?.value, '互助县城市管理综合行政执法局')
  t.equal(signed.date?.value, '2026-01-19')
  t.equal(signed.items.size, 2)
  t.equal(findSignature([line('无', 1), line('平潭综合实验区', 2)], '平潭综合实验区').agency?.value, '平潭综合实验区')
  t.equal(
    findSignature([line('无', 1), line('平潭综合实验区', 2)], null).agency,
    null,
    'an undated line is taken only as the titled agency'
  )
})

t.test('scope', async (t) => {
  t.equal(inferScope('某某县人民政府', '').scope, 'aggregate')
  t.equal(inferScope('某某市', '').scope, 'aggregate')
  t.equal(inferScope('某某市人民政府办公室', '全市共收到申请').scope, 'own')
  t.equal(inferScope('某某镇人民政府', '').scope, 'own')
  t.equal(inferScope(null, '2024年，全县共收到政府信息公开申请35件').scope, 'aggregate')
  t.equal(inferScope(null, '本机关共收到申请35件').scope, 'own')
})

t.test('cell values', async (t) => {
  t.match(parseValue('22（其中修订 16 件）'), { kind: 'number', digits: '22', note: '(其中修订 16 件)' })
  t.match(parseValue('１２'), { kind: 'number', digits: '12' })
  t.match(parseValue('1,234'), { kind: 'number', digits: '1234' })
  t.match(parseValue('-3'), { kind: 'number', digits: '3', negative: true })
  t.match(parseValue('96171.6万元'), { kind: 'number', digits: '96171.6', unit: '万元' })
  for (const dash of ['—', '-', '--', '/', '无', '——']) t.match(parseValue(dash), { kind: 'placeholder' }, dash)
  t.match(parseValue('&nbsp;'), { kind: 'text' })
  t.match(parseValue('\u00a0'), { kind: 'blank' })
  t.equal(shiftDecimal('96171.6', 4), '961716000')
  t.equal(shiftDecimal('3940', -4), '0.394')
  t.equal(shiftDecimal('0.0125', 4), '125')
  t.equal(shiftDecimal('5', -4), '0.0005')
})
