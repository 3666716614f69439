// The indicators of FORMAT.md §8. Each is a ratio of sums over a group of reports (never an average of
// ratios): numerator and denominator are signed sums of cells, read from the total column unless the
// formula says otherwise. Row codes come from the registry; only the formulas are written here.
import { APPLICATION_ROWS, type OutcomeGroupCode } from '../format/registry.js'

/** A signed cell code: `-` in front subtracts it. */
export type SignedCode = string

export interface IndicatorDef {
  code: string
  /** official Chinese name */
  label: string
  numerator: SignedCode[]
  denominator: SignedCode[]
}

const total = (row: string) => `applications.${row}.total`
const outcomeGroup = (group: OutcomeGroupCode) => APPLICATION_ROWS.filter((r) => r.group === group).map((r) => total(r.code))
const received = [total('newReceived'), total('carriedOver')]
const handled = [total('outcomes.total')]
const review = (group: string, column: string) => `reviewLitigation.${group}.${column}`

export const INDICATORS: readonly IndicatorDef[] = [
  {
    code: 'disclosureRate',
    label: '公开率',
    numerator: [total('outcomes.granted'), total('outcomes.partiallyGranted')],
    denominator: handled
  },
  { code: 'completionRate', label: '办结率', numerator: handled, denominator: received },
  { code: 'carryForwardRate', label: '结转率', numerator: [total('carriedForward')], denominator: received },
  { code: 'deniedRate', label: '不予公开率', numerator: outcomeGroup('denied'), denominator: handled },
  { code: 'unavailableRate', label: '无法提供率', numerator: outcomeGroup('unavailable'), denominator: handled },
  { code: 'notHeldRate', label: '不掌握率', numerator: [total('outcomes.unavailable.notHeld')], denominator: handled },
  { code: 'notProcessedRate', label: '不予处理率', numerator: outcomeGroup('notProcessed'), denominator: handled },
  { code: 'otherDisposalRate', label: '其他处理率', numerator: outcomeGroup('other'), denominator: handled },
  {
    code: 'organizationShare',
    label: '法人或其他组织申请占比',
    numerator: [total('newReceived'), '-applications.newReceived.naturalPerson'],
    denominator: [total('newReceived')]
  },
  {
    code: 'reviewCorrectionRate',
    label: '复议纠错率',
    numerator: [review('review', 'corrected')],
    denominator: [review('review', 'total'), `-${review('review', 'pending')}`]
  },
  {
    code: 'litigationCorrectionRate',
    label: '诉讼纠错率',
    numerator: [review('litigationDirect', 'corrected'), review('litigationAfterReview', 'corrected')],
    denominator: [
      review('litigationDirect', 'total'),
      review('litigationAfterReview', 'total'),
      `-${review('litigationDirect', 'pending')}`,
      `-${review('litigationAfterReview', 'pending')}`
    ]
  },
  {
    code: 'disputeRate',
    label: '复议诉讼发生率',
    numerator: [review('review', 'total'), review('litigationDirect', 'total'), review('litigationAfterReview', 'total')],
    denominator: handled
  }
]
