// The Chinese words of the pages: rule titles (the rule table's names), severities, the indicators a
// person picks from.
import { METRIC_BY_CODE } from '../aggregates/index.js'
import { RULES } from '../checks/rules.js'
import { KIND_LABELS, LEVEL_LABELS } from '../format/registry.js'
import { STATE_NAMES, STATUS_NAMES } from '../reports/state-names.js'

/** Each rule's Chinese name, as the API gives it (`ruleName`, the by-rule summary): one definition, in RULES. */
export const RULE_TITLES: Record<string, string> = Object.fromEntries(RULES.map((r) => [r.id, r.name]))

export const SEVERITY_LABELS: Record<string, string> = { error: '错误', warning: '警告', info: '提示' }

/** A report's state (README: The life of a report) and a finding's review status, as the pages name them. */
export const STATE_LABELS = STATE_NAMES
export const STATUS_LABELS = STATUS_NAMES

/** What the overview can rank regions and agencies by: an indicator or a count, with its label and unit. */
export const PICKABLE_METRICS = [
  'disclosureRate',
  'applications.newReceived.total',
  'reviewCorrectionRate',
  'litigationCorrectionRate',
  'completionRate',
  'deniedRate',
  'notHeldRate',
  'disputeRate',
  'proactive.licensing.decisions',
  'proactive.penalty.decisions',
  'reports'
]

const SHORT_LABELS: Record<string, string> = {
  'applications.newReceived.total': '新收申请',
  'proactive.licensing.decisions': '行政许可决定',
  'proactive.penalty.decisions': '行政处罚决定',
  'proactive.regulations.issued': '制发规章',
  'proactive.normativeDocuments.issued': '制发规范性文件',
  'proactive.regulations.newlyPublished': '新公开规章',
  'proactive.normativeDocuments.newlyPublished': '新公开规范性文件',
  reports: '报告数'
}

export interface MetricLabel {
  code: string
  /** the short label a card or a menu shows */
  label: string
  /** the official label */
  full: string
  unit: string
}

export function metricLabel(code: string): MetricLabel {
  const m = METRIC_BY_CODE.get(code)
  if (!m) throw new Error(`pages: no metric ${code}`)
  return { code, label: SHORT_LABELS[code] ?? m.label, full: m.label, unit: m.unit }
}

export const LABELS = {
  levels: LEVEL_LABELS,
  kinds: KIND_LABELS,
  severities: SEVERITY_LABELS,
  rules: RULE_TITLES,
  states: STATE_LABELS,
  statuses: STATUS_LABELS
}
