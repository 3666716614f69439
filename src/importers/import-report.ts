// Items (from text or HTML) → the canonical document, with provenance and warnings.
import { emptyReport, setCell } from '../format/document.js'
import {
  FIRST_YEAR,
  SECTION_MAX_LENGTH,
  SECTIONS,
  TABLE_TITLES,
  cellsOf,
  codePointLength,
  formatForYear,
  type Format,
  type TableCode
} from '../format/registry.js'
import { extractDataRows } from './data-rows.js'
import { countMarkers, FORMAT_MARKERS, HEADINGS, rowSpecs, type PartCode } from './labels.js'
import {
  findPublicationLine,
  findSignature,
  findSourceUrl,
  findTitle,
  findYearInBody,
  inferScope,
  type Found,
  type Title
} from './metadata.js'
import { keyed, keyOf } from './normalize.js'
import { parseValue } from './values.js'
import { extraRegions, findHeadings, partRegions, sliceItems } from './regions.js'
import { sectionText } from './sections.js'
import type { RawValue } from './data-rows.js'
import { readReviewTable, readRowTable, type StatedCell } from './table-reader.js'
import { readStatedFigures } from '../checks/stated-figures.js'
import { FIGURE_TARGETS } from '../checks/text-figures.js'
import { writeCell, type CellSink } from './write-cell.js'
import { message } from './messages.js'
import { ImportRejectedError, type ImportOptions, type ImportResult, type Item, type Provenance, type TextItem } from './types.js'

/** What the container of the text says about it (an HTML page's head, a crawler's header). */
export interface SourceMeta {
  title?: Title | null
  publishedAt?: Found<string> | null
  sourceUrl?: Found<string> | null
  /** each text item is a paragraph (HTML blocks), not a line broken by a layout */
  paragraphs?: boolean
}

const TABLES: TableCode[] = ['proactive', 'applications', 'reviewLitigation']

export function importItems(items: Item[], source: SourceMeta, options: ImportOptions = {}): ImportResult {
  const warnings: ImportResult['warnings'] = []
  const provenance: Record<string, Provenance> = {}
  const headings = findHeadings(items)
  const regions = partRegions(items, headings)
  if (headings.some((h) => h.code !== 'extra' && h.number !== undefined && h.number !== HEADINGS.findIndex((s) => s.code === h.code) + 1)) {
    warnings.push(message('headings.renumbered', {}))
  }
  const textOf = (list: Item[]) => list.filter((i): i is TextItem => i.kind === 'text')
  const front = textOf(sliceItems(items, { item: 0, offset: 0 }, headings[0]?.start ?? null))

  // ------------------------------------------------------------ title, agency, year
  const title = source.title ?? findTitle(front) ?? findTitle(textOf(items))
  if (title) provenance.title = title.provenance
  const last = regions.get('otherMatters') ?? items.slice(-6)
  const signature = findSignature(textOf(last), title?.agency ?? null)
  const agencyName = title?.agency ?? signature.agency?.value ?? null

  if (headings.length === 0 && !title) {
    throw new ImportRejectedError(message('rejected.noReport', {}))
  }
  const overviewItems = regions.get('overview') ?? []
  const statedYear = title?.year ?? findYearInBody([...front, ...textOf(overviewItems)].map((l) => l.text).join('\n'))
  const year = options.year ?? statedYear
  if (year === null || year === undefined) {
    throw new ImportRejectedError(message('rejected.noYear', {}))
  }
  if (options.year !== undefined && statedYear !== null && statedYear !== options.year) {
    warnings.push(message('year.overridden', { stated: statedYear, given: options.year }))
  }
  if (year < FIRST_YEAR) {
    throw new ImportRejectedError(message('rejected.tooOld', { year, first: FIRST_YEAR }))
  }
  provenance.year = options.year !== undefined ? { text: String(options.year) } : title ? title.provenance : { text: String(year) }

  // ------------------------------------------------------------ format
  const tableItems = [...(regions.get('proactive') ?? []), ...(regions.get('applications') ?? [])]
  const format = decideFormat(tableItems.length > 0 ? tableItems : items, year, options.format, warnings, provenance)

  // ------------------------------------------------------------ tables
  const report: ImportResult['report'] = (({ agencyId: _, ...rest }) => rest)(emptyReport(format, { year }))
  report.title = title?.text ?? null
  const url = source.sourceUrl ?? findSourceUrl(front)
  if (url) {
    report.sourceUrl = url.value
    provenance.sourceUrl = url.provenance
  }
  const sink: CellSink = {
    set(code, value, prov) {
      setCell(report as unknown as Record<string, unknown>, code, value)
      if (prov) provenance[code] = prov
    },
    warn: (message) => warnings.push(message)
  }
  // figures the text states for cells (制发规范性文件12件): they may settle a row the table prints ambiguously
  const scope = inferScope(agencyName, [...front, ...textOf(overviewItems)].map((l) => l.text).join('\n'))
  const overviewText = overviewItems.length > 0 ? sectionText(overviewItems, signature.items, source.paragraphs) : null
  const afterTables = readTables(items, regions, format, sink, statedCells(overviewText, year, scope.scope, format))
  if (headings.length === 0 && !Object.keys(provenance).some((k) => k.includes('.'))) {
    throw new ImportRejectedError(message('rejected.noTables', {}))
  }

  // ------------------------------------------------------------ sections
  for (const { code, title: heading } of SECTIONS) {
    let region = regions.get(code)
    // a converter may drop the heading 五 while keeping its text, right after table 四
    if (!region && code === 'problems' && regions.has('otherMatters') && afterTables.some((i) => i.kind === 'text')) {
      region = afterTables
      warnings.push(message('section.afterTable', { section: code, heading }))
    }
    const text = region ? sectionText(region, signature.items, source.paragraphs) : null
    report.sections[code] = text
    if (text === null) warnings.push(message('section.missing', { section: code, heading }))
    else if (text.length > SECTION_MAX_LENGTH && codePointLength(text) > SECTION_MAX_LENGTH) {
      // no report's part is that long: refused here, so that nothing after the reading (the checks, the answer)
      // works on more than a report can hold — the same limit a write of the document has
      throw new ImportRejectedError(
        message('rejected.sectionTooLong', { section: code, heading, length: codePointLength(text), max: SECTION_MAX_LENGTH })
      )
    }
  }
  // a section the format does not have is kept, under its own heading, in 六、其他需要报告的事项
  const extras = extraRegions(items, headings)
  for (const extra of extras) {
    const text = sectionText(extra.items, signature.items, source.paragraphs)
    const kept = [extra.heading, text].filter(Boolean).join('\n')
    report.sections.otherMatters = report.sections.otherMatters ? `${report.sections.otherMatters}\n${kept}` : kept
    warnings.push(message('section.extra', { heading: extra.heading }))
  }
  const otherMissing = warnings.findIndex((w) => w.code === 'section.missing' && w.params.section === 'otherMatters')
  if (extras.length > 0 && otherMissing >= 0) warnings.splice(otherMissing, 1)

  // ------------------------------------------------------------ publication date, scope
  const published = source.publishedAt ?? findPublicationLine(front) ?? signature.date
  if (published) {
    const y = Number(published.value.slice(0, 4))
    if (y >= year && y <= year + 2) {
      report.publishedAt = published.value
      provenance.publishedAt = published.provenance
    } else {
      warnings.push(message('publishedAt.implausible', { date: published.value, text: published.provenance.text, year }))
    }
  }
  report.scope = scope.scope
  if (scope.reason) warnings.push(scope.reason)
  return { report, agencyName, provenance, warnings }
}

/** Reads the three tables into the sink; returns what follows table 四 in its region. */
/** The cells section 一 states a figure for, as TX-01 reads them (when in doubt, none). */
function statedCells(text: string | null, year: number, scope: 'own' | 'aggregate', format: Format): Map<string, StatedCell> {
  const found = new Map<string, StatedCell[]>()
  if (!text) return new Map()
  for (const figure of readStatedFigures(text, { year, scope })) {
    const target = FIGURE_TARGETS[figure.target]
    if (target.cells.length !== 1 || !target.formats.includes(format)) continue
    found.set(target.cells[0], [...(found.get(target.cells[0]) ?? []), { value: figure.value, sentence: figure.sentence }])
  }
  // a text stating one cell twice with different figures settles nothing
  return new Map([...found].filter(([, list]) => list.every((f) => f.value === list[0].value)).map(([code, list]) => [code, list[0]]))
}

function readTables(
  items: Item[],
  regions: Map<PartCode, Item[]>,
  format: Format,
  sink: CellSink,
  stated: Map<string, StatedCell> = new Map()
): Item[] {
  const coded = codedCells(items, format)
  if (coded.size > 0) {
    // a page that names its cells (nianbao's own export) is read by those names, nothing else
    for (const cell of cellsOf(format)) writeCell(cell.code, cell, coded.get(cell.code) ?? null, sink, { header: '' })
    const missing = cellsOf(format).filter((c) => !coded.has(c.code)).length
    if (missing > 0) sink.warn(message('tables.namedCells', { named: coded.size, missing, format }))
    return []
  }
  regions = new Map(regions)
  const apps = regions.get('applications')
  const cut = !regions.has('reviewLitigation') && apps ? reviewTableWithoutHeading(apps) : null
  if (apps && cut !== null) {
    regions.set('applications', apps.slice(0, cut))
    regions.set('reviewLitigation', apps.slice(cut))
    sink.warn(message('table.reviewWithoutHeading', { heading: TABLE_TITLES.reviewLitigation }))
  }
  const flattened = TABLES.some((t) => isFlattened(regions.get(t) ?? [], format))
  if (flattened) sink.warn(message('tables.flattened', {}))
  let afterTables: Item[] = []
  for (const table of TABLES) {
    const region = regions.get(table)
    if (!region) {
      sink.warn(message('table.headingMissing', { table, heading: TABLE_TITLES[table] }))
      continue
    }
    const rows = extractDataRows(region, flattened)
    if (table !== 'reviewLitigation') readRowTable(table, rows, format, sink, stated)
    else {
      const end = readReviewTable(rows, sink)
      if (end !== null) afterTables = region.slice(end + 1)
    }
  }
  return afterTables
}

function decideFormat(
  items: Item[],
  year: number,
  option: Format | undefined,
  warnings: ImportResult['warnings'],
  provenance: Record<string, Provenance>
): Format {
  const key = keyOf(items.map((i) => (i.kind === 'text' ? i.text : i.cells.map((c) => c.text).join(' '))).join(' '))
  const counts = countMarkers(key)
  const byYear = formatForYear(year)!
  const byTables: Format | null = counts['2021'] > counts['2019'] ? '2021' : counts['2019'] > counts['2021'] ? '2019' : null
  const seen = byTables ? FORMAT_MARKERS[byTables].filter((w) => key.includes(w)) : []
  if (option) {
    if (byTables && byTables !== option) warnings.push(message('format.overridden', { read: byTables, used: option }))
    provenance.format = { text: `format ${option} (given)` }
    return option
  }
  if (!byTables) {
    warnings.push(message('format.assumed', { format: byYear, year }))
    provenance.format = { text: `year ${year}` }
    return byYear
  }
  if (counts['2021'] > 0 && counts['2019'] > 0) warnings.push(message('format.mixed', { format: byTables }))
  if (byTables !== byYear) warnings.push(message('format.notOfYear', { format: byTables, year, expected: byYear }))
  provenance.format = { text: seen.join('、') }
  return byTables
}

const REVIEW_VALUES = 15
const isNumberToken = (text: string) => parseValue(text).kind === 'number'

/**
 * Where table 四 starts inside table 三's part when its heading is missing: after the row 结转下年度,
 * the first line naming 行政复议 or 行政诉讼, or else the first row of exactly 15 numbers (its one data row).
 */
function reviewTableWithoutHeading(region: Item[]): number | null {
  const texts = region.map((item) => (item.kind === 'text' ? item.text : item.cells.map((c) => c.text).join('\t')))
  let after = -1
  texts.forEach((text, i) => {
    if (keyOf(text).includes('结转下年度')) after = i
  })
  if (after < 0) return null
  for (let i = after + 1; i < region.length; i++) {
    const key = keyOf(texts[i])
    if (key.includes('行政复议') || key.includes('行政诉讼')) return i
    const tokens = texts[i].split(/\s+/u).filter(Boolean)
    if (tokens.length === REVIEW_VALUES && tokens.every(isNumberToken)) return i
  }
  return null
}

/** Cells a page names with `data-cell="<code>"`, for the cells of the format. */
function codedCells(items: Item[], format: Format): Map<string, RawValue> {
  const codes = new Set(cellsOf(format).map((c) => c.code))
  const found = new Map<string, RawValue>()
  for (const item of items) {
    if (item.kind !== 'row') continue
    for (const cell of item.cells) if (cell.code && codes.has(cell.code)) found.set(cell.code, { text: cell.text, at: cell.at })
  }
  return found
}

/** A page whose table rows were flattened into one line: three row labels glued to the digits after them. */
function isFlattened(region: Item[], format: Format): boolean {
  const keys = (['proactive', 'applications'] as const).flatMap((t) => rowSpecs(t, format).flatMap((r) => r.keys))
  return region.some((item) => {
    if (item.kind !== 'text') return false
    const { key, map } = keyed(item.text)
    let glued = 0
    for (const k of keys) {
      for (let at = key.indexOf(k); at >= 0; at = key.indexOf(k, at + 1)) {
        if (/\d/.test(item.text[map[at + k.length - 1] + 1] ?? '')) glued++
      }
    }
    return glued >= 3
  })
}
