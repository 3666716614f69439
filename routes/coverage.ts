import { Type } from 'typebox'
import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { createCoverage, createSubdivisionSummaryCoverage } from '../src/coverage/coverage.js'
import { DEADLINES } from '../src/coverage/deadline.js'
import { regionName, regionOfPrefix, subdivisionsOf } from '../src/regions/index.js'
import { KindSchema, LevelSchema } from '../src/schemas/agency.js'
import { RegionPrefixSchema, problems } from '../src/schemas/common.js'
import { createFindingsQuery } from '../db/repositories/findings-query.js'

const date = (description: string) => Type.String({ format: 'date', description })

const agencyFields = {
  agencyId: Type.Integer(),
  name: Type.String(),
  regionCode: Type.String(),
  level: Type.String(),
  kind: Type.String()
}
const publishedFields = {
  ...agencyFields,
  reportId: Type.Integer(),
  scope: Type.String({ description: '`own` or `aggregate`: an aggregate is due by its level’s summary date' }),
  deadline: date('The last day on which the report was on time')
}

export const CoverageSchema = Type.Object(
  {
    year: Type.Integer({ description: 'The report year' }),
    regionCode: Type.String({ description: 'The region prefix asked for' }),
    regionName: Type.Union([Type.String(), Type.Null()], { description: 'Its name; null when no region has that prefix' }),
    agencies: Type.Integer({ description: 'Agencies of the region (and level and kind, when given)' }),
    reported: Type.Integer({ description: 'Of those, how many have a report for the year' }),
    onTime: Type.Integer({ description: 'Of those, how many were published on or before their deadline' }),
    missing: Type.Array(
      Type.Object(
        { ...agencyFields, deadline: date('When its report was due (for a government: its level’s summary date)') },
        { additionalProperties: false }
      ),
      { description: 'Agencies without a report for the year, by agency id' }
    ),
    late: Type.Array(
      Type.Object(
        {
          ...publishedFields,
          publishedAt: date('When it was published'),
          daysLate: Type.Integer({ minimum: 1, description: 'Calendar days after the deadline' })
        },
        { additionalProperties: false }
      ),
      { description: 'Reports published after their deadline, by agency id' }
    ),
    unknownDate: Type.Array(Type.Object(publishedFields, { additionalProperties: false }), {
      description: 'Reports whose publication date is not known (`publishedAt` null), by agency id: neither on time nor late'
    }),
    subdivisionSummaries: Type.Optional(
      Type.Object(
        {
          regionCode: Type.String({
            description: 'The province or prefecture (six digits) whose summary adds up its sub-divisions’ summaries'
          }),
          complete: Type.Boolean({
            description:
              'Every direct sub-division has exactly one summary stored for the year: the region’s summary is checked against them (AG-02)'
          }),
          subdivisions: Type.Array(
            Type.Object(
              {
                regionCode: Type.String(),
                regionName: Type.String(),
                reportIds: Type.Array(Type.Integer(), {
                  description:
                    'Its `aggregate` reports of the year: none — the summary is missing; two or more — which is the government’s cannot be told'
                })
              },
              { additionalProperties: false }
            ),
            {
              description:
                'The direct sub-divisions, by code: a province’s prefectures and the county-level units it administers directly, a municipality’s districts and counties, a prefecture’s counties'
            }
          )
        },
        {
          additionalProperties: false,
          description:
            'When `regionCode` names a province or a prefecture with sub-divisions: which of them have their summary report stored (whatever `level` and `kind` say)'
        }
      )
    )
  },
  {
    $id: 'Coverage',
    additionalProperties: false,
    description: 'agencies = reported + missing.length; reported = onTime + late.length + unknownDate.length',
    examples: [
      {
        year: 2025,
        regionCode: '6302',
        regionName: '海东市',
        agencies: 4,
        reported: 3,
        onTime: 1,
        missing: [
          { agencyId: 7, name: '互助土族自治县教育局', regionCode: '630223', level: 'county', kind: 'department', deadline: '2026-01-31' }
        ],
        late: [
          {
            agencyId: 9,
            name: '互助土族自治县人民政府',
            regionCode: '630223',
            level: 'county',
            kind: 'government',
            reportId: 31,
            scope: 'aggregate',
            deadline: '2026-02-20',
            publishedAt: '2026-02-24',
            daysLate: 4
          }
        ],
        unknownDate: [
          {
            agencyId: 12,
            name: '海东市人民政府',
            regionCode: '630200',
            level: 'prefectural',
            kind: 'government',
            reportId: 40,
            scope: 'aggregate',
            deadline: '2026-03-10'
          }
        ],
        subdivisionSummaries: {
          regionCode: '630200',
          complete: false,
          subdivisions: [
            { regionCode: '630202', regionName: '乐都区', reportIds: [] },
            { regionCode: '630203', regionName: '平安区', reportIds: [] },
            { regionCode: '630222', regionName: '民和回族土族自治县', reportIds: [] },
            { regionCode: '630223', regionName: '互助土族自治县', reportIds: [31] },
            { regionCode: '630224', regionName: '化隆回族自治县', reportIds: [] },
            { regionCode: '630225', regionName: '循化撒拉族自治县', reportIds: [] }
          ]
        }
      }
    ]
  }
)

const deadlineList = Object.values(DEADLINES)
  .map((d) => d.label)
  .join('；')

export default async function coverageRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const query = createFindingsQuery(app.engine)

  app.get(
    '/coverage',
    {
      config: { pollable: { cache: true } },
      schema: {
        tags: ['coverage'],
        summary: 'Which agencies of a region published the year’s report, late or not at all',
        description: `Every agency whose region code starts with \`regionCode\`, with its report for \`year\`: counted as on time, listed as late or with an unknown publication date, or listed as missing. Deadlines (FORMAT.md §1), in the year after the report year: ${deadlineList}. Departments, general offices, vertical bodies, authorized organizations and township-level bodies are due 31 January; a summary (\`aggregate\`) report is due by its level’s date, and so is a 人民政府’s own report — the regulation dates the government’s report with the summary, not with its departments. A report published on its deadline is on time.`,
        operationId: 'getCoverage',
        querystring: Type.Object(
          {
            year: Type.Integer({ minimum: 2019, maximum: 2100, description: 'Report year' }),
            regionCode: RegionPrefixSchema,
            level: Type.Optional(LevelSchema),
            kind: Type.Optional(KindSchema)
          },
          { additionalProperties: false }
        ),
        response: { 200: Type.Ref('Coverage'), ...problems(400) }
      }
    },
    async (request) => {
      const { year, regionCode } = request.query
      const coverage = createCoverage(await query.agenciesWithReport(request.query), {
        year,
        regionCode,
        regionName: regionName(regionCode)
      })
      const government = regionOfPrefix(regionCode)
      const subdivisions = government ? subdivisionsOf(government.code) : []
      if (!government || subdivisions.length === 0) return coverage
      const summaries = await query.summariesAt(
        year,
        subdivisions.map((s) => s.code)
      )
      return { ...coverage, subdivisionSummaries: createSubdivisionSummaryCoverage(government.code, subdivisions, summaries) }
    }
  )
}

export const coverageSchemas = [CoverageSchema]
