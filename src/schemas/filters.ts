// The query filters that choose reports, shared by the report list, aggregates and statistics.
import { Type } from 'typebox'
import { FORMATS } from '../format/registry.js'
import { KindSchema, LevelSchema } from './agency.js'
import { IdSchema, RegionPrefixSchema } from './common.js'

export const YearFilterSchema = Type.Integer({ minimum: 2019, maximum: 2100 })

/** The filters aggregates and statistics share: which reports are counted. */
export const reportFilterQuery = {
  year: Type.Optional(YearFilterSchema),
  yearFrom: Type.Optional(YearFilterSchema),
  yearTo: Type.Optional(YearFilterSchema),
  regionCode: Type.Optional(RegionPrefixSchema),
  level: Type.Optional(LevelSchema),
  kind: Type.Optional(KindSchema),
  agencyId: Type.Optional(IdSchema),
  format: Type.Optional(
    Type.Union(
      FORMATS.map((f) => Type.Literal(f)),
      { description: 'Report format (not the output format: see `output`)' }
    )
  ),
  scope: Type.Optional(
    Type.Union([Type.Literal('own'), Type.Literal('aggregate'), Type.Literal('all')], {
      default: 'own',
      description:
        '`own` (default): agencies’ own reports, so that nothing is counted twice; `aggregate`: only 本级政府 summaries of an area; `all`: both'
    })
  )
}

/** The state filter of aggregates and statistics: accepted reports unless asked (a list of reports shows every state). */
export const aggregateStateQuery = {
  state: Type.Optional(
    Type.Union(
      ['accepted', 'submitted', 'returned', 'draft', 'all'].map((s) => Type.Literal(s)),
      {
        default: 'accepted',
        description:
          'Which reports count, by state: `accepted` (default — what dashboards show: reports accepted by their reviewer, written by an admin or imported from a published page), `submitted`, `returned`, `draft`, or `all` (every state)'
      }
    )
  )
}
