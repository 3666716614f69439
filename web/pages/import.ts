// 导入: a published report pasted or dropped in, sent to POST /v1/imports as it is (the server decodes
// GBK pages and reads text and HTML); the preview shows every value beside where it was read — focusing a
// value highlights its line in the source — with the warnings and findings; then a commit with a key.
import { ApiError, api, currentKey, query, rememberKey } from '../lib/api.js'
import { byId, fill, h, message, pageData } from '../lib/dom.js'

interface Data {
  labels: { severities: Record<string, string>; rules: Record<string, string> }
  cells: Record<string, Array<{ code: string; label: string }>>
}
interface Provenance {
  text: string
  line?: number
  column?: number
  table?: number
  row?: number
}
interface Finding {
  rule: string
  severity: string
  message: string
  cells: string[]
}
interface ImportResult {
  report: Record<string, unknown> & { year: number; format: string; title?: string | null; publishedAt?: string | null }
  agencyName: string | null
  findings: Finding[]
  provenance: Record<string, Provenance>
  warnings: string[]
  committed?: { reportId: number; status: 'created' | 'replaced'; agencyId: number; agencyCreated: boolean }
}

const d = pageData<Data>()
let body: { bytes: BodyInit; type: string; text: string } | null = null

function cellValue(doc: Record<string, unknown>, code: string): unknown {
  return code
    .split('.')
    .reduce<unknown>((node, part) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined), doc)
}

function where(p: Provenance | undefined): string {
  if (!p) return '未读到'
  if (p.line !== undefined) return `第 ${p.line} 行`
  if (p.table !== undefined) return `第 ${p.table + 1} 个表格第 ${(p.row ?? 0) + 1} 行`
  return '全文'
}

function showSource(text: string) {
  const lines = text.split(/\r\n|\r|\n/)
  fill(
    'source',
    lines.map((l, i) => h('span', { class: 'line', id: `line-${i + 1}`, 'data-line': i + 1 }, l, '\n'))
  )
}

function highlight(p: Provenance | undefined) {
  for (const el of document.querySelectorAll('#source .line.hit')) el.classList.remove('hit')
  if (p?.line === undefined) return
  const line = byId(`line-${p.line}`)
  if (!line) return
  line.classList.add('hit')
  const source = byId('source')
  source.scrollTop = line.offsetTop - source.clientHeight / 2
}

function show(result: ImportResult) {
  const r = result.report
  byId('result').hidden = false
  fill(
    'meta',
    h(
      'dl',
      { class: 'stats' },
      h('dt', null, '机关'),
      h('dd', null, result.agencyName ?? '未读到'),
      h('dt', null, '年度'),
      h('dd', null, String(r.year)),
      h('dt', null, '格式'),
      h('dd', null, `${r.format}年格式`),
      h('dt', null, '发布日期'),
      h('dd', null, r.publishedAt ?? '未读到'),
      h('dt', null, '标题'),
      h('dd', null, r.title ?? '未读到')
    )
  )
  fill(
    'warnings',
    result.warnings.length
      ? [
          h('h3', null, `读取警告（${result.warnings.length}）`),
          h(
            'ul',
            { class: 'warnings' },
            result.warnings.map((w) => h('li', null, w))
          )
        ]
      : h('p', { class: 'notice ok' }, '没有读取警告。')
  )
  const serious = result.findings.filter((f) => f.severity !== 'info')
  fill(
    'findings',
    serious.length
      ? [
          h('h3', null, `校验发现（${serious.length}）`),
          h(
            'ul',
            null,
            serious.map((f) =>
              h(
                'li',
                null,
                h('span', { class: `sev ${f.severity}` }, d.labels.severities[f.severity]),
                ` ${f.rule} ${d.labels.rules[f.rule] ?? ''}：${f.message}`
              )
            )
          )
        ]
      : h('p', { class: 'notice ok' }, '校验未发现错误或警告。')
  )
  const flagged = new Set(serious.flatMap((f) => f.cells))
  const cells = d.cells[r.format] ?? []
  const rows = cells.map((c) => {
    const v = cellValue(r, c.code)
    const p = result.provenance[c.code]
    const tr = h(
      'tr',
      {
        tabindex: 0,
        class: [v === null ? 'blank' : '', p ? 'read' : '', flagged.has(c.code) ? 'flagged' : ''].join(' ').trim(),
        'data-cell': c.code,
        'data-line': p?.line ?? null
      },
      h('td', null, c.label),
      h('td', { class: 'num' }, v === null || v === undefined ? '空白' : String(v)),
      h('td', { class: 'prov' }, where(p), p ? h('q', null, p.text) : null)
    )
    tr.addEventListener('mouseenter', () => highlight(p))
    tr.addEventListener('focus', () => highlight(p))
    return tr
  })
  const read = cells.filter((c) => result.provenance[c.code]).length
  fill(
    'cells',
    h('p', { class: 'hint' }, `${cells.length} 个单元格，读到 ${read} 个；空白的单元格保持空白，不计为 0。`),
    h(
      'table',
      { class: 'data' },
      h('thead', null, h('tr', null, h('th', null, '项目'), h('th', { class: 'num' }, '数值'), h('th', null, '读取位置'))),
      h('tbody', null, rows)
    )
  )
  showSource(body?.text ?? '')
  byId('result-title').textContent = `预览：${result.agencyName ?? ''} ${r.year}年度`
}

function params(commit: boolean) {
  return query({
    year: byId<HTMLInputElement>('year').value,
    format: byId<HTMLSelectElement>('format').value,
    agencyId: byId<HTMLInputElement>('agencyId').value,
    commit: commit || undefined,
    strict: commit && byId<HTMLInputElement>('strict').checked ? true : undefined
  })
}

function problemText(e: unknown): string {
  if (e instanceof ApiError) {
    const details = e.problem?.errors?.map((x) => x.message).join('；')
    return `${e.status === 401 ? '密钥无效或缺失' : e.status === 403 ? '该密钥无权提交此报告' : '未能处理'}：${e.message}${details ? `（${details}）` : ''}`
  }
  return (e as Error).message
}

async function preview(event: Event) {
  event.preventDefault()
  const text = byId<HTMLTextAreaElement>('text').value
  if (!body || body.text !== text) body = { bytes: text, type: 'text/plain; charset=utf-8', text }
  if (!body.text.trim() && typeof body.bytes === 'string') return fill('committed', message('请先粘贴报告全文或选择文件。', 'error'))
  byId('result').hidden = true
  fill('committed')
  try {
    const result = await api<ImportResult>(`/v1/imports?${params(false)}`, {
      method: 'POST',
      body: body.bytes,
      headers: { 'content-type': body.type }
    })
    show(result)
    document.body.dataset.previewed = 'true'
  } catch (e) {
    byId('result').hidden = false
    fill('meta', message(problemText(e), 'error'))
    for (const id of ['warnings', 'findings', 'cells', 'source']) fill(id)
  }
}

async function commit(event: Event) {
  event.preventDefault()
  if (!body) return
  const key = byId<HTMLInputElement>('key').value.trim()
  try {
    const result = await api<ImportResult>(`/v1/imports?${params(true)}`, {
      method: 'POST',
      body: body.bytes,
      headers: { 'content-type': body.type, authorization: `Bearer ${key}` }
    })
    const c = result.committed!
    // the report page can then submit it with the same key, without asking again
    rememberKey(key)
    fill(
      'committed',
      h(
        'p',
        { class: 'notice ok' },
        `已${c.status === 'created' ? '新建' : '替换'}报告${c.agencyCreated ? '（并新建机关）' : ''}：`,
        h('a', { href: `/reports/${c.reportId}`, id: 'committed-link' }, `查看报告 #${c.reportId}`)
      )
    )
  } catch (e) {
    fill('committed', message(problemText(e), 'error'))
  }
}

async function takeFile(file: File) {
  const bytes = await file.arrayBuffer()
  const html = /\.html?$/i.test(file.name) || file.type === 'text/html'
  // the server decodes by the page's declared charset; this copy is only for showing lines
  const head = new TextDecoder('latin1').decode(bytes.slice(0, 2048))
  const text = new TextDecoder(/charset\s*=\s*["']?(gb2312|gbk|gb18030)/i.test(head) ? 'gb18030' : 'utf-8').decode(bytes)
  body = { bytes, type: html ? 'text/html' : 'text/plain', text }
  byId<HTMLTextAreaElement>('text').value = text
  byId('file-name').textContent = `${file.name}（${Math.ceil(bytes.byteLength / 1024)} KB）`
}

function wire() {
  byId<HTMLInputElement>('key').value = currentKey() ?? ''
  byId('import').addEventListener('submit', (e) => void preview(e))
  byId('commit').addEventListener('submit', (e) => void commit(e))
  byId<HTMLInputElement>('file').addEventListener('change', (e) => {
    const f = (e.target as HTMLInputElement).files?.[0]
    if (f) void takeFile(f)
  })
  const drop = byId('drop')
  drop.addEventListener('dragover', (e) => {
    e.preventDefault()
    drop.classList.add('over')
  })
  drop.addEventListener('dragleave', () => drop.classList.remove('over'))
  drop.addEventListener('drop', (e) => {
    e.preventDefault()
    drop.classList.remove('over')
    const f = e.dataTransfer?.files[0]
    if (f) void takeFile(f)
  })
  document.body.dataset.ready = 'true'
}

wire()
