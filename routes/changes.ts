import { Type } from 'typebox'
import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { CursorSchema, LimitSchema, problems } from '../src/schemas/common.js'
import { decodeCursor, encodeCursor } from '../src/pagination.js'
import { CHANGE_KINDS } from '../db/repositories/changes.js'

const SORT = 'changes'
const cursorAt = (seq: number) => encodeCursor({ s: SORT, v: seq, id: seq })

export const ChangeSchema = Type.Object(
  {
    seq: Type.Integer({ description: 'The change’s number: greater for every later commit (gaps are rolled-back writes)' }),
    kind: Type.Union(
      CHANGE_KINDS.map((k) => Type.Literal(k)),
      {
        description:
          '`report.written` (created, replaced or corrected), `report.deleted`, `report.state` (a transition), `findings.checked` (a report’s findings re-checked because a neighbour changed), `finding.reviewed`, `agency.written` (created or changed), `agency.deleted`'
      }
    ),
    reportId: Type.Union([Type.Integer(), Type.Null()]),
    agencyId: Type.Union([Type.Integer(), Type.Null()]),
    revision: Type.Union([Type.Integer(), Type.Null()], { description: 'The report’s revision after the change' }),
    state: Type.Union([Type.Ref('ReportState'), Type.Null()], { description: 'The report’s state after the change' }),
    fingerprint: Type.Union([Type.String(), Type.Null()], { description: '`finding.reviewed`: the finding' }),
    at: Type.String({ format: 'date-time' })
  },
  { $id: 'Change', additionalProperties: false }
)

export const ChangePageSchema = Type.Object(
  {
    items: Type.Array(Type.Ref('Change')),
    next: Type.Union([Type.String(), Type.Null()], { description: 'The next page while more changes exist now; null at the end' }),
    cursor: Type.String({
      description:
        'Where to poll from later: after the last change of this page, or, on the last page, after every change there is now (those the reader may not see are not looked at again)'
    })
  },
  { $id: 'ChangePage', additionalProperties: false }
)

export default async function changeRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  app.get(
    '/changes',
    {
      config: { pollable: true },
      schema: {
        tags: ['changes'],
        summary: 'Every change, in commit order, from a cursor',
        description:
          'For mirrors: every report written or deleted, state changed, finding reviewed and agency written or deleted, in the order the writes committed. Follow `next` until it is null, keep `cursor`, and ask again with it later: no change is missed or served twice, whatever writes go on meanwhile. A change that left a report in a state the reader may not see (never accepted, outside its key’s scope) is left out. README: The life of a report.',
        operationId: 'listChanges',
        querystring: Type.Object(
          { cursor: Type.Optional(CursorSchema), limit: Type.Optional(LimitSchema) },
          { additionalProperties: false }
        ),
        response: { 200: Type.Ref('ChangePage'), ...problems(400) }
      }
    },
    async (request) => {
      const after = decodeCursor(request.query.cursor, SORT)?.id ?? 0
      const limit = request.query.limit ?? 100
      const found = await app.repos.changes.after(app.engine, after, limit + 1, request.visibility())
      if (found.items.length > limit) {
        const last = found.items[limit - 1].seq
        return { items: found.items.slice(0, limit), next: cursorAt(last), cursor: cursorAt(last) }
      }
      // the end: past every change looked at, those the reader may not see included
      return { items: found.items, next: null, cursor: cursorAt(found.lookedTo) }
    }
  )
}

export const changeSchemas = [ChangeSchema, ChangePageSchema]
