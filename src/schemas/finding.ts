import { Type } from 'typebox'
import { RULES } from '../checks/index.js'

export const RuleSchema = Type.Union(
  RULES.map((r) => Type.Literal(r.id)),
  {
    description: RULES.map((r) => `\`${r.id}\` ${r.name} (${r.severity}) ${r.description}`).join('; ')
  }
)
export const RuleNameSchema = Type.String({
  description: `The rule’s Chinese name: ${RULES.map((r) => `${r.id} ${r.name}`).join('，')}`
})
export const SeveritySchema = Type.Union([Type.Literal('error'), Type.Literal('warning'), Type.Literal('info')])

export const FindingSchema = Type.Object(
  {
    rule: Type.String({ description: 'The rule id of FORMAT.md §7' }),
    ruleName: RuleNameSchema,
    severity: SeveritySchema,
    message: Type.String({ description: 'In Chinese, naming the row and column and giving the figures' }),
    cells: Type.Array(Type.String(), { description: 'Canonical codes of every cell involved' }),
    expected: Type.Union([Type.Number(), Type.Null()], { description: 'What the rule expects (null when not assessable)' }),
    actual: Type.Union([Type.Number(), Type.Null()], { description: 'What the report says' }),
    fingerprint: Type.String({ description: 'Stable across re-checks: derived from rule and cells' }),
    otherReportId: Type.Optional(Type.Integer({ description: 'Cross-year rules: the other report' })),
    otherYear: Type.Optional(Type.Integer({ description: 'Cross-year rules: the other report’s year' })),
    status: Type.Optional(Type.Ref('FindingStatus')),
    review: Type.Optional(
      Type.Union([Type.Ref('FindingReview'), Type.Null()], { description: 'Stored findings: the review that applies, null while open' })
    )
  },
  { $id: 'Finding', additionalProperties: false, description: 'One consistency finding (勾稽关系 and more)' }
)

export const StrictQuerySchema = Type.Object(
  {
    strict: Type.Optional(
      Type.Boolean({
        default: false,
        description: 'Refuse (422, nothing stored) a report with any `error` finding, instead of storing it as published with its findings'
      })
    )
  },
  { additionalProperties: false }
)

export const FindingStatusSchema = Type.Union(
  [Type.Literal('open'), Type.Literal('confirmed'), Type.Literal('dismissed'), Type.Literal('explained')],
  {
    $id: 'FindingStatus',
    description:
      'Stored findings: `open` until reviewed; `confirmed` or `dismissed` by a reviewer, `explained` by the submitter (情况说明). A review holds across re-checks while the finding’s fingerprint and the values of its cells are unchanged, and the finding reopens when they change'
  }
)

export const FindingReviewSchema = Type.Object(
  {
    reason: Type.Union([Type.String(), Type.Null()], {
      description: 'The latest decision’s text: a dismissal’s reason, the explanation, a confirmation’s comment'
    }),
    explanation: Type.Union([Type.String(), Type.Null()], {
      description: 'The submitter’s explanation (情况说明), kept when a reviewer decides after it'
    }),
    keyName: Type.Union([Type.String(), Type.Null()], { description: 'The key that made the latest decision' }),
    reviewedAt: Type.String({ format: 'date-time' })
  },
  { $id: 'FindingReview', additionalProperties: false }
)
