// The reports the render tests draw: the real 互助县城管局 2025 report (every cell read by hand) and a
// made-up 2019-format report with blanks, a negative 本年增/减 and a procurement amount.
import { readFileSync } from 'node:fs'
import { type ReportInput, emptyReport, setCell } from '../../src/format/document.js'
import { cellsOf } from '../../src/format/registry.js'

const fixture = (name: string) => new URL(`../fixtures/reports/${name}`, import.meta.url)

export function huzhuReport(): ReportInput {
  const expected = JSON.parse(readFileSync(fixture('huzhu-urban-management-2025.expected.json'), 'utf8'))
  return {
    agencyId: 42,
    year: expected.year,
    format: expected.format,
    scope: expected.scope,
    publishedAt: expected.publishedAt,
    title: null,
    sourceUrl: null,
    sections: {
      overview: `${expected.sections.overviewStartsWith}，严格落实《条例》。\n\n（一）高度重视，强化组织领导。`,
      problems: `${expected.sections.problemsStartsWith}：一是人员流动性较大。\n二是公开信息的有效性不足。`,
      otherMatters: expected.sections.otherMatters
    },
    proactive: expected.proactive,
    applications: expected.applications,
    reviewLitigation: expected.reviewLitigation
  }
}

/**
 * Every cell of format 2019 gets a distinct value (its position + 1), but every fifth cell is blank
 * and a few cells are 0; 行政许可 本年增/减 is −3 and the procurement amount 1234567.89 元.
 */
export function report2019(): ReportInput {
  const doc = emptyReport('2019', {
    agencyId: 7,
    year: 2020,
    publishedAt: '2021-01-29',
    sections: { overview: '概述第一段。\n第二段。', problems: '问题。', otherMatters: '无。' }
  })
  cellsOf('2019').forEach((cell, i) => {
    const value = i % 5 === 4 ? null : i % 11 === 3 ? 0 : i + 1
    setCell(doc as unknown as Record<string, unknown>, cell, value)
  })
  setCell(doc as unknown as Record<string, unknown>, 'proactive.licensing.change', -3)
  setCell(doc as unknown as Record<string, unknown>, 'proactive.procurement.amountYuan', 1234567.89)
  return doc
}

/** The text a value is printed as, written out by hand (not by the code under test). */
export function expectedText(code: string, value: number | null): string {
  if (value === null) return ''
  if (code === 'proactive.procurement.amountYuan') return `${value}元`
  return String(value)
}
