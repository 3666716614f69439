import { Type } from 'typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { SCOPES } from '../src/format/registry.js'
import type { ReportInput } from '../src/format/document.js'
import { toReportInput, toReportInputs } from '../src/format/validate.js'
import { CursorSchema, IdSchema, LimitSchema, RefTo, pageOf, problems } from '../src/schemas/common.js'
import {
  ApplicationsSchema,
  ProactiveSchema,
  ReportInputSchema,
  ReportReplaceSchema,
  ReportSchema,
  ReportStateSchema,
  ReportSummarySchema,
  ReviewLitigationSchema,
  SectionsSchema
} from '../src/schemas/report.js'
import { REPORT_SORTS, REPORT_STATES, type ReportState, type ReportSummary } from '../db/repositories/reports.js'
import type { WriteResult } from '../src/reports/report-service.js'
import { csvQuery, jsonOrCsv, sendCsv, wantsCsv, type CsvColumn } from '../src/plugins/csv-reply.js'

const SUMMARY_COLUMNS: CsvColumn<ReportSummary>[] = [
  { header: '报告ID', value: (r) => r.id },
  { header: '机关ID', value: (r) => r.agencyId },
  { header: '机关名称', value: (r) => r.agencyName },
  { header: '区划代码', value: (r) => r.regionCode },
  { header: '年度', value: (r) => r.year },
  { header: '格式', value: (r) => r.format },
  { header: '范围', value: (r) => r.scope },
  { header: '发布日期', value: (r) => r.publishedAt },
  { header: '更新时间', value: (r) => r.updatedAt },
  { header: '错误数', value: (r) => r.errorCount },
  { header: '警告数', value: (r) => r.warningCount },
  { header: '状态', value: (r) => r.state },
  { header: '提交时间', value: (r) => r.submittedAt },
  { header: '通过时间', value: (r) => r.acceptedAt }
]
import { etagOf, notModified, readPreconditions, sendNotModified, type Preconditions } from '../src/preconditions.js'
import { CACHE_CONTROL } from '../src/plugins/conditional.js'
import { NotFoundError, preconditionFailed, unprocessable } from '../src/errors.js'
import { sampleInput } from '../src/schemas/report.js'
import { FindingReviewSchema, FindingSchema, FindingStatusSchema, StrictQuerySchema } from '../src/schemas/finding.js'
import { reportFilterQuery, YearFilterSchema } from '../src/schemas/filters.js'
import { hasErrors } from '../src/checks/index.js'
import { OUTPUTS, createOutputNegotiator, type Output } from '../src/negotiate.js'
import { renderFilename, renderHtml, renderMarkdown, renderReportCsv, renderReportXlsx } from '../src/render/index.js'

const chooseOutput = createOutputNegotiator(['json', 'html', 'md', 'csv', 'xlsx'])
const OutputQuery = Type.Object(
  {
    output: Type.Optional(
      Type.Union([Type.Literal('json'), Type.Literal('html'), Type.Literal('md'), Type.Literal('csv'), Type.Literal('xlsx')], {
        description:
          'Media type for a browser link, instead of Accept: `html` a printable page in the official layout, `md` Markdown, `csv` one line per cell, `xlsx` an Excel/WPS workbook (the cells, and the report’s facts and text)'
      })
    ),
    bom: Type.Optional(Type.Boolean({ default: false, description: 'CSV only: start with a UTF-8 byte-order mark, for Excel' }))
  },
  { additionalProperties: false }
)
const documentResponses = {
  200: {
    description: 'The report: JSON by default; HTML, Markdown or CSV by Accept or `output`',
    content: {
      'application/json': { schema: Type.Ref('Report') },
      'text/html': { schema: Type.String({ description: 'A complete printable page in the official layout' }) },
      'text/markdown': { schema: Type.String() },
      'text/csv': { schema: Type.String({ description: 'code,label,value — one line per cell of the format' }) },
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': {
        schema: Type.String({
          format: 'binary',
          description:
            'Sheet 单元格: code, label, value per cell (numbers as numbers, codes as text); sheet 报告: title, agency, year, format, scope, dates, source and the text sections'
        })
      }
    }
  },
  304: Type.Null({ description: 'Not modified (If-None-Match holds the current ETag)' }),
  ...problems(400, 404, 406)
}

const ReportParams = Type.Object({ reportId: IdSchema }, { additionalProperties: false })
const KeyParams = Type.Object({ agencyId: IdSchema, year: YearFilterSchema }, { additionalProperties: false })

export const ReportListQuery = Type.Object(
  {
    ...reportFilterQuery,
    // a list shows both scopes unless asked: nothing is summed, so nothing is counted twice
    scope: Type.Optional(Type.Union(SCOPES.map((s) => Type.Literal(s)))),
    hasErrors: Type.Optional(Type.Boolean({ description: 'Only reports with (true) or without (false) error findings' })),
    state: Type.Optional(
      Type.Union(
        REPORT_STATES.map((x) => Type.Literal(x)),
        { description: 'Only reports in this state (a list shows every state unless asked)' }
      )
    ),
    sort: Type.Optional(
      Type.Union(
        Object.keys(REPORT_SORTS).map((s) => Type.Literal(s)),
        { default: 'id' }
      )
    ),
    limit: Type.Optional(LimitSchema),
    cursor: Type.Optional(CursorSchema),
    ...csvQuery
  },
  { additionalProperties: false }
)

export const BatchSchema = Type.Object(
  {
    reports: Type.Array(RefTo(ReportInputSchema), { minItems: 1, maxItems: 1000 }),
    reason: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 4000,
        description:
          'A correction’s reason (更正说明): each accepted report the batch changes is corrected with it (a new revision, `operation: corrected`). Without it, a batch that would change an accepted report is a 409 pointing at the item.'
      })
    )
  },
  { additionalProperties: false, examples: [{ reports: [sampleInput] }] }
)
const BatchResultSchema = Type.Object(
  {
    items: Type.Array(
      Type.Object({
        index: Type.Integer({ description: 'Position in the request' }),
        id: Type.Integer(),
        status: Type.Union([Type.Literal('created'), Type.Literal('replaced'), Type.Literal('unchanged')], {
          description: '`unchanged`: the report sent is the stored one; nothing was written (no new revision, the same ETag)'
        })
      })
    )
  },
  { additionalProperties: false }
)

/**
 * These routes send the stored JSON text as it is, so the serializer fast-json-stringify would build from the
 * ~250-cell Report schema (the largest part of start-up) is never used: JSON.stringify serves the rare object.
 */
const storedJson = () => (data: unknown) => JSON.stringify(data)

/**
 * A JSON read of a document the client already holds (If-None-Match names its revision): answered 304 from the
 * report's row alone, without reading its document; true when it was. False when the whole answer is needed (no such
 * tag, another revision, another output, or no report this reader may read: then the full read gives its 200 or 404),
 * at once (no promise) when the request names no tag.
 */
function notModifiedFromHead(
  request: FastifyRequest,
  reply: FastifyReply,
  output: Output,
  revisionOf: () => Promise<number | undefined>
): false | Promise<boolean> {
  const tags = request.headers['if-none-match']
  if (output !== 'json' || tags === undefined) return false
  return revisionOf().then((revision) => {
    if (revision === undefined || !notModified(tags, revision)) return false
    reply.header('cache-control', CACHE_CONTROL).header('etag', etagOf(revision))
    // sent here, and only a flag returned: a reply is a thenable, which a promise would wait for
    sendNotModified(reply)
    return true
  })
}

/**
 * A stored report in the chosen media type: JSON as stored (at once), or rendered in the official layout (once its
 * agency's name is read).
 */
function sendRendered(
  request: FastifyRequest,
  reply: FastifyReply,
  stored: [number, Buffer] | undefined,
  what: string,
  output: Output,
  bom: boolean | undefined,
  agencyName: (agencyId: number) => Promise<string | null>
): FastifyReply | Promise<FastifyReply> {
  if (stored === undefined) throw new NotFoundError(`${what} does not exist.`)
  const [revision, document] = stored
  // any cache must ask again before reusing it (the ETag makes that a 304)
  reply.header('cache-control', CACHE_CONTROL)
  if (output === 'json') {
    reply.header('etag', etagOf(revision))
    if (notModified(request.headers['if-none-match'], revision)) return sendNotModified(reply)
    return sendDocument(reply, document)
  }
  return sendLayout(reply, document, output, bom, agencyName)
}

/** A stored report rendered: HTML, Markdown, CSV or XLSX. */
async function sendLayout(
  reply: FastifyReply,
  document: Buffer,
  output: Exclude<Output, 'json'>,
  bom: boolean | undefined,
  agencyName: (agencyId: number) => Promise<string | null>
) {
  const doc = JSON.parse(document.toString('utf8')) as ReportInput
  const meta = { agencyName: await agencyName(doc.agencyId) }
  if (output === 'html') {
    return reply
      .type('text/html; charset=utf-8')
      .header('content-disposition', `inline; filename="${renderFilename(doc, meta, 'html')}"`)
      .send(renderHtml(doc, meta))
  }
  if (output === 'md') {
    return reply
      .type('text/markdown; charset=utf-8')
      .header('content-disposition', `inline; filename="${renderFilename(doc, meta, 'md')}"`)
      .send(renderMarkdown(doc, meta))
  }
  if (output === 'xlsx') {
    const body = renderReportXlsx(doc, meta)
    return reply
      .type(OUTPUTS.xlsx)
      .header('content-disposition', `attachment; filename="${renderFilename(doc, meta, 'xlsx')}"`)
      .send(Buffer.from(body.buffer, body.byteOffset, body.byteLength))
  }
  return reply
    .type('text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${renderFilename(doc, meta, 'csv')}"`)
    .send(renderReportCsv(doc, { bom }))
}

/** The stored document is JSON text already (or its bytes): it is sent as is, with no serialization. */
function sendDocument(reply: FastifyReply, document: string | Buffer, status = 200) {
  return reply.code(status).type('application/json; charset=utf-8').send(document)
}

/**
 * A write's result: the document, its ETag, and Location when created. A write of the stored content
 * changes nothing: the same revision and ETag, and `Report-Unchanged: true`.
 */
function sendWritten(reply: FastifyReply, result: WriteResult, status = 200) {
  reply.header('etag', etagOf(result.revision))
  if (result.status === 'created') reply.header('location', `/v1/reports/${result.id}`)
  if (result.status === 'unchanged') reply.header('report-unchanged', 'true')
  return sendDocument(reply, result.document, status)
}

/** If-Match on a write by id: `*` asks only that the report exists, which the write checks anyway. */
const revisionToMatch = (p: Preconditions) => (typeof p.ifMatch === 'number' ? p.ifMatch : undefined)

export default async function reportRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const reports = app.services.reports
  const agencyName = async (id: number) => (await app.services.agencies.get(id))?.name ?? null

  app.get(
    '/reports',
    {
      config: { pollable: { cache: 'first-page' } },
      schema: {
        tags: ['reports'],
        summary: 'List report summaries',
        description:
          'Filtered and paginated; ordered by `sort` (default `id`), ties by id. Reports never accepted are listed only for an admin key or a key whose scope covers them (README: Who reads what).',
        operationId: 'listReports',
        querystring: ReportListQuery,
        response: { 200: jsonOrCsv(Type.Ref('ReportSummaryPage'), 'One page of summaries'), ...problems(400) }
      }
    },
    async (request, reply) => {
      const { output: _output, bom, ...rest } = request.query
      const filter = { ...rest, limit: rest.limit ?? 50, visibility: request.visibility() }
      if (wantsCsv(request, reply)) {
        const page = await reports.list(filter)
        return sendCsv(reply, { filename: 'reports.csv', columns: SUMMARY_COLUMNS, rows: page.items, bom, next: page.next, request })
      }
      // the page as the database wrote it where it writes JSON as the serializer does (SQLite): the same bytes
      if (reports.listText) return sendDocument(reply, await reports.listText(filter))
      return reports.list(filter)
    }
  )

  app.post(
    '/reports',
    {
      serializerCompiler: storedJson,
      schema: {
        tags: ['reports'],
        summary: 'Create a report',
        description:
          'A 409 when the agency already has a report for that year (use the natural-key PUT to replace it, or, when it is accepted, its corrections route).',
        operationId: 'createReport',
        querystring: StrictQuerySchema,
        body: RefTo(ReportInputSchema),
        response: {
          201: Type.Ref('Report', { description: 'Created; Location names it' }),
          ...problems(400, 401, 403, 409, 413, 415, 422, 429)
        }
      }
    },
    async (request, reply) => {
      const result = await reports.create(toReportInput(request.body), { ...request.query, actor: request.actor() })
      return sendWritten(reply, result, 201)
    }
  )

  app.post(
    '/reports/batch',
    {
      schema: {
        tags: ['reports'],
        summary: 'Upsert up to 1 000 reports by natural key, all or nothing',
        description:
          'Each report is created or replaced by (agencyId, year) in one transaction. One bad item rejects the whole batch with a 422 whose `errors` point into it (`/reports/17/...`); nothing is written. An item identical to the stored report is `unchanged`: no revision, the same ETag. An item that would change an accepted report is a 409 (`/reports/17`) unless the batch carries a correction `reason`.',
        operationId: 'batchReports',
        querystring: StrictQuerySchema,
        body: BatchSchema,
        response: { 200: BatchResultSchema, ...problems(400, 401, 403, 409, 413, 415, 422, 429) }
      }
    },
    async (request) => {
      const { reason } = request.body
      if (reason !== undefined && !reason.trim())
        throw unprocessable('A correction needs its reason.', [{ pointer: '/reason', message: 'is blank' }])
      return {
        items: await reports.batch(toReportInputs(request.body.reports), {
          ...request.query,
          actor: request.actor(),
          ...(reason !== undefined ? { correctAccepted: reason } : {})
        })
      }
    }
  )

  app.get(
    '/reports/:reportId',
    {
      serializerCompiler: storedJson,
      schema: {
        tags: ['reports'],
        summary: 'Get a whole report',
        description:
          'A report never accepted (a draft, submitted or returned) is read only with an admin key or a key whose scope covers it: for anyone else it is a 404, in every output (README: Who reads what).',
        operationId: 'getReport',
        params: ReportParams,
        querystring: OutputQuery,
        response: documentResponses
      }
    },
    async (request, reply) => {
      const id = request.params.reportId
      const output = chooseOutput(request.headers.accept, request.query.output)
      const head = notModifiedFromHead(request, reply, output, () => reports.currentRevision({ id }, request.visibility()))
      if (head !== false && (await head)) return reply
      return sendRendered(
        request,
        reply,
        await reports.documentById(id, request.visibility()),
        `Report ${id}`,
        output,
        request.query.bom,
        agencyName
      )
    }
  )

  app.put(
    '/reports/:reportId',
    {
      serializerCompiler: storedJson,
      schema: {
        tags: ['reports'],
        summary: 'Replace a report',
        description:
          'The body is the whole report; agencyId and year may be omitted and, if sent, must be the report’s own. An accepted report changes only by a correction (`POST /v1/reports/{reportId}/corrections`): a PUT that would change it is a 409, whoever sends it; a submitted report is a 409 for its submitter (withdraw it first). When the body is the stored report (the same canonical document), nothing is written: 200 with the stored document, the same ETag (no new revision) and the header `Report-Unchanged: true`.',
        operationId: 'replaceReport',
        params: ReportParams,
        querystring: StrictQuerySchema,
        body: RefTo(ReportReplaceSchema),
        response: { 200: Type.Ref('Report'), ...problems(400, 401, 403, 404, 409, 412, 413, 415, 422, 429) }
      }
    },
    async (request, reply) => {
      const input = toReportInput(request.body)
      const preconditions = readPreconditions(request.headers)
      const result = await reports.replaceById(request.params.reportId, input, {
        ...request.query,
        actor: request.actor(),
        ifMatch: revisionToMatch(preconditions)
      })
      return sendWritten(reply, result)
    }
  )

  app.delete(
    '/reports/:reportId',
    {
      schema: {
        tags: ['reports'],
        summary: 'Delete a report',
        operationId: 'deleteReport',
        params: ReportParams,
        response: { 204: Type.Null({ description: 'Deleted' }), ...problems(400, 401, 403, 404, 412, 429) }
      }
    },
    async (request, reply) => {
      await reports.remove(request.params.reportId, {
        actor: request.actor(),
        ifMatch: revisionToMatch(readPreconditions(request.headers))
      })
      return reply.code(204).send(null)
    }
  )

  app.get(
    '/reports/:reportId/findings',
    {
      config: { pollable: true },
      schema: {
        tags: ['checks'],
        summary: 'The findings of a report, in-year and cross-year',
        description:
          'Computed on every write of the report, and again when its previous or next year’s report, or an own report of its area (for an aggregate report), is written or deleted.',
        operationId: 'getReportFindings',
        params: ReportParams,
        response: { 200: Type.Object({ items: Type.Array(Type.Ref('Finding')) }), ...problems(400, 404) }
      }
    },
    async (request) => ({
      items: (await reports.findingsOfReport(request.params.reportId, undefined, request.visibility())).map(
        ({ id: _id, reportId: _r, ...f }) => f
      )
    })
  )

  const RevisionEntrySchema = Type.Object(
    {
      revision: Type.Integer(),
      operation: Type.Union(
        [Type.Literal('created'), Type.Literal('replaced'), Type.Literal('corrected'), Type.Literal('transition'), Type.Literal('deleted')],
        {
          description:
            '`created`, `replaced` (a write), `corrected` (a correction of an accepted report, with its reason in `comment`), `transition` (a change of state, from `fromState` to `state`, with its comment), `deleted`'
        }
      ),
      state: Type.Union([Type.Ref('ReportState'), Type.Null()], { description: 'The state after this revision; null for a deletion' }),
      fromState: Type.Union([Type.Ref('ReportState'), Type.Null()], { description: 'The state before, when this revision changed it' }),
      comment: Type.Union([Type.String(), Type.Null()], {
        description: 'Why: a transition’s comment (a return’s is required), a correction’s reason'
      }),
      keyName: Type.Union([Type.String(), Type.Null()], {
        description: 'The name of the key that wrote it (`system` for the service itself)'
      }),
      writtenAt: Type.String({ format: 'date-time' })
    },
    { additionalProperties: false }
  )

  app.get(
    '/reports/:reportId/revisions',
    {
      config: { pollable: true },
      schema: {
        tags: ['reports'],
        summary: 'The history of a report: who wrote each revision or changed its state, when, and why',
        description:
          'Every write and every transition keeps its document; a delete leaves a tombstone (`operation: deleted`), so the history of a deleted report stays readable.',
        operationId: 'listReportRevisions',
        params: ReportParams,
        response: { 200: Type.Object({ items: Type.Array(RevisionEntrySchema) }), ...problems(400, 404) }
      }
    },
    async (request) => ({ items: await reports.revisions(request.params.reportId, request.visibility()) })
  )

  app.get(
    '/reports/:reportId/revisions/:revision',
    {
      config: { pollable: true },
      serializerCompiler: storedJson,
      schema: {
        tags: ['reports'],
        summary: 'One revision of a report, with its whole document',
        operationId: 'getReportRevision',
        params: Type.Object(
          { reportId: IdSchema, revision: Type.Integer({ minimum: 1, maximum: 2 ** 31 - 1 }) },
          { additionalProperties: false }
        ),
        response: {
          200: Type.Object({
            revision: Type.Integer(),
            operation: Type.String(),
            state: Type.Union([Type.String(), Type.Null()]),
            fromState: Type.Union([Type.String(), Type.Null()]),
            comment: Type.Union([Type.String(), Type.Null()]),
            keyName: Type.Union([Type.String(), Type.Null()]),
            writtenAt: Type.String({ format: 'date-time' }),
            document: Type.Union([Type.Ref('Report'), Type.Null()], { description: 'null for a deletion' })
          }),
          ...problems(400, 404)
        }
      }
    },
    async (request) => {
      const entry = await reports.revisionOf(request.params.reportId, request.params.revision, request.visibility())
      return { ...entry, document: entry.document === null ? null : (JSON.parse(entry.document) as Record<string, unknown>) }
    }
  )

  app.post(
    '/reports/:reportId/transitions',
    {
      serializerCompiler: storedJson,
      config: { access: 'review' },
      schema: {
        tags: ['reports'],
        summary: 'Move a report along its life: submit, withdraw, return or accept it',
        description:
          'draft → submitted (a submitter or admin of its scope; refused with a 422 while an `error` finding has no explanation), submitted → accepted or returned (a reviewer or admin of its scope, never the key that submitted it; a return needs a `comment`), submitted → draft (withdrawn) and returned → draft or submitted (its submitter). An accepted report changes only by a correction. 409 for a move its state does not allow, 403 for a key that may not make it. Each transition is a new revision, in the history with who, when and why.',
        operationId: 'transitionReport',
        params: ReportParams,
        body: Type.Object(
          {
            to: Type.Union(
              REPORT_STATES.map((x) => Type.Literal(x)),
              { description: 'The state to move to' }
            ),
            comment: Type.Optional(Type.String({ minLength: 1, maxLength: 4000, description: 'Why: required when returning a report' }))
          },
          { additionalProperties: false, examples: [{ to: 'returned', comment: '表三第五行与正文不符，请核实。' }] }
        ),
        response: {
          200: Type.Ref('Report', { description: 'The report in its new state' }),
          ...problems(400, 401, 403, 404, 409, 412, 413, 415, 422, 429)
        }
      }
    },
    async (request, reply) => {
      const result = await reports.transition(request.params.reportId, request.body.to as ReportState, {
        comment: request.body.comment,
        actor: request.actor(),
        ifMatch: revisionToMatch(readPreconditions(request.headers))
      })
      reply.header('etag', etagOf(result.revision))
      return sendDocument(reply, result.document)
    }
  )

  app.post(
    '/reports/:reportId/corrections',
    {
      serializerCompiler: storedJson,
      schema: {
        tags: ['reports'],
        summary: 'Correct an accepted report (更正)',
        description:
          'The only way anyone — submitter, admin or the service itself — changes an accepted report: the whole corrected report and the reason, kept in the history (`operation: corrected`, the reason in `comment`). The report stays accepted, at a new revision. 409 when the report is not accepted.',
        operationId: 'correctReport',
        params: ReportParams,
        querystring: StrictQuerySchema,
        body: Type.Object(
          {
            reason: Type.String({ minLength: 1, maxLength: 4000, description: 'Why the published report is corrected (更正说明)' }),
            report: RefTo(ReportReplaceSchema)
          },
          { additionalProperties: false }
        ),
        response: {
          200: Type.Ref('Report', { description: 'The corrected report' }),
          ...problems(400, 401, 403, 404, 409, 412, 413, 415, 422, 429)
        }
      }
    },
    async (request, reply) => {
      const { reason, report } = request.body
      if (!reason.trim()) throw unprocessable('A correction needs its reason.', [{ pointer: '/reason', message: 'is blank' }])
      const result = await reports.correct(request.params.reportId, toReportInput(report, {}, '/report'), reason, {
        ...request.query,
        actor: request.actor(),
        ifMatch: revisionToMatch(readPreconditions(request.headers))
      })
      return sendWritten(reply, result)
    }
  )

  app.post(
    '/validate',
    {
      // checking stores nothing: it is a read, open like the other reads, and can be asked again
      config: { access: 'read', idempotency: 'none' },
      schema: {
        tags: ['checks'],
        summary: 'Check a report without storing it',
        description:
          'Runs every rule of FORMAT.md §7 on the document (`year` is required, `agencyId` optional). When `agencyId` and `year` name a stored agency, the cross-year rules run against its stored neighbours and AG-01 against the stored own reports of its area. `valid` is false when any finding is an `error`.',
        operationId: 'validateReport',
        body: RefTo(ReportReplaceSchema),
        response: {
          200: Type.Object({ valid: Type.Boolean(), findings: Type.Array(Type.Ref('Finding')) }, { additionalProperties: false }),
          ...problems(400, 413, 415, 422)
        }
      }
    },
    async (request) => {
      const body = request.body
      if (body.year === undefined)
        throw unprocessable('The report needs its year to be checked.', [{ pointer: '/year', message: 'is required' }])
      const findings = await reports.validate(toReportInput(body))
      return { valid: !hasErrors(findings), findings }
    }
  )

  app.get(
    '/agencies/:agencyId/reports',
    {
      config: { pollable: true },
      schema: {
        tags: ['reports'],
        summary: 'List an agency’s reports',
        operationId: 'listAgencyReports',
        params: Type.Object({ agencyId: IdSchema }, { additionalProperties: false }),
        querystring: Type.Object(
          {
            sort: Type.Optional(
              Type.Union(
                Object.keys(REPORT_SORTS).map((s) => Type.Literal(s)),
                { default: 'id' }
              )
            ),
            limit: Type.Optional(LimitSchema),
            cursor: Type.Optional(CursorSchema)
          },
          { additionalProperties: false }
        ),
        response: { 200: Type.Ref('ReportSummaryPage'), ...problems(400, 404) }
      }
    },
    async (request) => {
      await app.services.agencies.require(request.params.agencyId)
      return reports.list({
        ...request.query,
        agencyId: request.params.agencyId,
        limit: request.query.limit ?? 50,
        visibility: request.visibility()
      })
    }
  )

  app.get(
    '/agencies/:agencyId/reports/:year',
    {
      serializerCompiler: storedJson,
      schema: {
        tags: ['reports'],
        summary: 'Get a report by its natural key (agency, year)',
        description: 'A report never accepted is a 404 except for an admin key or a key whose scope covers it (README: Who reads what).',
        operationId: 'getReportByKey',
        params: KeyParams,
        querystring: OutputQuery,
        response: documentResponses
      }
    },
    async (request, reply) => {
      const { agencyId, year } = request.params
      const output = chooseOutput(request.headers.accept, request.query.output)
      const head = notModifiedFromHead(request, reply, output, () => reports.currentRevision({ agencyId, year }, request.visibility()))
      if (head !== false && (await head)) return reply
      return sendRendered(
        request,
        reply,
        await reports.documentByKey(agencyId, year, request.visibility()),
        `Agency ${agencyId}'s report for ${year}`,
        output,
        request.query.bom,
        agencyName
      )
    }
  )

  app.put(
    '/agencies/:agencyId/reports/:year',
    {
      serializerCompiler: storedJson,
      schema: {
        tags: ['reports'],
        summary: 'Create or replace a report by its natural key (idempotent)',
        description:
          '201 when created, 200 when replaced. A PUT that would change an accepted report is a 409 naming its corrections route; a submitted report is a 409 for its submitter. The same PUT twice leaves one report with the same content, and the second writes nothing: 200 with the stored document, the same ETag (no new revision) and the header `Report-Unchanged: true`.',
        operationId: 'putReportByKey',
        params: KeyParams,
        querystring: StrictQuerySchema,
        body: RefTo(ReportReplaceSchema),
        response: {
          200: Type.Ref('Report', { description: 'Replaced' }),
          201: Type.Ref('Report', { description: 'Created' }),
          ...problems(400, 401, 403, 404, 409, 412, 413, 415, 422, 429)
        }
      }
    },
    async (request, reply) => {
      const { agencyId, year } = request.params
      const body = request.body
      const mismatch = []
      if (body.agencyId !== undefined && body.agencyId !== agencyId)
        mismatch.push({ pointer: '/agencyId', message: `must be ${agencyId}, the agency in the URL, or omitted` })
      if (body.year !== undefined && body.year !== year)
        mismatch.push({ pointer: '/year', message: `must be ${year}, the year in the URL, or omitted` })
      if (mismatch.length) throw unprocessable('The body names another report than the URL.', mismatch)
      await app.services.agencies.require(agencyId)
      const preconditions = readPreconditions(request.headers)
      if (preconditions.ifMatch === 'exists' && !(await reports.getByKey(agencyId, year))) {
        throw preconditionFailed(`Agency ${agencyId} has no report for ${year} (If-Match: *).`, null)
      }
      const result = await reports.putByKey(toReportInput(body, { agencyId, year }), {
        ...request.query,
        actor: request.actor(),
        ifMatch: revisionToMatch(preconditions),
        createOnly: preconditions.createOnly
      })
      return sendWritten(reply, result, result.status === 'created' ? 201 : 200)
    }
  )
}

export const reportSchemas = [
  ReportStateSchema,
  FindingStatusSchema,
  FindingReviewSchema,
  FindingSchema,
  SectionsSchema,
  ProactiveSchema,
  ApplicationsSchema,
  ReviewLitigationSchema,
  ReportInputSchema,
  ReportReplaceSchema,
  ReportSchema,
  ReportSummarySchema,
  pageOf(Type.Ref('ReportSummary'), 'ReportSummaryPage')
]
