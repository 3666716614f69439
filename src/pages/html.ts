// Server-rendered page shells: the header, navigation, the page's own frame and its data, in Chinese.
// Everything dynamic goes through `html`, which escapes what it interpolates; the page's data travels as a
// JSON data block (not executed, so allowed by the CSP) that the page's script reads.
import type { PageName, WebManifest } from './manifest.js'

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

export class SafeHtml {
  constructor(readonly text: string) {}
  toString() {
    return this.text
  }
}

const escapeHtml = (value: unknown): string => {
  if (value instanceof SafeHtml) return value.text
  if (Array.isArray(value)) return value.map(escapeHtml).join('')
  if (value === null || value === undefined || value === false) return ''
  return String(value).replace(/[&<>"']/g, (c) => ESCAPES[c])
}

/** A template whose interpolations are escaped unless they are SafeHtml (or arrays of it). */
export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  return new SafeHtml(strings.reduce((out, s, i) => out + s + (i < values.length ? escapeHtml(values[i]) : ''), ''))
}

/** JSON for a `<script type="application/json">` block: `<` escaped so no text can close the element. */
export const jsonBlock = (data: unknown) => new SafeHtml(JSON.stringify(data).replace(/</g, '\\u003c'))

const NAV: Array<{ page: PageName | 'docs'; href: string; label: string }> = [
  { page: 'overview', href: '/', label: '总览' },
  { page: 'findings', href: '/findings', label: '问题' },
  { page: 'import', href: '/import', label: '导入' },
  { page: 'docs', href: '/docs', label: '接口文档' }
]

export interface PageShell {
  page: PageName
  title: string
  /** the page's frame: headings, forms and empty containers its script fills */
  body: SafeHtml
  /** what the script needs to start: parameters, labels, the maps a deployment provides */
  data: unknown
  manifest: WebManifest | undefined
}

export function renderPage(shell: PageShell): string {
  const m = shell.manifest
  const assets = m
    ? html`<link rel="stylesheet" href="/assets/${m.style}">
${m.pages[shell.page].preload.map((p) => html`<link rel="modulepreload" href="/assets/${p}">\n`)}<script type="module" src="/assets/${m.pages[shell.page].script}"></script>`
    : html``
  const current = shell.page === 'agency' || shell.page === 'report' ? 'overview' : shell.page
  return html`<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>${shell.title} · 政府信息公开工作年度报告</title>
${assets}
</head>
<body data-page="${shell.page}">
<header class="site">
<a class="brand" href="/">年报<span>政府信息公开工作年度报告</span></a>
<nav aria-label="主导航">${NAV.map((n) => html`<a href="${n.href}"${n.page === current ? new SafeHtml(' aria-current="page"') : ''}>${n.label}</a>`)}</nav>
</header>
<main id="main">
${m ? '' : html`<p class="notice error" role="alert">页面脚本尚未构建：请先运行 <code>npm run build</code>。</p>`}
${shell.body}
</main>
<footer class="site"><p>数据来自各机关公开发布的年度报告；数值为报告原文，空白单元格不计为 0。接口：<a href="/docs">/docs</a></p></footer>
<script type="application/json" id="page-data">${jsonBlock(shell.data)}</script>
</body>
</html>
`.text
}
