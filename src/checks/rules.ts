// The rule table of FORMAT.md §7, as data: the order here is the order findings are reported in.

export type Severity = 'error' | 'warning' | 'info'

export interface RuleDef {
  id: string
  severity: Severity
  description: string
}

export const RULES = [
  {
    id: 'T3-01',
    severity: 'error',
    description: 'for every column: newReceived + carriedOver = outcomes.total + carriedForward (第一项加第二项之和，等于第三项加第四项之和)'
  },
  {
    id: 'T3-02',
    severity: 'error',
    description: 'for every column: outcomes.total = granted + partiallyGranted + Σdenied + Σunavailable + ΣnotProcessed + Σother'
  },
  { id: 'T3-03', severity: 'error', description: 'for every row: total = the sum of the six applicant columns' },
  { id: 'T3-04', severity: 'error', description: 'every table-三 and table-四 cell is an integer ≥ 0 (or null)' },
  { id: 'T3-05', severity: 'warning', description: 'a total cell is blank while cells it totals are not' },
  {
    id: 'T4-01',
    severity: 'error',
    description: 'for review, litigationDirect, litigationAfterReview: upheld + corrected + other + pending = total'
  },
  {
    id: 'T2-01',
    severity: 'error',
    description: 'table-二 counts are integers ≥ 0 (2019 `change` may be negative); amounts ≥ 0'
  },
  {
    id: 'FMT-01',
    severity: 'warning',
    description: 'the format does not match the report year (2019–2020 → `2019`, 2021 on → `2021`)'
  },
  { id: 'SEC-01', severity: 'warning', description: 'a text section is missing or empty' },
  { id: 'SEC-02', severity: 'info', description: 'format 2021: section 六 does not mention 信息处理费' },
  {
    id: 'CY-01',
    severity: 'error',
    description: 'carriedOver(year) = carriedForward(year − 1), column by column, same agency (when both reports exist)'
  },
  {
    id: 'CY-03',
    severity: 'warning',
    description:
      'format 2021: inForce(year) = inForce(year − 1) + issued(year) − repealed(year), for regulations and normativeDocuments'
  },
  {
    id: 'CY-04',
    severity: 'warning',
    description: 'format 2019: previousItems(year) = previousItems(year − 1) + change(year − 1), per row'
  },
  { id: 'CY-07', severity: 'warning', description: "section 五 is (nearly) identical to the previous year's (年年雷同)" },
  {
    id: 'AG-01',
    severity: 'warning',
    description:
      "an `aggregate` report's additive figures differ from the sum of the `own` reports of agencies in its area and year (only when those are stored)"
  }
] as const satisfies ReadonlyArray<RuleDef>

export type RuleId = (typeof RULES)[number]['id']

export const RULE_BY_ID: ReadonlyMap<string, RuleDef> = new Map(RULES.map((r) => [r.id, r]))

/**
 * Severity used when a rule cannot be assessed because one of its cells is blank. A blank is not a
 * zero, so the rule is neither passed nor failed: the supervisor is told which blank blocks it.
 */
export const NOT_ASSESSABLE: Severity = 'info'
