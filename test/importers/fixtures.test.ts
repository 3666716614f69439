// Every published report in test/fixtures/reports imports with every value read by hand.
import t from 'tap'
import { readFileSync, readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { CELLS } from '../../src/format/registry.js'
import { getCell } from '../../src/format/document.js'
import { importHtml, importText } from '../../src/importers/index.js'

const dir = fileURLToPath(new URL('../fixtures/reports/', import.meta.url))
const sources = readdirSync(dir).filter((f) => /\.(txt|md|html)$/.test(f) && f !== 'README.md')

/** Whether the hand-read document lists the cell (partial documents list only what was read). */
const listed = (doc: Record<string, unknown>, path: string[]) =>
  path.reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], doc) !== undefined

t.test('every fixture has an expected document', async (t) => {
  t.ok(sources.length >= 5)
})

for (const file of sources) {
  t.test(file, async (t) => {
    const source = readFileSync(dir + file, 'utf8')
    const expected = JSON.parse(readFileSync(dir + file.replace(/\.(txt|md|html)$/, '.expected.json'), 'utf8'))
    const result = file.endsWith('.html') ? importHtml(source) : importText(source)
    const { report } = result

    t.equal(report.year, expected.year, 'year')
    t.equal(report.format, expected.format, 'format')
    t.equal(report.scope, expected.scope, 'scope')
    if ('publishedAt' in expected) t.equal(report.publishedAt, expected.publishedAt, 'publishedAt')

    let compared = 0
    for (const cell of CELLS) {
      if (!listed(expected, cell.path)) continue
      compared++
      t.equal(getCell(report, cell), getCell(expected, cell), cell.code)
      t.ok(result.provenance[cell.code] || getCell(report, cell) === null, `${cell.code} has provenance`)
    }
    t.ok(compared > 0, `${compared} hand-read cells compared`)

    const sections = expected.sections ?? {}
    for (const code of ['overview', 'problems', 'otherMatters'] as const) {
      const startsWith = sections[`${code}StartsWith`]
      if (startsWith) t.ok(report.sections[code]?.startsWith(startsWith), `${code} starts with ${startsWith}`)
      if (typeof sections[code] === 'string') t.equal(report.sections[code], sections[code], code)
    }
    if (expected.agency?.name && result.agencyName && !expected.agency.name.startsWith(result.agencyName)) {
      t.fail(`agency ${result.agencyName} is not the printed ${expected.agency.name}`)
    }
  })
}

t.test('the flattened page: undeterminable cells stay null, with a reason', async (t) => {
  const { report, warnings } = importText(readFileSync(`${dir}pingtan-2021.txt`, 'utf8'))
  const full = JSON.parse(readFileSync(`${dir}pingtan-2021-page.expected.json`, 'utf8'))
  // the same report read from its HTML: every cell the text determines must agree with it
  const nulls: string[] = []
  for (const cell of CELLS.filter((c) => c.formats.includes('2021'))) {
    const value = getCell(report, cell)
    if (value === null) nulls.push(cell.code)
    else t.equal(value, getCell(full, cell), cell.code)
  }
  t.same(nulls, ['proactive.normativeDocuments.issued', 'proactive.normativeDocuments.repealed', 'proactive.normativeDocuments.inForce'])
  t.ok(
    warnings.some((w) => w.code === 'row.ambiguous' && w.params.label === '行政规范性文件' && w.params.ways === 10),
    'says why 693665 was not split'
  )
  t.same(
    ['review', 'litigationDirect', 'litigationAfterReview'].map((g) =>
      ['upheld', 'corrected', 'other', 'pending', 'total'].map((c) => getCell(report, `reviewLitigation.${g}.${c}`))
    ),
    [
      [1, 0, 2, 0, 3],
      [12, 0, 0, 0, 12],
      [0, 0, 0, 0, 0]
    ],
    'table 四: the only cut of 10203120001200000 that satisfies T4-01'
  )
  t.equal(report.sourceUrl, 'https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/202202/t20220208_80613.htm')
})

t.test('provenance points at the printed text', async (t) => {
  const huzhu = importText(readFileSync(`${dir}huzhu-urban-management-2025.txt`, 'utf8'))
  t.match(huzhu.provenance['proactive.licensing.decisions'], { text: '78', line: 33, column: 6 })
  t.match(huzhu.provenance.publishedAt, { text: '2026年1月19日' })
  t.equal(huzhu.agencyName, '互助县城市管理综合行政执法局')
  t.equal(huzhu.report.title, '互助县城市管理综合行政执法局2025年度政府信息公开工作年度报告')
  const page = importHtml(readFileSync(`${dir}pingtan-2021-page.html`, 'utf8'))
  t.match(page.provenance['proactive.fees.amountWanYuan'], { text: '24252.311082', table: 1 })
  t.match(page.provenance['applications.newReceived.naturalPerson'], { text: '64', table: 2, column: 2 })
  t.match(page.provenance.publishedAt, { text: /PubDate/ })
  const huaian = importText(readFileSync(`${dir}huaian-city-government-2024.txt`, 'utf8'))
  t.equal(huaian.agencyName, '淮安市人民政府')
  t.same(
    huaian.warnings.filter((w) => w.code.startsWith('scope.')),
    [{ code: 'scope.aggregateByName', params: { agency: '淮安市人民政府' } }],
    'says the scope was inferred'
  )
  const shanghai = importText(readFileSync(`${dir}shanghai-general-office-2025.md`, 'utf8'))
  t.equal(shanghai.agencyName, '上海市人民政府办公厅')
  t.match(shanghai.provenance['proactive.normativeDocuments.repealed'], { text: '55（含自然失效 29 件）' })
})
