// Importing a published report end to end: decode the bytes, read the report (src/importers), check it,
// and — when asked to commit — find or create its agency and upsert it by natural key. Shared by
// POST /v1/imports and `npm run import`.
import type { FastifyInstance } from 'fastify'
import type { ImportResult } from './importers/index.js'
import { message, renderMessage, type ImportMessage, type Language } from './importers/messages.js'
import { describeAgency } from './importers/agency-kind.js'
import { ReadError, type ImportTask, type TaskResult } from './importers/read.js'
import { createImportPool, ImportBusyError, ImportMemoryError, ImportTimeoutError, type ImportPool } from './import-pool.js'
import { checkShape, getCell, type ReportInput } from './format/document.js'
import { CELLS, type Format } from './format/registry.js'
import { FetchError, fetchGuarded, type FetchPolicy } from './importers/fetch-url.js'
import { checkReport, type Finding } from './checks/index.js'
import { inferRegion } from './regions/index.js'
import { BadRequestError, ContentTooLargeError, ForbiddenError, serviceBusy, UnsupportedMediaTypeError, unprocessable } from './errors.js'
import type { Actor } from './auth/keys.js'
import type { Agency } from '../db/repositories/agencies.js'
import type { Executor } from '../db/engines/engine.js'

export interface ImportRequest {
  body: Buffer
  /** the media type and its charset parameter, e.g. `text/html; charset=gbk` */
  contentType: string
  agencyId?: number
  year?: number
  format?: Format
  commit?: boolean
  strict?: boolean
  /** with commit: the reason that corrects a stored accepted report the import changes */
  reason?: string
  sourceUrl?: string
  /** the language of the importer's messages in a refusal */
  language?: Language
}

export interface ImportResponse extends Omit<ImportResult, 'report'> {
  /** agencyId is absent while the agency is unknown */
  report: Omit<ReportInput, 'agencyId'> & { agencyId?: number }
  findings: Finding[]
  /** with commit: what was stored */
  committed?: { reportId: number; status: 'created' | 'replaced' | 'unchanged'; agencyId: number; agencyCreated: boolean }
  /** imports by URL: the page fetched, and the attached file the report was read from (null: the page itself) */
  fetched?: { page: string; file: string | null }
}

/** A refusal of the readers, or of the pool, as the problem the caller gets. */
function importProblem(err: unknown, language: Language): unknown {
  const zh = language === 'zh'
  if (err instanceof ReadError) {
    const failure = err.failure
    switch (failure.kind) {
      case 'rejected': {
        const reason = renderMessage(failure.detail, language)
        return Object.assign(
          unprocessable(zh ? `无法导入该报告：${reason}` : `The report cannot be imported: ${reason}`, [{ pointer: '/', message: reason }]),
          { cause: err }
        )
      }
      case 'unsupportedDocument':
        return new UnsupportedMediaTypeError(failure.text[language])
      case 'unreadable': {
        const reason = failure.text[language]
        return unprocessable(zh ? `无法读取该文件：${reason}` : `The file cannot be read: ${reason}`, [{ pointer: '/', message: reason }])
      }
      case 'notDocument':
        return new UnsupportedMediaTypeError(
          'The body is not a PDF or a DOCX file; send it with its media type (application/pdf, a DOCX type, text/html or text/plain).'
        )
      case 'unknownCharset':
        return new BadRequestError(`Unknown charset ${failure.charset}.`)
      case 'badText':
        return new BadRequestError(`The body is not valid ${failure.charset} text; declare its charset in Content-Type.`)
    }
  }
  if (err instanceof ImportTimeoutError) {
    const seconds = err.timeoutMs / 1000
    const reason = zh
      ? `读取超过了每次导入的时限（${seconds} 秒，IMPORT_TIME_LIMIT_MS）：请只发送报告本身（其文本、网页、PDF 或 DOCX）`
      : `reading it took longer than an import may (${seconds} s, IMPORT_TIME_LIMIT_MS): send the report alone (its text, page, PDF or DOCX)`
    return unprocessable(zh ? `无法导入该报告：${reason}` : `The report cannot be imported: ${reason}`, [{ pointer: '/', message: reason }])
  }
  if (err instanceof ImportMemoryError) {
    return new ContentTooLargeError(
      zh
        ? `读取该内容所需的内存超过了每次导入的上限（${err.memoryMb} MiB，IMPORT_MEMORY_MB）：请只发送报告本身`
        : `Reading the body needs more memory than an import may use (${err.memoryMb} MiB, IMPORT_MEMORY_MB): send the report alone.`
    )
  }
  if (err instanceof ImportBusyError) {
    return serviceBusy(
      zh
        ? `导入繁忙：所有导入线程都在工作，排队已满，请在 ${err.retryAfter} 秒后重试`
        : `Every import worker is busy and the queue is full; retry in ${err.retryAfter} s.`,
      err.retryAfter
    )
  }
  return err
}

/** Import by URL: the fetch policy, or null when it is off (no IMPORT_URL_HOSTS). */
export interface ImportServiceOptions {
  fetchPolicy?: FetchPolicy | null
  /** where bodies are read: the server's worker pool; by default the calling thread (the command line) */
  pool?: ImportPool
}

/** A page that reads as a report with at least this share of its cells is taken; otherwise its attached file is. */
const PAGE_READ_ENOUGH = 0.5

export function createImportService(app: FastifyInstance, options: ImportServiceOptions = {}) {
  const { agencies, reports } = app.services
  const pool = options.pool ?? createImportPool({ workers: 0, queue: 0, timeoutMs: 0, memoryMb: 0 })

  async function read<T extends ImportTask>(task: T, language: Language = 'zh'): Promise<TaskResult<T>> {
    try {
      return await pool.run(task)
    } catch (err) {
      throw importProblem(err, language)
    }
  }

  /** The report read from the body: a file, an HTML page or text. */
  function readBody(req: ImportRequest): Promise<ImportResult> {
    return read(
      { kind: 'read', body: req.body, contentType: req.contentType, options: { year: req.year, format: req.format } },
      req.language
    )
  }
  async function findOrCreateAgency(
    tx: Executor,
    req: ImportRequest,
    name: string | null,
    actor: Actor
  ): Promise<{ agency: Agency; created: boolean; inferred?: ImportMessage }> {
    if (req.agencyId !== undefined) return { agency: await agencies.requireIn(tx, req.agencyId), created: false }
    if (!name)
      throw unprocessable('The report does not name its agency; send agencyId.', [
        { parameter: 'agencyId', message: 'is required: no agency name was found' }
      ])
    const matches = await agencies.findByNameIn(tx, name)
    if (matches.length === 1) return { agency: matches[0], created: false }
    if (matches.length > 1) {
      throw unprocessable(`${matches.length} agencies are named ${name}; send agencyId.`, [
        { parameter: 'agencyId', message: `is required: agencies ${matches.map((m) => m.id).join(', ')} share the name` }
      ])
    }
    const inferred = inferRegion(name)
    if (!inferred) {
      throw unprocessable(`No agency is named ${name} and its region cannot be told from the name; send agencyId.`, [
        { parameter: 'agencyId', message: 'is required: the region of a new agency cannot be inferred from its name' }
      ])
    }
    const described = describeAgency(name, inferred.region)
    if ('unsure' in described) {
      throw unprocessable(`No agency is named ${name} and its kind cannot be told from the name (${described.unsure}); send agencyId.`, [
        { parameter: 'agencyId', message: 'is required: the level and kind of a new agency cannot be told from its name' }
      ])
    }
    const { level, kind, rule } = described
    const agency = await agencies.createIn(tx, { name, regionCode: inferred.region.code, level, kind }, actor)
    return { agency, created: true, inferred: message('agency.inferred', { name, regionCode: inferred.region.code, level, kind, rule }) }
  }

  async function run(req: ImportRequest, actor: Actor | null): Promise<ImportResponse> {
    return finish(req, await readBody(req), actor)
  }

  /**
   * Fetches the page at `url` and reads the report from it — or, when the page is only a notice that
   * links the report as a file (附件), from that file.
   */
  async function runUrl(req: Omit<ImportRequest, 'body' | 'contentType'> & { url: string }, actor: Actor | null): Promise<ImportResponse> {
    const policy = options.fetchPolicy
    const language = req.language ?? 'zh'
    if (!policy) {
      throw new ForbiddenError(
        language === 'zh'
          ? '本服务未开启按网址导入：由运维人员以 IMPORT_URL_HOSTS 开启'
          : 'Import by URL is off on this server: its operator turns it on with IMPORT_URL_HOSTS.'
      )
    }
    const deadline = Date.now() + policy.timeoutMs
    const fetch = async (url: string) => {
      try {
        return await fetchGuarded(url, policy, deadline)
      } catch (err) {
        if (!(err instanceof FetchError)) throw err
        const reason = err.text[language]
        throw unprocessable(language === 'zh' ? `无法读取该网址：${reason}` : `The URL cannot be fetched: ${reason}`, [
          { pointer: '/url', message: reason }
        ])
      }
    }
    const page = await fetch(req.url)
    const fromPage = { ...req, body: page.body, contentType: page.contentType, sourceUrl: req.sourceUrl ?? page.url }
    const isHtml = /^\s*(text\/html|application\/xhtml\+xml)/i.test(page.contentType)
    if (!isHtml) return { ...(await finish(fromPage, await readBody(fromPage), actor)), fetched: { page: page.url, file: null } }

    let pageResult: ImportResult | null = null
    let pageError: unknown = null
    try {
      pageResult = await readBody(fromPage)
      if (readShare(pageResult) >= PAGE_READ_ENOUGH)
        return { ...(await finish(fromPage, pageResult, actor)), fetched: { page: page.url, file: null } }
    } catch (err) {
      pageError = err
    }
    const link = (await read({ kind: 'links', body: page.body, contentType: page.contentType, baseUrl: page.url }, language))[0]
    if (!link) {
      if (pageResult) return { ...(await finish(fromPage, pageResult, actor)), fetched: { page: page.url, file: null } }
      throw pageError
    }
    const file = await fetch(link)
    const fromFile = { ...fromPage, body: file.body, contentType: file.contentType }
    return { ...(await finish(fromFile, await readBody(fromFile), actor)), fetched: { page: page.url, file: file.url } }
  }

  async function finish(req: ImportRequest, result: ImportResult, actor: Actor | null): Promise<ImportResponse> {
    const report = { ...result.report, sourceUrl: req.sourceUrl ?? result.report.sourceUrl ?? null }
    if (!req.commit || !actor) {
      const agencyId = req.agencyId
      if (agencyId === undefined) return { ...result, report, findings: checkReport({ ...report, agencyId: 0 } as ReportInput) }
      await agencies.require(agencyId)
      return { ...result, report: { ...report, agencyId }, findings: await reports.validate({ ...report, agencyId } as ReportInput) }
    }
    return app.engine.transaction(async (tx) => {
      const { agency, created, inferred } = await findOrCreateAgency(tx, req, result.agencyName, actor)
      const input = { ...report, agencyId: agency.id } as ReportInput
      const shape = checkShape(input)
      if (shape.length) throw unprocessable('The imported report does not match its format.', shape)
      const written = await reports.putByKeyIn(tx, input, {
        actor,
        strict: req.strict,
        ...(req.reason !== undefined ? { correctAccepted: req.reason } : {})
      })
      return {
        ...result,
        warnings: inferred ? [...result.warnings, inferred] : result.warnings,
        report: { ...report, agencyId: agency.id },
        findings: (await reports.findingsOfReport(written.id, tx)).map(({ id: _i, reportId: _r, ...f }) => f),
        committed: { reportId: written.id, status: written.status, agencyId: agency.id, agencyCreated: created }
      }
    })
  }

  return { run, runUrl }
}

/** The share of the format's cells a reading filled. */
function readShare(result: ImportResult): number {
  const cells = CELLS.filter((c) => c.formats.includes(result.report.format))
  return cells.filter((c) => getCell(result.report as unknown as Record<string, unknown>, c) !== null).length / cells.length
}
