// Rules on the report as a whole: its format (FMT-01) and its text sections (SEC-01, SEC-02).
import { SECTIONS, formatForYear } from '../format/registry.js'
import type { ReportInput } from '../format/document.js'
import { type Finding, createFinding } from './finding.js'

const sectionCode = (code: string) => `sections.${code}`

/** Whitespace of any kind (including full-width spaces and &nbsp;) does not make a section. */
export const isBlankText = (text: string | null | undefined) => text === null || text === undefined || text.trim() === ''

export function checkFMT01(doc: ReportInput): Finding[] {
  const wanted = formatForYear(doc.year)
  if (wanted === doc.format) return []
  const message =
    wanted === null
      ? `${doc.year} 年度早于统一格式（2019 年起施行），不应使用 ${doc.format} 版格式`
      : `${doc.year} 年度报告应使用 ${wanted} 版格式，实际为 ${doc.format} 版`
  return [createFinding('FMT-01', 'warning', message, [], null, null)]
}

export function checkSEC01(doc: ReportInput): Finding[] {
  const sections = (doc.sections ?? {}) as unknown as Record<string, string | null | undefined>
  return SECTIONS.filter((s) => isBlankText(sections[s.code])).map((s) =>
    createFinding('SEC-01', 'warning', `“${s.title}”部分缺失或为空`, [sectionCode(s.code)], null, null)
  )
}

// 信息处理费 is the term of the 2021 format; 处理费 alone is accepted as the same statement.
const FEE_TERMS = ['信息处理费', '处理费']
const OTHER_MATTERS = SECTIONS.find((s) => s.code === 'otherMatters')!

export function checkSEC02(doc: ReportInput): Finding[] {
  if (doc.format !== '2021') return []
  // PDFs often break lines inside a word: look for the term with whitespace removed.
  const text = (doc.sections?.otherMatters ?? '').replace(/\s+/gu, '')
  if (FEE_TERMS.some((term) => text.includes(term))) return []
  return [
    createFinding(
      'SEC-02',
      'info',
      `“${OTHER_MATTERS.title}”未说明信息处理费的收取情况（2021 版格式要求报告收取信息处理费的情况）`,
      [sectionCode(OTHER_MATTERS.code)],
      null,
      null
    )
  ]
}
