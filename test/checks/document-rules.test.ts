import t from 'tap'
import { MIN_PROBLEMS_LENGTH, checkInYear } from '../../src/checks/index.js'
import { meaningfulText } from '../../src/checks/document-rules.js'
import { buildConsistentReport } from '../../src/checks/consistent-report.js'
import { brief, ofRule } from './support.js'

t.test('FMT-01: the format must match the year', async (t) => {
  for (const [year, format] of [
    [2019, '2019'],
    [2020, '2019'],
    [2021, '2021'],
    [2025, '2021']
  ] as const) {
    t.same(ofRule(checkInYear(buildConsistentReport(format, {}, { year })), 'FMT-01'), [], `${year} in ${format}`)
  }
  const late = ofRule(checkInYear(buildConsistentReport('2019', {}, { year: 2021 })), 'FMT-01')
  t.same(late.map(brief), [{ rule: 'FMT-01', severity: 'warning', cells: [], expected: null, actual: null }])
  t.equal(late[0].message, '2021 年度报告应使用 2021 版格式，实际为 2019 版')
  const early = ofRule(checkInYear(buildConsistentReport('2021', {}, { year: 2020 })), 'FMT-01')
  t.equal(early[0].message, '2020 年度报告应使用 2019 版格式，实际为 2021 版')
  const before = ofRule(checkInYear(buildConsistentReport('2019', {}, { year: 2018 })), 'FMT-01')
  t.same(
    before.map((f) => f.severity),
    ['warning']
  )
  t.equal(before[0].message, '2018 年度早于统一格式（2019 年起施行），不应使用 2019 版格式')
})

for (const format of ['2019', '2021'] as const) {
  t.test(`${format}: SEC-01 one warning per missing or blank section`, async (t) => {
    const full = buildConsistentReport(format)
    t.same(ofRule(checkInYear(full), 'SEC-01'), [])
    const doc = buildConsistentReport(
      format,
      {},
      {
        sections: { overview: null, problems: ' \n\t\u3000\u00a0', otherMatters: '无' }
      }
    )
    const found = ofRule(checkInYear(doc), 'SEC-01')
    t.same(found.map(brief), [
      { rule: 'SEC-01', severity: 'warning', cells: ['sections.overview'], expected: null, actual: null },
      { rule: 'SEC-01', severity: 'warning', cells: ['sections.problems'], expected: null, actual: null }
    ])
    t.equal(found[0].message, '“一、总体情况”部分缺失或为空')
    t.equal(found[1].message, '“五、存在的主要问题及改进情况”部分缺失或为空')
    // a document without the key at all (e.g. an import that found no text)
    const missing = buildConsistentReport(format, {}, { sections: { overview: 'x' } as never })
    t.same(
      ofRule(checkInYear(missing), 'SEC-01').map((f) => f.cells[0]),
      ['sections.problems', 'sections.otherMatters']
    )
  })
}

t.test('SEC-02: a 2021 report must state 信息处理费 in section 六', async (t) => {
  const withText = (otherMatters: string | null, format: '2019' | '2021' = '2021') =>
    ofRule(checkInYear(buildConsistentReport(format, {}, { sections: { overview: '概述', problems: '问题', otherMatters } })), 'SEC-02')
  const found = withText('无')
  t.same(found.map(brief), [{ rule: 'SEC-02', severity: 'info', cells: ['sections.otherMatters'], expected: null, actual: null }])
  t.equal(found[0].message, '“六、其他需要报告的事项”未说明信息处理费的收取情况（2021 版格式要求报告收取信息处理费的情况）')
  t.equal(withText(null).length, 1, 'a blank section does not mention it either')
  t.same(withText('本年度未收取信息处理费。'), [])
  t.same(withText('本机关全年收取处理费 0 元。'), [], '处理费 is accepted')
  t.same(withText('本年度未收取信息\n处理费。'), [], 'a line break inside the term is ignored')
  t.same(withText('无', '2019'), [], 'not required by the 2019 format')
})

t.test('SEC-03: section 五 that says nothing', async (t) => {
  const withProblems = (problems: string | null) =>
    ofRule(
      checkInYear(
        buildConsistentReport(
          '2021',
          {},
          { year: 2024, sections: { overview: '概述', problems, otherMatters: '本年度未收取信息处理费。' } }
        )
      ),
      'SEC-03'
    )
  for (const placeholder of ['无', '无。', ' 暂无 ', '没有', '不适用', '——', '/', '本年度无。', '暂无问题。']) {
    const found = withProblems(placeholder)
    t.same(
      found.map(brief),
      [
        {
          rule: 'SEC-03',
          severity: 'warning',
          cells: ['sections.problems'],
          expected: null,
          actual: [...meaningfulText(placeholder)].length
        }
      ],
      placeholder
    )
    t.equal(found[0].message, `“五、存在的主要问题及改进情况”只写了“${placeholder.trim()}”，没有说明存在的问题和改进情况`)
  }
  // 29 characters once whitespace and punctuation are gone: too short
  const short = '一是解读不够，二是更新不及时。下一步将加强培训，提高质量，完善机制。'
  t.equal([...meaningfulText(short)].length, 29)
  t.same(
    withProblems(short).map((f) => f.actual),
    [29]
  )
  t.equal(
    withProblems(short)[0].message,
    `“五、存在的主要问题及改进情况”去除空白和标点后仅 29 个字（不足 ${MIN_PROBLEMS_LENGTH} 个字），说不清存在的问题和改进情况：“${short}”`
  )
  // 30 characters: enough, however it is spaced and punctuated
  t.same(withProblems('一是解读不够，二是更新不及时。下一步将加强培训，提高质量，完善机制建设。'), [])
  t.same(withProblems(' 一 是 解 读 不 够 ， 二 是 更 新 不 及 时 。 下 一 步 将 加 强 培 训 ， 提 高 质 量 ， 完 善 机 制 建 设 。'), [])
  // blank or missing: SEC-01's, not SEC-03's
  t.same(withProblems(null), [])
  t.same(withProblems(' \n\u3000'), [])
  t.equal(MIN_PROBLEMS_LENGTH, 30)
})
