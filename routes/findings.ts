import { Type } from 'typebox'
import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { regionName } from '../src/regions/index.js'
import { KindSchema, LevelSchema } from '../src/schemas/agency.js'
import { RuleNameSchema, RuleSchema, SeveritySchema } from '../src/schemas/finding.js'
import { REVIEW_STATUSES, FINDING_STATUSES, type ReviewStatus } from '../src/reports/reviews.js'
import { REPORT_STATES } from '../db/repositories/reports.js'
import { ruleName } from '../src/checks/index.js'
import { CursorSchema, IdSchema, LimitSchema, RegionPrefixSchema, pageOf, problems } from '../src/schemas/common.js'
import { FINDING_GROUPINGS, createFindingsQuery, type FindingGrouping, type FindingListItem } from '../db/repositories/findings-query.js'
import { csvQuery, jsonOrCsv, sendCsv, wantsCsv, type CsvColumn } from '../src/plugins/csv-reply.js'

const FINDING_COLUMNS: CsvColumn<FindingListItem>[] = [
  { header: '问题ID', value: (f) => f.id },
  { header: '报告ID', value: (f) => f.reportId },
  { header: '机关ID', value: (f) => f.agencyId },
  { header: '机关名称', value: (f) => f.agencyName },
  { header: '区划代码', value: (f) => f.regionCode },
  { header: '年度', value: (f) => f.year },
  { header: '规则', value: (f) => f.rule },
  { header: '规则名称', value: (f) => f.ruleName },
  { header: '级别', value: (f) => f.severity },
  { header: '说明', value: (f) => f.message },
  { header: '涉及单元格', value: (f) => f.cells.join(' ') },
  { header: '应为', value: (f) => f.expected },
  { header: '实为', value: (f) => f.actual },
  { header: '指纹', value: (f) => f.fingerprint },
  { header: '审核状态', value: (f) => f.status },
  { header: '审核意见', value: (f) => f.review?.reason ?? null },
  { header: '情况说明', value: (f) => f.review?.explanation ?? null }
]

const filters = {
  rule: Type.Optional(RuleSchema),
  severity: Type.Optional({
    ...SeveritySchema,
    description: '`error` breaks a rule; `warning` is suspicious; `info` could not be assessed (a blank cell) or is advice'
  }),
  year: Type.Optional(Type.Integer({ minimum: 2019, maximum: 2100, description: 'Report year' })),
  regionCode: Type.Optional(RegionPrefixSchema),
  level: Type.Optional(LevelSchema),
  kind: Type.Optional(KindSchema),
  agencyId: Type.Optional({ ...IdSchema, description: 'The publishing agency' }),
  reportId: Type.Optional({ ...IdSchema, description: 'The report' }),
  status: Type.Optional(
    Type.Union(
      FINDING_STATUSES.map((x) => Type.Literal(x)),
      { description: 'The finding’s review status' }
    )
  ),
  state: Type.Optional(
    Type.Union(
      REPORT_STATES.map((x) => Type.Literal(x)),
      { description: 'The report’s state' }
    )
  )
}

const example = {
  id: 4711,
  reportId: 12,
  agencyId: 3,
  agencyName: '互助土族自治县城市管理综合行政执法局',
  regionCode: '630223',
  year: 2025,
  rule: 'T3-03',
  ruleName: '表三：总计列与各申请人列之和不符',
  severity: 'error',
  message:
    '“一、本年新收政府信息公开申请数量”行：总计 为 2，但 自然人 0 + 法人或其他组织·商业企业 0 + 法人或其他组织·科研机构 0 + 法人或其他组织·社会公益组织 0 + 法人或其他组织·法律服务机构 0 + 法人或其他组织·其他 0 = 0',
  cells: [
    'applications.newReceived.naturalPerson',
    'applications.newReceived.commercialEnterprise',
    'applications.newReceived.researchInstitution',
    'applications.newReceived.publicInterestOrganization',
    'applications.newReceived.legalServiceAgency',
    'applications.newReceived.otherOrganization',
    'applications.newReceived.total'
  ],
  expected: 0,
  actual: 2,
  fingerprint: '046fc5467651e4cd',
  status: 'explained',
  review: {
    reason: '新收申请 2 件为线下收取，系统未按申请人类型登记。',
    explanation: '新收申请 2 件为线下收取，系统未按申请人类型登记。',
    keyName: '互助县城管局',
    reviewedAt: '2026-01-10T08:00:00.000Z'
  }
}

export const FindingListItemSchema = Type.Object(
  {
    id: Type.Integer({ description: 'The stored finding; ids change when a report is re-checked — track a finding by `fingerprint`' }),
    reportId: Type.Integer({ description: 'The report the finding is about' }),
    agencyId: Type.Integer(),
    agencyName: Type.String(),
    regionCode: Type.String({ description: 'The agency’s GB/T 2260 code' }),
    year: Type.Integer({ description: 'The report’s year' }),
    rule: Type.String({ description: 'Rule id of FORMAT.md §7' }),
    ruleName: RuleNameSchema,
    severity: SeveritySchema,
    message: Type.String({ description: 'Chinese, naming rows and columns in the official wording, with the figures' }),
    cells: Type.Array(Type.String(), { description: 'Canonical codes of every cell involved' }),
    expected: Type.Union([Type.Number(), Type.Null()], {
      description: 'What the rule says the checked cell(s) should be; null when not numeric or not assessable'
    }),
    actual: Type.Union([Type.Number(), Type.Null()]),
    fingerprint: Type.String({ description: 'Stable across re-checks: depends on rule and cells only' }),
    otherReportId: Type.Optional(Type.Integer({ description: 'Cross-year rules: the other report' })),
    otherYear: Type.Optional(Type.Integer({ description: 'Cross-year rules: the other report’s year' })),
    status: Type.Ref('FindingStatus'),
    review: Type.Union([Type.Ref('FindingReview'), Type.Null()], { description: 'The review that applies; null while open' })
  },
  { $id: 'FindingListItem', additionalProperties: false, description: 'A stored finding with its report and agency', examples: [example] }
)

export const FindingSummarySchema = Type.Object(
  {
    groupBy: Type.Union(FINDING_GROUPINGS.map((g) => Type.Literal(g))),
    total: Type.Integer({ description: 'Findings matching the filters: the sum of the counts' }),
    groups: Type.Array(
      Type.Object(
        {
          key: Type.Union([Type.String(), Type.Integer()], {
            description:
              'The rule id, the severity, the year (an integer), the province’s 2-digit GB/T 2260 code (`00` for national bodies) or the review status'
          }),
          name: Type.Optional(
            Type.Union([Type.String(), Type.Null()], {
              description:
                '`rule`: the rule’s Chinese name; `province`: the province’s name (全国 for `00`), null when the code is unknown; absent for `severity` and `year`'
            })
          ),
          count: Type.Integer({ minimum: 1 })
        },
        { additionalProperties: false }
      ),
      { description: 'Only groups with findings; rules in the order of FORMAT.md §7, severities error→info, years and provinces ascending' }
    )
  },
  {
    $id: 'FindingSummary',
    additionalProperties: false,
    examples: [
      {
        groupBy: 'province',
        total: 57,
        groups: [
          { key: '11', name: '北京市', count: 9 },
          { key: '63', name: '青海省', count: 48 }
        ]
      },
      {
        groupBy: 'rule',
        total: 12,
        groups: [
          { key: 'T3-01', name: '表三：收到与办理、结转不平衡', count: 2 },
          { key: 'TX-01', name: '正文数字与表格不符', count: 10 }
        ]
      }
    ]
  }
)

export default async function findingRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const query = createFindingsQuery(app.engine)

  app.get(
    '/findings',
    {
      config: { pollable: true },
      schema: {
        tags: ['findings'],
        summary: 'List findings across reports',
        description:
          'The stored findings of every report, for supervisors: filtered by rule, severity, report year and the publishing agency (region prefix, level, kind, id). Paginated in id order; every filter narrows (AND).',
        operationId: 'listFindings',
        querystring: Type.Object(
          { ...filters, limit: Type.Optional(LimitSchema), cursor: Type.Optional(CursorSchema), ...csvQuery },
          { additionalProperties: false }
        ),
        response: { 200: jsonOrCsv(Type.Ref('FindingListPage'), 'One page of findings'), ...problems(400) }
      }
    },
    async (request, reply) => {
      const { output: _output, bom, ...rest } = request.query
      const page = await query.list({
        ...(rest as Parameters<typeof query.list>[0]),
        limit: rest.limit ?? 50,
        visibility: request.visibility()
      })
      if (wantsCsv(request, reply)) {
        return sendCsv(reply, { filename: 'findings.csv', columns: FINDING_COLUMNS, rows: page.items, bom, next: page.next, request })
      }
      return page
    }
  )

  app.get(
    '/findings/summary',
    {
      config: { pollable: { cache: true } },
      schema: {
        tags: ['findings'],
        summary: 'Count findings per rule, severity, year or province',
        description: 'The same filters as the list; `groupBy` picks the grouping.',
        operationId: 'summarizeFindings',
        querystring: Type.Object(
          {
            groupBy: Type.Union(
              FINDING_GROUPINGS.map((g) => Type.Literal(g)),
              {
                description: '`rule`, `severity`, `year`, `province` (of the publishing agency) or `status` (of the review)'
              }
            ),
            ...filters
          },
          { additionalProperties: false }
        ),
        response: { 200: Type.Ref('FindingSummary'), ...problems(400) }
      }
    },
    async (request) => {
      const { groupBy, ...filter } = request.query
      const groups = await query.summary(groupBy as FindingGrouping, {
        ...(filter as Parameters<typeof query.summary>[1]),
        visibility: request.visibility()
      })
      return {
        groupBy,
        total: groups.reduce((sum, g) => sum + g.count, 0),
        groups: groups.map((g) => {
          if (groupBy === 'province') return { key: g.key, name: regionName(String(g.key)), count: g.count }
          if (groupBy === 'rule') return { key: g.key, name: ruleName(String(g.key)), count: g.count }
          return g
        })
      }
    }
  )

  app.patch(
    '/findings/:findingId',
    {
      config: { access: 'review' },
      schema: {
        tags: ['findings'],
        summary: 'Review a finding: confirm, dismiss or explain it',
        description:
          '`confirmed` or `dismissed` (with a `reason`) by a reviewer or admin of the report’s scope; `explained` (the `reason` is the explanation, 情况说明) by a submitter or admin of its scope — a report with an `error` finding is submitted only once each is explained or dismissed. The review holds across re-checks while the finding’s fingerprint and the values of its cells are unchanged; when they change the finding is `open` again. 403 for a key that may not make this decision.',
        operationId: 'reviewFinding',
        params: Type.Object({ findingId: IdSchema }, { additionalProperties: false }),
        body: Type.Object(
          {
            status: Type.Union(REVIEW_STATUSES.map((x) => Type.Literal(x))),
            reason: Type.Optional(Type.String({ minLength: 1, maxLength: 4000, description: 'Required for `dismissed` and `explained`' }))
          },
          { additionalProperties: false, examples: [{ status: 'explained', reason: '新收申请 2 件为线下收取，系统未按申请人类型登记。' }] }
        ),
        response: {
          200: Type.Ref('Finding', { description: 'The finding with its review' }),
          ...problems(400, 401, 403, 404, 413, 415, 422, 429)
        }
      }
    },
    async (request) => {
      const {
        id: _id,
        reportId: _r,
        ...finding
      } = await app.services.reports.reviewFinding(
        request.params.findingId,
        { status: request.body.status as ReviewStatus, reason: request.body.reason },
        request.actor()
      )
      return finding
    }
  )
}

export const findingSchemas = [FindingListItemSchema, pageOf(Type.Ref('FindingListItem'), 'FindingListPage'), FindingSummarySchema]
