// 问题: every finding of the stored reports, filtered by rule, severity, region, year, review status and the
// report's state, for supervisors; counts by review status and by rule (plain bars: no chart library on this
// page), the list page by page with each finding's review.
import { api, query } from '../lib/api.js'
import { keyPanel } from '../lib/key.js'
import { byId, fill, h, message, pageData, table } from '../lib/dom.js'
import { value } from '../lib/format.js'
import { reviewCell } from '../lib/review.js'

interface Data {
  rule?: string
  severity?: string
  regionCode?: string
  year?: number
  agencyId?: number
  status?: string
  state?: string
  labels: {
    severities: Record<string, string>
    rules: Record<string, string>
    statuses: Record<string, string>
    states: Record<string, string>
  }
}
interface Finding {
  reportId: number
  agencyId: number
  agencyName: string
  regionCode: string
  year: number
  rule: string
  severity: string
  message: string
  status: string
  review: { reason: string | null; explanation: string | null } | null
}

const d = pageData<Data>()
const filters = {
  rule: d.rule,
  severity: d.severity,
  regionCode: d.regionCode,
  year: d.year,
  agencyId: d.agencyId,
  status: d.status,
  state: d.state
}
const rows: Finding[] = []
let next: string | null = null

async function regionName() {
  if (!d.regionCode) return
  try {
    const r = await api<{ name: string; path: Array<{ name: string }> }>(`/v1/regions/${d.regionCode.padEnd(6, '0')}`)
    byId('region-name').textContent = `区划：${r.path.map((p) => p.name).join(' ')}`
  } catch {
    byId('region-name').textContent = `区划代码前缀 ${d.regionCode}`
  }
}

async function byRule() {
  const s = await api<{ total: number; groups: Array<{ key: string; count: number }> }>(
    `/v1/findings/summary?${query({ ...filters, groupBy: 'rule' })}`
  )
  const max = Math.max(1, ...s.groups.map((g) => g.count))
  byId('by-rule-title').textContent = `按规则（共 ${value(s.total)} 条）`
  if (s.groups.length === 0) return fill('rules-chart', message('没有符合条件的问题。'))
  fill(
    'rules-chart',
    h(
      'ul',
      { class: 'bars' },
      s.groups.map((g) =>
        h(
          'li',
          { 'data-rule': g.key, 'data-count': g.count },
          h(
            'a',
            { class: 'bar-label', href: `/findings?${query({ ...filters, rule: g.key })}` },
            `${g.key} ${d.labels.rules[g.key] ?? ''}`
          ),
          h('span', { class: 'bar', style: `width:${(g.count / max) * 100}%` }),
          h('span', { class: 'bar-value' }, value(g.count))
        )
      )
    )
  )
}

/** How many findings of each review status the other filters leave, each a link to that status. */
async function byStatus() {
  const s = await api<{ groups: Array<{ key: string; count: number }> }>(
    `/v1/findings/summary?${query({ ...filters, status: undefined, groupBy: 'status' })}`
  )
  const count = new Map(s.groups.map((g) => [g.key, g.count]))
  fill(
    'by-status',
    '审核状态：',
    Object.entries(d.labels.statuses).flatMap(([k, label], i) => [
      i ? ' · ' : null,
      k === d.status
        ? h('strong', { 'data-status': k }, `${label} ${value(count.get(k) ?? 0)}`)
        : h('a', { href: `/findings?${query({ ...filters, status: k })}`, 'data-status': k }, `${label} ${value(count.get(k) ?? 0)}`)
    ])
  )
}

async function page() {
  const res = await api<{ items: Finding[]; next: string | null }>(`/v1/findings?${query({ ...filters, limit: 100, cursor: next })}`)
  rows.push(...res.items)
  next = res.next
  byId('more').hidden = next === null
  if (rows.length === 0) return fill('list', message('没有符合条件的问题。'))
  fill(
    'list',
    table(
      ['机关', '区划', '年度', '级别', '规则', '说明', '审核'],
      rows.map((f) => [
        h('a', { href: `/agencies/${f.agencyId}` }, f.agencyName),
        f.regionCode,
        h('a', { href: `/reports/${f.reportId}` }, String(f.year)),
        h('span', { class: `sev ${f.severity}` }, d.labels.severities[f.severity] ?? f.severity),
        `${f.rule} ${d.labels.rules[f.rule] ?? ''}`,
        f.message,
        reviewCell(f, d.labels.statuses)
      ])
    )
  )
}

async function main() {
  // reports not yet accepted are listed to the keys whose scope covers them: read the page again with or without one
  keyPanel('key-panel', async () => location.reload())
  byId('more').addEventListener('click', () => void page())
  const results = await Promise.allSettled([regionName(), byStatus(), byRule(), page()])
  const ids = ['region-name', 'by-status', 'rules-chart', 'list']
  results.forEach((r, i) => {
    if (r.status === 'rejected') fill(ids[i], message(`加载失败：${(r.reason as Error).message}`, 'error'))
  })
  document.body.dataset.ready = 'true'
}

void main()
