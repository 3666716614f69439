import { Type } from 'typebox'
import type { FastifyInstance } from 'fastify'
import { problems } from '../src/schemas/common.js'

export default async function healthRoutes(app: FastifyInstance) {
  app.get(
    '/healthz',
    {
      schema: {
        tags: ['health'],
        summary: 'Liveness: the process answers',
        operationId: 'getHealth',
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
        response: { 200: Type.Object({ status: Type.Literal('ready') }), ...problems(503) }
      }
    },
    async () => {
      await app.engine.get('SELECT 1 AS ok')
      return { status: 'ready' as const }
    }
  )
}
