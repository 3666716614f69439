import { Type } from 'typebox'
import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { IdSchema, problems } from '../src/schemas/common.js'
import { PlainLine } from '../src/schemas/text.js'
import { UnauthorizedError, unprocessable } from '../src/errors.js'
import { isValidRegionCode } from '../src/regions/index.js'

const RoleSchema = Type.Union([Type.Literal('admin'), Type.Literal('submitter'), Type.Literal('reviewer'), Type.Literal('reader')], {
  description:
    '`admin` everything including keys; `submitter` writes agencies and reports within its scope, submits them and explains their findings; `reviewer` accepts or returns the submitted reports of its scope and confirms or dismisses their findings, and writes nothing else; `reader` reads only'
})

const KeyFields = {
  id: Type.Integer(),
  name: Type.String(),
  role: RoleSchema,
  regions: Type.Array(Type.String(), { description: 'Region-code prefixes a submitter may write in, or a reviewer review in' }),
  agencies: Type.Array(Type.Integer(), { description: 'Agencies a submitter may write, or a reviewer review' })
}
export const ApiKeySchema = Type.Object(
  {
    ...KeyFields,
    createdAt: Type.String({ format: 'date-time' }),
    revokedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()])
  },
  { $id: 'ApiKey', additionalProperties: false, description: 'An API key, without its secret' }
)

const CreateKeySchema = Type.Object(
  {
    name: PlainLine({ minLength: 1, maxLength: 200, description: 'Who holds the key, e.g. 海东市政务公开办' }),
    role: RoleSchema,
    regions: Type.Optional(
      Type.Array(Type.String({ pattern: '^[0-9]{2,6}$' }), {
        maxItems: 500,
        description: 'submitter or reviewer scope: region-code prefixes'
      })
    ),
    agencies: Type.Optional(
      Type.Array(Type.Integer({ minimum: 1 }), { maxItems: 10000, description: 'submitter or reviewer scope: agency ids' })
    )
  },
  { additionalProperties: false }
)

export default async function keyRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()

  app.post(
    '/keys',
    {
      config: { access: 'admin', idempotency: 'secret' },
      schema: {
        tags: ['keys'],
        summary: 'Create an API key (shown once)',
        description: 'The response holds the key itself; it is stored only as a hash and can never be shown again.',
        operationId: 'createKey',
        body: CreateKeySchema,
        response: {
          201: Type.Object({ ...KeyFields, key: Type.String({ description: 'The key: send it as `Authorization: Bearer <key>`' }) }),
          ...problems(400, 401, 403, 413, 415, 422, 429)
        }
      }
    },
    async (request, reply) => {
      const { name, role, regions = [], agencies = [] } = request.body
      const errors = []
      const scoped = role === 'submitter' || role === 'reviewer'
      if (scoped && regions.length === 0 && agencies.length === 0) {
        errors.push({ pointer: '/regions', message: `a ${role} needs a scope: regions and/or agencies` })
      }
      if (!scoped && (regions.length > 0 || agencies.length > 0)) {
        errors.push({ pointer: '/role', message: 'only a submitter or a reviewer has a scope' })
      }
      regions.forEach((prefix, i) => {
        if (!isValidRegionCode(prefix.padEnd(6, '0')) && prefix !== '00') {
          errors.push({ pointer: `/regions/${i}`, message: `${prefix} is not the prefix of a GB/T 2260 region` })
        }
      })
      if (errors.length) throw unprocessable('The key is invalid; see errors.', errors)
      const created = await app.services.keys.create({ name, role, regions, agencies })
      return reply.code(201).header('location', `/v1/keys/${created.id}`).send({
        id: created.id,
        name: created.name,
        role: created.role,
        regions: created.regions,
        agencies: created.agencies,
        key: created.key
      })
    }
  )

  app.get(
    '/keys',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['keys'],
        summary: 'List API keys (never their secrets)',
        operationId: 'listKeys',
        querystring: Type.Object({}, { additionalProperties: false }),
        response: { 200: Type.Object({ items: Type.Array(Type.Ref('ApiKey')) }), ...problems(401, 403, 429) }
      }
    },
    async () => ({ items: await app.services.keys.list() })
  )

  app.get(
    '/keys/current',
    {
      config: { access: 'key' },
      schema: {
        tags: ['keys'],
        summary: 'The API key this request carries (never its secret)',
        description:
          'Who the key is, its role and its scope: what a client needs to offer only the acts the key may make (the service still decides each one). Any valid key may ask, a reader’s included.',
        operationId: 'currentKey',
        querystring: Type.Object({}, { additionalProperties: false }),
        response: { 200: Type.Ref('ApiKey'), ...problems(400, 401, 429) }
      }
    },
    async (request, reply) => {
      const key = request.apiKey
      // the auth hook lets no request without a valid key this far
      const record = key && (await app.services.keys.get(key.id))
      if (!record) throw new UnauthorizedError('The API key is not valid, or has been revoked.')
      return reply.send(record)
    }
  )

  app.delete(
    '/keys/:keyId',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['keys'],
        summary: 'Revoke an API key',
        description: 'The key stops working at once; its record stays, with `revokedAt`, for the history.',
        operationId: 'revokeKey',
        params: Type.Object({ keyId: IdSchema }, { additionalProperties: false }),
        response: { 204: Type.Null({ description: 'Revoked' }), ...problems(400, 401, 403, 404, 429) }
      }
    },
    async (request, reply) => {
      await app.services.keys.revoke(request.params.keyId)
      return reply.code(204).send(null)
    }
  )
}
