// One error handler for the whole API: every 4xx and 5xx leaves as RFC 9457 problem+json, pointing at the
// fields at fault. A 5xx says nothing about internals: the log has the rest, under the request id.
import fp from 'fastify-plugin'
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { FieldError } from '../errors.js'
import { PLAIN_LINE_PATTERN, plainLineFault } from '../schemas/text.js'
import { TITLES as TEXT_TITLES, detailIn, messageIn, titleOf } from '../problem-text.js'
import { languageOf } from '../importers/messages.js'

/** English titles; sendProblem renders them in the caller's language (problem-text.ts) */
const TITLES: Record<number, string> = Object.fromEntries(Object.entries(TEXT_TITLES).map(([status, t]) => [status, t.en]))

export const PROBLEM_TYPES: Record<string, string> = {
  validation: '/problems/validation',
  'not-found': '/problems/not-found',
  conflict: '/problems/conflict',
  'malformed-body': '/problems/malformed-body',
  'precondition-failed': '/problems/precondition-failed',
  unauthorized: '/problems/unauthorized',
  forbidden: '/problems/forbidden'
}

export interface Problem {
  type: string
  title: string
  status: number
  detail: string
  instance?: string
  errors?: FieldError[]
  /** 412: the resource's current revision (null when it does not exist) */
  currentRevision?: number | null
}

/** Headers set for the answer that would have been sent (a conditional GET sets its ETag first): not for a problem. */
const NOT_FOR_PROBLEMS = ['etag', 'cache-control', 'content-disposition', 'link', 'location', 'content-language'] as const

/**
 * Sends the problem, its title, detail and field messages in the caller's language: Chinese unless Accept-Language prefers
 * English (Content-Language says which).
 */
export function sendProblem(reply: FastifyReply, problem: Problem) {
  for (const name of NOT_FOR_PROBLEMS) reply.removeHeader(name)
  const language = languageOf(reply.request.headers['accept-language'])
  const vary = reply.getHeader('vary') as string | undefined
  const localised = { ...problem, title: titleOf(problem.status, language), detail: detailIn(problem.detail, language) }
  if (problem.errors) localised.errors = problem.errors.map((e) => ({ ...e, message: messageIn(e.message, language) }))
  return reply
    .code(problem.status)
    .type('application/problem+json')
    .header('content-language', language === 'zh' ? 'zh-CN' : 'en')
    .header('vary', !vary ? 'Accept-Language' : /accept-language/i.test(vary) ? vary : `${vary}, Accept-Language`)
    .send(localised)
}

interface AjvError {
  instancePath: string
  keyword: string
  message?: string
  params: Record<string, unknown>
  /** the value at fault (the body validator is verbose) */
  data?: unknown
}

/** A pointer into a report's tables */
const CELL_PATH = /\/(proactive|applications|reviewLitigation)\//

function ajvErrors(errors: AjvError[], part: string): FieldError[] {
  const out: FieldError[] = []
  const seen = new Set<string>()
  for (const e of errors) {
    let path = e.instancePath
    let message = e.message ?? 'is invalid'
    if (e.keyword === 'additionalProperties') {
      path += `/${String(e.params.additionalProperty)}`
      message = 'is not a known field'
    } else if (e.keyword === 'required') {
      path += `/${String(e.params.missingProperty)}`
      message = 'is required'
    } else if (e.keyword === 'enum' || e.keyword === 'const') {
      const allowed = (e.params.allowedValues ?? [e.params.allowedValue]) as unknown[]
      message = `must be one of: ${allowed.join(', ')}`
    } else if (e.keyword === 'type' && /^(integer|number),null$|^integer$/.test(String(e.params.type))) {
      // say what a count or a blank cell is, rather than ajv's `must be integer,null`
      const [type, nullable] = String(e.params.type).split(',')
      const blank = CELL_PATH.test(path) ? 'null for a blank cell' : 'null'
      message = `must be ${type === 'integer' ? 'a whole number' : 'a number'}${nullable ? `, or ${blank}` : ''}`
    } else if (e.keyword === 'pattern' && e.params.pattern === PLAIN_LINE_PATTERN) {
      message = (typeof e.data === 'string' && plainLineFault(e.data)) || message
    } else if (e.keyword === 'anyOf' || e.keyword === 'oneOf' || e.keyword === 'if') {
      continue
    }
    const entry: FieldError = part === 'body' ? { pointer: path || '/', message } : { parameter: path.replace(/^\//, '') || part, message }
    const key = JSON.stringify(entry)
    if (seen.has(key)) continue
    seen.add(key)
    out.push(entry)
  }
  // unions of literals report one error per branch: fold them into the enum-like message above
  return foldLiteralUnions(out, errors)
}

function foldLiteralUnions(out: FieldError[], errors: AjvError[]): FieldError[] {
  const constByPath = new Map<string, unknown[]>()
  for (const e of errors) {
    if (e.keyword === 'const') {
      const list = constByPath.get(e.instancePath) ?? []
      list.push(e.params.allowedValue)
      constByPath.set(e.instancePath, list)
    }
  }
  if (constByPath.size === 0) return out
  const folded: FieldError[] = []
  const done = new Set<string>()
  for (const entry of out) {
    const path = entry.pointer ?? (entry.parameter !== undefined ? `/${entry.parameter}` : '')
    const allowed = constByPath.get(path)
    if (allowed) {
      if (done.has(path)) continue
      done.add(path)
      folded.push({ ...entry, message: `must be one of: ${allowed.join(', ')}` })
    } else folded.push(entry)
  }
  return folded
}

export default fp(
  async function errors(app: FastifyInstance) {
    app.setErrorHandler(
      (
        error: FastifyError & { errors?: FieldError[]; currentRevision?: number | null; retryAfter?: number },
        request: FastifyRequest,
        reply: FastifyReply
      ) => {
        const instance = request.url.split('?')[0]
        if (error.validation) {
          const part = error.validationContext ?? 'body'
          const isBody = part === 'body'
          return sendProblem(reply, {
            type: PROBLEM_TYPES.validation,
            title: isBody ? TITLES[422] : TITLES[400],
            status: isBody ? 422 : 400,
            detail: isBody
              ? 'The request body does not match the schema; see errors.'
              : `Invalid ${part === 'querystring' ? 'query' : part} parameter; see errors.`,
            instance,
            errors: ajvErrors(error.validation as unknown as AjvError[], part)
          })
        }
        const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500
        if (error.code === 'NIANBAO_BUSY') {
          // no fault of anyone's: the server is at its bound for this kind of work, and says when to come back
          reply.header('retry-after', String(error.retryAfter ?? 1))
          return sendProblem(reply, { type: 'about:blank', title: TITLES[503], status: 503, detail: error.message, instance })
        }
        if (status >= 500) {
          request.log.error({ err: error }, 'request failed')
          return sendProblem(reply, {
            type: 'about:blank',
            title: TITLES[status] ?? 'Error',
            status,
            detail: `The request could not be completed. Quote request id ${request.id} when reporting it.`,
            instance
          })
        }
        let detail = error.message
        let type = 'about:blank'
        if (error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error instanceof SyntaxError) {
          type = PROBLEM_TYPES['malformed-body']
          detail = 'The body is not valid JSON.'
        } else if (error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') {
          type = PROBLEM_TYPES['malformed-body']
        } else if (error.code === 'NIANBAO_NOT_FOUND') type = PROBLEM_TYPES['not-found']
        else if (error.code === 'NIANBAO_PRECONDITION_FAILED') type = PROBLEM_TYPES['precondition-failed']
        else if (error.code === 'NIANBAO_UNAUTHORIZED') type = PROBLEM_TYPES.unauthorized
        else if (error.code === 'NIANBAO_FORBIDDEN') type = PROBLEM_TYPES.forbidden
        else if (error.code === 'NIANBAO_CONFLICT') type = PROBLEM_TYPES.conflict
        else if (error.code === 'NIANBAO_UNPROCESSABLE' || error.code === 'NIANBAO_BAD_REQUEST') type = PROBLEM_TYPES.validation
        if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE')
          detail = `The body is larger than ${request.routeOptions.bodyLimit ?? app.initialConfig.bodyLimit} bytes (BODY_LIMIT).`
        if (status === 415 && error.code !== 'NIANBAO_UNSUPPORTED_MEDIA_TYPE') {
          // the route's declared body types (POST /v1/imports takes files), else JSON
          const content = (request.routeOptions.schema?.body as { content?: Record<string, unknown> } | undefined)?.content
          const accepted = content ? Object.keys(content).join(', ') : 'application/json'
          detail = `Unsupported media type ${String(request.headers['content-type'] ?? '(none)')}; send ${accepted}.`
        }
        return sendProblem(reply, {
          type,
          title: TITLES[status] ?? 'Error',
          status,
          detail,
          instance,
          ...(error.errors ? { errors: error.errors } : {}),
          ...(error.currentRevision !== undefined ? { currentRevision: error.currentRevision } : {})
        })
      }
    )

    app.setNotFoundHandler((request, reply) =>
      sendProblem(reply, {
        type: PROBLEM_TYPES['not-found'],
        title: TITLES[404],
        status: 404,
        detail: `No route ${request.method} ${request.url.split('?')[0]}.`,
        instance: request.url.split('?')[0]
      })
    )
  },
  { name: 'errors' }
)
