// A few DOM helpers: elements are built with text nodes, never from HTML strings, so no text from a report
// can become markup.
export type Child = Node | string | number | null | undefined | false
type Attrs = Record<string, string | number | boolean | null | undefined | EventListener>

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs?: Attrs | null,
  ...children: Array<Child | Child[]>
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag)
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === null || value === undefined || value === false) continue
    if (typeof value === 'function') el.addEventListener(name.replace(/^on/, ''), value)
    else el.setAttribute(name, value === true ? '' : String(value))
  }
  append(el, children)
  return el
}

export function append(parent: Node, children: Array<Child | Child[]>): void {
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue
    parent.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c)
  }
}

export const byId = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T

export function fill(target: string | HTMLElement, ...children: Array<Child | Child[]>): void {
  const el = typeof target === 'string' ? byId(target) : target
  el.replaceChildren()
  append(el, children)
  el.removeAttribute('aria-busy')
}

export function pageData<T>(): T {
  return JSON.parse(byId('page-data').textContent ?? '{}') as T
}

/** A table with a header row; cells are nodes or text. */
export function table(headers: string[], rows: Child[][], options: { caption?: string; numeric?: number[] } = {}): HTMLTableElement {
  const numeric = new Set(options.numeric ?? [])
  return h(
    'table',
    { class: 'data' },
    options.caption ? h('caption', null, options.caption) : null,
    h(
      'thead',
      null,
      h(
        'tr',
        null,
        headers.map((t, i) => h('th', { scope: 'col', class: numeric.has(i) ? 'num' : null }, t))
      )
    ),
    h(
      'tbody',
      null,
      rows.map((r) =>
        h(
          'tr',
          null,
          r.map((c, i) => h('td', { class: numeric.has(i) ? 'num' : null }, c))
        )
      )
    )
  )
}

export const message = (text: string, kind: 'error' | 'empty' = 'empty') =>
  h('p', { class: `notice ${kind}`, role: kind === 'error' ? 'alert' : null }, text)
