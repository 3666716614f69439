// The report document's JSON schema, built from the format registry: every row, column and cell is
// described with its official Chinese label. Format-dependent rules (which table-二 rows a format has)
// are checked by `checkShape`, whose errors point into the body like the schema's own. The OpenAPI document
// describes the body as one shape per format instead (documentedFormats, below): the same bodies, said so
// that a generated client knows which cells a format has.
import { Type, type TSchema } from 'typebox'
import {
  APPLICATION_ROWS,
  APPLICANT_COLUMNS,
  type CellDef,
  CELL_BY_CODE,
  type Format,
  FORMATS,
  PROACTIVE,
  type ProactiveRowDef,
  REVIEW_COLUMNS,
  REVIEW_GROUPS,
  SCOPES,
  SECTION_MAX_LENGTH,
  SECTIONS,
  TABLE_TITLES,
  TITLE_MAX_LENGTH
} from '../format/registry.js'
import { readSampleData } from '../sample.js'

// The sample report (互助县城市管理综合行政执法局, 2025) is the example of every report body.
const sample = readSampleData().report
export const sampleInput = { agencyId: 1, ...sample }

/**
 * A cell: a whole number for counts, a decimal for money, within the cell's bound (registry: COUNT_MAX,
 * MONEY_MAX_FEN) either way — a negative value is the report as published, kept with its finding.
 */
function cellSchema(cell: Pick<CellDef, 'label' | 'kind' | 'unit' | 'code' | 'formats' | 'max' | 'decimals'>, note = ''): TSchema {
  const kindNote =
    cell.kind === 'money'
      ? `金额，单位${cell.unit}（exact decimal, at most ${cell.decimals} decimals）`
      : cell.kind === 'signedCount'
        ? `单位${cell.unit}，整数，可为负数 (a whole number, may be negative)`
        : `单位${cell.unit}，整数 (a whole number)`
  return Type.Unsafe<number | null>({
    type: [cell.kind === 'money' ? 'number' : 'integer', 'null'],
    minimum: -cell.max,
    maximum: cell.max,
    description: `${cell.label}（${kindNote}）. \`${cell.code}\`; null = blank; at most ${cell.max} ${cell.unit} either way.${note}`
  })
}

function proactiveRowSchema(code: string): TSchema {
  const defs: Array<[string, ProactiveRowDef]> = FORMATS.flatMap((f) =>
    PROACTIVE[f].filter((r) => r.code === code).map((r) => [f, r] as [string, ProactiveRowDef])
  )
  const properties: Record<string, TSchema> = {}
  for (const [, row] of defs) {
    for (const col of row.columns) {
      const cell = CELL_BY_CODE.get(`proactive.${code}.${col.code}`)!
      properties[col.code] ??= Type.Optional(cellSchema(cell, ` Format ${cell.formats.join(', ')}.`))
    }
  }
  const labels = [...new Set(defs.map(([f, r]) => `${r.label} (${f})`))].join(' / ')
  return Type.Object(properties, {
    additionalProperties: false,
    description: `${labels}. Columns depend on the format.`
  })
}

function proactiveSchema(): TSchema {
  const codes = [...new Set(FORMATS.flatMap((f) => PROACTIVE[f].map((r) => r.code)))]
  const rows = Object.fromEntries(codes.map((c) => [c, Type.Optional(proactiveRowSchema(c))]))
  return Type.Object(rows, {
    additionalProperties: false,
    description: `${TABLE_TITLES.proactive}. Format 2021 has regulations, normativeDocuments, licensing, penalty, coercion, fees; format 2019 also otherServices and procurement, with its own columns. Every cell of the report's format must be present (null when blank).`
  })
}

/** A row of table 三; `blank`: a row format 2019 does not have, whose cells may only be null. */
function applicantRow(rowCode: string, label: string, only2021?: boolean, blank = false): TSchema {
  const props = Object.fromEntries(
    APPLICANT_COLUMNS.map((col) => {
      const cell = CELL_BY_CODE.get(`applications.${rowCode}.${col.code}`)!
      const schema = blank
        ? Type.Unsafe<null>({ type: 'null', description: `${cell.label}. \`${cell.code}\`: not in format 2019, always null.` })
        : cellSchema(cell)
      return [col.code, schema]
    })
  )
  return Type.Object(props, {
    additionalProperties: false,
    description: only2021 ? `${label}（format 2021 only; null in 2019）` : label
  })
}

/**
 * Nested object of the table-三 rows, e.g. `outcomes.denied.stateSecret`. Of one format: in 2021 every row
 * is required; in 2019 the rows 2021 added may be left out, or sent (and are served) with every cell null.
 */
function applicationsSchema(format?: Format): TSchema {
  interface Node {
    [k: string]: Node | TSchema
  }
  const tree: Node = {}
  for (const row of APPLICATION_ROWS) {
    const path = row.code.split('.')
    let node = tree
    for (const key of path.slice(0, -1)) node = (node[key] ??= {}) as Node
    const schema = applicantRow(row.code, row.fullLabel, row.only2021, row.only2021 && format === '2019')
    node[path[path.length - 1]] = row.only2021 && format !== '2021' ? Type.Optional(schema) : schema
  }
  const groupLabels: Record<string, string> = {
    outcomes: '三、本年度办理结果',
    denied: '（三）不予公开',
    unavailable: '（四）无法提供',
    notProcessed: '（五）不予处理',
    other: '（六）其他处理'
  }
  const build = (node: Node, key: string): TSchema =>
    Type.Object(Object.fromEntries(Object.entries(node).map(([k, v]) => [k, isSchema(v) ? v : build(v as Node, k)])), {
      additionalProperties: false,
      description: groupLabels[key] ?? (format ? `${TABLE_TITLES.applications} (format ${format})` : TABLE_TITLES.applications)
    })
  return build(tree, 'applications')
}

const isSchema = (v: unknown): v is TSchema => typeof v === 'object' && v !== null && ('type' in v || '~kind' in v || '~optional' in v)

function reviewLitigationSchema(): TSchema {
  const groups = Object.fromEntries(
    REVIEW_GROUPS.map((g) => [
      g.code,
      Type.Object(
        Object.fromEntries(REVIEW_COLUMNS.map((c) => [c.code, cellSchema(CELL_BY_CODE.get(`reviewLitigation.${g.code}.${c.code}`)!)])),
        { additionalProperties: false, description: g.label }
      )
    ])
  )
  return Type.Object(groups, { additionalProperties: false, description: TABLE_TITLES.reviewLitigation })
}

const nullableText = (description: string, maxLength: number) =>
  Type.Unsafe<string | null>({ type: ['string', 'null'], maxLength, description })

export const SectionsSchema = Type.Object(
  Object.fromEntries(
    SECTIONS.map((s) => [
      s.code,
      Type.Optional(nullableText(`${s.title}（text; null when absent; at most ${SECTION_MAX_LENGTH} characters）`, SECTION_MAX_LENGTH))
    ])
  ),
  { $id: 'Sections', additionalProperties: false, description: 'The three text parts of the report' }
)

const YearSchema = Type.Integer({ minimum: 2019, maximum: 2100, description: 'Report year (2019 onward: the unified formats)' })

function reportFields() {
  return {
    format: Type.Union(
      FORMATS.map((f) => Type.Literal(f)),
      {
        description: '`2019` — 国办公开办函〔2019〕60号 (years 2019–2020); `2021` — 国办公开办函〔2021〕30号 (2021 onward)'
      }
    ),
    scope: Type.Optional(
      Type.Union(
        SCOPES.map((s) => Type.Literal(s)),
        {
          default: 'own',
          description: '`own`: the agency’s own work; `aggregate`: a government’s summary of its whole area (本级政府年度报告)'
        }
      )
    ),
    publishedAt: Type.Optional(
      Type.Unsafe<string | null>({
        type: ['string', 'null'],
        format: 'date',
        description: 'Publication date (YYYY-MM-DD), null when unknown'
      })
    ),
    title: Type.Optional(nullableText('Title as published', TITLE_MAX_LENGTH)),
    sourceUrl: Type.Optional(
      Type.Unsafe<string | null>({
        type: ['string', 'null'],
        format: 'uri',
        maxLength: 2000,
        description: 'Where the report was published'
      })
    ),
    sections: Type.Ref('Sections'),
    proactive: Type.Ref('Proactive'),
    applications: Type.Ref('Applications'),
    reviewLitigation: Type.Ref('ReviewLitigation')
  }
}

// The tables are shared components, described once in the OpenAPI document.
export const ProactiveSchema = withId(proactiveSchema(), 'Proactive')
export const ApplicationsSchema = withId(applicationsSchema(), 'Applications')
export const ReviewLitigationSchema = withId(reviewLitigationSchema(), 'ReviewLitigation')

function withId(schema: TSchema, $id: string): TSchema {
  return { ...schema, $id, title: $id } as TSchema
}

const agencyIdField = Type.Integer({ minimum: 1, description: 'The agency that published the report' })

/** A report as written with its natural key in the body (POST /v1/reports, batch items). */
export const ReportInputSchema = Type.Object(
  { agencyId: agencyIdField, year: YearSchema, ...reportFields() },
  {
    $id: 'ReportInput',
    additionalProperties: false,
    description: 'A yearly report, every cell by its canonical code',
    examples: [sampleInput]
  }
)

/** A report written at a URL that names it: agencyId and year may be repeated, and must then match. */
export const ReportReplaceSchema = Type.Object(
  { agencyId: Type.Optional(agencyIdField), year: Type.Optional(YearSchema), ...reportFields() },
  {
    $id: 'ReportReplace',
    additionalProperties: false,
    description: 'A yearly report; agencyId and year come from the URL',
    examples: [sample]
  }
)

export const ReportSchema = Type.Object(
  {
    id: Type.Integer(),
    agencyId: Type.Integer(),
    year: Type.Integer(),
    ...reportFields(),
    scope: Type.Union(SCOPES.map((s) => Type.Literal(s))),
    publishedAt: Type.Unsafe<string | null>({ type: ['string', 'null'], format: 'date' }),
    title: Type.Unsafe<string | null>({ type: ['string', 'null'] }),
    sourceUrl: Type.Unsafe<string | null>({ type: ['string', 'null'] }),
    revision: Type.Integer({ description: 'Incremented on every write and every transition' }),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
    state: Type.Ref('ReportState')
  },
  { $id: 'Report', additionalProperties: false, description: 'A stored yearly report, every cell by its canonical code' }
)

export const ReportSummarySchema = Type.Object(
  {
    id: Type.Integer(),
    agencyId: Type.Integer(),
    agencyName: Type.String(),
    regionCode: Type.String(),
    year: Type.Integer(),
    format: Type.String(),
    scope: Type.String(),
    // nullable as a type list, not anyOf: fast-json-stringify serializes a type list directly, while for anyOf
    // it runs a validator per branch on every value (a page of 50 summaries took three times as long)
    publishedAt: Type.Unsafe<string | null>({ type: ['string', 'null'] }),
    updatedAt: Type.String(),
    errorCount: Type.Integer({ description: 'Findings of severity error' }),
    warningCount: Type.Integer({ description: 'Findings of severity warning' }),
    state: Type.Ref('ReportState'),
    submittedAt: Type.Unsafe<string | null>({
      type: ['string', 'null'],
      format: 'date-time',
      description: 'When it was last submitted; null when never (written as published)'
    }),
    acceptedAt: Type.Unsafe<string | null>({
      type: ['string', 'null'],
      format: 'date-time',
      description: 'When it was first accepted; null while never accepted, and for reports stored before states existed'
    })
  },
  { $id: 'ReportSummary', additionalProperties: false }
)

/** an enum rather than a union of literals, for the same reason (a union is serialized by trying each branch) */
export const ReportStateSchema = Type.Unsafe<'draft' | 'submitted' | 'returned' | 'accepted'>({
  $id: 'ReportState',
  type: 'string',
  enum: ['draft', 'submitted', 'returned', 'accepted'],
  description:
    'Where the report is in its life: `draft` being filled in, `submitted` awaiting review, `returned` sent back with a comment, `accepted` published (changed only by a correction). README: The life of a report'
})

// ---------------------------------------------------------------- the documented shape of each format

/** Table 二 of one format: its rows, each with its columns, every cell present (null when blank). */
function proactiveOf(format: Format): TSchema {
  const rows = Object.fromEntries(
    PROACTIVE[format].map((row) => [
      row.code,
      Type.Object(
        Object.fromEntries(row.columns.map((col) => [col.code, cellSchema(CELL_BY_CODE.get(`proactive.${row.code}.${col.code}`)!)])),
        { additionalProperties: false, description: `${row.label}（${row.article}）` }
      )
    ])
  )
  return Type.Object(rows, { additionalProperties: false, description: `${TABLE_TITLES.proactive} (format ${format})` })
}

type Json = Record<string, unknown>
const componentRef = (name: string) => `#/components/schemas/${name}`
/** a TypeBox schema as the document holds it: plain JSON, references into components.schemas */
const asComponent = (schema: TSchema): Json =>
  JSON.parse(JSON.stringify(schema), (key, value) => (key === '$ref' && !String(value).startsWith('#') ? componentRef(value) : value))

/** The report bodies the document describes as one shape per format. */
const BY_FORMAT = ['ReportInput', 'ReportReplace', 'Report'] as const

/**
 * Rewrites the document's report bodies (components.schemas, as @fastify/swagger made them from the shared
 * schemas) as one shape per format: `ReportInput` becomes `oneOf` ReportInput2019 | ReportInput2021,
 * discriminated by `format`, each naming its own table 二 (Proactive2019, Proactive2021) and table 三
 * (Applications2019, Applications2021) with only the cells of its format. A generated client then types a
 * 2019 report and a 2021 report apart, and narrows one to the other on `format`. The request validators keep
 * the one schema with checkShape (its messages name the cell at fault), which accepts exactly these bodies.
 */
export function documentedFormats(schemas: Json): void {
  if (!schemas.Proactive) return // done already
  for (const format of FORMATS) {
    schemas[`Proactive${format}`] = { ...asComponent(proactiveOf(format)), title: `Proactive${format}` }
    schemas[`Applications${format}`] = { ...asComponent(applicationsSchema(format)), title: `Applications${format}` }
  }
  for (const name of BY_FORMAT) {
    const common = schemas[name] as Json
    const { examples, description, ...shape } = common
    for (const format of FORMATS) {
      const properties = { ...(shape.properties as Json) }
      properties.format = { type: 'string', enum: [format], description: (properties.format as Json).description }
      properties.proactive = { $ref: componentRef(`Proactive${format}`) }
      properties.applications = { $ref: componentRef(`Applications${format}`) }
      schemas[`${name}${format}`] = {
        ...shape,
        properties,
        title: `${name}${format}`,
        description: `${description} (format ${format})`
      }
    }
    schemas[name] = {
      oneOf: FORMATS.map((f) => ({ $ref: componentRef(`${name}${f}`) })),
      discriminator: { propertyName: 'format', mapping: Object.fromEntries(FORMATS.map((f) => [f, componentRef(`${name}${f}`)])) },
      description: `${description}: the shape of its format (\`format\`)`,
      ...(examples ? { examples } : {})
    }
  }
  delete schemas.Proactive
  delete schemas.Applications
}
