import { Type } from 'typebox'
import type { FastifyInstance, FastifyReply } from 'fastify'
import { exactJson, holdsMoneySum } from '../src/format/money.js'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { FORMATS } from '../src/format/registry.js'
import { problems } from '../src/schemas/common.js'
import { badParameters, ForbiddenError } from '../src/errors.js'
import { covers, type Visibility } from '../src/auth/keys.js'
import { aggregateStateQuery, reportFilterQuery } from '../src/schemas/filters.js'
import {
  GROUP_KEYS,
  INDICATORS,
  MAX_METRICS,
  METRICS,
  STATS,
  aggregateColumns,
  answerAggregate,
  describeMetric,
  flatRows,
  parseExtras,
  planAggregate,
  type ParameterError
} from '../src/aggregates/index.js'
import { createAggregateRepository } from '../db/repositories/aggregates.js'
import { jsonCsvOrXlsx, sendTable, tableOutput, tableQuery } from '../src/plugins/table-reply.js'

const nullable = <T extends string>(type: T, description?: string) =>
  Type.Unsafe<unknown>({ type: [type, 'null'], ...(description ? { description } : {}) })

/**
 * Figures of reports not yet accepted are no more public than the reports (README: Who reads what): a
 * `state` other than `accepted` needs an admin key, or a submitter's or reviewer's key whose scope covers
 * everything asked — the region filtered on (`regionCode`) or the agency (`agencyId`).
 */
export function requireStateReadable(filter: { state: string; regionCode?: string; agencyId?: number }, visibility: Visibility): void {
  if (filter.state === 'accepted' || visibility.all) return
  if (!covers(visibility, { id: filter.agencyId, regionCode: filter.regionCode })) {
    throw new ForbiddenError(
      `Figures of reports in state ${filter.state} are shown only to an admin key, or to a key whose scope covers the regionCode or agencyId asked.`
    )
  }
}

/** One problem for every faulty parameter of a plan. */
export function planProblem(errors: ParameterError[]): Error {
  const names = [...new Set(errors.map((e) => e.parameter))]
  return badParameters(`Invalid ${names.join(', ')}: ${errors.map((e) => e.message.split(';')[0]).join('; ')}.`, errors)
}

const AggregateQuery = Type.Object(
  {
    metrics: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 8000,
        description:
          `Comma-separated metric codes (at most ${MAX_METRICS}; default \`reports\`): any cell code (\`applications.newReceived.total\`), ` +
          'an outcome group summed per column (`applications.outcomes.denied.total` = Σ of the eight 不予公开 rows), ' +
          `an indicator (${INDICATORS.map((i) => `\`${i.code}\` ${i.label}`).join(', ')}), or \`reports\`. ` +
          'GET /v1/aggregates/metrics lists them all.',
        examples: ['applications.newReceived.total,disclosureRate,reviewCorrectionRate']
      })
    ),
    groupBy: Type.Optional(
      Type.String({
        maxLength: 200,
        description: `Comma-separated group keys: ${GROUP_KEYS.map((k) => `\`${k}\``).join(', ')}; none = one grand total. \`agency\` (or an \`agencyId\` filter) reads every report; the others read the roll-up.`,
        examples: ['year,prefecture']
      })
    ),
    ...reportFilterQuery,
    ...aggregateStateQuery,
    sort: Type.Optional(
      Type.String({
        maxLength: 2000,
        description:
          'Comma-separated requested metrics or group keys, `-` in front for descending; nulls last; ties by the group keys. Default: the group keys ascending.',
        examples: ['-proactive.penalty.decisions']
      })
    ),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000, description: 'Only the first N groups (top N with `sort`)' })),
    shape: Type.Optional(
      Type.Union([Type.Literal('groups'), Type.Literal('rows')], {
        default: 'groups',
        description:
          '`groups` (default): nested `key`, `names`, `values` per group. `rows`: one flat object per group — keys, `<key>Adcode`, `<key>Name`, `reports`, ' +
          'each metric by its code and the extras as `<metric>.previous|change|relativeChange|rank|n|mean|median|min|max` — with `fields` describing every column, ' +
          'ready for an ECharts `dataset` or a Grafana table'
      })
    ),
    compare: Type.Optional(
      Type.Literal('previousYear', {
        description:
          'Add each group’s values one year earlier (`previous`), the absolute change (`change`, in the metric’s unit; fraction points for an indicator) and the relative change ' +
          '(`relativeChange`, change / |previous|, null when previous is 0 or null). The question is asked again with every year filter moved back a year; grouped by year, ' +
          'year y is compared with y − 1. Needs `year`, both `yearFrom` and `yearTo`, or `groupBy=year`'
      })
    ),
    rank: Type.Optional(
      Type.Boolean({
        default: false,
        description:
          'Add each group’s rank per metric (`rank`): 1 = the largest value, ties share a rank (1, 2, 2, 4), null values unranked. Ranked over every group of the result before `limit`; ' +
          'grouped by year and another key, within each year'
      })
    ),
    stats: Type.Optional(
      Type.String({
        maxLength: 100,
        description:
          `Comma-separated, any of ${STATS.map((s) => `\`${s}\``).join(', ')}: the spread of each metric’s per-report values within the group (one report per agency and year), ` +
          'beside the ratio-of-sums value: e.g. the median 公开率 of a province’s county bodies. `stats[metric].n` counts the reports with a value (an indicator whose denominator is 0, or a blank cell, has none)',
        examples: ['mean,median']
      })
    ),
    ...tableQuery
  },
  { additionalProperties: false }
)

const GroupKeyValues = Type.Object(
  {
    year: Type.Optional(Type.Integer()),
    province: Type.Optional(Type.String({ description: 'the first 2 digits of the agencies’ region code' })),
    prefecture: Type.Optional(Type.String({ description: 'the first 4 digits' })),
    county: Type.Optional(Type.String({ description: 'the whole 6-digit region code' })),
    agency: Type.Optional(Type.Integer({ description: 'agency id' })),
    level: Type.Optional(Type.String()),
    kind: Type.Optional(Type.String()),
    format: Type.Optional(Type.String())
  },
  { additionalProperties: false }
)

const GroupNames = Type.Object(
  {
    province: Type.Optional(nullable('string')),
    prefecture: Type.Optional(nullable('string')),
    county: Type.Optional(nullable('string')),
    agency: Type.Optional(nullable('string')),
    level: Type.Optional(nullable('string')),
    kind: Type.Optional(nullable('string'))
  },
  {
    additionalProperties: false,
    description:
      'The Chinese name of each key that has one. Regions by GB/T 2260 (`63` 青海省, `6302` 海东市); a key that covers agencies serving a whole province or prefecture is `…本级` (prefecture `6300` 青海省本级, county `630200` 海东市本级); `00…` is 全国. null for a code the division list does not know.'
  }
)

const RegionAdcodes = Type.Object(
  { province: Type.Optional(Type.String()), prefecture: Type.Optional(Type.String()), county: Type.Optional(Type.String()) },
  {
    additionalProperties: false,
    description:
      'Each region key as a six-digit GB/T 2260 code, for joining map data: `63` → `630000`, `6302` → `630200`. A `…本级` key pads to its parent’s code (`6300` → `630000`)'
  }
)
const byMetric = (description: string) => Type.Record(Type.String(), nullable('number'), { description })

const SpreadSchema = Type.Object(
  {
    n: Type.Integer({ description: 'Reports of the group with a value for the metric' }),
    mean: Type.Optional(nullable('number')),
    median: Type.Optional(nullable('number')),
    min: Type.Optional(nullable('number')),
    max: Type.Optional(nullable('number'))
  },
  { additionalProperties: false }
)

export const AggregateGroupSchema = Type.Object(
  {
    key: GroupKeyValues,
    adcodes: Type.Optional(RegionAdcodes),
    previous: Type.Optional(byMetric('`compare=previousYear`: the value one year earlier (null when the group had no value then)')),
    change: Type.Optional(byMetric('`compare=previousYear`: value − previous (exact for money)')),
    relativeChange: Type.Optional(byMetric('`compare=previousYear`: change / |previous|; null when previous is 0 or null')),
    rank: Type.Optional(
      byMetric(
        '`rank=true`: 1 = the largest value of the result (within each year when grouped by year and another key); null when the value is null'
      )
    ),
    stats: Type.Optional(
      Type.Record(Type.String(), SpreadSchema, {
        description:
          '`stats=…`: per metric (not `reports`), the spread of the per-report values: reports with a value, and the statistics asked for'
      })
    ),
    name: Type.Optional(
      nullable('string', 'The agency’s name when grouped by agency, else the name of the finest region key (县 over 市 over 省)')
    ),
    names: Type.Optional(GroupNames),
    reports: Type.Integer({ description: 'Reports in the group (all formats)' }),
    reportsByFormat: Type.Optional(
      Type.Object(Object.fromEntries(FORMATS.map((f) => [f, Type.Integer()])), {
        additionalProperties: false,
        description: 'Present when a requested metric is format-specific: such a metric spans only the reports of its formats'
      })
    ),
    values: Type.Record(Type.String(), nullable('number'), {
      description:
        'Per metric code: the sum of the non-null cells (money exact, in its unit), the indicator (a ratio of sums, 0–1) or the report count. null when no report of the group filled the cells, or an indicator’s denominator is 0. ' +
        'A money sum is a JSON number with its exact decimal digits: one too long for a double (past 2^53 分, e.g. 9223400000000.000001) keeps every digit — a decimal-aware parser reads it exactly, JavaScript’s JSON.parse the nearest double.'
    }),
    contributors: Type.Optional(
      Type.Record(Type.String(), Type.Integer(), {
        description:
          'Per metric, only when fewer reports filled it than the reports it spans (`reports`, or for a format-specific metric the reports of its formats): how many did. For a group sum or an indicator, the most of any cell it reads.'
      })
    )
  },
  { $id: 'AggregateGroup', additionalProperties: false }
)

export const AggregateMetricSchema = Type.Object(
  {
    code: Type.String(),
    kind: Type.Union([Type.Literal('reports'), Type.Literal('cell'), Type.Literal('group'), Type.Literal('indicator')]),
    label: Type.String({ description: 'Official Chinese label' }),
    unit: Type.String({ description: '件, 项, 万元, 元, 份 (reports) or 比率 (a fraction 0–1)' }),
    formats: Type.Optional(
      Type.Array(Type.String(), { description: 'Only for format-specific metrics: the formats whose reports they span' })
    ),
    formula: Type.Optional(Type.String({ description: 'Group sums and indicators: the formula in cell codes' }))
  },
  { $id: 'AggregateMetric', additionalProperties: false }
)

const EXAMPLE = {
  groups: [
    {
      key: { year: 2025, prefecture: '6302' },
      name: '海东市',
      names: { prefecture: '海东市' },
      reports: 412,
      values: { 'applications.newReceived.total': 1875, disclosureRate: 0.6213, reviewCorrectionRate: null },
      contributors: { 'applications.newReceived.total': 409 }
    },
    {
      key: { year: 2025, prefecture: '6300' },
      name: '青海省本级',
      names: { prefecture: '青海省本级' },
      reports: 57,
      values: { 'applications.newReceived.total': 2310, disclosureRate: 0.5871, reviewCorrectionRate: 0.125 }
    }
  ],
  metrics: [
    { code: 'applications.newReceived.total', kind: 'cell', label: '一、本年新收政府信息公开申请数量 · 总计', unit: '件' },
    {
      code: 'disclosureRate',
      kind: 'indicator',
      label: '公开率',
      unit: '比率',
      formula: '(applications.outcomes.granted.total + applications.outcomes.partiallyGranted.total) / applications.outcomes.total.total'
    },
    {
      code: 'reviewCorrectionRate',
      kind: 'indicator',
      label: '复议纠错率',
      unit: '比率',
      formula: 'reviewLitigation.review.corrected / (reviewLitigation.review.total − reviewLitigation.review.pending)'
    }
  ]
}

export const AggregateResultSchema = Type.Object(
  {
    groups: Type.Array(Type.Ref('AggregateGroup'), { description: 'In `sort` order; without groupBy, one grand total' }),
    metrics: Type.Array(Type.Ref('AggregateMetric'), { description: 'The requested metrics, in request order' })
  },
  {
    $id: 'AggregateResult',
    additionalProperties: false,
    examples: [EXAMPLE],
    description:
      'Example: GET /v1/aggregates?metrics=applications.newReceived.total,disclosureRate,reviewCorrectionRate&groupBy=year,prefecture&regionCode=63&year=2025'
  }
)

export const AggregateFieldSchema = Type.Object(
  {
    name: Type.String({ description: 'The key in each row' }),
    label: Type.String({ description: 'Chinese header, as in CSV and XLSX' }),
    type: Type.Union([Type.Literal('string'), Type.Literal('integer'), Type.Literal('number')]),
    unit: Type.Optional(Type.String())
  },
  { $id: 'AggregateField', additionalProperties: false }
)

export const AggregateRowsSchema = Type.Object(
  {
    rows: Type.Array(Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Null()])), {
      description:
        'One flat object per group, in `sort` order; every row has every field (null when there is no value). Money sums are exact JSON numbers, as in `values`'
    }),
    fields: Type.Array(Type.Ref('AggregateField'), { description: 'The columns, in order: names for an ECharts `dataset.dimensions`' }),
    metrics: Type.Array(Type.Ref('AggregateMetric'))
  },
  {
    $id: 'AggregateRows',
    additionalProperties: false,
    examples: [
      {
        rows: [
          {
            year: 2025,
            prefecture: '6302',
            prefectureAdcode: '630200',
            prefectureName: '海东市',
            reports: 412,
            disclosureRate: 0.6213,
            'disclosureRate.previous': 0.6,
            'disclosureRate.change': 0.0213,
            'disclosureRate.relativeChange': 0.0355,
            'disclosureRate.rank': 2
          }
        ],
        fields: [
          { name: 'year', label: '年度', type: 'integer' },
          { name: 'prefecture', label: '地市级区划代码', type: 'string' },
          { name: 'prefectureAdcode', label: '地市级区划代码（六位）', type: 'string' },
          { name: 'prefectureName', label: '地市级区划', type: 'string' },
          { name: 'reports', label: '报告数（份）', type: 'integer', unit: '份' },
          { name: 'disclosureRate', label: '公开率（比率）', type: 'number', unit: '比率' },
          { name: 'disclosureRate.previous', label: '公开率（比率） · 上年', type: 'number', unit: '比率' },
          { name: 'disclosureRate.change', label: '公开率（比率） · 比上年增减', type: 'number', unit: '比率' },
          { name: 'disclosureRate.relativeChange', label: '公开率（比率） · 比上年增减幅度（比率）', type: 'number', unit: '比率' },
          { name: 'disclosureRate.rank', label: '公开率（比率） · 排名', type: 'integer' }
        ],
        metrics: [EXAMPLE.metrics[1]]
      }
    ],
    description:
      'Example: GET /v1/aggregates?metrics=disclosureRate&groupBy=year,prefecture&regionCode=63&year=2025&shape=rows&compare=previousYear&rank=true'
  }
)

const MetricCatalogSchema = Type.Object(
  {
    metrics: Type.Array(Type.Ref('AggregateMetric')),
    groupKeys: Type.Array(Type.String())
  },
  { additionalProperties: false }
)

/**
 * The JSON body as is, unless it holds a sum of money too large for a double's digits: then serialized so
 * that the sum is a JSON number of its exact decimal digits (README: Money is exact).
 */
function json<T extends object>(reply: FastifyReply, body: T): T | FastifyReply {
  if (!holdsMoneySum(body)) return body
  return reply.type('application/json; charset=utf-8').serializer(exactJson).send(body)
}

export default async function aggregateRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const repo = createAggregateRepository(app.engine)
  const catalog = { metrics: METRICS.map(describeMetric), groupKeys: [...GROUP_KEYS] }

  app.get(
    '/aggregates',
    {
      config: { pollable: { cache: true } },
      schema: {
        tags: ['aggregates'],
        summary: 'Sums and indicators over groups of reports',
        description:
          'Adds the chosen metrics over the reports that pass the filters, per group. Nulls are skipped in sums; an indicator is a ratio of sums (FORMAT.md §8), null when its denominator is 0. ' +
          'A format-specific metric (e.g. 2021 `proactive.regulations.inForce`, 2019 `proactive.procurement.amountYuan`) spans only the reports of its format: its `metrics[].formats` says which, and each group then carries `reportsByFormat`. ' +
          'Comparable metrics (licensing/penalty/coercion decisions, all of tables 三 and 四) span both formats. ' +
          'Unknown metrics, group keys or sort keys are a 400 whose `errors[].allowed` lists the valid ones. ' +
          'For dashboards: `shape=rows` (flat rows and their fields), `compare=previousYear`, `rank=true`, `stats=mean,median`; region keys carry their six-digit adcodes. ' +
          '`Accept: text/csv` or `output=csv` sends the groups as CSV, the XLSX media type or `output=xlsx` as an Excel workbook — the same columns as the rows.',
        operationId: 'getAggregates',
        querystring: AggregateQuery,
        response: {
          200: jsonCsvOrXlsx(
            Type.Union([Type.Ref('AggregateResult'), Type.Ref('AggregateRows')]),
            'The groups (or, with `shape=rows`, the rows and their fields) and the metrics’ descriptions'
          ),
          ...problems(400, 403)
        }
      }
    },
    async (request, reply) => {
      const planned = planAggregate(request.query)
      if (!planned.ok) throw planProblem(planned.errors)
      const plan = planned.value
      requireStateReadable(plan.filter, request.visibility())
      const extras = parseExtras(request.query, plan)
      if (!extras.ok) throw planProblem(extras.errors)
      const groups = await answerAggregate(plan, extras.value, (p) => repo.aggregate(p))
      const output = tableOutput(request, reply)
      const metrics = plan.metrics.map(describeMetric)
      if (output === 'json' && extras.value.shape === 'groups') return json(reply, { groups, metrics })
      const columns = aggregateColumns(plan, groups, extras.value)
      if (output !== 'json')
        return sendTable(reply, output, { basename: 'aggregates', sheet: '汇总', columns, rows: groups, bom: request.query.bom })
      return json(reply, {
        rows: flatRows(columns, groups),
        fields: columns.map((c) => ({ name: c.name, label: c.header, type: c.type, ...(c.unit ? { unit: c.unit } : {}) })),
        metrics
      })
    }
  )

  app.get(
    '/aggregates/metrics',
    {
      config: { pollable: { source: 'static', cache: true } },
      schema: {
        tags: ['aggregates'],
        summary: 'Every metric and group key GET /v1/aggregates accepts',
        operationId: 'listAggregateMetrics',
        querystring: Type.Object({}, { additionalProperties: false }),
        response: { 200: MetricCatalogSchema }
      }
    },
    async () => catalog
  )
}

export const aggregateSchemas = [
  AggregateGroupSchema,
  AggregateMetricSchema,
  AggregateResultSchema,
  AggregateFieldSchema,
  AggregateRowsSchema
]
