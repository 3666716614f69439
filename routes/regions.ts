import { Type } from 'typebox'
import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { problems } from '../src/schemas/common.js'
import { NotFoundError } from '../src/errors.js'
import { NATIONAL_CODE, childrenOf, getRegion, regionName, regionPath } from '../src/regions/index.js'

const RegionLevelSchema = Type.Union(
  [Type.Literal('province'), Type.Literal('prefecture'), Type.Literal('county'), Type.Literal('national')],
  { description: '`national` only for 000000, the code of national bodies' }
)

export const RegionSchema = Type.Object(
  {
    code: Type.String({ description: 'Six-digit GB/T 2260 code' }),
    name: Type.String(),
    level: RegionLevelSchema,
    parent: Type.Unsafe<string | null>({ type: ['string', 'null'], description: 'The enclosing region’s code; null for a province' })
  },
  { $id: 'Region', additionalProperties: false }
)

const RegionDetailSchema = Type.Object(
  {
    code: Type.String(),
    name: Type.String(),
    level: RegionLevelSchema,
    parent: Type.Unsafe<string | null>({ type: ['string', 'null'] }),
    path: Type.Array(Type.Ref('Region'), { description: 'From the province down to the region itself' })
  },
  { additionalProperties: false }
)

const RegionListSchema = Type.Object(
  {
    parent: Type.Unsafe<string | null>({ type: ['string', 'null'], description: 'The parent asked for, as sent' }),
    parentName: Type.Unsafe<string | null>({ type: ['string', 'null'] }),
    items: Type.Array(Type.Ref('Region'))
  },
  { additionalProperties: false }
)

const NATIONAL = { code: NATIONAL_CODE, name: '全国', level: 'national' as const, parent: null }

export default async function regionRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()

  app.get(
    '/regions',
    {
      config: { pollable: { source: 'static', cache: true } },
      schema: {
        tags: ['regions'],
        summary: 'List regions: the provinces, or the children of one',
        description:
          'Without `parent`, the 34 provinces. A province’s children are its prefectures (a municipality’s are its districts and counties); a prefecture’s are its counties; a county has none. ' +
          '`parent` is a code or a prefix of 2 (province) or 4 (prefecture) digits.',
        operationId: 'listRegions',
        querystring: Type.Object(
          {
            parent: Type.Optional(
              Type.String({
                pattern: '^([0-9]{2}|[0-9]{4}|[0-9]{6})$',
                description: 'e.g. `63` or `630000` (青海省), `6302` or `630200` (海东市)',
                examples: ['63']
              })
            )
          },
          { additionalProperties: false }
        ),
        response: { 200: RegionListSchema, ...problems(400, 404) }
      }
    },
    async (request) => {
      const { parent } = request.query
      if (parent === undefined) return { parent: null, parentName: null, items: childrenOf(null) }
      const known = parent.length === 6 ? getRegion(parent) !== undefined : regionName(parent) !== null
      if (!known || /^0+$/.test(parent)) throw new NotFoundError(`No region ${parent} in GB/T 2260.`)
      return { parent, parentName: regionName(parent), items: childrenOf(parent) }
    }
  )

  app.get(
    '/regions/:code',
    {
      config: { pollable: { source: 'static', cache: true } },
      schema: {
        tags: ['regions'],
        summary: 'Get a region with its path from the province',
        operationId: 'getRegion',
        params: Type.Object(
          { code: Type.String({ pattern: '^[0-9]{6}$', description: 'Six-digit GB/T 2260 code; 000000 is 全国 (national bodies)' }) },
          { additionalProperties: false }
        ),
        response: { 200: RegionDetailSchema, ...problems(400, 404) }
      }
    },
    async (request) => {
      const { code } = request.params
      if (code === NATIONAL_CODE) return { ...NATIONAL, path: [] }
      const region = getRegion(code)
      if (!region) throw new NotFoundError(`No region ${code} in GB/T 2260.`)
      return { ...region, path: regionPath(code) }
    }
  )
}

export const regionSchemas = [RegionSchema]
