// The shared shape of every sum rule (T3-01..03, T4-01, CY-01/03/04): a checked side that must
// equal a computed side. It carries the not-assessable policy in one place:
// - every cell blank → nothing to check, no finding;
// - some cells blank, some filled → one `info` finding of the same rule, expected/actual null,
//   naming the blank cells (a blank is not a zero, and the sum is never computed from the cells
//   that happen to be filled);
// - every cell filled → an `error`/`warning` finding when the two sides differ.
import { type Finding, createFinding } from './finding.js'
import { cellLabel } from './labels.js'
import { NOT_ASSESSABLE, type RuleId, type Severity } from './rules.js'

export interface Term {
  code: string
  value: number | null
  /** −1 for a subtracted term */
  sign?: 1 | -1
  /** how to name the term when it is not simply its cell (e.g. the previous year's cell) */
  label?: string
}

export interface SumCheck {
  rule: RuleId
  severity: Severity
  /** where, e.g. `“自然人”列` */
  subject: string
  /** what the rule states, for the not-assessable message */
  relation: string
  /** the checked side (its sum is `actual`) */
  actual: Term[]
  /** the side the rule computes (its sum is `expected`) */
  expected: Term[]
  /** the error message, given both sums */
  describe: (expected: number, actual: number) => string
  /** names a term's cell within `subject` (default: the cell's full label) */
  name?: (code: string) => string
  other?: { id: number; year: number }
}

const sum = (terms: Term[]) => terms.reduce((s, t) => s + (t.sign ?? 1) * (t.value as number), 0)

export function checkSum(check: SumCheck): Finding | null {
  const terms = [...check.actual, ...check.expected]
  const cells = terms.map((t) => t.code)
  const blank = terms.filter((t) => t.value === null)
  if (blank.length === terms.length) return null
  if (blank.length > 0) {
    return createFinding(
      check.rule,
      NOT_ASSESSABLE,
      `${check.subject}：${listNames(blank, check.name ?? cellLabel)} 为空，无法核对“${check.relation}”（空白不视为 0）`,
      cells,
      null,
      null,
      check.other
    )
  }
  const expected = sum(check.expected)
  const actual = sum(check.actual)
  if (expected === actual) return null
  return createFinding(check.rule, check.severity, check.describe(expected, actual), cells, expected, actual, check.other)
}

/** Names blank terms; long lists are cut so a message stays readable. */
function listNames(terms: Term[], name: (code: string) => string, max = 3): string {
  const names = [...new Set(terms.map((t) => `“${t.label ?? name(t.code)}”`))]
  return names.length > max ? `${names.slice(0, max).join('、')} 等 ${names.length} 个单元格` : names.join('、')
}

/** `a 1 + b 2 − c 3` for the terms of a sum, each named by its label or `name(code)`. */
export function showTerms(terms: Term[], name: (code: string) => string): string {
  return terms
    .map((t, i) => {
      const op = t.sign === -1 ? (i === 0 ? '− ' : ' − ') : i === 0 ? '' : ' + '
      return `${op}${t.label ?? name(t.code)} ${t.value}`
    })
    .join('')
}
