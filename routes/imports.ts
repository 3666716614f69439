import { Type } from 'typebox'
import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { FORMATS } from '../src/format/registry.js'
import { IdSchema, problems } from '../src/schemas/common.js'
import { createImportService, type ImportServiceOptions } from '../src/import-service.js'
import { languageOf, renderWarning } from '../src/importers/messages.js'
import { DOC, DOCX, PDF } from '../src/importers/documents.js'
import { ForbiddenError, badParameters } from '../src/errors.js'

const ImportQuery = Type.Object(
  {
    agencyId: Type.Optional(IdSchema),
    year: Type.Optional(Type.Integer({ minimum: 2000, maximum: 2100, description: 'Overrides the year read from the report' })),
    format: Type.Optional(
      Type.Union(
        FORMATS.map((f) => Type.Literal(f)),
        { description: 'Overrides the format read from the tables' }
      )
    ),
    commit: Type.Optional(
      Type.Boolean({
        default: false,
        description:
          '`false` (default): a preview that stores nothing; `true`: upsert the report by natural key (needs a key that may write it)'
      })
    ),
    strict: Type.Optional(Type.Boolean({ default: false, description: 'With commit: refuse a report with error findings' })),
    reason: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 4000,
        description:
          'With commit: a correction’s reason (更正说明). When the stored report of that agency and year is accepted and the import changes it, it is corrected with this reason (a new revision, `operation: corrected`, the reason in the history’s `comment`); without it such an import is a 409. Ignored when nothing accepted changes.'
      })
    ),
    sourceUrl: Type.Optional(Type.String({ format: 'uri', maxLength: 2000, description: 'Where the report was published' }))
  },
  { additionalProperties: false }
)

const ProvenanceSchema = Type.Object(
  {
    text: Type.String({ description: 'The text the value was read from' }),
    page: Type.Optional(Type.Integer({ description: 'PDF: the page' })),
    line: Type.Optional(Type.Integer()),
    column: Type.Optional(Type.Integer()),
    table: Type.Optional(Type.Integer()),
    row: Type.Optional(Type.Integer())
  },
  { additionalProperties: false }
)

export const ImportResultSchema = Type.Object(
  {
    report: Type.Ref('ReportReplace', { description: 'The canonical document: every cell read from the report, or null' }),
    agencyName: Type.Union([Type.String(), Type.Null()]),
    findings: Type.Array(Type.Ref('Finding')),
    provenance: Type.Record(Type.String(), ProvenanceSchema, {
      description: 'For each cell code (and year, format, publishedAt, title): where it was read'
    }),
    warnings: Type.Array(
      Type.Object(
        {
          code: Type.String({ description: 'Stable code of the warning, e.g. `cell.placeholder`' }),
          message: Type.String({ description: 'The warning in the language of `Accept-Language`: Chinese by default, English for `en`' }),
          params: Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Array(Type.String())]), {
            description: 'What the message names: cell codes, printed text, numbers'
          })
        },
        { additionalProperties: false }
      ),
      { description: 'What was skipped, ambiguous, inferred or unreadable (such cells are null)' }
    ),
    fetched: Type.Optional(
      Type.Object(
        {
          page: Type.String({ description: 'The page fetched (after redirects)' }),
          file: Type.Union([Type.String(), Type.Null()], {
            description: 'The attached file the report was read from; null: the page itself'
          })
        },
        { additionalProperties: false, description: 'Imports by URL: what was fetched' }
      )
    ),
    committed: Type.Optional(
      Type.Object({
        reportId: Type.Integer(),
        status: Type.Union([Type.Literal('created'), Type.Literal('replaced'), Type.Literal('unchanged')], {
          description: '`unchanged`: the stored report already says exactly this; nothing was written'
        }),
        agencyId: Type.Integer(),
        agencyCreated: Type.Boolean()
      })
    )
  },
  { $id: 'ImportResult', additionalProperties: false }
)

/** The URL of a JSON import body (the schema has required it). */
function urlOf(body: unknown): string {
  const url = typeof body === 'object' && body !== null && 'url' in body ? body.url : undefined
  if (typeof url !== 'string') throw new Error('an import body is a file or { url }')
  return url
}

const UrlImportBody = Type.Object(
  {
    url: Type.String({
      format: 'uri',
      maxLength: 2000,
      description:
        'The page that publishes the report (http or https). The report is read from the page, or from the file it links (附件) when the page is only a notice. Off unless the server sets IMPORT_URL_HOSTS; only those hosts, only public addresses.'
    })
  },
  { additionalProperties: false }
)

export default async function importRoutes(fastify: FastifyInstance, options: ImportServiceOptions) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const service = createImportService(app, options)

  // The published report arrives as it was found: bytes whose charset the server decodes (GBK pages too).
  app.removeContentTypeParser('text/plain')
  app.addContentTypeParser(
    ['text/plain', 'text/html', 'application/xhtml+xml', PDF, DOCX, DOC, 'application/octet-stream'],
    { parseAs: 'buffer' },
    (_req, body, done) => done(null, body)
  )

  app.post(
    '/imports',
    {
      // a preview stores nothing; a commit is checked as a write in the handler, and only a commit's answer is
      // kept for Idempotency-Key retries
      config: { access: 'read', idempotency: (request) => (request.query as { commit?: boolean }).commit === true },
      schema: {
        tags: ['imports'],
        summary: 'Import a published report from its text, HTML page, PDF or Word file',
        description:
          'Send the report as `text/plain` (UTF-8, or the declared charset: text copied from a web page or a PDF), `text/html` (the saved page; GBK pages are decoded by their declared charset), `application/pdf` (read from its text layer, tables rebuilt from the positions of their cells and rules; a scan without a text layer is a 422 asking for OCR or the text) or a Word DOCX file (`application/vnd.openxmlformats-officedocument.wordprocessingml.document`). A legacy Word 97–2003 `.doc` (`application/msword`) is a 415 asking for DOCX or PDF. `application/octet-stream` is read by the file\'s first bytes. The response is the canonical document with every cell read from the report or null, where each value was read, warnings, and the findings. With `commit=true` the report is upserted by natural key: the agency is `agencyId`, or the one with exactly the printed name, or a new agency when the region can be inferred from the name — otherwise a 422 asks for `agencyId`. Reports for 2018 and earlier are refused (no unified format). Each warning has a stable `code`, its `params`, and a `message` in Chinese, or in English with `Accept-Language: en` (so is the reason of a refused report or file). With `application/json` and `{ "url": … }` the server fetches the page (and the report file it links, 附件, when the page is only a notice) — off unless the server sets `IMPORT_URL_HOSTS`, and only from those hosts, at public addresses, within size and time limits; `fetched` says what was read. Bodies are read in worker threads, each within a time budget (a 422 past it) and a heap limit (a 413 past it); when every worker is busy and the queue is full the import is a 503 with `Retry-After`.',
        operationId: 'importReport',
        querystring: ImportQuery,
        body: {
          content: {
            'text/plain': { schema: { type: 'string', 'x-raw-body': true, description: 'Text copied from a web page or a PDF' } },
            'text/html': { schema: { type: 'string', 'x-raw-body': true, description: 'The saved web page' } },
            [PDF]: {
              schema: { type: 'string', format: 'binary', 'x-raw-body': true, description: 'The published PDF (with its text layer)' }
            },
            [DOCX]: { schema: { type: 'string', format: 'binary', 'x-raw-body': true, description: 'The published Word file (DOCX)' } },
            'application/octet-stream': {
              schema: {
                type: 'string',
                format: 'binary',
                'x-raw-body': true,
                description: 'A PDF or DOCX file sent without its media type'
              }
            },
            'application/json': { schema: UrlImportBody }
          }
        },
        response: { 200: Type.Ref('ImportResult'), 201: Type.Ref('ImportResult'), ...problems(400, 401, 403, 404, 413, 415, 422, 429, 503) }
      }
    },
    async (request, reply) => {
      if (request.query.reason !== undefined) {
        const fault = !request.query.commit ? 'is taken only with commit=true' : !request.query.reason.trim() ? 'is blank' : null
        if (fault) throw badParameters(`Invalid reason: ${fault}.`, [{ parameter: 'reason', message: fault }])
      }
      const actor = request.query.commit ? request.actor() : null
      if (actor && request.apiKey?.role === 'reader') {
        throw new ForbiddenError('A reader key may not commit an import.')
      }
      const language = languageOf(request.headers['accept-language'])
      // a file arrives as a Buffer (the raw-body parsers), a URL as the JSON object UrlImportBody validated
      const body: unknown = request.body
      const result = Buffer.isBuffer(body)
        ? await service.run({ ...request.query, body, contentType: String(request.headers['content-type'] ?? ''), language }, actor)
        : await service.runUrl({ ...request.query, url: urlOf(body), language }, actor)
      if (result.committed?.status === 'created') reply.code(201).header('location', `/v1/reports/${result.committed.reportId}`)
      const vary = reply.getHeader('vary')
      reply
        .header('content-language', language === 'zh' ? 'zh-CN' : 'en')
        .header('vary', vary ? `${vary}, Accept-Language` : 'Accept-Language')
      return { ...result, warnings: result.warnings.map((w) => renderWarning(w, language)) }
    }
  )
}
