// The frame of each page. The scripts (web/pages/*.ts) fill it from the API; the frame alone already says
// what the page is, and its forms work without a script.
import { RULES } from '../checks/rules.js'
import { FORMATS, cellsOf } from '../format/registry.js'
import { printedCellLabel } from '../render/layout.js'
import { html, type SafeHtml } from './html.js'
import { LABELS, PICKABLE_METRICS, RULE_TITLES, SEVERITY_LABELS, STATE_LABELS, STATUS_LABELS, metricLabel } from './labels.js'

const HEADLINE = [
  'applications.newReceived.total',
  'disclosureRate',
  'reviewCorrectionRate',
  'litigationCorrectionRate',
  'proactive.regulations.issued',
  'proactive.normativeDocuments.issued',
  'proactive.regulations.newlyPublished',
  'proactive.normativeDocuments.newlyPublished',
  'proactive.licensing.decisions',
  'proactive.penalty.decisions'
]

export interface OverviewParams {
  year?: number
  region: string
  metric: string
  order: 'asc' | 'desc'
  by: 'next' | 'county'
}

export function overviewView(p: OverviewParams) {
  const options = PICKABLE_METRICS.map(metricLabel)
  const body = html`<h1 id="title">全国政府信息公开工作年度报告总览</h1>
<form id="filters" class="controls" method="get" action="/">
<label>年度 <select name="year" id="year">${p.year ? html`<option value="${p.year}" selected>${p.year}年</option>` : ''}</select></label>
<label>指标 <select name="metric" id="metric">${options.map((o) => html`<option value="${o.code}"${o.code === p.metric ? html` selected` : ''}>${o.label}</option>`)}</select></label>
<label>排序 <select name="order" id="order"><option value="asc"${p.order === 'asc' ? html` selected` : ''}>从低到高</option><option value="desc"${p.order === 'desc' ? html` selected` : ''}>从高到低</option></select></label>
<label>分组 <select name="by" id="by"><option value="next"${p.by === 'next' ? html` selected` : ''}>下一级区划</option><option value="county"${p.by === 'county' ? html` selected` : ''}>县级区划</option></select></label>
<input type="hidden" name="region" value="${p.region}">
<button type="submit">查看</button>
</form>
<nav id="breadcrumb" class="breadcrumb" aria-label="区划"></nav>
<section id="headline" class="cards" aria-label="主要指标" aria-busy="true"></section>
<section class="panel" aria-labelledby="regions-title"><h2 id="regions-title">各地区</h2><p class="hint" id="regions-hint"></p><div id="regions-chart" class="chart tall" role="img" aria-label="各地区指标条形图"></div><div id="regions-table" class="table-wrap"></div></section>
<div class="two">
<section class="panel" aria-labelledby="trend-title"><h2 id="trend-title">历年趋势</h2><div id="trend-chart" class="chart" role="img" aria-label="历年趋势图"></div></section>
<section class="panel" aria-labelledby="coverage-title"><h2 id="coverage-title">报送情况</h2><div id="coverage"></div></section>
</div>
<section class="panel" aria-labelledby="agencies-title"><h2 id="agencies-title">机关排名</h2><div id="agencies-table" class="table-wrap"></div></section>`
  return { body, data: { ...p, metrics: options, headline: HEADLINE.map(metricLabel), labels: LABELS } }
}

/** A select of a filter: 全部 and each value with its label, the current one selected. */
const choice = (name: string, label: string, labels: Record<string, string>, current: string | undefined) =>
  html`<label>${label} <select name="${name}" id="${name}"><option value="">全部</option>${Object.entries(labels).map(([k, v]) => html`<option value="${k}"${k === current ? html` selected` : ''}>${v}</option>`)}</select></label>`

export interface AgencyParams {
  /** the reports listed: only those in this state */
  state?: string
  /** the findings listed: only those of this review status */
  status?: string
}

export function agencyView(id: number, p: AgencyParams = {}) {
  const body = html`<h1 id="title">机关</h1>
<p id="facts" class="facts"></p>
<form id="filters" class="controls" method="get" action="/agencies/${id}">
${choice('state', '报告状态', STATE_LABELS, p.state)}
${choice('status', '问题审核状态', STATUS_LABELS, p.status)}
<button type="submit">筛选</button>
</form>
<details class="key-box no-print"><summary>API 密钥：查看范围内尚未采纳的报告</summary><div id="key-panel"></div></details>
<div class="two">
<section class="panel" aria-labelledby="reports-title"><h2 id="reports-title">历年报告</h2><div id="reports" class="table-wrap"></div></section>
<section class="panel" aria-labelledby="trend-title"><h2 id="trend-title">历年趋势</h2><div id="trend-chart" class="chart" role="img" aria-label="历年趋势图"></div></section>
</div>
<section class="panel" aria-labelledby="findings-title"><h2 id="findings-title">发现的问题</h2><div id="findings" class="table-wrap"></div></section>`
  return {
    body,
    data: {
      id,
      ...p,
      labels: LABELS,
      trend: ['applications.newReceived.total', 'disclosureRate', 'proactive.licensing.decisions', 'proactive.penalty.decisions'].map(
        metricLabel
      )
    }
  }
}

export function reportView(id: number) {
  const body = html`<p class="back" id="back"></p>
<div class="report-tools no-print">
<nav aria-label="下载" class="downloads">下载：<a href="/v1/reports/${id}?output=json" download data-keyed>JSON</a> <a href="/v1/reports/${id}?output=csv&amp;bom=true" download data-keyed>CSV</a> <a href="/v1/reports/${id}?output=xlsx" download data-keyed>XLSX</a> <a href="/v1/reports/${id}?output=md" download data-keyed>Markdown</a> <a href="/v1/reports/${id}?output=html" target="_blank" rel="noopener" data-keyed>原版式网页</a> <button type="button" id="print">打印（A4）</button></nav>
</div>
<p id="state" class="state-bar" aria-live="polite"></p>
<section class="panel no-print workflow" aria-labelledby="workflow-title"><h2 id="workflow-title">办理</h2>
<div id="key-panel"></div>
<div id="actions"></div>
<div id="act-result" aria-live="polite"></div>
</section>
<section id="summary" class="findings-summary"></section>
<article id="official" class="official" aria-label="报告正文（官方版式）"></article>
<section class="panel no-print" aria-labelledby="revisions-title"><h2 id="revisions-title">办理与修订记录</h2><div id="revisions" class="table-wrap"></div></section>`
  return { body, data: { id, labels: LABELS } }
}

export interface FindingsParams {
  rule?: string
  severity?: string
  regionCode?: string
  year?: number
  agencyId?: number
  /** the finding's review status */
  status?: string
  /** the state of the finding's report */
  state?: string
}

export function findingsView(p: FindingsParams) {
  const body = html`<h1>报告中发现的问题</h1>
<form id="filters" class="controls" method="get" action="/findings">
<label>规则 <select name="rule" id="rule"><option value="">全部</option>${RULES.map((r) => html`<option value="${r.id}"${r.id === p.rule ? html` selected` : ''}>${r.id} ${RULE_TITLES[r.id] ?? ''}</option>`)}</select></label>
<label>级别 <select name="severity" id="severity"><option value="">全部</option>${Object.entries(SEVERITY_LABELS).map(([k, v]) => html`<option value="${k}"${k === p.severity ? html` selected` : ''}>${v}</option>`)}</select></label>
<label>区划代码 <input name="regionCode" id="regionCode" inputmode="numeric" pattern="[0-9]{2,6}" size="8" placeholder="如 63、6302" value="${p.regionCode ?? ''}"></label>
<label>年度 <input name="year" id="year" type="number" min="2019" max="2100" value="${p.year ?? ''}"></label>
${choice('status', '审核状态', STATUS_LABELS, p.status)}
${choice('state', '报告状态', STATE_LABELS, p.state)}
${p.agencyId ? html`<input type="hidden" name="agencyId" value="${p.agencyId}">` : ''}
<button type="submit">筛选</button>
</form>
<details class="key-box no-print"><summary>API 密钥：查看范围内尚未采纳的报告</summary><div id="key-panel"></div></details>
<p id="region-name" class="hint"></p>
<p id="by-status" class="by-status"></p>
<section id="by-rule" class="panel" aria-labelledby="by-rule-title"><h2 id="by-rule-title">按规则</h2><div id="rules-chart" class="chart short" role="img" aria-label="各规则问题数"></div></section>
<section class="panel" aria-labelledby="list-title"><h2 id="list-title">问题清单</h2><div id="list" class="table-wrap"></div><p><button type="button" id="more" hidden>加载更多</button></p></section>`
  return { body, data: { ...p, labels: LABELS } }
}

export function importView() {
  const body = html`<h1>导入年度报告</h1>
<p class="hint">粘贴从网页或 PDF 复制的报告全文，或拖入保存的网页（HTML，含 GBK 编码）或文本文件。先预览：每个数值都标明读取位置；确认无误后用 API 密钥提交入库（填报单位的密钥存为草稿，到报告页报送）。</p>
<form id="import" class="import-form">
<div id="drop" class="drop" tabindex="0"><textarea id="text" name="text" rows="12" placeholder="在此粘贴报告全文，或把文件拖到这里" aria-label="报告全文"></textarea>
<p>或 <label class="file">选择文件 <input type="file" id="file" accept=".txt,.html,.htm,text/plain,text/html"></label> <span id="file-name"></span></p></div>
<div class="controls">
<label>年度（可选） <input id="year" type="number" min="2019" max="2100"></label>
<label>格式（可选） <select id="format"><option value="">自动识别</option>${FORMATS.map((f) => html`<option value="${f}">${f}年格式</option>`)}</select></label>
<label>机关ID（可选） <input id="agencyId" type="number" min="1"></label>
<button type="submit" id="preview">预览</button>
</div>
</form>
<section id="result" hidden>
<h2 id="result-title">预览</h2>
<div id="meta" class="facts"></div>
<div id="warnings"></div>
<div id="findings"></div>
<div class="import-grid">
<div><h3>读取的数值</h3><div id="cells" class="table-wrap cells"></div></div>
<div><h3>原文</h3><pre id="source" class="source" tabindex="0" aria-label="原文"></pre></div>
</div>
<form id="commit" class="controls commit">
<label>API 密钥 <input id="key" type="password" autocomplete="off" required size="40"></label>
<label><input id="strict" type="checkbox"> 有错误时拒绝</label>
<button type="submit">提交入库</button>
</form>
<div id="committed" aria-live="polite"></div>
</section>`
  const cells = Object.fromEntries(FORMATS.map((f) => [f, cellsOf(f).map((c) => ({ code: c.code, label: printedCellLabel(c, f) }))]))
  return { body, data: { labels: LABELS, cells } }
}

export type PageBody = { body: SafeHtml; data: unknown }
