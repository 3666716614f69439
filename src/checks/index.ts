// The consistency-check rule engine (FORMAT.md §7): plain report documents in, findings out.
//
// Not-assessable policy: a sum rule (T3-01, T3-02, T3-03, T4-01, CY-01, CY-03, CY-04) whose cells
// are partly blank is never computed from the filled cells. It yields one `info` finding of the same
// rule, with expected/actual null, naming the blank cells; a rule whose cells are all blank yields
// nothing. A blank total next to filled parts is also a T3-05 warning. The fingerprint depends on
// rule and cells only, so the same check keeps its fingerprint when it turns from info to error.
import type { ReportInput } from '../format/document.js'
import { type OwnSums, type SubdivisionSums, checkAG02, checkAggregate } from './aggregate.js'
import { checkT001, checkT202 } from './blank-tables.js'
import { checkT201, checkT304 } from './cell-values.js'
import { type PreviousReport, checkAgainstPrevious } from './cross-year.js'
import { checkFMT01, checkSEC01, checkSEC02, checkSEC03 } from './document-rules.js'
import type { Finding } from './finding.js'
import { RULES } from './rules.js'
import { checkT301, checkT302, checkT303, checkT305, checkT401 } from './table-sums.js'
import { checkTX01 } from './text-figures.js'
import { type Flat, flatCells } from './flat.js'

export type { Finding } from './finding.js'
export { fingerprintOf } from './finding.js'
export { RULES, RULE_BY_ID, NOT_ASSESSABLE, ruleName, type RuleDef, type RuleId, type Severity } from './rules.js'
export { aggregateCellsOf, checkAG02, checkAggregate, type OwnSums, type SubdivisionSums } from './aggregate.js'
export {
  subdivisionCodesOf,
  subdivisionSums,
  summaryCoverage,
  type SubdivisionSummaries,
  type SummaryCoverage
} from './hierarchy.js'
export {
  checkAgainstPrevious,
  MIN_COMPARABLE_LENGTH,
  SIMILARITY_THRESHOLD,
  type PreviousReport
} from './cross-year.js'
export { normalizeText, textSimilarity } from './similarity.js'
export { MIN_PROBLEMS_LENGTH } from './document-rules.js'
export { readStatedFigures, type FigureTarget, type StatedFigure } from './stated-figures.js'

const RULE_RANK = new Map<string, number>(RULES.map((r, i) => [r.id, i]))

/** Findings in the order of RULES; within a rule, in the order they were found (a stable sort). */
function inRuleOrder(findings: Finding[]): Finding[] {
  return findings.sort((a, b) => (RULE_RANK.get(a.rule) ?? RULE_RANK.size) - (RULE_RANK.get(b.rule) ?? RULE_RANK.size))
}

/** Every rule on the report alone: T3-01..T3-05, T4-01, T2-01, FMT-01, SEC-01, SEC-02, T0-01, T2-02, SEC-03, TX-01. */
export function checkInYear(doc: ReportInput, flat: Flat = flatCells(doc)): Finding[] {
  return inRuleOrder([
    ...checkT301(doc, flat),
    ...checkT302(doc, flat),
    ...checkT303(doc, flat),
    ...checkT304(doc, flat),
    ...checkT305(doc, flat),
    ...checkT401(doc, flat),
    ...checkT201(doc, flat),
    ...checkFMT01(doc),
    ...checkSEC01(doc),
    ...checkSEC02(doc),
    ...checkT001(doc, flat),
    ...checkT202(doc, flat),
    ...checkSEC03(doc),
    ...checkTX01(doc)
  ])
}

export interface CheckContext {
  /** the same agency's report of year − 1, when stored */
  previous?: PreviousReport
  /** for an aggregate report: the sums of the own reports of its area and year */
  own?: OwnSums
  /** for a government's aggregate report: its direct sub-divisions' summaries and its own-level reports */
  subdivisions?: SubdivisionSums
}

/** Every rule that the context allows, in the order of RULES. */
export function checkReport(doc: ReportInput, ctx: CheckContext = {}): Finding[] {
  const flat = flatCells(doc)
  return inRuleOrder([
    ...checkInYear(doc, flat),
    ...(ctx.previous ? checkAgainstPrevious(doc, ctx.previous, flat) : []),
    ...(ctx.own ? checkAggregate(doc, ctx.own) : []),
    ...(ctx.subdivisions ? checkAG02(doc, ctx.subdivisions) : [])
  ])
}

export function hasErrors(findings: readonly Finding[]): boolean {
  return findings.some((f) => f.severity === 'error')
}
