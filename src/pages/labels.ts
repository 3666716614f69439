// The Chinese words of the pages that the API does not carry: rule titles, severities, the indicators a
// person picks from. Rule ids are the registry's (a test checks that every rule has a title here).
import { METRIC_BY_CODE } from '../aggregates/index.js'
import { KIND_LABELS, LEVEL_LABELS } from '../format/registry.js'

export const RULE_TITLES: Record<string, string> = {
  'T3-01': '表三：收到与办理、结转不平衡',
  'T3-02': '表三：办理结果总计与各项之和不符',
  'T3-03': '表三：总计列与各申请人列之和不符',
  'T3-04': '表三、表四：数值不是非负整数',
  'T3-05': '表三：总计空白而分项有数',
  'T4-01': '表四：复议、诉讼各项之和与总计不符',
  'T2-01': '表二：数值不是非负数',
  'FMT-01': '格式与报告年度不符',
  'SEC-01': '正文部分缺失或为空',
  'SEC-02': '第六部分未说明信息处理费',
  'CY-01': '上年结转与上年报告的结转下年度不符',
  'CY-03': '现行有效件数与上年及本年增减不符',
  'CY-04': '上一年项目数量与上年报告不符',
  'CY-07': '存在的问题与上年雷同',
  'AG-01': '本级汇总与所属机关报告之和不符',
  'AG-02': '本级汇总与下级汇总之和不符',
  'T0-01': '整张表格空白',
  'T2-02': '表二：单元格空白',
  'SEC-03': '存在的问题未实质说明',
  'TX-01': '正文数字与表格不符'
}

export const SEVERITY_LABELS: Record<string, string> = { error: '错误', warning: '警告', info: '提示' }

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

export const LABELS = { levels: LEVEL_LABELS, kinds: KIND_LABELS, severities: SEVERITY_LABELS, rules: RULE_TITLES }
