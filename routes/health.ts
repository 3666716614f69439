import { Type } from 'typebox'
import type { FastifyInstance } from 'fastify'
import createError from '@fastify/error'
import { problems } from '../src/schemas/common.js'

const Unavailable = createError<[string]>('NIANBAO_UNAVAILABLE', '%s', 503)
/** Probes take no parameters: an unknown one is a 400, as everywhere. */
const NoQuery = Type.Object({}, { additionalProperties: false })

export default async function healthRoutes(app: FastifyInstance) {
  app.get(
    '/healthz',
    {
      schema: {
        tags: ['health'],
        summary: 'Liveness: the process answers',
        operationId: 'getHealth',
        querystring: NoQuery,
        response: { 200: Type.Object({ status: Type.Literal('ok') }) }
      }
    },
    async () => ({ status: 'ok' as const })
  )
  app.get(
    '/readyz',
    {
      schema: {
        tags: ['health'],
        summary: 'Readiness: the database answers',
        operationId: 'getReadiness',
        querystring: NoQuery,
        response: { 200: Type.Object({ status: Type.Literal('ready') }), ...problems(503) }
      }
    },
    async () => {
      try {
        await app.engine.get('SELECT 1 AS ok')
      } catch (err) {
        app.log.error({ err }, 'the database does not answer')
        throw new Unavailable('The database does not answer.')
      }
      return { status: 'ready' as const }
    }
  )
}
