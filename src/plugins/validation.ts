// Two validators: bodies are checked strictly (no type coercion, no dropped properties: a wrong type or
// an unknown field is an error, never silently fixed), while query strings and path parameters, which
// arrive as text, are coerced to the declared types. Each distinct schema is compiled once, when first
// needed (./compilers.ts).
import { Ajv, type Options } from 'ajv'
import addFormats from 'ajv-formats'
import fp from 'fastify-plugin'
import type { FastifyInstance, FastifySchema } from 'fastify'
import type { Compilers } from './compilers.js'

function createAjv(options: Options) {
  const ajv = new Ajv({
    allErrors: true,
    strict: false,
    useDefaults: true,
    removeAdditional: false,
    ...options
  })
  addFormats.default(ajv, ['date', 'date-time', 'uri', 'email'])
  return ajv
}

export default fp(
  async function validation(app: FastifyInstance, opts: { validator: Compilers['validator'] }) {
    // verbose: an error carries the value at fault, so that a message can name what is wrong in it
    const body = createAjv({ coerceTypes: false, verbose: true })
    const text = createAjv({ coerceTypes: 'array' })
    // Shared schemas (added with app.addSchema) must be known to both.
    const shared = app.getSchemas() as Record<string, FastifySchema>
    for (const schema of Object.values(shared)) {
      body.addSchema(schema as object)
      text.addSchema(schema as object)
    }
    const kind = (httpPart?: string) => (httpPart === 'body' ? 'body' : 'text')
    app.setValidatorCompiler(
      opts.validator(
        ({ schema, httpPart }: { schema: FastifySchema; httpPart?: string }) => {
          // bodies taken as raw bytes (imports) are read by their own parser, not by a schema
          if (httpPart === 'body' && (schema as Record<string, unknown>)['x-raw-body'] === true) return () => true
          return (kind(httpPart) === 'body' ? body : text).compile(schema as object)
        },
        ({ httpPart }) => kind(httpPart)
      )
    )
  },
  { name: 'validation' }
)
