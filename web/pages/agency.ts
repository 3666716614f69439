// 机关: an agency's facts, its reports by year (with their state and their error and warning counts), its
// trends and every finding of its reports with its review; the reports filtered by state and the findings by
// review status, as the API filters them.
import { aggregateRows, api, query } from '../lib/api.js'
import { keyPanel } from '../lib/key.js'
import { byId, fill, h, message, pageData, table } from '../lib/dom.js'
import { RATIO, date, value } from '../lib/format.js'
import { trend } from '../lib/charts.js'
import { reviewCell } from '../lib/review.js'

interface Data {
  id: number
  state?: string
  status?: string
  labels: {
    states: Record<string, string>
    statuses: Record<string, string>
    levels: Record<string, string>
    kinds: Record<string, string>
    severities: Record<string, string>
    rules: Record<string, string>
  }
  trend: Array<{ code: string; label: string; unit: string }>
}
interface Agency {
  id: number
  name: string
  regionCode: string
  level: string
  kind: string
  uscc?: string | null
}
interface Summary {
  id: number
  year: number
  format: string
  scope: string
  publishedAt: string | null
  state: string
  submittedAt: string | null
  acceptedAt: string | null
  errorCount: number
  warningCount: number
}
interface Finding {
  reportId: number
  year: number
  rule: string
  severity: string
  message: string
  status: string
  review: { reason: string | null; explanation: string | null } | null
}

const d = pageData<Data>()

async function facts(): Promise<Agency> {
  const a = await api<Agency>(`/v1/agencies/${d.id}`)
  byId('title').textContent = a.name
  document.title = `${a.name} · 政府信息公开工作年度报告`
  let regionName = a.regionCode
  try {
    const r = await api<{ name: string; path: Array<{ name: string }> }>(`/v1/regions/${a.regionCode}`)
    regionName = r.path.map((p) => p.name).join(' ')
  } catch {
    if (a.regionCode === '000000') regionName = '全国'
  }
  fill(
    'facts',
    `${regionName}（${a.regionCode}）· ${d.labels.levels[a.level] ?? a.level} · ${d.labels.kinds[a.kind] ?? a.kind}${a.uscc ? ` · 统一社会信用代码 ${a.uscc}` : ''} · `,
    h('a', { href: `/?${query({ region: a.regionCode })}` }, '所在地区总览')
  )
  return a
}

async function reports() {
  const list = await api<{ items: Summary[] }>(`/v1/reports?${query({ agencyId: d.id, state: d.state, limit: 500 })}`)
  if (list.items.length === 0) return fill('reports', message(d.state ? `没有${d.labels.states[d.state]}的报告。` : '尚无报告。'))
  const items = [...list.items].sort((a, b) => b.year - a.year)
  fill(
    'reports',
    table(
      ['年度', '状态', '格式', '范围', '发布日期', '错误', '警告'],
      items.map((r) => [
        h('a', { href: `/reports/${r.id}` }, `${r.year}年报告`),
        h(
          'span',
          {
            class: `state state-${r.state}`,
            title: r.acceptedAt ? `采纳于 ${date(r.acceptedAt)}` : r.submittedAt ? `报送于 ${date(r.submittedAt)}` : null
          },
          d.labels.states[r.state] ?? r.state
        ),
        `${r.format}年格式`,
        r.scope === 'aggregate' ? '本级政府汇总' : '本机关',
        date(r.publishedAt),
        h('span', { class: r.errorCount ? 'bad' : null }, value(r.errorCount)),
        value(r.warningCount)
      ]),
      { numeric: [5, 6] }
    )
  )
}

async function trends() {
  const res = await aggregateRows({ metrics: d.trend.map((m) => m.code).join(','), groupBy: 'year', agencyId: d.id, scope: 'all' })
  if (res.rows.length === 0) return fill('trend-chart', message('尚无报告。'))
  const count = d.trend[0]
  const rate = d.trend.find((m) => m.unit === RATIO)!
  trend(byId('trend-chart'), {
    rows: res.rows,
    count: { key: count.code, label: count.label, unit: count.unit },
    rate: { key: rate.code, label: rate.label }
  })
}

async function findings() {
  const res = await api<{ items: Finding[] }>(`/v1/findings?${query({ agencyId: d.id, status: d.status, limit: 500 })}`)
  const shown = res.items.filter((f) => f.severity !== 'info')
  const info = res.items.length - shown.length
  if (res.items.length === 0) return fill('findings', message(d.status ? `没有${d.labels.statuses[d.status]}的问题。` : '未发现问题。'))
  fill(
    'findings',
    table(
      ['年度', '级别', '规则', '说明', '审核'],
      [...shown]
        .sort((a, b) => b.year - a.year)
        .map((f) => [
          h('a', { href: `/reports/${f.reportId}` }, String(f.year)),
          h('span', { class: `sev ${f.severity}` }, d.labels.severities[f.severity]),
          `${f.rule} ${d.labels.rules[f.rule] ?? ''}`,
          f.message,
          reviewCell(f, d.labels.statuses)
        ])
    ),
    info ? h('p', { class: 'hint' }, `另有 ${info} 条提示（如空白单元格），见各报告页。`) : null
  )
}

async function main() {
  // reports not yet accepted are listed to the keys whose scope covers them: read the page again with or without one
  keyPanel('key-panel', async () => location.reload())
  await facts()
  const results = await Promise.allSettled([reports(), trends(), findings()])
  const ids = ['reports', 'trend-chart', 'findings']
  results.forEach((r, i) => {
    if (r.status === 'rejected') fill(ids[i], message(`加载失败：${(r.reason as Error).message}`, 'error'))
  })
  document.body.dataset.ready = 'true'
}

main().catch((e: Error) =>
  fill(
    'facts',
    message(e.message.includes('not exist') || e.message.includes('404') ? '没有这个机关。' : `加载失败：${e.message}`, 'error')
  )
)
