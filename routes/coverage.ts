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

const timestamp = (description: string) => Type.String({ format: 'date-time', description })
const nullable = <T extends ReturnType<typeof Type.String>>(schema: T) => Type.Union([schema, Type.Null()])

const count = (description: string) => Type.Integer({ minimum: 0, description })

export const CoverageSchema = Type.Object(
  {
    year: Type.Integer({ description: 'The report year' }),
    regionCode: Type.String({ description: 'The region prefix asked for' }),
    regionName: Type.Union([Type.String(), Type.Null()], { description: 'Its name; null when no region has that prefix' }),
    agencies: Type.Integer({ description: 'Agencies of the region (and level and kind, when given)' }),
    reported: Type.Integer({
      description: 'Of those, how many have an accepted (published) report for the year: onTime + late + unknownDate'
    }),
    onTime: Type.Integer({
      description:
        'Of those, how many filed it by their deadline (submitted by it, or — a report that never went through submission — published by it)'
    }),
    counts: Type.Object(
      {
        onTime: count('Accepted, filed by the deadline (the same as the top-level `onTime`)'),
        late: count('Accepted, filed after the deadline: `late`'),
        unknownDate: count('Accepted, never submitted and stating no publication date: `unknownDate`'),
        returned: count('Returned by a reviewer and not yet resubmitted: `returned`'),
        awaitingReview: count('Submitted, waiting for a reviewer: `awaitingReview`'),
        draft: count('A draft only (never submitted, withdrawn, or edited after a return): `drafts`'),
        missing: count('No report for the year at all: `missing`')
      },
      {
        additionalProperties: false,
        description: 'Each agency of the region in exactly one category; the seven add up to `agencies`'
      }
    ),
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
          publishedAt: Type.Union([date('The publication date the report states'), Type.Null()], {
            description: 'The publication date the report states; null when it states none (it was measured by its submission)'
          }),
          filedAt: date('The date measured against the deadline, in China Standard Time (UTC+8)'),
          filedBy: Type.Union([Type.Literal('submission'), Type.Literal('publication')], {
            description:
              '`submission`: the report was submitted to its reviewers, and its last submission counts; `publication`: it never was (written by an admin, imported from a published page), and its publication date counts'
          }),
          daysLate: Type.Integer({ minimum: 1, description: 'Calendar days after the deadline' })
        },
        { additionalProperties: false }
      ),
      { description: 'Accepted reports filed after their deadline, by agency id' }
    ),
    unknownDate: Type.Array(Type.Object(publishedFields, { additionalProperties: false }), {
      description:
        'Accepted reports never submitted whose publication date is not known (`publishedAt` null), by agency id: neither on time nor late'
    }),
    returned: Type.Array(
      Type.Object(
        {
          ...publishedFields,
          submittedAt: nullable(timestamp('Its last submission')),
          returnedAt: timestamp('When a reviewer returned it')
        },
        { additionalProperties: false }
      ),
      { description: 'Reports a reviewer returned and that were not resubmitted nor edited since, by agency id' }
    ),
    awaitingReview: Type.Array(
      Type.Object(
        {
          ...publishedFields,
          submittedAt: timestamp('When it was submitted'),
          daysLate: Type.Integer({
            minimum: 0,
            description: 'Calendar days the submission came after the deadline (China Standard Time); 0 when by it'
          })
        },
        { additionalProperties: false }
      ),
      { description: 'Reports submitted and waiting for a reviewer, by agency id' }
    ),
    drafts: Type.Array(
      Type.Object(
        {
          ...publishedFields,
          submittedAt: nullable(timestamp('A submission before it became a draft again (withdrawn, or edited after a return)')),
          updatedAt: timestamp('Its last change')
        },
        { additionalProperties: false }
      ),
      { description: 'Reports that are drafts only, by agency id: not filed' }
    ),
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
    description:
      'Every agency of the region in exactly one category (`counts`): agencies = reported + returned.length + awaitingReview.length + drafts.length + missing.length; reported = onTime + late.length + unknownDate.length',
    examples: [
      {
        year: 2025,
        regionCode: '6302',
        regionName: '海东市',
        agencies: 4,
        reported: 2,
        onTime: 1,
        counts: { onTime: 1, late: 1, unknownDate: 0, returned: 0, awaitingReview: 1, draft: 0, missing: 1 },
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
            filedAt: '2026-02-24',
            filedBy: 'publication',
            daysLate: 4
          }
        ],
        unknownDate: [],
        returned: [],
        awaitingReview: [
          {
            agencyId: 12,
            name: '海东市人民政府',
            regionCode: '630200',
            level: 'prefectural',
            kind: 'government',
            reportId: 40,
            scope: 'aggregate',
            deadline: '2026-03-10',
            submittedAt: '2026-03-09T02:15:00.000Z',
            daysLate: 0
          }
        ],
        drafts: [],
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
        summary: 'Which agencies of a region filed the year’s report, on time, late, still in review or not at all',
        description: `Every agency whose region code starts with \`regionCode\`, with its report for \`year\`, in exactly one category (\`counts\`): an accepted report is on time (counted) or late (listed) by its last submission — or, for a report that never went through submission (written by an admin, imported from a published page), by its publication date, listed under \`unknownDate\` when it states none; a report still in its life is listed as returned (not resubmitted), awaiting review (submitted) or a draft; an agency without any report is missing. Submission times are taken as dates in China Standard Time (UTC+8). Deadlines (FORMAT.md §1), in the year after the report year: ${deadlineList}. Departments, general offices, vertical bodies, authorized organizations and township-level bodies are due 31 January; a summary (\`aggregate\`) report is due by its level’s date, and so is a 人民政府’s own report — the regulation dates the government’s report with the summary, not with its departments. A report submitted or published on its deadline is on time.`,
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
