import { Type } from 'typebox'
import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { AgencyCreateSchema, AgencyPatchSchema, AgencySchema, KindSchema, LevelSchema } from '../src/schemas/agency.js'
import { CursorSchema, IdSchema, LimitSchema, RefTo, RegionPrefixSchema, pageOf, problems } from '../src/schemas/common.js'
import { AGENCY_SORTS } from '../db/repositories/agencies.js'
import { etagOf, notModified, readPreconditions, sendNotModified } from '../src/preconditions.js'
import { CACHE_CONTROL } from '../src/plugins/conditional.js'

const AgencyParams = Type.Object({ agencyId: IdSchema }, { additionalProperties: false })

export default async function agencyRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const agencies = app.services.agencies

  app.get(
    '/agencies',
    {
      config: { pollable: { cache: 'first-page' } },
      schema: {
        tags: ['agencies'],
        summary: 'List agencies',
        description: 'Filtered and paginated; ordered by `sort` (default `id`), ties by id.',
        operationId: 'listAgencies',
        querystring: Type.Object(
          {
            q: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'Name contains' })),
            regionCode: Type.Optional(RegionPrefixSchema),
            level: Type.Optional(LevelSchema),
            kind: Type.Optional(KindSchema),
            sort: Type.Optional(
              Type.Union(
                Object.keys(AGENCY_SORTS).map((s) => Type.Literal(s)),
                { default: 'id' }
              )
            ),
            limit: Type.Optional(LimitSchema),
            cursor: Type.Optional(CursorSchema)
          },
          { additionalProperties: false }
        ),
        response: { 200: Type.Ref('AgencyPage'), ...problems(400) }
      }
    },
    async (request) => agencies.list({ ...request.query, limit: request.query.limit ?? 50 })
  )

  app.post(
    '/agencies',
    {
      schema: {
        tags: ['agencies'],
        summary: 'Create an agency',
        operationId: 'createAgency',
        body: RefTo(AgencyCreateSchema),
        response: {
          201: Type.Ref('Agency', { description: 'Created; Location names it' }),
          ...problems(400, 401, 403, 409, 413, 415, 422, 429)
        }
      }
    },
    async (request, reply) => {
      const agency = await agencies.create(request.body, request.actor())
      return reply.code(201).header('location', `/v1/agencies/${agency.id}`).header('etag', etagOf(agency.revision)).send(agency)
    }
  )

  app.get(
    '/agencies/:agencyId',
    {
      schema: {
        tags: ['agencies'],
        summary: 'Get an agency',
        operationId: 'getAgency',
        params: AgencyParams,
        response: { 200: Type.Ref('Agency'), 304: Type.Null({ description: 'Not modified (If-None-Match)' }), ...problems(400, 404) }
      }
    },
    async (request, reply) => {
      const agency = await agencies.require(request.params.agencyId)
      reply.header('etag', etagOf(agency.revision)).header('cache-control', CACHE_CONTROL)
      if (notModified(request.headers['if-none-match'], agency.revision)) return sendNotModified(reply)
      return agency
    }
  )

  app.patch(
    '/agencies/:agencyId',
    {
      schema: {
        tags: ['agencies'],
        summary: 'Change some fields of an agency',
        description:
          'Fields not sent keep their values. Moving an agency to another region, level or kind moves its reports in every aggregate; a move to another region needs a key whose regions cover the destination as well as the agency (a key for the agency alone covers no other region).',
        operationId: 'patchAgency',
        params: AgencyParams,
        body: RefTo(AgencyPatchSchema),
        response: { 200: Type.Ref('Agency'), ...problems(400, 401, 403, 404, 409, 412, 413, 415, 422, 429) }
      }
    },
    async (request, reply) => {
      const { ifMatch } = readPreconditions(request.headers)
      const agency = await agencies.patch(request.params.agencyId, request.body, {
        actor: request.actor(),
        ifMatch: typeof ifMatch === 'number' ? ifMatch : undefined
      })
      return reply.header('etag', etagOf(agency.revision)).send(agency)
    }
  )

  app.delete(
    '/agencies/:agencyId',
    {
      schema: {
        tags: ['agencies'],
        summary: 'Delete an agency without reports',
        description: 'An agency that has reports, or is the parent of other agencies, is a 409.',
        operationId: 'deleteAgency',
        params: AgencyParams,
        response: { 204: Type.Null({ description: 'Deleted' }), ...problems(400, 401, 403, 404, 409, 412, 429) }
      }
    },
    async (request, reply) => {
      const { ifMatch } = readPreconditions(request.headers)
      await agencies.remove(request.params.agencyId, { actor: request.actor(), ifMatch: typeof ifMatch === 'number' ? ifMatch : undefined })
      return reply.code(204).send(null)
    }
  )
}

export const agencySchemas = [AgencySchema, AgencyCreateSchema, AgencyPatchSchema, pageOf(Type.Ref('Agency'), 'AgencyPage')]
