// TX-01: a figure the text states against the table cell it names. Reading the figures is
// stated-figures.ts; here each one meets its cell(s), and a contradiction quotes the sentence.
import { SECTIONS, type Format, type SectionCode } from '../format/registry.js'
import { type ReportInput, getCell } from '../format/document.js'
import { type Finding, createFinding } from './finding.js'
import { cellLabel } from './labels.js'
import { type FigureTarget, type StatedFigure, readStatedFigures } from './stated-figures.js'

interface TargetDef {
  /** the cells whose sum the figure states */
  cells: string[]
  /** the formats that have those cells */
  formats: Format[]
}

const BOTH: Format[] = ['2019', '2021']

export const FIGURE_TARGETS: Record<FigureTarget, TargetDef> = {
  newReceived: { cells: ['applications.newReceived.total'], formats: BOTH },
  carriedOver: { cells: ['applications.carriedOver.total'], formats: BOTH },
  outcomesTotal: { cells: ['applications.outcomes.total.total'], formats: BOTH },
  carriedForward: { cells: ['applications.carriedForward.total'], formats: BOTH },
  review: { cells: ['reviewLitigation.review.total'], formats: BOTH },
  litigation: { cells: ['reviewLitigation.litigationDirect.total', 'reviewLitigation.litigationAfterReview.total'], formats: BOTH },
  // format 2019 counts 本年新制作 / 对外公开总数, not 制发 and 现行有效
  normativeIssued: { cells: ['proactive.normativeDocuments.issued'], formats: ['2021'] },
  normativeInForce: { cells: ['proactive.normativeDocuments.inForce'], formats: ['2021'] }
}

/**
 * The sections read: 一、总体情况, where reports sum up their year, and 六. Section 五 is not: it
 * routinely recounts the previous year's problems with the previous year's figures.
 */
export const TEXT_SECTIONS: SectionCode[] = ['overview', 'otherMatters']

/** A long sentence is quoted around the figure, so that the message stays readable. */
export const MAX_QUOTE = 120

function quote(figure: StatedFigure): string {
  const { sentence, at } = figure
  if ([...sentence].length <= MAX_QUOTE) return sentence
  const from = Math.max(0, at - MAX_QUOTE / 2)
  const to = Math.min(sentence.length, from + MAX_QUOTE)
  return `${from > 0 ? '…' : ''}${sentence.slice(from, to)}${to < sentence.length ? '…' : ''}`
}

const value = (doc: ReportInput, code: string) => getCell(doc as unknown as Record<string, unknown>, code)

export function checkTX01(doc: ReportInput): Finding[] {
  const out: Finding[] = []
  const scope = doc.scope === 'aggregate' ? 'aggregate' : 'own'
  for (const section of SECTIONS.filter((s) => TEXT_SECTIONS.includes(s.code))) {
    const text = doc.sections?.[section.code]
    if (!text) continue
    const reported = new Set<FigureTarget>()
    for (const figure of readStatedFigures(text, { year: doc.year, scope })) {
      const target = FIGURE_TARGETS[figure.target]
      if (!target.formats.includes(doc.format) || reported.has(figure.target)) continue
      const values = target.cells.map((code) => value(doc, code))
      // a blank cell states nothing to contradict
      if (values.some((v) => v === null)) continue
      const table = (values as number[]).reduce((a, b) => a + b, 0)
      if (table === figure.value) continue
      reported.add(figure.target)
      const names = target.cells.map((c) => `“${cellLabel(c)}”`)
      const cellText = names.length === 1 ? `表格${names[0]}为 ${table}` : `表格${names.join('与')}合计 ${table}`
      out.push(
        createFinding(
          'TX-01',
          'warning',
          `“${section.title}”写明“${figure.phrase}”，但${cellText}。原文：「${quote(figure)}」`,
          [...target.cells, `sections.${section.code}`],
          figure.value,
          table
        )
      )
    }
  }
  return out
}
