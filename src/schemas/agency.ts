import { Type } from 'typebox'
import { KINDS, KIND_LABELS, LEVELS, LEVEL_LABELS } from '../format/registry.js'
import { PlainLine } from './text.js'

export const LevelSchema = Type.Union(
  LEVELS.map((l) => Type.Literal(l)),
  {
    description: LEVELS.map((l) => `\`${l}\` ${LEVEL_LABELS[l]}`).join(', ')
  }
)
export const KindSchema = Type.Union(
  KINDS.map((k) => Type.Literal(k)),
  {
    description: KINDS.map((k) => `\`${k}\` ${KIND_LABELS[k]}`).join(', ')
  }
)

const fields = {
  name: PlainLine({ minLength: 1, maxLength: 200, description: '全称, the agency’s full name' }),
  regionCode: Type.String({
    pattern: '^[0-9]{6}$',
    description:
      'GB/T 2260 code of the area it serves: county XXXXXX, prefecture XXXX00, province XX0000, 000000 national; townships use their county’s'
  }),
  level: LevelSchema,
  kind: KindSchema,
  uscc: Type.Unsafe<string | null>({
    type: ['string', 'null'],
    pattern: '^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$',
    description:
      '统一社会信用代码 (18 characters), unique when given. Characters 3–8 are the region that issued it: a submitter may give only a USCC issued in a region its key covers, or in the agency’s own region'
  }),
  parentId: Type.Unsafe<number | null>({
    type: ['integer', 'null'],
    minimum: 1,
    description: 'The parent agency, if any: one the key may write'
  })
}

export const AgencyCreateSchema = Type.Object(
  {
    name: fields.name,
    regionCode: fields.regionCode,
    level: fields.level,
    kind: fields.kind,
    uscc: Type.Optional(fields.uscc),
    parentId: Type.Optional(fields.parentId)
  },
  { $id: 'AgencyCreate', additionalProperties: false }
)

export const AgencyPatchSchema = Type.Object(
  {
    name: Type.Optional(fields.name),
    regionCode: Type.Optional(fields.regionCode),
    level: Type.Optional(fields.level),
    kind: Type.Optional(fields.kind),
    uscc: Type.Optional(fields.uscc),
    parentId: Type.Optional(fields.parentId)
  },
  { $id: 'AgencyPatch', additionalProperties: false, minProperties: 1 }
)

export const AgencySchema = Type.Object(
  {
    id: Type.Integer(),
    name: Type.String(),
    regionCode: Type.String(),
    level: Type.String(),
    kind: Type.String(),
    uscc: Type.Union([Type.String(), Type.Null()]),
    parentId: Type.Union([Type.Integer(), Type.Null()]),
    revision: Type.Integer(),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' })
  },
  { $id: 'Agency', additionalProperties: false }
)
