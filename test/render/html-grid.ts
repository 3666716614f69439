// A generic table reader for the tests: HTML tables expanded into grids with rowspan and colspan
// honoured, the way any reader of the page (a person or a program) sees which labels head a cell.

export interface GridCell {
  tag: 'th' | 'td'
  text: string
  code: string | null
}

const unescapeHtml = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')

export function tables(html: string): string[] {
  return [...html.matchAll(/<table[^>]*>([\s\S]*?)<\/table>/g)].map((m) => m[1])
}

export function grid(table: string): GridCell[][] {
  const rows: GridCell[][] = []
  const pending: Array<Array<GridCell | undefined>> = []
  const trs = [...table.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) => m[1])
  trs.forEach((tr, r) => {
    const row: GridCell[] = (pending[r] ?? []) as GridCell[]
    let c = 0
    for (const m of tr.matchAll(/<(th|td)([^>]*)>([\s\S]*?)<\/\1>/g)) {
      const attrs = m[2]
      const rowspan = Number(/rowspan="(\d+)"/.exec(attrs)?.[1] ?? 1)
      const colspan = Number(/colspan="(\d+)"/.exec(attrs)?.[1] ?? 1)
      const cell: GridCell = { tag: m[1] as 'th' | 'td', text: unescapeHtml(m[3]), code: /data-cell="([^"]*)"/.exec(attrs)?.[1] ?? null }
      while (row[c]) c++
      for (let dr = 0; dr < rowspan; dr++) {
        const target = dr === 0 ? row : (pending[r + dr] ??= [])
        for (let dc = 0; dc < colspan; dc++) target[c + dc] = cell
      }
      c += colspan
    }
    rows.push(row)
  })
  return rows
}

/** Every value cell of a page by its data-cell code (text unescaped); a code twice is an error. */
export function dataCells(html: string): Map<string, string> {
  const cells = new Map<string, string>()
  for (const m of html.matchAll(/<td data-cell="([^"]+)"[^>]*>([^<]*)<\/td>/g)) {
    if (cells.has(m[1])) throw new Error(`data-cell ${m[1]} twice`)
    cells.set(m[1], unescapeHtml(m[2]))
  }
  return cells
}

/** Distinct texts in order (merged cells repeat in the grid). */
export const distinct = (texts: string[]): string[] => texts.filter((t, i) => t !== '' && texts.indexOf(t) === i)
