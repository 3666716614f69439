// Requests Fastify refuses before any route or hook sees them (a broken percent-encoding in the URL, an
// overlong path parameter): answered as problem+json like every other error, instead of Fastify's own JSON.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { sendProblem } from './errors.js'
import { accessFields, REQUEST_ID_HEADER } from './request-log.js'

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
