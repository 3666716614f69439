// An HTML page → items. Block elements end lines; a data table (one without tables inside it)
// becomes one row item per <tr>, its cells in document order: a report's tables carry spans that
// do not line up with their data cells (Word exports), so cells are read by order, not position.
import { parse } from 'parse5'
import type { DefaultTreeAdapterMap } from 'parse5'
import { parseDate, parseTitle, type Found, type Title } from './metadata.js'
import type { Item, Place, RowItem } from './types.js'

type Node = DefaultTreeAdapterMap['node']
type Element = DefaultTreeAdapterMap['element']
type ParentNode = DefaultTreeAdapterMap['parentNode']

const SKIP = new Set(['script', 'style', 'noscript', 'template', 'iframe', 'select', 'svg', 'object', 'button', 'head', 'textarea'])
const BLOCK = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'br',
  'caption',
  'center',
  'dd',
  'details',
  'dialog',
  'dir',
  'div',
  'dl',
  'dt',
  'fieldset',
  'figcaption',
  'figure',
  'footer',
  'form',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hgroup',
  'hr',
  'li',
  'main',
  'menu',
  'nav',
  'ol',
  'p',
  'pre',
  'section',
  'summary',
  'table',
  'tbody',
  'td',
  'tfoot',
  'th',
  'thead',
  'tr',
  'ul'
])

export interface HtmlPage {
  items: Item[]
  /** the element each item was read from, to find the article among the page's furniture */
  nodes: Node[]
  title: Title | null
  publishedAt: Found<string> | null
}

const isElement = (n: Node): n is Element => 'tagName' in n
const attr = (el: Element, name: string) => el.attrs.find((a) => a.name === name)?.value
const childrenOf = (n: Node): Node[] => ('childNodes' in n ? (n as ParentNode).childNodes : [])

function hidden(el: Element): boolean {
  return attr(el, 'hidden') !== undefined || /display\s*:\s*none|visibility\s*:\s*hidden/i.test(attr(el, 'style') ?? '')
}

export function htmlToItems(html: string): HtmlPage {
  const doc = parse(html, { sourceCodeLocationInfo: true })
  const items: Item[] = []
  const nodes: Node[] = []
  let line = ''
  let lineAt: Place | null = null
  let lineNode: Node | null = null
  let tables = 0

  const flush = () => {
    const text = line.replace(/[\s\u00a0]+/g, ' ').trim()
    if (text && lineAt) {
      items.push({ kind: 'text', text, at: lineAt })
      nodes.push(lineNode!)
    }
    line = ''
    lineAt = null
    lineNode = null
  }

  const dataTables = findDataTables(doc)
  // the walk keeps its own stack: pages nest thousands of elements deep
  const body = childrenOf(doc)
    .filter(isElement)
    .flatMap((html) => childrenOf(html))
    .find((n) => n.nodeName === 'body')
  const stack: Array<Node | typeof FLUSH> = [body ?? doc]
  while (stack.length > 0) {
    const node = stack.pop()!
    if (node === FLUSH) {
      flush()
      continue
    }
    if (node.nodeName === '#text') {
      const value = (node as DefaultTreeAdapterMap['textNode']).value
      if (!lineAt && value.trim()) {
        const loc = (node as DefaultTreeAdapterMap['textNode']).sourceCodeLocation
        const lead = value.length - value.trimStart().length
        lineAt = loc ? { line: loc.startLine, column: loc.startCol + lead } : {}
        lineNode = node.parentNode ?? node
      }
      line += value
      continue
    }
    if (isElement(node)) {
      if (SKIP.has(node.tagName) || hidden(node)) continue
      if (dataTables.has(node)) {
        flush()
        tables++
        rowsOf(node).forEach((tr, r) => {
          const row: RowItem = {
            kind: 'row',
            cells: cellsOf(tr).map((td, c) => {
              const code = attr(td, 'data-cell')
              return { text: cellText(td), at: { table: tables, row: r + 1, column: c + 1 }, ...(code ? { code } : {}) }
            })
          }
          items.push(row)
          nodes.push(tr)
        })
        continue
      }
    }
    const block = isElement(node) && BLOCK.has(node.tagName)
    if (block) {
      flush()
      stack.push(FLUSH)
    }
    const children = childrenOf(node)
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i])
  }
  flush()
  return { items, nodes, ...headMeta(doc) }
}

/** Marks the end of a block element on the walk's stack. */
const FLUSH = Symbol('end of block')

/** The elements below `node` for which `pick` holds, in document order, not looking inside those `stopAt` holds for. */
function descendants(node: Node, pick: (n: Element) => boolean, stopAt?: (n: Element) => boolean): Element[] {
  const out: Element[] = []
  const stack = [...childrenOf(node)].reverse()
  while (stack.length > 0) {
    const n = stack.pop()!
    if (!isElement(n)) continue
    if (pick(n)) out.push(n)
    if (stopAt?.(n)) continue
    const children = childrenOf(n)
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i])
  }
  return out
}

/**
 * The data tables of the page: tables holding no table, with at least two rows of two cells (not
 * layout tables). One pass over the page, however deeply tables nest.
 */
function findDataTables(doc: Node): Set<Element> {
  const tables = descendants(doc, (n) => n.tagName === 'table')
  const holdsTable = new Set<Node>()
  for (const table of tables) {
    for (
      let up = table.parentNode as Node | null;
      up && !holdsTable.has(up);
      up = (up as { parentNode?: Node | null }).parentNode ?? null
    ) {
      holdsTable.add(up)
    }
  }
  return new Set(tables.filter((t) => !holdsTable.has(t) && rowsOf(t).filter((tr) => cellsOf(tr).length >= 2).length >= 2))
}

const rowsOf = (table: Element) =>
  descendants(
    table,
    (n) => n.tagName === 'tr',
    (n) => n.tagName === 'tr'
  )
const cellsOf = (tr: Element) => childrenOf(tr).filter((n): n is Element => isElement(n) && (n.tagName === 'td' || n.tagName === 'th'))

/** A cell's text: its pieces in separate blocks joined by a space, NBSP and padding trimmed. */
function cellText(cell: Element): string {
  let text = ''
  const stack: Array<Node | typeof FLUSH> = [...childrenOf(cell)].reverse()
  while (stack.length > 0) {
    const n = stack.pop()!
    if (n === FLUSH) text += ' '
    else if (n.nodeName === '#text') text += (n as DefaultTreeAdapterMap['textNode']).value
    else if (isElement(n)) {
      if (SKIP.has(n.tagName) || hidden(n)) continue
      const block = BLOCK.has(n.tagName)
      if (block) {
        text += ' '
        stack.push(FLUSH)
      }
      const children = childrenOf(n)
      for (let i = children.length - 1; i >= 0; i--) stack.push(children[i])
    }
  }
  return text.replace(/[\s\u00a0\u3000]+/g, ' ').trim()
}

function headMeta(doc: Node): { title: Title | null; publishedAt: Found<string> | null } {
  const metas = descendants(doc, (n) => n.tagName === 'meta')
  const meta = (...names: string[]) => {
    for (const name of names) {
      const el = metas.find((m) => (attr(m, 'name') ?? attr(m, 'property') ?? '').toLowerCase() === name.toLowerCase())
      const content = el && attr(el, 'content')?.trim()
      if (content) return { name, content }
    }
    return null
  }
  const pub = meta('PubDate', 'pubdate', 'publishdate', 'firstpublishedtime', 'article:published_time', 'dc.date')
  const pubDate = pub ? parseDate(pub.content) : null
  const publishedAt = pubDate ? { value: pubDate, provenance: { text: `<meta name="${pub!.name}" content="${pub!.content}">` } } : null

  let title: Title | null = null
  const articleTitle = meta('ArticleTitle', 'og:title')
  const titleEl = descendants(doc, (n) => n.tagName === 'title')[0]
  const pageTitle = titleEl ? cellText(titleEl) : ''
  for (const [text, where] of [
    [articleTitle?.content ?? '', `<meta name="${articleTitle?.name}">`],
    ...pageTitle.split(/\s*[_|｜]\s*|\s+[-–—]\s+/u).map((part) => [part, '<title>'])
  ]) {
    const parsed = text ? parseTitle(text) : null
    if (parsed) {
      title = { ...parsed, provenance: { text: `${where} ${text}` } }
      break
    }
  }
  return { title, publishedAt }
}

/**
 * The page's furniture (menus, footers, related links) stands outside the element that holds the
 * report's headings: items after the last heading and outside that element are dropped.
 */
export function articleItems(page: HtmlPage, headingItems: number[]): Item[] {
  if (headingItems.length < 2) return page.items
  const parentOf = (n: Node): Node | null => (n as { parentNode?: Node | null }).parentNode ?? null
  // the innermost element holding every heading: the ancestors of the first heading, innermost
  // first, the first of them that every other heading lies under
  const chain: Node[] = []
  for (let c: Node | null = page.nodes[headingItems[0]]; c; c = parentOf(c)) chain.push(c)
  const depth = new Map(chain.map((n, i) => [n, i]))
  let common = 0
  for (const h of headingItems.slice(1)) {
    let c: Node | null = page.nodes[h]
    while (c && !depth.has(c)) c = parentOf(c)
    if (!c) return page.items
    common = Math.max(common, depth.get(c)!)
  }
  const article = chain[common]
  const inside = new Set<Node>([article, ...descendantNodes(article)])
  const lastHeading = Math.max(...headingItems)
  return page.items.filter((_, i) => i <= lastHeading || inside.has(page.nodes[i]))
}

function descendantNodes(node: Node): Node[] {
  const out: Node[] = []
  const stack = [...childrenOf(node)]
  while (stack.length > 0) {
    const n = stack.pop()!
    out.push(n)
    for (const c of childrenOf(n)) stack.push(c)
  }
  return out
}
