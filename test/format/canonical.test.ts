// The canonical document and the stored cells are built from per-format templates; here they are compared
// with the plain definition (every cell read and set by its path, through the generic helpers) on whole,
// partial and malformed documents of both formats.
import t from 'tap'
import { CELLS, FORMATS, cellsOf, type Format } from '../../src/format/registry.js'
import { cellValues, emptyTables, getCell, setCell, toStoredMoney, type ReportInput } from '../../src/format/document.js'
import { canonicalDocument, canonicalJson, storedCells, type DocumentMeta } from '../../src/format/canonical.js'
import { randomConsistentReport, seededRandom } from '../../src/checks/consistent-report.js'

/** The definition: an empty document of the format, then every cell of the format (and of table 三) copied by its path. */
function reference(input: ReportInput, meta: DocumentMeta): Record<string, unknown> {
  const tables = emptyTables(input.format)
  const target = tables as unknown as Record<string, unknown>
  for (const cell of CELLS) {
    if (!cell.formats.includes(input.format) && cell.table !== 'applications') continue
    setCell(target, cell, getCell(input as unknown as Record<string, unknown>, cell))
  }
  return {
    id: meta.id,
    agencyId: input.agencyId,
    year: input.year,
    format: input.format,
    scope: input.scope ?? 'own',
    publishedAt: input.publishedAt ?? null,
    title: input.title ?? null,
    sourceUrl: input.sourceUrl ?? null,
    sections: {
      overview: input.sections?.overview ?? null,
      problems: input.sections?.problems ?? null,
      otherMatters: input.sections?.otherMatters ?? null
    },
    proactive: tables.proactive,
    applications: tables.applications,
    reviewLitigation: tables.reviewLitigation,
    revision: meta.revision,
    createdAt: meta.createdAt,
    updatedAt: meta.updatedAt,
    state: meta.state
  }
}

const referenceCells = (doc: ReportInput) =>
  CELLS.map((cell) => {
    const value = getCell(doc as unknown as Record<string, unknown>, cell)
    if (value === null || !cell.formats.includes(doc.format)) return null
    return cell.kind === 'money' ? (toStoredMoney(value, cell) ?? null) : value
  })

const meta: DocumentMeta = {
  id: 7,
  revision: 3,
  createdAt: '2026-01-02T03:04:05.000Z',
  updatedAt: '2026-02-03T04:05:06.000Z',
  state: 'draft'
}

/** Random damage: cells removed, blanked, made strings, rows replaced by null or a number, foreign keys added. */
function damaged(doc: ReportInput, random: () => number): ReportInput {
  const copy = structuredClone(doc) as unknown as Record<string, unknown>
  for (const cell of CELLS) {
    const r = random()
    if (r < 0.05) setCell(copy, cell, null)
    else if (r < 0.08) setCell(copy, cell, '12' as unknown as number)
    else if (r < 0.085) setCell(copy, cell, [1, 2] as unknown as number)
    else if (r < 0.09) setCell(copy, cell, [Number.POSITIVE_INFINITY, -0, 1e21, 5e-7][Math.floor(random() * 4)])
    else if (r < 0.1) {
      let node = copy
      for (const key of cell.path.slice(0, -1)) node = (node?.[key] ?? undefined) as Record<string, unknown>
      if (node && typeof node === 'object') delete node[cell.path[cell.path.length - 1]]
    }
  }
  const apps = copy.applications as Record<string, unknown>
  if (random() < 0.5) apps.outcomes = null
  if (random() < 0.3) (copy.proactive as Record<string, unknown>).extra = { made: 1 }
  if (random() < 0.3) copy.reviewLitigation = 5
  else if (random() < 0.2) copy.reviewLitigation = 'text'
  if (random() < 0.2) (copy.proactive as Record<string, unknown>).regulations = [1, 2]
  if (random() < 0.3) copy.sections = undefined
  if (random() < 0.3) copy.scope = undefined
  return copy as unknown as ReportInput
}

for (const format of FORMATS as readonly Format[]) {
  t.test(`format ${format}: the template builds what the definition builds`, async (t) => {
    const random = seededRandom(format === '2019' ? 11 : 12)
    let compared = 0
    for (let n = 0; n < 200; n++) {
      const doc = randomConsistentReport(format, random, { fields: { agencyId: 3, year: format === '2019' ? 2020 : 2024 } })
      for (const input of [doc, damaged(doc, random)]) {
        t.same(canonicalDocument(input, meta), reference(input, meta))
        const json = canonicalJson(input)
        t.equal(json(meta), JSON.stringify(reference(input, meta)))
        const other = { ...meta, id: 9, revision: 4, state: 'accepted' }
        t.equal(json(other), JSON.stringify(reference(input, other)), 'one serialization serves several metas')
        t.same(storedCells(input), referenceCells(input))
        t.same(
          cellValues(input),
          CELLS.map((cell) => getCell(input as unknown as Record<string, unknown>, cell)),
          'every cell read in one walk, as getCell reads each'
        )
        compared++
      }
    }
    t.equal(compared, 400)
    // key order: the document's keys in the served order, every cell of the format present
    const doc = JSON.parse(canonicalJson(randomConsistentReport(format, random, { fields: { agencyId: 1, year: 2024 } }))(meta)) as Record<
      string,
      unknown
    >
    t.same(Object.keys(doc), Object.keys(reference(doc as unknown as ReportInput, meta)))
    for (const cell of cellsOf(format)) t.not(getCell(doc, cell), undefined)
  })
}
