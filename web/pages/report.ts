// 报告: the report in the official layout (the service's own HTML rendering), each finding marked on the
// cells it names and explained on hover or keyboard focus; its state, shown first; the findings with their
// review; the history of writes, transitions and corrections (who, when, why); downloads. With an API key a
// person moves the report along its life (submit, withdraw, return, accept) and reviews its findings
// (confirm, dismiss, explain); a refusal shows the problem's own words.
import { ApiError, api, currentKey, headers } from '../lib/api.js'
import { byId, fill, h, message, pageData, table } from '../lib/dom.js'
import { date } from '../lib/format.js'
import { type KeyInfo, ROLE_NAMES, covers, keyInfo, keyPanel, problemText } from '../lib/key.js'

type State = 'draft' | 'submitted' | 'returned' | 'accepted'
type Status = 'open' | 'confirmed' | 'dismissed' | 'explained'

interface Data {
  id: number
  labels: {
    severities: Record<string, string>
    rules: Record<string, string>
    states: Record<State, string>
    statuses: Record<Status, string>
  }
}
interface Doc {
  agencyId: number
  year: number
  revision: number
  state: State
}
interface Finding {
  id: number
  rule: string
  severity: 'error' | 'warning' | 'info'
  message: string
  cells: string[]
  status: Status
  review: { reason: string | null; explanation: string | null; keyName: string | null; reviewedAt: string } | null
}
interface Revision {
  revision: number
  operation: 'created' | 'replaced' | 'corrected' | 'transition' | 'deleted'
  state: State | null
  fromState: State | null
  comment: string | null
  keyName: string | null
  writtenAt: string
}

const d = pageData<Data>()
const RANK = { error: 3, warning: 2, info: 1 }
const fresh: RequestInit = { cache: 'no-cache' }

/** The moves each state allows, who makes them (README: The life of a report). */
type Actor = 'submitter' | 'reviewer'
const MOVES: Record<State, Array<{ to: State; label: string; who: string; by: Actor }>> = {
  draft: [{ to: 'submitted', label: '报送', who: '填报单位', by: 'submitter' }],
  submitted: [
    { to: 'accepted', label: '采纳', who: '审核单位', by: 'reviewer' },
    { to: 'returned', label: '退回', who: '审核单位，须填写意见', by: 'reviewer' },
    { to: 'draft', label: '撤回', who: '填报单位', by: 'submitter' }
  ],
  returned: [
    { to: 'submitted', label: '重新报送', who: '填报单位', by: 'submitter' },
    { to: 'draft', label: '改为草稿', who: '填报单位', by: 'submitter' }
  ],
  accepted: []
}
const OPERATIONS: Record<string, string> = { created: '创建', replaced: '替换', corrected: '更正', deleted: '删除' }
const REVIEWS: Array<{ status: Exclude<Status, 'open'>; label: string; who: string; by: Actor }> = [
  { status: 'explained', label: '情况说明', who: '填报单位，须填写说明', by: 'submitter' },
  { status: 'confirmed', label: '确认', who: '审核单位', by: 'reviewer' },
  { status: 'dismissed', label: '排除', who: '审核单位，须填写理由', by: 'reviewer' }
]

/** The entered key (GET /v1/keys/current), read again with the report; null without one. */
let who: KeyInfo | null = null
/**
 * Whether the entered key may make an act of this kind on this report: its role (an admin every act) and its
 * scope. The pages offer only these; the service still decides each one.
 */
const mayAct = (by: Actor) => who !== null && (who.role === 'admin' || who.role === by) && agency !== null && covers(who, agency)

const moveLabel = (from: State | null, to: State | null) =>
  MOVES[from as State]?.find((m) => m.to === to)?.label ??
  `${d.labels.states[from as State] ?? from} → ${d.labels.states[to as State] ?? to}`

let doc: Doc
let findings: Finding[] = []
let history: Revision[] = []

async function official() {
  const res = await fetch(`/v1/reports/${d.id}?output=html`, { headers: headers({ accept: 'text/html' }) })
  if (!res.ok) throw new ApiError(res.status, null)
  const page = new DOMParser().parseFromString(await res.text(), 'text/html')
  const main = page.querySelector('main')
  const target = byId('official')
  target.replaceChildren(...[...(main?.childNodes ?? [])].map((n) => document.importNode(n, true)))
  document.title = `${page.title} · 政府信息公开工作年度报告`
}

/** Marks every cell a finding names; the worst severity colours it; a tip lists the findings. */
function mark() {
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

/** The state, first and large; with the last word on it (a return's comment, when and by whom). */
function state() {
  const last = [...history].reverse().find((r) => r.operation === 'transition' && r.state === doc.state)
  const when = last ? `（${last.keyName ?? '—'}，${date(last.writtenAt)}）` : ''
  const about: Record<State, string> = {
    draft: last ? `${moveLabel(last.fromState, last.state)}${when}` : '尚未报送',
    submitted: `${last ? `报送于 ${date(last.writtenAt)}（${last.keyName ?? '—'}）` : ''}，等待审核单位采纳或退回`,
    returned: last?.comment ? `退回意见：${last.comment}${when}` : `已退回${when}`,
    accepted: last ? `采纳于 ${date(last.writtenAt)}（${last.keyName ?? '—'}）；已发布，只能通过更正修改` : '已发布，只能通过更正修改'
  }
  fill(
    'state',
    h('span', { class: 'state-label' }, '状态'),
    h('strong', { class: `state-badge state-${doc.state}`, id: 'state-value', 'data-state': doc.state }, d.labels.states[doc.state]),
    h('span', { class: 'state-about' }, about[doc.state])
  )
}

/** The moves the state allows that the entered key may make (its role and scope); none without a key. */
function actions() {
  if (!currentKey()) return fill('actions')
  if (MOVES[doc.state].length === 0) {
    return fill(
      'actions',
      h('p', { class: 'hint' }, '已采纳的报告不再改变状态；如需修改，由填报单位提交更正并说明理由（POST /v1/reports/{id}/corrections）。')
    )
  }
  const moves = MOVES[doc.state].filter((m) => mayAct(m.by))
  if (moves.length === 0) {
    return fill(
      'actions',
      h(
        'p',
        { class: 'hint', id: 'no-moves' },
        `此密钥${who ? `（${ROLE_NAMES[who.role]}）` : ''}不能办理这份报告的下一步：${MOVES[doc.state].map((m) => `${m.label}由${m.who}办理`).join('；')}。`
      )
    )
  }
  const comment = h('textarea', { id: 'comment', name: 'comment', rows: 2, maxlength: 4000 })
  const form = h(
    'form',
    { id: 'transition', class: 'act' },
    h('label', { for: 'comment' }, '意见或说明（退回时必填）'),
    comment,
    h(
      'div',
      { class: 'buttons' },
      moves.map((m) => h('button', { type: 'submit', value: m.to, 'data-to': m.to, title: m.who }, m.label)),
      h('span', { class: 'hint' }, moves.map((m) => `${m.label}：${m.who}`).join('；'))
    )
  )
  form.addEventListener('submit', (event) => {
    event.preventDefault()
    const button = (event as SubmitEvent).submitter as HTMLButtonElement | null
    if (button) void move(button.value as State, comment.value.trim())
  })
  fill('actions', form)
}

async function move(to: State, comment: string) {
  const label = moveLabel(doc.state, to)
  fill('act-result', h('p', { class: 'notice' }, `正在${label}…`))
  try {
    await api<Doc>(`/v1/reports/${d.id}/transitions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ to, ...(comment ? { comment } : {}) })
    })
  } catch (e) {
    return refused('act-result', e)
  }
  await refresh()
  fill('act-result', h('p', { class: 'notice ok', role: 'status' }, `已${label}：报告现为“${d.labels.states[doc.state]}”。`))
}

/** A refusal: the problem's detail and each of its errors, a finding's linked to it in the list. */
function refused(target: string | HTMLElement, e: unknown) {
  const errors = e instanceof ApiError ? (e.problem?.errors ?? []) : []
  fill(
    target,
    h(
      'div',
      { class: 'notice error refusal', role: 'alert' },
      h('p', null, problemText(e)),
      errors.length
        ? h(
            'ul',
            null,
            errors.map((x) => {
              const finding = /^\/findings\/(\d+)$/.exec(x.pointer ?? '')?.[1]
              return h('li', null, finding ? h('a', { href: `#finding-${finding}` }, x.message) : x.message)
            })
          )
        : null
    )
  )
}

function reviewText(f: Finding) {
  const r = f.review
  if (!r) return null
  const lines: Array<Node | string> = []
  if (r.explanation) lines.push(h('span', { class: 'review-line' }, `情况说明：${r.explanation}`))
  if (r.reason && r.reason !== r.explanation)
    lines.push(h('span', { class: 'review-line' }, `${f.status === 'dismissed' ? '排除理由' : '审核意见'}：${r.reason}`))
  lines.push(h('span', { class: 'review-line sub' }, `${r.keyName ?? '—'}，${date(r.reviewedAt)}`))
  return h('span', { class: 'review' }, lines)
}

function reviewForm(f: Finding) {
  const name = `status-${f.id}`
  const reason = h('textarea', { name: 'reason', id: `reason-${f.id}`, rows: 2, maxlength: 4000 })
  const result = h('div', { class: 'review-result', 'aria-live': 'polite' })
  const form = h(
    'form',
    { class: 'review-form', 'data-finding': f.id },
    h(
      'fieldset',
      null,
      h('legend', null, '审核结论'),
      REVIEWS.filter((r) => mayAct(r.by)).map((r) =>
        h('label', { class: 'choice' }, h('input', { type: 'radio', name, value: r.status, required: true }), ` ${r.label}（${r.who}）`)
      )
    ),
    h('label', { for: `reason-${f.id}` }, '理由或情况说明'),
    reason,
    h('button', { type: 'submit' }, '提交审核'),
    result
  )
  form.addEventListener('submit', async (event) => {
    event.preventDefault()
    const status = form.querySelector<HTMLInputElement>(`input[name="${name}"]:checked`)?.value
    if (!status) return
    try {
      await api(`/v1/findings/${f.id}`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ status, ...(reason.value.trim() ? { reason: reason.value.trim() } : {}) })
      })
    } catch (e) {
      return refused(result, e)
    }
    await refresh()
    const item = document.getElementById(`finding-${f.id}`)
    if (item) {
      item.append(h('p', { class: 'notice ok', role: 'status' }, `已记录：${d.labels.statuses[status as Status]}`))
      item.querySelector<HTMLElement>('.status')?.focus()
    }
  })
  return h('details', { class: 'review-details' }, h('summary', null, '审核此问题'), form)
}

function summary() {
  if (findings.length === 0) return fill('summary', h('p', { class: 'notice ok' }, '各项校验均通过。'))
  const count = (s: string) => findings.filter((f) => f.severity === s).length
  const open = findings.filter((f) => f.status === 'open' && f.severity === 'error').length
  const canReview = REVIEWS.some((r) => mayAct(r.by))
  fill(
    'summary',
    h(
      'h2',
      null,
      `发现的问题：错误 ${count('error')}，警告 ${count('warning')}，提示 ${count('info')}`,
      open ? h('span', { class: 'sub' }, ` · ${open} 个错误待说明或审核`) : null
    ),
    h(
      'ol',
      { class: 'finding-list' },
      [...findings]
        .sort((a, b) => RANK[b.severity] - RANK[a.severity] || a.id - b.id)
        .map((f) =>
          h(
            'li',
            { class: `sev-${f.severity}`, id: `finding-${f.id}`, 'data-rule': f.rule, 'data-status': f.status },
            h('span', { class: `sev ${f.severity}` }, d.labels.severities[f.severity]),
            ' ',
            h('button', { type: 'button', class: 'linkish', onclick: () => focusCell(f) }, `${f.rule} ${d.labels.rules[f.rule] ?? ''}`),
            '：',
            f.message,
            ' ',
            h('span', { class: `status st-${f.status}`, tabindex: -1 }, d.labels.statuses[f.status]),
            reviewText(f),
            canReview ? reviewForm(f) : null
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

function revisions() {
  fill(
    'revisions',
    table(
      ['版本', '办理', '状态', '办理人', '时间', '意见或理由', '内容'],
      [...history]
        .reverse()
        .map((r) => [
          String(r.revision),
          r.operation === 'transition' ? moveLabel(r.fromState, r.state) : (OPERATIONS[r.operation] ?? r.operation),
          r.state === null
            ? '—'
            : r.fromState && r.fromState !== r.state
              ? `${d.labels.states[r.fromState]} → ${d.labels.states[r.state]}`
              : d.labels.states[r.state],
          r.keyName ?? '—',
          date(r.writtenAt),
          r.comment ?? '',
          h('a', { href: `/v1/reports/${d.id}/revisions/${r.revision}`, 'data-keyed': true }, 'JSON')
        ])
    )
  )
}

async function loadFindings(): Promise<Finding[]> {
  const all: Finding[] = []
  let cursor: string | null = null
  do {
    const q: string = `reportId=${d.id}&limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`
    const page: { items: Finding[]; next: string | null } = await api(`/v1/findings?${q}`, fresh)
    all.push(...page.items)
    cursor = page.next
  } while (cursor)
  return all
}

/** Everything that a transition or a review changes, read again. */
async function refresh() {
  ;[doc, findings, history] = await Promise.all([
    api<Doc>(`/v1/reports/${d.id}`, fresh),
    loadFindings(),
    api<{ items: Revision[] }>(`/v1/reports/${d.id}/revisions`, fresh).then((r) => r.items)
  ])
  fill('back', h('a', { href: `/agencies/${doc.agencyId}` }, `‹ ${agencyName}`), ` · ${doc.year}年度 · 第 ${doc.revision} 版`)
  state()
  actions()
  summary()
  revisions()
}

let agencyName = ''
let agency: { id: number; regionCode: string } | null = null
let loaded = false

/**
 * Reads the report and everything about it — again after a key is entered or cleared, since a report not yet
 * accepted is shown only to the keys whose scope covers it (to anyone else it does not exist).
 */
async function load() {
  try {
    who = await keyInfo()
    if (!loaded) {
      doc = await api<Doc>(`/v1/reports/${d.id}`, fresh)
      const read = await api<{ id: number; name: string; regionCode: string }>(`/v1/agencies/${doc.agencyId}`)
      agencyName = read.name
      agency = { id: read.id, regionCode: read.regionCode }
      await official()
      await refresh()
      mark()
      loaded = true
    } else await refresh()
  } catch (e) {
    if (!(e instanceof ApiError && e.status === 404)) throw e
    loaded = false
    for (const id of ['back', 'state', 'actions', 'summary', 'revisions']) fill(id)
    fill(
      'official',
      message(
        currentKey() ? '没有这份报告，或此密钥无权查看。' : '没有这份报告；尚未采纳的报告只向有权的密钥显示，请在上方输入密钥。',
        'error'
      )
    )
  }
}

/** With a key, a download or a revision's JSON is fetched with it (a link cannot carry it) and saved as the server names it. */
function keyedLinks() {
  document.addEventListener('click', async (event) => {
    const link = (event.target as Element | null)?.closest?.<HTMLAnchorElement>('a[data-keyed]')
    if (!link || !currentKey()) return
    event.preventDefault()
    const res = await fetch(link.href, { headers: headers({ accept: '*/*' }) })
    if (!res.ok) return refused('act-result', new ApiError(res.status, await res.json().catch(() => null)))
    const url = URL.createObjectURL(await res.blob())
    const disposition = res.headers.get('content-disposition') ?? ''
    const name = /filename\*=UTF-8''([^;]+)/i.exec(disposition)?.[1] ?? /filename="?([^";]+)/i.exec(disposition)?.[1]
    if (link.target === '_blank') window.open(url, '_blank', 'noopener')
    else h('a', { href: url, download: name ? decodeURIComponent(name) : `report-${d.id}` }).click()
    setTimeout(() => URL.revokeObjectURL(url), 60_000)
  })
}

async function main() {
  byId('print').addEventListener('click', () => window.print())
  keyedLinks()
  keyPanel('key-panel', () => {
    fill('act-result')
    return load()
  })
  await load()
  document.body.dataset.ready = 'true'
}

main().catch((e: Error) => fill('official', message(`加载失败：${e.message}`, 'error')))
