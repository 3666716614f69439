// 报告: the report in the official layout (the service's own HTML rendering), each finding marked on the
// cells it names and explained on hover or keyboard focus; the list of findings; the revisions; downloads.
import { api } from '../lib/api.js'
import { byId, fill, h, message, pageData, table } from '../lib/dom.js'
import { date } from '../lib/format.js'

interface Data {
  id: number
  labels: { severities: Record<string, string>; rules: Record<string, string> }
}
interface Doc {
  agencyId: number
  year: number
  revision: number
}
interface Finding {
  rule: string
  severity: 'error' | 'warning' | 'info'
  message: string
  cells: string[]
}
interface Revision {
  revision: number
  operation: string
  keyName: string | null
  writtenAt: string
}

const d = pageData<Data>()
const RANK = { error: 3, warning: 2, info: 1 }

async function official() {
  const res = await fetch(`/v1/reports/${d.id}?output=html`)
  if (!res.ok) throw new Error(res.status === 404 ? '没有这份报告。' : `HTTP ${res.status}`)
  const page = new DOMParser().parseFromString(await res.text(), 'text/html')
  const main = page.querySelector('main')
  const target = byId('official')
  target.replaceChildren(...[...(main?.childNodes ?? [])].map((n) => document.importNode(n, true)))
  document.title = `${page.title} · 政府信息公开工作年度报告`
}

/** Marks every cell a finding names; the worst severity colours it; a tip lists the findings. */
function mark(findings: Finding[]) {
  const byCell = new Map<string, Finding[]>()
  for (const f of findings) for (const c of f.cells) byCell.set(c, [...(byCell.get(c) ?? []), f])
  let n = 0
  for (const [code, list] of byCell) {
    // a text section is marked on its heading
    const el = code.startsWith('sections.')
      ? document.querySelector<HTMLElement>(`#official [data-part="${code.slice('sections.'.length)}"] h2`)
      : document.querySelector<HTMLElement>(`#official td[data-cell="${CSS.escape(code)}"]`)
    if (!el) continue
    const worst = list.reduce((w, f) => (RANK[f.severity] > RANK[w] ? f.severity : w), 'info' as Finding['severity'])
    const tipId = `tip-${++n}`
    el.classList.add('flag', `flag-${worst}`)
    el.tabIndex = 0
    el.setAttribute('aria-describedby', tipId)
    el.dataset.findings = list.map((f) => f.rule).join(' ')
    el.append(
      h(
        'span',
        { class: 'tip', role: 'tooltip', id: tipId },
        list.map((f) => h('span', { class: 'tip-line' }, h('b', null, `${f.rule} ${d.labels.severities[f.severity]}：`), f.message))
      )
    )
  }
}

function summary(findings: Finding[]) {
  if (findings.length === 0) return fill('summary', h('p', { class: 'notice ok' }, '各项校验均通过。'))
  const count = (s: string) => findings.filter((f) => f.severity === s).length
  fill(
    'summary',
    h('h2', null, `发现的问题：错误 ${count('error')}，警告 ${count('warning')}，提示 ${count('info')}`),
    h(
      'ol',
      { class: 'finding-list' },
      [...findings]
        .sort((a, b) => RANK[b.severity] - RANK[a.severity])
        .map((f) =>
          h(
            'li',
            { class: `sev-${f.severity}` },
            h('span', { class: `sev ${f.severity}` }, d.labels.severities[f.severity]),
            ' ',
            h('button', { type: 'button', class: 'linkish', onclick: () => focusCell(f) }, `${f.rule} ${d.labels.rules[f.rule] ?? ''}`),
            '：',
            f.message
          )
        )
    )
  )
}

function focusCell(f: Finding) {
  const el = document.querySelector<HTMLElement>(`#official .flag[data-findings~="${CSS.escape(f.rule)}"]`)
  el?.scrollIntoView({ block: 'center' })
  el?.focus()
}

async function revisions() {
  const res = await api<{ items: Revision[] }>(`/v1/reports/${d.id}/revisions`)
  const ops: Record<string, string> = { created: '创建', replaced: '替换', deleted: '删除' }
  fill(
    'revisions',
    table(
      ['版本', '操作', '写入者', '时间', '内容'],
      [...res.items]
        .reverse()
        .map((r) => [
          String(r.revision),
          ops[r.operation] ?? r.operation,
          r.keyName ?? '—',
          date(r.writtenAt),
          h('a', { href: `/v1/reports/${d.id}/revisions/${r.revision}` }, 'JSON')
        ])
    )
  )
}

async function main() {
  byId('print').addEventListener('click', () => window.print())
  const doc = await api<Doc>(`/v1/reports/${d.id}`)
  const agency = await api<{ name: string }>(`/v1/agencies/${doc.agencyId}`)
  fill('back', h('a', { href: `/agencies/${doc.agencyId}` }, `‹ ${agency.name}`), ` · ${doc.year}年度 · 第 ${doc.revision} 版`)
  await official()
  const findings = (await api<{ items: Finding[] }>(`/v1/reports/${d.id}/findings`)).items
  mark(findings)
  summary(findings)
  await revisions().catch((e: Error) => fill('revisions', message(`加载失败：${e.message}`, 'error')))
  document.body.dataset.ready = 'true'
}

main().catch((e: Error) =>
  fill('official', message(e.message.includes('does not exist') ? '没有这份报告。' : `加载失败：${e.message}`, 'error'))
)
