import t from 'tap'
import { OUTCOME_PART_ROWS } from '../../src/format/registry.js'
import { emptyReport } from '../../src/format/document.js'
import { checkInYear } from '../../src/checks/index.js'
import { buildConsistentReport } from '../../src/checks/consistent-report.js'
import { app, brief, bump, ofRule, row7, rulesOf, set } from './support.js'

const FORMATS = ['2019', '2021'] as const
const TABLE_RULES = new Set(['T3-01', 'T3-02', 'T3-03', 'T3-04', 'T3-05', 'T4-01'])
const tableFindings = (doc: Parameters<typeof checkInYear>[0]) => checkInYear(doc).filter((f) => TABLE_RULES.has(f.rule))

// 11 applications by natural persons, all granted, none carried: newReceived 11.
const base = (format: '2019' | '2021') =>
  buildConsistentReport(format, {
    'applications.outcomes.granted.naturalPerson': 11,
    'applications.outcomes.granted.commercialEnterprise': 2,
    'applications.outcomes.other.other.naturalPerson': 1,
    'applications.carriedOver.commercialEnterprise': 1,
    'applications.carriedForward.commercialEnterprise': 3,
    'reviewLitigation.review.upheld': 1,
    'reviewLitigation.review.other': 2,
    'reviewLitigation.litigationDirect.upheld': 12
  })

const T301_CELLS = (col: string) => ['newReceived', 'carriedOver', 'outcomes.total', 'carriedForward'].map((r) => app(r, col))

for (const format of FORMATS) {
  t.test(`${format}: a consistent report breaks no table rule`, async (t) => {
    const doc = base(format)
    t.same(tableFindings(doc), [])
    t.equal(doc.applications && (doc.applications as any).newReceived.naturalPerson, 12)
    t.equal((doc.applications as any).newReceived.commercialEnterprise, 4)
    t.equal((doc.reviewLitigation as any).review.total, 3)
  })

  t.test(`${format}: a report with every table cell blank has nothing to check`, async (t) => {
    t.same(tableFindings(emptyReport(format, { year: Number(format) })), [])
  })

  t.test(`${format}: T3-01 per column`, async (t) => {
    const doc = base(format)
    bump(doc, app('newReceived', 'naturalPerson'), 1)
    bump(doc, app('newReceived', 'total'), 1) // keeps T3-03
    const found = tableFindings(doc)
    t.same(rulesOf(found), ['T3-01', 'T3-01'])
    t.same(found.map(brief), [
      { rule: 'T3-01', severity: 'error', cells: T301_CELLS('naturalPerson'), expected: 13, actual: 12 },
      { rule: 'T3-01', severity: 'error', cells: T301_CELLS('total'), expected: 18, actual: 17 }
    ])
    t.equal(
      found[0].message,
      '“自然人”列：一、本年新收政府信息公开申请数量 13 + 二、上年结转政府信息公开申请数量 0 = 13，不等于 三、本年度办理结果（七）总计 12 + 四、结转下年度继续办理 0 = 12'
    )
  })

  t.test(`${format}: T3-02 per column, over the format's outcome rows`, async (t) => {
    const doc = base(format)
    bump(doc, app('outcomes.denied.stateSecret', 'researchInstitution'), 2)
    bump(doc, app('outcomes.denied.stateSecret', 'total'), 2) // keeps T3-03
    const found = tableFindings(doc)
    t.same(rulesOf(found), ['T3-02', 'T3-02'])
    const rows = OUTCOME_PART_ROWS.filter(
      (r) => format === '2021' || !['outcomes.other.overdueCorrection', 'outcomes.other.unpaidFee'].includes(r)
    )
    t.equal(rows.length, format === '2021' ? 21 : 19)
    const cells = (col: string) => [...rows, 'outcomes.total'].map((r) => app(r, col))
    t.same(found.map(brief), [
      { rule: 'T3-02', severity: 'error', cells: cells('researchInstitution'), expected: 2, actual: 0 },
      { rule: 'T3-02', severity: 'error', cells: cells('total'), expected: 16, actual: 14 }
    ])
    t.equal(found[0].message, '“法人或其他组织·科研机构”列：三、本年度办理结果（七）总计 为 0，但（一）至（六）各项办理结果之和为 2')
  })

  t.test(`${format}: T3-03 per row`, async (t) => {
    const doc = base(format)
    // moves one application between columns of the same row: T3-01 still holds per column
    bump(doc, app('newReceived', 'naturalPerson'), 1)
    bump(doc, app('carriedOver', 'naturalPerson'), -1 + 1) // stays 0
    bump(doc, app('outcomes.granted', 'naturalPerson'), 1)
    bump(doc, app('outcomes.total', 'naturalPerson'), 1)
    const found = tableFindings(doc)
    t.same(found.map(brief), [
      { rule: 'T3-03', severity: 'error', cells: row7('newReceived'), expected: 17, actual: 16 },
      { rule: 'T3-03', severity: 'error', cells: row7('outcomes.granted'), expected: 14, actual: 13 },
      { rule: 'T3-03', severity: 'error', cells: row7('outcomes.total'), expected: 15, actual: 14 }
    ])
    t.equal(
      found[1].message,
      '“三、本年度办理结果（一）予以公开”行：总计 为 13，但 自然人 12 + 法人或其他组织·商业企业 2 + 法人或其他组织·科研机构 0 + 法人或其他组织·社会公益组织 0 + 法人或其他组织·法律服务机构 0 + 法人或其他组织·其他 0 = 14'
    )
  })

  t.test(`${format}: T4-01 per group`, async (t) => {
    const doc = base(format)
    bump(doc, 'reviewLitigation.review.pending', 1)
    bump(doc, 'reviewLitigation.litigationAfterReview.total', 2)
    const found = tableFindings(doc)
    const cells = (g: string) => ['upheld', 'corrected', 'other', 'pending', 'total'].map((c) => `reviewLitigation.${g}.${c}`)
    t.same(found.map(brief), [
      { rule: 'T4-01', severity: 'error', cells: cells('review'), expected: 4, actual: 3 },
      { rule: 'T4-01', severity: 'error', cells: cells('litigationAfterReview'), expected: 0, actual: 2 }
    ])
    t.equal(found[0].message, '行政复议：总计 为 3，但 结果维持 1 + 结果纠正 0 + 其他结果 2 + 尚未审结 1 = 4')
  })

  t.test(`${format}: a blank input makes a sum not assessable (info), never computed from the rest`, async (t) => {
    const doc = base(format)
    set(doc, app('carriedOver', 'commercialEnterprise'), null)
    const found = tableFindings(doc)
    t.same(found.map(brief), [
      { rule: 'T3-01', severity: 'info', cells: T301_CELLS('commercialEnterprise'), expected: null, actual: null },
      { rule: 'T3-03', severity: 'info', cells: row7('carriedOver'), expected: null, actual: null }
    ])
    t.equal(
      found[0].message,
      '“法人或其他组织·商业企业”列：“二、上年结转政府信息公开申请数量” 为空，无法核对“第一项加第二项之和，等于第三项加第四项之和”（空白不视为 0）'
    )
    t.equal(
      found[1].message,
      '“二、上年结转政府信息公开申请数量”行：“法人或其他组织·商业企业” 为空，无法核对“总计等于六类申请人之和”（空白不视为 0）'
    )
    // even a wrong figure next to the blank is no T3-01 error: the blank may hold anything
    bump(doc, app('newReceived', 'commercialEnterprise'), 100)
    const after = tableFindings(doc)
    t.same(ofRule(after, 'T3-01').map(brief), [found[0]].map(brief))
    t.same(
      ofRule(after, 'T3-03').map((f) => [f.severity, f.cells[0]]),
      [
        ['error', app('newReceived', 'naturalPerson')],
        ['info', app('carriedOver', 'naturalPerson')]
      ],
      'the filled newReceived row still errs'
    )
  })

  t.test(`${format}: T3-05 a blank row total next to filled parts`, async (t) => {
    const doc = base(format)
    set(doc, app('newReceived', 'total'), null)
    const found = tableFindings(doc)
    t.same(found.map(brief), [
      { rule: 'T3-01', severity: 'info', cells: T301_CELLS('total'), expected: null, actual: null },
      { rule: 'T3-03', severity: 'info', cells: row7('newReceived'), expected: null, actual: null },
      { rule: 'T3-05', severity: 'warning', cells: row7('newReceived'), expected: 16, actual: null }
    ])
    t.equal(found[2].message, '“一、本年新收政府信息公开申请数量”行：“总计” 为空，但它所合计的 6 个单元格均已填写，合计 16')
    // with a blank part as well, the total's expected value is unknown
    set(doc, app('newReceived', 'legalServiceAgency'), null)
    const t305 = ofRule(tableFindings(doc), 'T3-05')
    t.same(t305.map(brief), [{ rule: 'T3-05', severity: 'warning', cells: row7('newReceived'), expected: null, actual: null }])
    t.equal(
      t305[0].message,
      '“一、本年新收政府信息公开申请数量”行：“总计” 为空，但它所合计的单元格中 “自然人”、“法人或其他组织·商业企业”、“法人或其他组织·科研机构” 等 5 个单元格 已填写'
    )
  })

  t.test(`${format}: T3-05 a blank outcomes.total and a blank table-四 total`, async (t) => {
    const doc = base(format)
    set(doc, app('outcomes.total', 'naturalPerson'), null)
    set(doc, 'reviewLitigation.litigationDirect.total', null)
    const t305 = ofRule(tableFindings(doc), 'T3-05')
    const parts = OUTCOME_PART_ROWS.filter((r) => format === '2021' || !r.startsWith('outcomes.other.') || r === 'outcomes.other.other')
    t.same(t305.map(brief), [
      {
        rule: 'T3-05',
        severity: 'warning',
        cells: [...parts, 'outcomes.total'].map((r) => app(r, 'naturalPerson')),
        expected: 12,
        actual: null
      },
      {
        rule: 'T3-05',
        severity: 'warning',
        cells: ['upheld', 'corrected', 'other', 'pending', 'total'].map((c) => `reviewLitigation.litigationDirect.${c}`),
        expected: 12,
        actual: null
      }
    ])
    t.equal(t305[0].message, `“自然人”列：“三、本年度办理结果（七）总计” 为空，但它所合计的 ${parts.length} 个单元格均已填写，合计 12`)
    const t401 = ofRule(tableFindings(doc), 'T4-01')
    t.same(t401.map(brief), [
      {
        rule: 'T4-01',
        severity: 'info',
        cells: ['upheld', 'corrected', 'other', 'pending', 'total'].map((c) => `reviewLitigation.litigationDirect.${c}`),
        expected: null,
        actual: null
      }
    ])
  })

  t.test(`${format}: no T3-05 when the total is filled or everything is blank`, async (t) => {
    const doc = base(format)
    for (const c of [
      'naturalPerson',
      'commercialEnterprise',
      'researchInstitution',
      'publicInterestOrganization',
      'legalServiceAgency',
      'otherOrganization',
      'total'
    ]) {
      set(doc, app('outcomes.denied.stateSecret', c), null)
    }
    t.same(ofRule(tableFindings(doc), 'T3-05'), [])
    t.same(ofRule(tableFindings(doc), 'T3-03'), [], 'an all-blank row has nothing to check')
  })
}

t.test('2019: the two 2021-only 其他处理 rows are out of every sum', async (t) => {
  const doc = base('2019')
  // a 2019 document that (wrongly) fills them still checks on its own single 其他处理 row
  set(doc, app('outcomes.other.unpaidFee', 'naturalPerson'), 5)
  set(doc, app('outcomes.other.unpaidFee', 'total'), 9)
  t.same(tableFindings(doc), [])
  const doc21 = base('2021')
  set(doc21, app('outcomes.other.unpaidFee', 'naturalPerson'), 5)
  set(doc21, app('outcomes.other.unpaidFee', 'total'), 5)
  t.same(
    tableFindings(doc21).map((f) => [f.rule, f.cells.at(-1)]),
    [
      ['T3-02', app('outcomes.total', 'naturalPerson')],
      ['T3-02', app('outcomes.total', 'total')]
    ]
  )
})

t.test('a check keeps its fingerprint from not assessable to failing; other checks differ', async (t) => {
  const doc = base('2021')
  set(doc, app('carriedOver', 'naturalPerson'), null)
  const before = ofRule(tableFindings(doc), 'T3-01')[0]
  set(doc, app('carriedOver', 'naturalPerson'), 4)
  const after = ofRule(tableFindings(doc), 'T3-01')[0]
  t.equal(before.severity, 'info')
  t.equal(after.severity, 'error')
  t.equal(before.fingerprint, after.fingerprint)
  t.match(before.fingerprint, /^[0-9a-f]{16}$/)
  set(doc, app('carriedOver', 'commercialEnterprise'), null)
  const both = ofRule(tableFindings(doc), 'T3-01')
  t.same(
    both.map((f) => f.fingerprint),
    [after.fingerprint, both[1].fingerprint]
  )
  t.not(both[1].fingerprint, after.fingerprint, 'another column, another fingerprint')
  const t303 = ofRule(tableFindings(doc), 'T3-03')
  t.equal(t303.length, 1)
  t.not(t303[0].fingerprint, after.fingerprint)
})
