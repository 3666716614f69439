// Items (from text or HTML) → the canonical document, with provenance and warnings.
import { emptyReport, setCell } from '../format/document.js'
import { FIRST_YEAR, SECTIONS, TABLE_TITLES, cellsOf, formatForYear, type Format, type TableCode } from '../format/registry.js'
import { extractDataRows } from './data-rows.js'
import { countMarkers, FORMAT_MARKERS, rowSpecs, type PartCode } from './labels.js'
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
import { findHeadings, partRegions, sliceItems } from './regions.js'
import { sectionText } from './sections.js'
import type { RawValue } from './data-rows.js'
import { readReviewTable, readRowTable } from './table-reader.js'
import { writeCell, type CellSink } from './write-cell.js'
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
  const warnings: string[] = []
  const provenance: Record<string, Provenance> = {}
  const headings = findHeadings(items)
  const regions = partRegions(items, headings)
  const textOf = (list: Item[]) => list.filter((i): i is TextItem => i.kind === 'text')
  const front = textOf(sliceItems(items, { item: 0, offset: 0 }, headings[0]?.start ?? null))

  // ------------------------------------------------------------ title, agency, year
  const title = source.title ?? findTitle(front) ?? findTitle(textOf(items))
  if (title) provenance.title = title.provenance
  const last = regions.get('otherMatters') ?? items.slice(-6)
  const signature = findSignature(textOf(last), title?.agency ?? null)
  const agencyName = title?.agency ?? signature.agency?.value ?? null

  if (headings.length === 0 && !title) {
    throw new ImportRejectedError('no 政府信息公开工作年度报告 was found: neither its title nor any of its headings could be read')
  }
  const overviewItems = regions.get('overview') ?? []
  const statedYear = title?.year ?? findYearInBody([...front, ...textOf(overviewItems)].map((l) => l.text).join('\n'))
  const year = options.year ?? statedYear
  if (year === null || year === undefined) {
    throw new ImportRejectedError('the report year could not be found in the text; pass it as the `year` option')
  }
  if (options.year !== undefined && statedYear !== null && statedYear !== options.year) {
    warnings.push(`the report says its year is ${statedYear}; the year given (${options.year}) was used`)
  }
  if (year < FIRST_YEAR) {
    throw new ImportRejectedError(
      `reports for ${year} (2018 and earlier) have no unified national format; only reports from ${FIRST_YEAR} on can be imported`
    )
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
  const afterTables = readTables(items, regions, format, sink)
  if (headings.length === 0 && !Object.keys(provenance).some((k) => k.includes('.'))) {
    throw new ImportRejectedError('no 政府信息公开工作年度报告 was found: none of its headings or tables could be read')
  }

  // ------------------------------------------------------------ sections
  for (const { code, title: heading } of SECTIONS) {
    let region = regions.get(code)
    // a converter may drop the heading 五 while keeping its text, right after table 四
    if (!region && code === 'problems' && regions.has('otherMatters') && afterTables.some((i) => i.kind === 'text')) {
      region = afterTables
      warnings.push(`the heading ${heading} was not found; the text after table 四 was taken as that section`)
    }
    report.sections[code] = region ? sectionText(region, signature.items, source.paragraphs) : null
    if (report.sections[code] === null) warnings.push(`section ${heading} was not found or is empty`)
  }

  // ------------------------------------------------------------ publication date, scope
  const published = source.publishedAt ?? findPublicationLine(front) ?? signature.date
  if (published) {
    const y = Number(published.value.slice(0, 4))
    if (y >= year && y <= year + 2) {
      report.publishedAt = published.value
      provenance.publishedAt = published.provenance
    } else {
      warnings.push(`the date ${published.value} (“${published.provenance.text}”) cannot be the publication date of a ${year} report; publishedAt left null`)
    }
  }
  const scope = inferScope(agencyName, [...front, ...textOf(overviewItems)].map((l) => l.text).join('\n'))
  report.scope = scope.scope
  if (scope.reason) warnings.push(`scope inferred as aggregate: ${scope.reason}`)
  return { report, agencyName, provenance, warnings }
}

/** Reads the three tables into the sink; returns what follows table 四 in its region. */
function readTables(items: Item[], regions: Map<PartCode, Item[]>, format: Format, sink: CellSink): Item[] {
  const coded = codedCells(items, format)
  if (coded.size > 0) {
    // a page that names its cells (nianbao's own export) is read by those names, nothing else
    for (const cell of cellsOf(format)) writeCell(cell.code, cell, coded.get(cell.code) ?? null, sink, { header: '' })
    const missing = cellsOf(format).filter((c) => !coded.has(c.code)).length
    if (missing > 0) sink.warn(`the page names ${coded.size} cells; ${missing} cells of format ${format} are not among them and are kept blank (null)`)
    return []
  }
  const flattened = TABLES.some((t) => isFlattened(regions.get(t) ?? [], format))
  if (flattened) sink.warn('the tables were printed without separators between cells; numbers run together were cut only where the table’s sums allow a single cut')
  let afterTables: Item[] = []
  for (const table of TABLES) {
    const region = regions.get(table)
    if (!region) {
      sink.warn(`the heading ${TABLE_TITLES[table]} was not found; its cells are kept blank (null)`)
      continue
    }
    const rows = extractDataRows(region, flattened)
    if (table !== 'reviewLitigation') readRowTable(table, rows, format, sink)
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
  warnings: string[],
  provenance: Record<string, Provenance>
): Format {
  const key = keyOf(items.map((i) => (i.kind === 'text' ? i.text : i.cells.map((c) => c.text).join(' '))).join(' '))
  const counts = countMarkers(key)
  const byYear = formatForYear(year)!
  const byTables: Format | null = counts['2021'] > counts['2019'] ? '2021' : counts['2019'] > counts['2021'] ? '2019' : null
  const seen = byTables ? FORMAT_MARKERS[byTables].filter((w) => key.includes(w)) : []
  if (option) {
    if (byTables && byTables !== option) warnings.push(`the tables read as format ${byTables}; format ${option} was used as asked`)
    provenance.format = { text: `format ${option} (given)` }
    return option
  }
  if (!byTables) {
    warnings.push(`the tables do not show which format they follow; format ${byYear} was assumed from the year ${year}`)
    provenance.format = { text: `year ${year}` }
    return byYear
  }
  if (counts['2021'] > 0 && counts['2019'] > 0) warnings.push(`the tables carry words of both formats; format ${byTables} has more of them`)
  if (byTables !== byYear) warnings.push(`the tables follow format ${byTables} while a ${year} report should use format ${byYear}; the tables were followed`)
  provenance.format = { text: seen.join('、') }
  return byTables
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
