// Requests refused before any route or hook sees them — by Fastify (a broken percent-encoding in the URL, an
// overlong path parameter) or by Node's HTTP parser (raw UTF-8 in the URL, a malformed request line):
// answered as problem+json like every other error, instead of Fastify's own JSON.
import { randomUUID } from 'node:crypto'
import type { Socket } from 'node:net'
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { sendProblem } from './errors.js'
import { accessFields, REQUEST_ID_HEADER } from './request-log.js'
import { languageOf, type Language } from '../importers/messages.js'

const DETAILS: Record<string, { status: number; title: string; detail: string }> = {
  FST_ERR_BAD_URL: { status: 400, title: 'Bad Request', detail: 'The URL is not valid: it has a broken percent-encoding.' },
  FST_ERR_MAX_PARAM_LENGTH: { status: 414, title: 'URI Too Long', detail: 'A path parameter is too long.' }
}

/** Fastify's `frameworkErrors` option. */
export function replyFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  // no hook runs for these, and Fastify writes no line when they finish: the id and the line are ours
  reply.header(REQUEST_ID_HEADER, request.id)
  reply.raw.once('finish', () => request.log.info(accessFields(request, reply), 'request'))
  const known = DETAILS[error.code]
  if (!known) request.log.error({ err: error }, 'request failed before routing')
  const { status, title, detail } = known ?? {
    status: 500,
    title: 'Internal Server Error',
    detail: `The request could not be completed. Quote request id ${request.id} when reporting it.`
  }
  return sendProblem(reply, { type: 'about:blank', title, status, detail })
}

interface ClientError extends Error {
  code?: string
  /** the bytes Node's parser had read when it gave up */
  rawPacket?: unknown
}

/** The parser's refusals: status, reason phrase, and title and detail in Chinese and English. */
const REFUSALS = {
  timeout: {
    status: 408,
    reason: 'Request Timeout',
    zh: { title: '请求超时', detail: '请求未能在服务器的请求时限内完整到达。' },
    en: { title: 'Request Timeout', detail: 'The request did not arrive in full within the server’s request timeout.' }
  },
  headers: {
    status: 431,
    reason: 'Request Header Fields Too Large',
    zh: { title: '请求头过大', detail: '请求头超过了服务器接受的大小。' },
    en: { title: 'Request Header Fields Too Large', detail: 'The request’s headers are larger than the server accepts.' }
  },
  nonAscii: {
    status: 400,
    reason: 'Bad Request',
    zh: {
      title: '请求有误',
      detail:
        '网址含有 ASCII 以外的字符：请按 UTF-8 进行百分号编码，如 ?q=财政 写作 ?q=%E8%B4%A2%E6%94%BF——用 curl 时：-G --data-urlencode q=财政。'
    },
    en: {
      title: 'Bad Request',
      detail:
        'The URL holds characters outside ASCII: percent-encode them (UTF-8), e.g. ?q=%E8%B4%A2%E6%94%BF for ?q=财政 — with curl: -G --data-urlencode q=财政.'
    }
  },
  malformed: {
    status: 400,
    reason: 'Bad Request',
    zh: { title: '请求有误', detail: '请求不是有效的 HTTP/1.1：无法解析其请求行或请求头。' },
    en: { title: 'Bad Request', detail: 'The request is not valid HTTP/1.1: its request line or headers could not be parsed.' }
  }
} as const

/**
 * What a request Node's HTTP parser refuses is answered with: status, reason phrase, and the problem's title
 * and detail in the language its Accept-Language header asks for (Chinese unless it prefers English), when
 * the bytes read show one.
 */
export function clientErrorProblem(err: ClientError): {
  status: number
  reason: string
  language: Language
  title: string
  detail: string
} {
  const raw = Buffer.isBuffer(err.rawPacket) ? err.rawPacket : undefined
  const language = languageOf(raw ? /^accept-language:[ \t]*([\x20-\x7e]*)/im.exec(raw.toString('latin1'))?.[1] : undefined)
  const lineEnd = raw ? raw.indexOf(0x0a) : -1
  const requestLine = raw ? raw.subarray(0, lineEnd === -1 ? raw.length : lineEnd) : undefined
  const refusal =
    err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? REFUSALS.timeout
      : err.code === 'HPE_HEADER_OVERFLOW'
        ? REFUSALS.headers
        : requestLine?.some((b) => b > 0x7e)
          ? REFUSALS.nonAscii
          : REFUSALS.malformed
  return { status: refusal.status, reason: refusal.reason, language, ...refusal[language] }
}

/**
 * Fastify's `clientErrorHandler`: a request Node's parser refuses (raw UTF-8 in the URL, a malformed
 * request line, headers too large, too slow) never reaches Fastify; it still gets a problem+json answer,
 * with a request id, and the connection is closed.
 */
export function clientErrorHandler(this: unknown, err: ClientError, socket: Socket) {
  if (err.code === 'ECONNRESET' || socket.destroyed) return
  const { reason, language, ...text } = clientErrorProblem(err)
  const problem = { type: 'about:blank', title: text.title, status: text.status, detail: text.detail }
  const id = randomUUID()
  ;(this as FastifyInstance | undefined)?.log?.debug(
    { reqId: id, code: err.code, status: problem.status },
    'request refused by the HTTP parser'
  )
  if (socket.writable) {
    const body = JSON.stringify(problem)
    socket.write(
      `HTTP/1.1 ${problem.status} ${reason}\r\n` +
        `Content-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `Content-Language: ${language === 'zh' ? 'zh-CN' : 'en'}\r\n` +
        `${REQUEST_ID_HEADER}: ${id}\r\nConnection: close\r\n\r\n${body}`
    )
  }
  socket.destroy()
}
