import { Type } from 'typebox'
import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { CursorSchema, pageOf, problems } from '../src/schemas/common.js'
import { badParameters } from '../src/errors.js'
import { decodeCursor, encodeCursor } from '../src/pagination.js'
import { MAX_ITEMS, STATISTICS_COLUMNS, itemsSignature, parseItems, planAggregate } from '../src/aggregates/index.js'
import { createAggregateRepository } from '../db/repositories/aggregates.js'
import { jsonCsvOrXlsx, sendTable, tableOutput, tableQuery } from '../src/plugins/table-reply.js'
import { planProblem, requireStateReadable } from './aggregates.js'
import { aggregateStateQuery, reportFilterQuery } from '../src/schemas/filters.js'

const StatisticsQuery = Type.Object(
  {
    item: Type.String({
      minLength: 1,
      maxLength: 8000,
      description: `Comma-separated cell codes (at most ${MAX_ITEMS}), e.g. \`applications.newReceived.total,proactive.penalty.decisions\``,
      examples: ['applications.newReceived.total,proactive.penalty.decisions']
    }),
    ...reportFilterQuery,
    ...aggregateStateQuery,
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000, default: 500, description: 'Rows per page (1–10 000, default 500)' })),
    cursor: Type.Optional(CursorSchema),
    ...tableQuery
  },
  { additionalProperties: false }
)

export const StatisticRowSchema = Type.Object(
  {
    reportId: Type.Integer(),
    agencyId: Type.Integer(),
    agencyName: Type.String(),
    regionCode: Type.String(),
    year: Type.Integer(),
    item: Type.String({ description: 'The cell code' }),
    value: Type.Unsafe<number | null>({
      type: ['number', 'null'],
      description: 'null for a blank cell; money in its unit (万元 / 元), exact'
    })
  },
  { $id: 'StatisticRow', additionalProperties: false }
)

export default async function statisticsRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const repo = createAggregateRepository(app.engine)

  app.get(
    '/statistics',
    {
      config: { pollable: true },
      schema: {
        tags: ['statistics'],
        summary: 'Tidy per-report values of some cells',
        description:
          'One row per report and item, for dashboards that chart raw figures: ordered by report id, then in the order the items were asked for. ' +
          'A report whose format lacks an item (2021 `inForce` in a 2019 report) has no row for it; a blank cell is a row with value null. ' +
          'The filters are those of GET /v1/aggregates (scope `own` unless asked). `Accept: text/csv` or `output=csv` sends the page as CSV, the XLSX media type or `output=xlsx` as an Excel workbook, with a `Link: <…>; rel="next"` header while there are more.',
        operationId: 'getStatistics',
        querystring: StatisticsQuery,
        response: { 200: jsonCsvOrXlsx(Type.Ref('StatisticsPage'), 'One page of rows'), ...problems(400, 403) }
      }
    },
    async (request, reply) => {
      const { item, cursor, limit = 500, bom, output: _output, ...filters } = request.query
      const items = parseItems(item)
      if (!items.ok) throw planProblem(items.errors)
      const planned = planAggregate(filters)
      if (!planned.ok) throw planProblem(planned.errors)
      requireStateReadable(planned.value.filter, request.visibility())
      const signature = itemsSignature(items.value)
      const state = decodeCursor(cursor, signature)
      if (state && (typeof state.v !== 'number' || !Number.isInteger(state.v))) {
        throw badParameters('The cursor is not valid for this list.', [
          { parameter: 'cursor', message: 'is not a cursor returned by this list' }
        ])
      }
      const page = await repo.statistics(
        planned.value.filter,
        items.value,
        limit,
        state ? { id: state.id, index: state.v as number } : undefined
      )
      const next = page.next ? encodeCursor({ s: signature, v: page.next.index, id: page.next.id }) : null
      const output = tableOutput(request, reply)
      if (output !== 'json') {
        return sendTable(reply, output, {
          basename: 'statistics',
          sheet: '统计',
          columns: STATISTICS_COLUMNS,
          rows: page.rows,
          bom,
          next,
          request
        })
      }
      return { items: page.rows, next }
    }
  )
}

export const statisticsSchemas = [StatisticRowSchema, pageOf(Type.Ref('StatisticRow'), 'StatisticsPage')]
