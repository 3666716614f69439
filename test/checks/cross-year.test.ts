import t from 'tap'
import { MIN_COMPARABLE_LENGTH, SIMILARITY_THRESHOLD, checkAgainstPrevious, normalizeText, textSimilarity } from '../../src/checks/index.js'
import { buildConsistentReport, seededRandom } from '../../src/checks/consistent-report.js'
import { app, brief, ofRule, set } from './support.js'

// this year's outcomes, enough for the carried-over applications (the generator caps carriedOver at them)
const DONE = { 'applications.outcomes.granted.naturalPerson': 4, 'applications.outcomes.granted.legalServiceAgency': 1 }
const CARRY = {
  'applications.outcomes.granted.naturalPerson': 5,
  'applications.carriedForward.naturalPerson': 2,
  'applications.carriedForward.legalServiceAgency': 1
}

t.test('CY-01: carriedOver(year) = carriedForward(year − 1), column by column', async (t) => {
  for (const [prevFormat, format, year] of [
    ['2019', '2019', 2020],
    ['2019', '2021', 2021],
    ['2021', '2021', 2024]
  ] as const) {
    const previous = { id: 41, doc: buildConsistentReport(prevFormat, CARRY, { year: year - 1 }) }
    const good = buildConsistentReport(
      format,
      { ...DONE, 'applications.carriedOver.naturalPerson': 2, 'applications.carriedOver.legalServiceAgency': 1 },
      { year }
    )
    t.same(ofRule(checkAgainstPrevious(good, previous), 'CY-01'), [], `${prevFormat} → ${format}: consistent`)
    const bad = buildConsistentReport(format, { ...DONE, 'applications.carriedOver.naturalPerson': 2 }, { year })
    const found = ofRule(checkAgainstPrevious(bad, previous), 'CY-01')
    const cells = (c: string) => [app('carriedOver', c), app('carriedForward', c)]
    t.same(
      found.map((f) => ({ ...brief(f), otherReportId: f.otherReportId, otherYear: f.otherYear })),
      [
        {
          rule: 'CY-01',
          severity: 'error',
          cells: cells('legalServiceAgency'),
          expected: 1,
          actual: 0,
          otherReportId: 41,
          otherYear: year - 1
        },
        { rule: 'CY-01', severity: 'error', cells: cells('total'), expected: 3, actual: 2, otherReportId: 41, otherYear: year - 1 }
      ],
      `${prevFormat} → ${format}`
    )
    t.equal(
      found[0].message,
      `“法人或其他组织·法律服务机构”列：本年度 二、上年结转政府信息公开申请数量 为 0，但 ${year - 1} 年度报告 四、结转下年度继续办理 为 1`
    )
  }
})

t.test('CY-01: a blank on one side is not assessable; blank on both sides is skipped', async (t) => {
  const previous = { id: 7, doc: buildConsistentReport('2021', CARRY, { year: 2023 }) }
  const doc = buildConsistentReport(
    '2021',
    { ...DONE, 'applications.carriedOver.naturalPerson': 2, 'applications.carriedOver.legalServiceAgency': 1 },
    { year: 2024 }
  )
  set(previous.doc, app('carriedForward', 'naturalPerson'), null)
  set(previous.doc, app('carriedForward', 'otherOrganization'), null)
  set(doc, app('carriedOver', 'otherOrganization'), null)
  const found = ofRule(checkAgainstPrevious(doc, previous), 'CY-01')
  t.same(found.map(brief), [
    {
      rule: 'CY-01',
      severity: 'info',
      cells: [app('carriedOver', 'naturalPerson'), app('carriedForward', 'naturalPerson')],
      expected: null,
      actual: null
    }
  ])
  t.equal(
    found[0].message,
    '“自然人”列：“2023 年度报告 四、结转下年度继续办理 · 自然人” 为空，无法核对“本年上年结转数等于上一年度结转下年度数”（空白不视为 0）'
  )
})

t.test('cross-year rules compare only with the year just before', async (t) => {
  const previous = { id: 7, doc: buildConsistentReport('2021', CARRY, { year: 2022 }) }
  t.same(checkAgainstPrevious(buildConsistentReport('2021', {}, { year: 2024 }), previous), [])
  t.same(checkAgainstPrevious(buildConsistentReport('2021', {}, { year: 2022 }), previous), [])
})

t.test('CY-03 (2021): inForce = previous inForce + issued − repealed', async (t) => {
  const previous = {
    id: 3,
    doc: buildConsistentReport('2021', { 'proactive.regulations.inForce': 10, 'proactive.normativeDocuments.inForce': 665 }, { year: 2021 })
  }
  const values = {
    'proactive.regulations.issued': 3,
    'proactive.regulations.repealed': 1,
    'proactive.regulations.inForce': 12,
    'proactive.normativeDocuments.issued': 88,
    'proactive.normativeDocuments.repealed': 55,
    'proactive.normativeDocuments.inForce': 698
  }
  const good = buildConsistentReport('2021', values, { year: 2022 })
  t.same(ofRule(checkAgainstPrevious(good, previous), 'CY-03'), [])
  const bad = buildConsistentReport('2021', { ...values, 'proactive.normativeDocuments.inForce': 700 }, { year: 2022 })
  const found = ofRule(checkAgainstPrevious(bad, previous), 'CY-03')
  t.same(found.map(brief), [
    {
      rule: 'CY-03',
      severity: 'warning',
      cells: ['proactive.normativeDocuments.issued', 'proactive.normativeDocuments.repealed', 'proactive.normativeDocuments.inForce'],
      expected: 698,
      actual: 700
    }
  ])
  t.equal(found[0].otherReportId, 3)
  t.equal(found[0].otherYear, 2021)
  t.equal(found[0].message, '行政规范性文件：现行有效件数 为 700，但 2021 年度现行有效件数 665 + 本年制发件数 88 − 本年废止件数 55 = 698')
  // blank previous inForce: not assessable
  set(previous.doc, 'proactive.regulations.inForce', null)
  t.same(
    ofRule(checkAgainstPrevious(good, previous), 'CY-03').map((f) => [f.severity, f.expected, f.actual, f.cells[0]]),
    [['info', null, null, 'proactive.regulations.issued']]
  )
  // previous year in the 2019 format: totalPublished is not inForce, nothing to compare
  const old = { id: 2, doc: buildConsistentReport('2019', { 'proactive.regulations.totalPublished': 10 }, { year: 2020 }) }
  t.same(ofRule(checkAgainstPrevious(buildConsistentReport('2021', values, { year: 2021 }), old), 'CY-03'), [])
})

t.test('CY-04 (2019): previousItems = previous previousItems + previous change', async (t) => {
  const previous = {
    id: 9,
    doc: buildConsistentReport(
      '2019',
      {
        'proactive.licensing.previousItems': 25,
        'proactive.licensing.change': 3,
        'proactive.fees.previousItems': 4,
        'proactive.fees.change': -1
      },
      { year: 2019 }
    )
  }
  const good = buildConsistentReport('2019', { 'proactive.licensing.previousItems': 28, 'proactive.fees.previousItems': 3 }, { year: 2020 })
  t.same(ofRule(checkAgainstPrevious(good, previous), 'CY-04'), [])
  const bad = buildConsistentReport('2019', { 'proactive.licensing.previousItems': 30, 'proactive.fees.previousItems': 3 }, { year: 2020 })
  const found = ofRule(checkAgainstPrevious(bad, previous), 'CY-04')
  t.same(found.map(brief), [
    {
      rule: 'CY-04',
      severity: 'warning',
      cells: ['proactive.licensing.previousItems', 'proactive.licensing.change'],
      expected: 28,
      actual: 30
    }
  ])
  t.equal(found[0].message, '行政许可：上一年项目数量 为 30，但 2019 年度上一年项目数量 25 + 2019 年度本年增/减 3 = 28')
  t.equal(found[0].otherYear, 2019)
  // 2021 reports have no item counts
  const later = { id: 10, doc: buildConsistentReport('2021', {}, { year: 2021 }) }
  t.same(ofRule(checkAgainstPrevious(buildConsistentReport('2021', {}, { year: 2022 }), later), 'CY-04'), [])
  const cross = ofRule(checkAgainstPrevious(buildConsistentReport('2021', {}, { year: 2021 }), { id: 1, doc: good }), 'CY-04')
  t.same(cross, [], '2021 after 2019: not compared')
})

const PROBLEMS_2023 =
  '2023年，我局政府信息公开工作取得一定成效，但仍存在一些不足：一是主动公开的深度和广度还不够；二是政策解读的形式较为单一。2024年，我局将进一步加强培训，丰富解读形式。'
const PROBLEMS_2024 =
  '2024年，我局政府信息公开工作取得一定成效，但仍存在一些不足：一是主动公开的深度和广度还不够；二是政策解读的形式较为单一。2025年，我局将进一步加强培训，丰富解读形式。'
const PROBLEMS_OTHER = '部分栏目信息更新不够及时，基层公开标准目录仍需细化。今后将建立栏目巡检机制，推动目录动态调整，提升公开质量。'

t.test('CY-07: section 五 copied from last year (years changed)', async (t) => {
  t.equal(SIMILARITY_THRESHOLD, 0.9)
  t.equal(MIN_COMPARABLE_LENGTH, 20)
  const withProblems = (problems: string | null, year: number) =>
    buildConsistentReport('2021', {}, { year, sections: { overview: '概述', problems, otherMatters: '未收取信息处理费' } })
  const previous = { id: 5, doc: withProblems(PROBLEMS_2023, 2023) }
  const found = ofRule(checkAgainstPrevious(withProblems(PROBLEMS_2024, 2024), previous), 'CY-07')
  t.same(
    found.map((f) => ({ ...brief(f), otherReportId: f.otherReportId, otherYear: f.otherYear })),
    [{ rule: 'CY-07', severity: 'warning', cells: ['sections.problems'], expected: null, actual: 1, otherReportId: 5, otherYear: 2023 }]
  )
  t.equal(found[0].message, '“五、存在的主要问题及改进情况”与 2023 年度报告几乎相同（相似度 100%，阈值 90%），疑似年年雷同')
  t.same(ofRule(checkAgainstPrevious(withProblems(PROBLEMS_OTHER, 2024), previous), 'CY-07'), [], 'a different text')
  t.same(ofRule(checkAgainstPrevious(withProblems('无。', 2024), { id: 5, doc: withProblems('无。', 2023) }), 'CY-07'), [], 'too short')
  t.same(ofRule(checkAgainstPrevious(withProblems(null, 2024), previous), 'CY-07'), [], 'blank is SEC-01, not CY-07')
  // a few words changed: still above the threshold
  const edited = PROBLEMS_2024.replace('丰富解读形式', '创新解读形式')
  const near = ofRule(checkAgainstPrevious(withProblems(edited, 2024), previous), 'CY-07')
  t.equal(near.length, 1)
  t.ok((near[0].actual as number) >= 0.9 && (near[0].actual as number) < 1)
})

t.test('text similarity', async (t) => {
  t.equal(normalizeText('2024年，我局　将进一步（一）加强 培训。二〇二四年'), '年我局将进一步一加强培训年')
  t.equal(textSimilarity('abcd', 'abcd'), 1)
  t.equal(textSimilarity('abcd', 'wxyz'), 0)
  t.equal(textSimilarity('abcd', 'abce'), (2 * 2) / 6)
  t.equal(textSimilarity('', ''), 1)
  t.equal(textSimilarity('a', 'b'), 0)
  t.ok(textSimilarity(PROBLEMS_2024, PROBLEMS_OTHER) < 0.3)
})

/** The definition: bigrams as two-character strings of the string iterator's characters. */
function referenceSimilarity(a: string, b: string): number {
  const grams = (text: string) => {
    const chars = [...normalizeText(text)]
    const counts = new Map<string, number>()
    for (let i = 0; i < chars.length - 1; i++) counts.set(chars[i] + chars[i + 1], (counts.get(chars[i] + chars[i + 1]) ?? 0) + 1)
    return counts
  }
  const x = grams(a)
  const y = grams(b)
  let size = 0
  let shared = 0
  for (const n of x.values()) size += n
  for (const n of y.values()) size += n
  if (size === 0) return normalizeText(a) === normalizeText(b) ? 1 : 0
  for (const [gram, n] of x) shared += Math.min(n, y.get(gram) ?? 0)
  return (2 * shared) / size
}

t.test('text similarity counts bigrams of characters as the definition does, outside the BMP and on lone surrogates too', async (t) => {
  const random = seededRandom(7)
  // a small alphabet, so that texts share bigrams: Han, Latin, a digit, punctuation, characters outside the BMP, lone surrogates
  const alphabet = ['我', '局', '加', '强', '培', '训', 'a', 'b', '1', '，', '𠀀', '𠀁', '\ud800', '\udc00', '〇', ' ']
  const text = (length: number) => Array.from({ length }, () => alphabet[Math.floor(random() * alphabet.length)]).join('')
  for (let n = 0; n < 500; n++) {
    const a = text(Math.floor(random() * 40))
    const b = random() < 0.3 ? a + text(3) : text(Math.floor(random() * 40))
    t.equal(textSimilarity(a, b), referenceSimilarity(a, b), JSON.stringify([a, b]))
  }
  t.equal(textSimilarity(PROBLEMS_2024, PROBLEMS_OTHER), referenceSimilarity(PROBLEMS_2024, PROBLEMS_OTHER))
})
