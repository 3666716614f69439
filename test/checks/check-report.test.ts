import t from 'tap'
import { readFileSync, readdirSync } from 'node:fs'
import { RULES, checkInYear, checkReport, hasErrors, type Finding } from '../../src/checks/index.js'
import { buildConsistentReport } from '../../src/checks/consistent-report.js'
import { type ReportInput, emptyReport, getCell, setCell } from '../../src/format/document.js'
import { type Format, cellsOf } from '../../src/format/registry.js'
import { importHtml, importText } from '../../src/importers/index.js'
import { brief, bump, ofRule, set } from './support.js'

const FIXTURES = new URL('../fixtures/reports/', import.meta.url)

/** The published text of a fixture, read by the importer: its sections are the report's real text. */
function importedSections(name: string): ReportInput['sections'] {
  const file = readdirSync(FIXTURES).find((f) => f.startsWith(`${name}.`) && /\.(txt|md|html)$/.test(f))
  if (!file) throw new Error(`no source for ${name}`)
  const source = readFileSync(new URL(file, FIXTURES), 'utf8')
  return (file.endsWith('.html') ? importHtml(source) : importText(source)).report.sections
}

/**
 * A hand-read fixture as a ReportInput: its hand-read cells (absent ones blank) and the sections of its
 * published text (the expected file keeps only their first words, too short for the text rules).
 */
function fixtureReport(name: string): ReportInput {
  const json = JSON.parse(readFileSync(new URL(`${name}.expected.json`, FIXTURES), 'utf8'))
  const doc = emptyReport(json.format as Format, {
    agencyId: 1,
    year: json.year,
    scope: json.scope,
    publishedAt: json.publishedAt ?? null,
    sections: importedSections(name)
  })
  for (const cell of cellsOf(doc.format)) {
    const value = getCell(json, cell)
    if (value !== null) setCell(doc as unknown as Record<string, unknown>, cell, value)
  }
  return doc
}

t.test('RULES is the §7 table', async (t) => {
  t.same(
    RULES.map((r) => `${r.id}:${r.severity}`),
    [
      'T3-01:error',
      'T3-02:error',
      'T3-03:error',
      'T3-04:error',
      'T3-05:warning',
      'T4-01:error',
      'T2-01:error',
      'FMT-01:warning',
      'SEC-01:warning',
      'SEC-02:info',
      'CY-01:error',
      'CY-03:warning',
      'CY-04:warning',
      'CY-07:warning',
      'AG-01:warning',
      'AG-02:warning',
      'T0-01:warning',
      'T2-02:info',
      'SEC-03:warning',
      'TX-01:warning'
    ]
  )
  t.ok(RULES.every((r) => r.description.length > 10))
  t.same(
    RULES.map((r) => r.name),
    [
      '表三：收到与办理、结转不平衡',
      '表三：办理结果总计与各项之和不符',
      '表三：总计列与各申请人列之和不符',
      '表三、表四：数值不是非负整数',
      '表三：总计空白而分项有数',
      '表四：复议、诉讼各项之和与总计不符',
      '表二：数值为负或不是整数',
      '格式与报告年度不符',
      '正文部分缺失或为空',
      '第六部分未说明信息处理费',
      '上年结转与上年报告的结转下年度不符',
      '现行有效件数与上年及本年增减不符',
      '上一年项目数量与上年报告不符',
      '存在的问题与上年雷同',
      '本级汇总与所属机关报告之和不符',
      '本级汇总与下级汇总及本级机关报告之和不符',
      '整张表格空白',
      '表二：单元格空白',
      '存在的问题未实质说明',
      '正文数字与表格不符'
    ]
  )
  t.equal(new Set(RULES.map((r) => r.name)).size, RULES.length, 'every name is its own')
})

t.test('the Huzhu 2025 report (every cell hand-read) has no error and no warning', async (t) => {
  const doc = fixtureReport('huzhu-urban-management-2025')
  t.equal(doc.sections.otherMatters, '无')
  t.ok(doc.sections.problems?.startsWith('2025年，我局排查发现政府信息公开工作存在两方面突出问题'))
  const found = checkInYear(doc)
  t.equal(hasErrors(found), false)
  // its section 六 reads 无: the 2021 format asks for the 信息处理费 statement
  t.same(found.map(brief), [{ rule: 'SEC-02', severity: 'info', cells: ['sections.otherMatters'], expected: null, actual: null }])
  t.equal((doc.proactive.licensing as Record<string, number>).decisions, 78)
})

t.test('the Pingtan 2021 page (every cell hand-read): every sum rule holds', async (t) => {
  const doc = fixtureReport('pingtan-2021-page')
  const found = checkInYear(doc)
  t.equal(hasErrors(found), false)
  t.same(
    found.filter((f) => /^T/.test(f.rule)),
    [],
    'no table finding at all'
  )
  t.equal(getCell(doc as unknown as Record<string, unknown>, 'proactive.fees.amountWanYuan'), 24252.311082)
})

t.test('every fixture, partial or not, has no error finding, and its text agrees with its tables', async (t) => {
  const names = readdirSync(FIXTURES)
    .filter((f) => f.endsWith('.expected.json'))
    .map((f) => f.replace(/\.expected\.json$/, ''))
  t.ok(names.length >= 5)
  for (const name of names) {
    const found = checkInYear(fixtureReport(name))
    t.same(
      found.filter((f) => f.severity === 'error'),
      [],
      name
    )
    // the figures their text states agree with the cells read by hand
    t.same(ofRule(found, 'TX-01'), [], `${name}: no TX-01`)
    t.same(ofRule(found, 'SEC-03'), [], `${name}: section 五 says something`)
  }
})

t.test('checkReport runs every applicable rule in the order of RULES', async (t) => {
  const previous = { id: 11, doc: buildConsistentReport('2021', { 'applications.carriedForward.naturalPerson': 2 }, { year: 2023 }) }
  const doc = buildConsistentReport('2021', { 'proactive.penalty.decisions': 5 }, { year: 2024, scope: 'aggregate' })
  doc.sections.problems = previous.doc.sections.problems // copied from last year: CY-07
  bump(doc, 'reviewLitigation.review.total', 1)
  set(doc, 'proactive.regulations.issued', -1)
  doc.sections.overview = ''
  set(doc, 'proactive.coercion.decisions', null) // T2-02
  doc.sections.otherMatters = '本年度未收取信息处理费。依申请公开：本年度收到政府信息公开申请9件。' // TX-01: table 三 has none
  const subdivisions = {
    subdivisions: 2,
    summaries: { 'proactive.penalty.decisions': { sum: 3, filled: 2 } },
    own: { reports: 1, sums: { 'proactive.penalty.decisions': 1 } }
  }
  const found = checkReport(doc, { previous, own: { reports: 4, sums: { 'proactive.penalty.decisions': 6 } }, subdivisions })
  t.same(
    found.map((f) => f.rule),
    // CY-03: 0 in force = 0 + issued −1 − 0 fails as well
    ['T4-01', 'T2-01', 'SEC-01', 'CY-01', 'CY-01', 'CY-03', 'CY-07', 'AG-01', 'AG-02', 'T2-02', 'TX-01']
  )
  const order = RULES.map((r) => r.id as string)
  const ranks = found.map((f) => order.indexOf(f.rule))
  t.same(
    ranks,
    [...ranks].sort((a, b) => a - b)
  )
  t.same(
    checkReport(doc).map((f) => f.rule),
    ['T4-01', 'T2-01', 'SEC-01', 'T2-02', 'TX-01'],
    'without context: in-year rules only'
  )
  t.same(checkReport(doc, {}), checkInYear(doc))
  // deterministic: the same document gives the same findings
  t.same(checkReport(doc, { previous }), checkReport(doc, { previous }))
})

t.test('hasErrors', async (t) => {
  const f = (severity: Finding['severity']) => ({ severity }) as Finding
  t.equal(hasErrors([]), false)
  t.equal(hasErrors([f('info'), f('warning')]), false)
  t.equal(hasErrors([f('info'), f('error')]), true)
})

t.test('a consistent generated report has no finding at all', async (t) => {
  for (const format of ['2019', '2021'] as const) {
    t.same(checkInYear(buildConsistentReport(format)), [], format)
  }
})

t.test('a report whose tables are all blank and whose sections are filled is not finding-free', async (t) => {
  for (const format of ['2019', '2021'] as const) {
    const year = format === '2019' ? 2020 : 2024
    const doc = emptyReport(format, { agencyId: 1, year, sections: buildConsistentReport(format, {}, { year }).sections })
    const found = checkInYear(doc)
    t.equal(hasErrors(found), false, 'still valid: a blank is not an error')
    t.same(
      found.map(brief),
      [
        {
          rule: 'T0-01',
          severity: 'warning',
          cells: cellsOf(format)
            .filter((c) => c.table === 'proactive')
            .map((c) => c.code),
          expected: null,
          actual: null
        },
        {
          rule: 'T0-01',
          severity: 'warning',
          cells: cellsOf(format)
            .filter((c) => c.table === 'applications')
            .map((c) => c.code),
          expected: null,
          actual: null
        },
        {
          rule: 'T0-01',
          severity: 'warning',
          cells: cellsOf(format)
            .filter((c) => c.table === 'reviewLitigation')
            .map((c) => c.code),
          expected: null,
          actual: null
        }
      ],
      format
    )
  }
})
