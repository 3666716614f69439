// Shared pieces of the HTTP schemas: problem details, pagination, identifiers.
import { Type, type Static, type TSchema, type TUnsafe } from 'typebox'

/**
 * A reference to a registered schema (`$ref` in the OpenAPI document, one component), typed as the schema
 * it names: a route's body is then typed from its schema, with no cast.
 */
export function RefTo<T extends TSchema>(schema: T, options: Record<string, unknown> = {}): TUnsafe<Static<T>> {
  const id = (schema as { $id?: string }).$id
  if (!id) throw new Error('RefTo needs a schema with an $id')
  return Type.Unsafe<Static<T>>(Type.Ref(id, options))
}

export const ProblemSchema = Type.Object(
  {
    type: Type.String({ description: 'A URI reference naming the kind of problem (`about:blank` for a plain HTTP status)' }),
    title: Type.String({
      description:
        'A short summary of the kind of problem, in Chinese unless `Accept-Language` prefers English (`Content-Language` says which)'
    }),
    status: Type.Integer({ description: 'The HTTP status code' }),
    detail: Type.String({
      description: 'What went wrong with this request, in plain language: Chinese, or English on `Accept-Language: en`'
    }),
    instance: Type.Optional(Type.String({ description: 'The request path' })),
    errors: Type.Optional(
      Type.Array(
        Type.Object(
          {
            pointer: Type.Optional(Type.String({ description: 'JSON Pointer (RFC 6901) into the request body' })),
            parameter: Type.Optional(Type.String({ description: 'The query, path or header parameter at fault' })),
            message: Type.String({
              description: 'What is wrong with that field, in the language of `detail`; programs read `pointer` or `parameter`'
            })
          },
          { additionalProperties: true }
        ),
        { description: 'Each fault of the request, pointing at the field' }
      )
    )
  },
  {
    $id: 'Problem',
    title: 'Problem',
    description: 'RFC 9457 problem details (`application/problem+json`)',
    additionalProperties: true
  }
)

/** Response entries for the error statuses an operation can return, all problem+json. */
export function problems(...statuses: number[]): Record<number, TSchema> {
  const descriptions: Record<number, string> = {
    400: 'Bad request: a malformed body or an invalid query or path parameter',
    401: 'No valid API key',
    403: 'The key may not do this',
    404: 'Not found',
    409: 'Conflict with the current state',
    412: 'The If-Match precondition failed',
    413: 'The body is too large',
    415: 'Unsupported media type',
    422: 'The body is well-formed but invalid',
    428: 'A precondition header is required',
    429: 'Too many requests',
    500: 'Internal error',
    503: 'Busy: retry after the seconds in Retry-After'
  }
  return Object.fromEntries(statuses.map((s) => [s, Type.Ref('Problem', { description: descriptions[s] ?? 'Error' })]))
}

export const IdSchema = Type.Integer({ minimum: 1, maximum: 2 ** 53 - 1 })

export const LimitSchema = Type.Integer({
  minimum: 1,
  maximum: 500,
  default: 50,
  description: 'Page size (1–500, default 50)'
})
export const CursorSchema = Type.String({
  minLength: 1,
  maxLength: 512,
  description: 'Opaque cursor from the previous page’s `next`'
})

export const pageOf = (item: TSchema, id: string) =>
  Type.Object(
    {
      items: Type.Array(item),
      next: Type.Union([Type.String(), Type.Null()], {
        description: 'Cursor of the next page, or null on the last page'
      })
    },
    { $id: id, additionalProperties: false }
  )

export const RegionPrefixSchema = Type.String({
  pattern: '^[0-9]{2,6}$',
  description: 'GB/T 2260 region code prefix: 2 digits (province), 4 (prefecture), 6 (county)'
})
