import { Type } from 'typebox'
import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { FORMATS } from '../src/format/registry.js'
import { problems } from '../src/schemas/common.js'
import { badParameters } from '../src/errors.js'
import { reportFilterQuery } from '../src/schemas/filters.js'
import {
  GROUP_KEYS,
  INDICATORS,
  MAX_METRICS,
  METRICS,
  aggregateColumns,
  composeGroups,
  describeMetric,
  planAggregate,
  type ParameterError
} from '../src/aggregates/index.js'
import { createAggregateRepository } from '../db/repositories/aggregates.js'
import { csvQuery, jsonOrCsv, sendCsv, wantsCsv } from '../src/plugins/csv-reply.js'

const nullable = <T extends string>(type: T, description?: string) =>
  Type.Unsafe<unknown>({ type: [type, 'null'], ...(description ? { description } : {}) })

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
    sort: Type.Optional(
      Type.String({
        maxLength: 2000,
        description: 'Comma-separated requested metrics or group keys, `-` in front for descending; nulls last; ties by the group keys. Default: the group keys ascending.',
        examples: ['-proactive.penalty.decisions']
      })
    ),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000, description: 'Only the first N groups (top N with `sort`)' })),
    ...csvQuery
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

export const AggregateGroupSchema = Type.Object(
  {
    key: GroupKeyValues,
    name: Type.Optional(nullable('string', 'The agency’s name when grouped by agency, else the name of the finest region key (县 over 市 over 省)')),
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
        'Per metric code: the sum of the non-null cells (money exact, in its unit), the indicator (a ratio of sums, 0–1) or the report count. null when no report of the group filled the cells, or an indicator’s denominator is 0.'
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
    formats: Type.Optional(Type.Array(Type.String(), { description: 'Only for format-specific metrics: the formats whose reports they span' })),
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
    description: 'Example: GET /v1/aggregates?metrics=applications.newReceived.total,disclosureRate,reviewCorrectionRate&groupBy=year,prefecture&regionCode=63&year=2025'
  }
)

const MetricCatalogSchema = Type.Object(
  {
    metrics: Type.Array(Type.Ref('AggregateMetric')),
    groupKeys: Type.Array(Type.String())
  },
  { additionalProperties: false }
)

export default async function aggregateRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const repo = createAggregateRepository(app.db)
  const catalog = { metrics: METRICS.map(describeMetric), groupKeys: [...GROUP_KEYS] }

  app.get(
    '/aggregates',
    {
      schema: {
        tags: ['aggregates'],
        summary: 'Sums and indicators over groups of reports',
        description:
          'Adds the chosen metrics over the reports that pass the filters, per group. Nulls are skipped in sums; an indicator is a ratio of sums (FORMAT.md §8), null when its denominator is 0. ' +
          'A format-specific metric (e.g. 2021 `proactive.regulations.inForce`, 2019 `proactive.procurement.amountYuan`) spans only the reports of its format: its `metrics[].formats` says which, and each group then carries `reportsByFormat`. ' +
          'Comparable metrics (licensing/penalty/coercion decisions, all of tables 三 and 四) span both formats. ' +
          'Unknown metrics, group keys or sort keys are a 400 whose `errors[].allowed` lists the valid ones. `Accept: text/csv` or `output=csv` sends the groups as CSV.',
        operationId: 'getAggregates',
        querystring: AggregateQuery,
        response: { 200: jsonOrCsv(Type.Ref('AggregateResult'), 'The groups and the metrics’ descriptions'), ...problems(400) }
      }
    },
    async (request, reply) => {
      const planned = planAggregate(request.query)
      if (!planned.ok) throw planProblem(planned.errors)
      const plan = planned.value
      const groups = composeGroups(plan, repo.aggregate(plan))
      if (wantsCsv(request, reply)) {
        return sendCsv(reply, { filename: 'aggregates.csv', columns: aggregateColumns(plan, groups), rows: groups, bom: request.query.bom })
      }
      return { groups, metrics: plan.metrics.map(describeMetric) }
    }
  )

  app.get(
    '/aggregates/metrics',
    {
      schema: {
        tags: ['aggregates'],
        summary: 'Every metric and group key GET /v1/aggregates accepts',
        operationId: 'listAggregateMetrics',
        response: { 200: MetricCatalogSchema }
      }
    },
    async () => catalog
  )
}

export const aggregateSchemas = [AggregateGroupSchema, AggregateMetricSchema, AggregateResultSchema]
