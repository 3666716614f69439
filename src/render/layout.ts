// The printed layout of the three tables, derived from the registry and shared by the HTML and
// Markdown renderers: article blocks of table 二, the label cells (with their spans) of table 三, the
// two-level headers of tables 三 and 四.
import {
  APPLICANT_COLUMNS,
  APPLICANT_COLUMN_FULL_LABELS,
  APPLICATION_ROWS,
  type ApplicationRowDef,
  CELL_BY_CODE,
  type CellDef,
  type ColumnDef,
  type Format,
  OUTCOME_GROUPS,
  OUTCOMES_HEADING,
  PROACTIVE,
  type ProactiveRowDef,
  REVIEW_COLUMNS,
  REVIEW_GROUPS,
  SECTIONS,
  type SectionCode,
  TABLES,
  TABLE_TITLES,
  type TableCode
} from '../format/registry.js'

const cellOf = (code: string): CellDef => {
  const cell = CELL_BY_CODE.get(code)
  if (!cell) throw new Error(`the registry has no cell ${code}`)
  return cell
}

// ---------------------------------------------------------------- the six parts

export type ReportPart = { kind: 'section'; code: SectionCode; title: string } | { kind: 'table'; code: TableCode; title: string }

const NUMERALS = '一二三四五六七八九十'

/** 一 … 六 in the order their titles number them (text sections and tables interleave). */
export function reportParts(): ReportPart[] {
  const parts: ReportPart[] = [
    ...SECTIONS.map((s) => ({ kind: 'section' as const, code: s.code, title: s.title })),
    ...TABLES.map((code) => ({ kind: 'table' as const, code, title: TABLE_TITLES[code] }))
  ]
  return parts.sort((a, b) => NUMERALS.indexOf(a.title[0]) - NUMERALS.indexOf(b.title[0]))
}

// ---------------------------------------------------------------- table 二

export interface ProactiveBlock {
  /** 第二十条第（X）项 */
  article: string
  columns: ColumnDef[]
  rows: Array<{ row: ProactiveRowDef; cells: CellDef[] }>
}

/** Consecutive rows under the same article heading and column headings form one block. */
export function proactiveBlocks(format: Format): ProactiveBlock[] {
  const blocks: ProactiveBlock[] = []
  for (const row of PROACTIVE[format]) {
    const last = blocks[blocks.length - 1]
    const cells = row.columns.map((c) => cellOf(`proactive.${row.code}.${c.code}`))
    const sameHeading =
      last && last.article === row.article && last.columns.map((c) => c.code).join() === row.columns.map((c) => c.code).join()
    if (sameHeading) last.rows.push({ row, cells })
    else blocks.push({ article: row.article, columns: row.columns, rows: [{ row, cells }] })
  }
  return blocks
}

/** The number of value columns of table 二: blocks with fewer columns stretch their last one. */
export const proactiveWidth = (format: Format): number => Math.max(...PROACTIVE[format].map((r) => r.columns.length))

// ---------------------------------------------------------------- table 三

/** One printed label cell: text with its spans. */
export interface LabelCell {
  text: string
  rowspan: number
  colspan: number
}

export interface ApplicationLine {
  row: ApplicationRowDef
  cells: CellDef[]
  /** the label cells this line opens (cells spanning from lines above are not repeated) */
  labels: LabelCell[]
  /** the whole row label on one line, for layouts without merged cells */
  flatLabel: string
}

/** The rows a format prints (2019 has no 2021-only rows). */
export const applicationRowsOf = (format: Format): ApplicationRowDef[] => APPLICATION_ROWS.filter((r) => format === '2021' || !r.only2021)

const groupLabel = (code: string): string => OUTCOME_GROUPS.find((g) => g.code === code)!.label

/**
 * The three label columns of table 三: 三、本年度办理结果 spans every outcome row; an outcome group
 * spans its rows; a group that has a single row in the format (2019 （六）其他处理) is printed as that
 * one row under the group's label alone.
 */
export function applicationLines(format: Format): ApplicationLine[] {
  const rows = applicationRowsOf(format)
  const outcomeRows = rows.filter((r) => r.code.startsWith('outcomes.'))
  const groupSize = (group: string) => rows.filter((r) => r.group === group).length
  const seenGroups = new Set<string>()
  let outcomesOpened = false
  return rows.map((row) => {
    const cells = APPLICANT_COLUMNS.map((c) => cellOf(`applications.${row.code}.${c.code}`))
    const labels: LabelCell[] = []
    let flatLabel = row.fullLabel
    if (!row.code.startsWith('outcomes.')) {
      labels.push({ text: row.label, rowspan: 1, colspan: 3 })
    } else {
      if (!outcomesOpened) {
        labels.push({ text: OUTCOMES_HEADING, rowspan: outcomeRows.length, colspan: 1 })
        outcomesOpened = true
      }
      if (!row.group) {
        labels.push({ text: row.label, rowspan: 1, colspan: 2 })
      } else if (groupSize(row.group) === 1) {
        flatLabel = groupLabel(row.group)
        labels.push({ text: flatLabel, rowspan: 1, colspan: 2 })
      } else {
        if (!seenGroups.has(row.group)) {
          labels.push({ text: groupLabel(row.group), rowspan: groupSize(row.group), colspan: 1 })
          seenGroups.add(row.group)
        }
        labels.push({ text: row.label, rowspan: 1, colspan: 1 })
      }
    }
    return { row, cells, labels, flatLabel }
  })
}

/**
 * A cell's label as the format prints it. A cell both formats share keeps the 2021 wording in the
 * registry's flat list (2019 prints 处理决定数量, not 本年处理决定数量), and 2019's single （六）其他处理
 * row is not 3.其他: both are read from the format's own rows and columns.
 */
export function printedCellLabel(cell: CellDef, format: Format): string {
  if (cell.table === 'proactive') {
    const row = PROACTIVE[format].find((r) => `proactive.${r.code}` === cell.row)
    const column = row?.columns.find((c) => c.code === cell.column)
    return row && column ? `${row.label} · ${column.label}` : cell.label
  }
  if (cell.table !== 'applications') return cell.label
  const line = applicationLines(format).find((l) => `applications.${l.row.code}` === cell.row)
  return line ? `${line.flatLabel} · ${cell.columnLabel}` : cell.label
}

// ---------------------------------------------------------------- two-level headers (三 and 四)

export interface HeaderSpan {
  /** the parent heading, or null when the column (or group) stands alone */
  parent: string | null
  children: Array<{ code: string; label: string }>
}

/** Splits `法人或其他组织·商业企业` into its parent heading and own label, and groups runs of one parent. */
function spans(items: Array<{ code: string; full: string }>): HeaderSpan[] {
  const result: HeaderSpan[] = []
  for (const item of items) {
    const at = item.full.indexOf('·')
    const parent = at < 0 ? null : item.full.slice(0, at)
    const label = at < 0 ? item.full : item.full.slice(at + 1)
    const last = result[result.length - 1]
    if (parent !== null && last && last.parent === parent) last.children.push({ code: item.code, label })
    else result.push({ parent, children: [{ code: item.code, label }] })
  }
  return result
}

/** 自然人 | 法人或其他组织 (商业企业 … 其他) | 总计 */
export const applicantHeader = (): HeaderSpan[] =>
  spans(APPLICANT_COLUMNS.map((c) => ({ code: c.code, full: APPLICANT_COLUMN_FULL_LABELS[c.code] })))

/** 行政复议 | 行政诉讼 (未经复议直接起诉, 复议后起诉) */
export const reviewHeader = (): HeaderSpan[] => spans(REVIEW_GROUPS.map((g) => ({ code: g.code, full: g.label })))

export const reviewCells = (): CellDef[] =>
  REVIEW_GROUPS.flatMap((g) => REVIEW_COLUMNS.map((c) => cellOf(`reviewLitigation.${g.code}.${c.code}`)))
