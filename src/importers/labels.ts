// Everything the importer recognises by its printed words, derived from the registry: the rows of
// each table and the keys that identify them, the headings of the six parts, and the words that
// tell the two formats apart.
import {
  APPLICANT_COLUMN_FULL_LABELS,
  APPLICATION_ROWS,
  type ColumnDef,
  type Format,
  OUTCOME_GROUPS,
  OUTCOMES_HEADING,
  PROACTIVE,
  REVIEW_COLUMNS,
  REVIEW_GROUPS,
  SECTIONS,
  TABLE_HEADINGS,
  TABLE_TITLES,
  APPLICANT_COLUMNS,
  type TableCode
} from '../format/registry.js'
import { keyOf, startsWithEnumerator, stripEnumerator, stripParentheticals } from './normalize.js'

export interface RowSpec {
  table: TableCode
  /** the row's code inside its table, e.g. `outcomes.denied.stateSecret` */
  code: string
  label: string
  columns: ColumnDef[]
  /** keys (see normalize.ts) any of which identifies the row when printed */
  keys: string[]
}

/** Keys of a printed label: without its enumerator, and without its parenthesised aside. */
function labelKeys(label: string): string[] {
  const core = keyOf(stripEnumerator(label))
  // a short label (`3.其他`, `（七）总计`) needs its enumerator to be told from header words
  if (core.length <= 3 && startsWithEnumerator(label)) return [keyOf(label)]
  const short = keyOf(stripParentheticals(stripEnumerator(label)))
  return short !== core && short.length >= 4 ? [core, short] : [core]
}

function buildRowSpecs(table: TableCode, format: Format): RowSpec[] {
  if (table === 'proactive') {
    return PROACTIVE[format].map((r) => ({ table, code: r.code, label: r.label, columns: r.columns, keys: labelKeys(r.label) }))
  }
  if (table === 'applications') {
    const otherGroup = OUTCOME_GROUPS.find((g) => g.code === 'other')!.label
    return APPLICATION_ROWS.filter((r) => format === '2021' || !r.only2021).map((r) => {
      // format 2019 prints a single （六）其他处理 row, kept as outcomes.other.other
      const single = format === '2019' && r.code === 'outcomes.other.other'
      return {
        table,
        code: r.code,
        label: single ? otherGroup : r.label,
        columns: APPLICANT_COLUMNS,
        keys: single ? labelKeys(otherGroup) : labelKeys(r.label)
      }
    })
  }
  return REVIEW_GROUPS.map((g) => ({ table, code: g.code, label: g.label, columns: REVIEW_COLUMNS, keys: [keyOf(g.label)] }))
}

const specCache = new Map<string, RowSpec[]>()
export function rowSpecs(table: TableCode, format: Format): RowSpec[] {
  const id = `${table}/${format}`
  if (!specCache.has(id)) specCache.set(id, buildRowSpecs(table, format))
  return specCache.get(id)!
}

/**
 * Words printed in a table's header and group cells, which may stand between a row's label and
 * its numbers in a shredded layout without making the label doubtful.
 */
const vocabulary = (words: string[]) => [...new Set(words.map(keyOf))].filter(Boolean).sort((a, b) => b.length - a.length)

/** Per table, longest first. */
const TABLE_VOCABULARY: Record<TableCode, string[]> = {
  proactive: vocabulary([
    TABLE_HEADINGS.proactiveContent,
    '第二十条',
    ...Object.values(PROACTIVE).flatMap((rows) => rows.flatMap((r) => r.columns.map((c) => stripParentheticals(c.label))))
  ]),
  applications: vocabulary([
    ...OUTCOME_GROUPS.map((g) => g.label),
    OUTCOMES_HEADING,
    TABLE_HEADINGS.applicants,
    ...Object.values(APPLICANT_COLUMN_FULL_LABELS).flatMap((l) => l.split('·'))
  ]),
  reviewLitigation: vocabulary([
    ...REVIEW_GROUPS.flatMap((g) => g.label.split('·')),
    ...REVIEW_COLUMNS.map((c) => c.label),
    // the column labels as PDF layers shred them over two lines
    ...REVIEW_COLUMNS.flatMap((c) => (c.label.length === 4 ? [c.label.slice(0, 2), c.label.slice(2)] : []))
  ])
}

/** The key with every vocabulary word of the table removed. */
export function withoutVocabulary(key: string, table: TableCode): string {
  return TABLE_VOCABULARY[table].reduce((rest, word) => rest.split(word).join(''), key)
}

// ---------------------------------------------------------------- headings

export type PartCode = 'overview' | TableCode | 'problems' | 'otherMatters'

export interface HeadingSpec {
  code: PartCode
  /** the official heading, e.g. `二、主动公开政府信息情况` */
  title: string
  numeral: string
  /** words of which one must appear in a variant wording of the heading */
  words: string[]
}

const sectionTitle = (code: string) => SECTIONS.find((s) => s.code === code)!.title

export const HEADINGS: HeadingSpec[] = [
  { code: 'overview', title: sectionTitle('overview'), words: ['总体情况', '概述'] },
  { code: 'proactive', title: TABLE_TITLES.proactive, words: ['主动公开'] },
  { code: 'applications', title: TABLE_TITLES.applications, words: ['申请'] },
  { code: 'reviewLitigation', title: TABLE_TITLES.reviewLitigation, words: ['行政复议'] },
  { code: 'problems', title: sectionTitle('problems'), words: ['问题', '不足', '改进', '工作计划', '工作打算'] },
  { code: 'otherMatters', title: sectionTitle('otherMatters'), words: ['其他需要报告', '其他事项'] }
].map((h) => ({ ...h, code: h.code as PartCode, numeral: h.title[0] }))

// ---------------------------------------------------------------- format markers

function markers(format: Format): string[] {
  const other: Format = format === '2021' ? '2019' : '2021'
  const labels = (f: Format) => [
    ...PROACTIVE[f].map((r) => r.label),
    ...PROACTIVE[f].flatMap((r) => r.columns.map((c) => c.label)),
    ...APPLICATION_ROWS.filter((r) => f === '2021' || !r.only2021).map((r) => stripEnumerator(r.label))
  ]
  const own = new Set(labels(format).map((l) => keyOf(stripParentheticals(l))))
  const theirs = new Set(labels(other).map((l) => keyOf(stripParentheticals(l))))
  // a word is a marker only if it cannot be read inside a word of the other format, or the reverse
  return [...own].filter((w) => w.length >= 4 && ![...theirs].some((o) => o.includes(w) || w.includes(o)))
}

export const FORMAT_MARKERS: Record<Format, string[]> = { '2021': markers('2021'), '2019': markers('2019') }

const occurrences = (text: string, word: string) => {
  let n = 0
  for (let at = text.indexOf(word); at >= 0; at = text.indexOf(word, at + word.length)) n++
  return n
}

/** How many marker words of each format the key text holds. */
export function countMarkers(key: string): Record<Format, number> {
  const count = (f: Format) => FORMAT_MARKERS[f].reduce((n, w) => n + occurrences(key, w), 0)
  return { '2021': count('2021'), '2019': count('2019') }
}
