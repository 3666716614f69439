// Rules on the report as a whole: its format (FMT-01) and its text sections (SEC-01, SEC-02, SEC-03).
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

/** SEC-03: section 五 must say something; fewer characters than this (without whitespace and punctuation) say nothing. */
export const MIN_PROBLEMS_LENGTH = 30

// What a section 五 that says nothing is written as, once whitespace and punctuation are gone: 无, 暂无,
// 没有, 不适用, 略, 本年度无, 无相关情况 …
const PLACEHOLDER =
  /^(?:本年度|本年|本机关|本单位|我局|我单位)?(?:暂|均|暂时)?(?:无|没有|不适用|略|空)(?:此项|此类情况|相关情况|相关内容|问题|内容|情况)?$/u
const PROBLEMS_SECTION = SECTIONS.find((s) => s.code === 'problems')!

/** The text without whitespace, punctuation and symbols: what SEC-03 measures. */
export const meaningfulText = (text: string) => text.replace(/[\s\p{P}\p{S}]+/gu, '')

export function checkSEC03(doc: ReportInput): Finding[] {
  const text = doc.sections?.problems
  // a blank section is SEC-01's
  if (isBlankText(text)) return []
  const meaningful = meaningfulText(text as string)
  const length = [...meaningful].length
  if (length >= MIN_PROBLEMS_LENGTH) return []
  const written = (text as string).trim()
  const message =
    length === 0 || PLACEHOLDER.test(meaningful)
      ? `“${PROBLEMS_SECTION.title}”只写了“${written}”，没有说明存在的问题和改进情况`
      : `“${PROBLEMS_SECTION.title}”去除空白和标点后仅 ${length} 个字（不足 ${MIN_PROBLEMS_LENGTH} 个字），说不清存在的问题和改进情况：“${written}”`
  return [createFinding('SEC-03', 'warning', message, [sectionCode(PROBLEMS_SECTION.code)], null, length)]
}
