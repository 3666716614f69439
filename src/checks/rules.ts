// The rule table of FORMAT.md §7, as data: the order here is the order findings are reported in.

export type Severity = 'error' | 'warning' | 'info'

export interface RuleDef {
  id: string
  severity: Severity
  /** the rule's Chinese name, as supervisors' lists and summaries show it */
  name: string
  description: string
}

export const RULES = [
  {
    id: 'T3-01',
    severity: 'error',
    name: '表三：收到与办理、结转不平衡',
    description:
      'for every column: newReceived + carriedOver = outcomes.total + carriedForward (第一项加第二项之和，等于第三项加第四项之和)'
  },
  {
    id: 'T3-02',
    severity: 'error',
    name: '表三：办理结果总计与各项之和不符',
    description: 'for every column: outcomes.total = granted + partiallyGranted + Σdenied + Σunavailable + ΣnotProcessed + Σother'
  },
  {
    id: 'T3-03',
    severity: 'error',
    name: '表三：总计列与各申请人列之和不符',
    description: 'for every row: total = the sum of the six applicant columns'
  },
  {
    id: 'T3-04',
    severity: 'error',
    name: '表三、表四：数值不是非负整数',
    description: 'every table-三 and table-四 cell is an integer ≥ 0 (or null)'
  },
  {
    id: 'T3-05',
    severity: 'warning',
    name: '表三：总计空白而分项有数',
    description: 'a total cell is blank while cells it totals are not'
  },
  {
    id: 'T4-01',
    severity: 'error',
    name: '表四：复议、诉讼各项之和与总计不符',
    description: 'for review, litigationDirect, litigationAfterReview: upheld + corrected + other + pending = total'
  },
  {
    id: 'T2-01',
    severity: 'error',
    name: '表二：数值为负或不是整数',
    description: 'table-二 counts are integers ≥ 0 (2019 `change` may be negative); amounts ≥ 0'
  },
  {
    id: 'FMT-01',
    severity: 'warning',
    name: '格式与报告年度不符',
    description: 'the format does not match the report year (2019–2020 → `2019`, 2021 on → `2021`)'
  },
  { id: 'SEC-01', severity: 'warning', name: '正文部分缺失或为空', description: 'a text section is missing or empty' },
  { id: 'SEC-02', severity: 'info', name: '第六部分未说明信息处理费', description: 'format 2021: section 六 does not mention 信息处理费' },
  {
    id: 'CY-01',
    severity: 'error',
    name: '上年结转与上年报告的结转下年度不符',
    description: 'carriedOver(year) = carriedForward(year − 1), column by column, same agency (when both reports exist)'
  },
  {
    id: 'CY-03',
    severity: 'warning',
    name: '现行有效件数与上年及本年增减不符',
    description: 'format 2021: inForce(year) = inForce(year − 1) + issued(year) − repealed(year), for regulations and normativeDocuments'
  },
  {
    id: 'CY-04',
    severity: 'warning',
    name: '上一年项目数量与上年报告不符',
    description: 'format 2019: previousItems(year) = previousItems(year − 1) + change(year − 1), per row'
  },
  {
    id: 'CY-07',
    severity: 'warning',
    name: '存在的问题与上年雷同',
    description: "section 五 is (nearly) identical to the previous year's (年年雷同)"
  },
  {
    id: 'AG-01',
    severity: 'warning',
    name: '本级汇总与所属机关报告之和不符',
    description:
      "an `aggregate` report's additive figures differ from the sum of the `own` reports of agencies in its area and year (only when those are stored)"
  },
  {
    id: 'AG-02',
    severity: 'warning',
    name: '本级汇总与下级汇总及本级机关报告之和不符',
    description:
      'an `aggregate` report of a government differs from the sum of the `aggregate` reports of the governments of its direct sub-divisions plus the `own` reports of the agencies registered at its own region code (only when every direct sub-division has its `aggregate` report stored for the year)'
  },
  {
    id: 'T0-01',
    severity: 'warning',
    name: '整张表格空白',
    description: 'a whole table (二, 三 or 四) is blank: every cell of it is null'
  },
  {
    id: 'T2-02',
    severity: 'info',
    name: '表二：单元格空白',
    description: 'a table-二 cell is blank: the format asks for a number, 0 when nothing happened'
  },
  {
    id: 'SEC-03',
    severity: 'warning',
    name: '存在的问题未实质说明',
    description:
      'section 五 says nothing: after removing whitespace and punctuation it is a placeholder (无, 暂无, 没有, 不适用 …) or shorter than 30 characters'
  },
  {
    id: 'TX-01',
    severity: 'warning',
    name: '正文数字与表格不符',
    description:
      'a figure stated in the text contradicts the table cell it names (收到/受理申请, 办结, 上年结转, 结转下年度, 行政复议, 行政诉讼, 制发/印发 and 现行有效 规范性文件); only a figure tied to one cell unambiguously counts; the finding quotes the sentence'
  }
] as const satisfies ReadonlyArray<RuleDef>

export type RuleId = (typeof RULES)[number]['id']

export const RULE_BY_ID: ReadonlyMap<string, RuleDef> = new Map(RULES.map((r) => [r.id, r]))

/** The Chinese name of a rule id; the id itself for an id no longer in the table. */
export const ruleName = (id: string): string => RULE_BY_ID.get(id)?.name ?? id

/**
 * Severity used when a rule cannot be assessed because one of its cells is blank. A blank is not a
 * zero, so the rule is neither passed nor failed: the supervisor is told which blank blocks it.
 */
export const NOT_ASSESSABLE: Severity = 'info'
