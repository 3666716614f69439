import t from 'tap'
import Fastify from 'fastify'
import { createCompilation, serializerFactory } from '../../src/plugins/compilers.js'
import { buildTestApp } from '../helper.js'

t.test('equal schemas share one compiled function, compiled on first use', async (t) => {
  const { validator, serializer, compilation } = createCompilation()
  let validators = 0
  const app = Fastify({ schemaController: { compilersFactory: { buildSerializer: serializerFactory(serializer) } } })
  app.setValidatorCompiler(
    validator(
      ({ schema }: { schema: unknown }) => {
        validators++
        const s = schema as { properties: Record<string, unknown> }
        const fn = Object.assign(
          (data: unknown) => {
            const ok = typeof (data as Record<string, unknown>).n === 'string'
            fn.errors = ok ? null : [{ keyword: 'type', instancePath: '/n', schemaPath: '#', params: {}, message: 'must be string' }]
            return ok
          },
          { errors: null as unknown }
        )
        t.ok(s.properties.n, 'the schema reaches the compiler')
        return fn as never
      },
      () => 'query'
    )
  )
  const querystring = { type: 'object', properties: { n: { type: 'string' } } }
  const response = { 200: { type: 'object', properties: { ok: { type: 'boolean' } } } }
  app.get('/a', { schema: { querystring, response } }, async () => ({ ok: true, extra: 1 }))
  app.get('/b', { schema: { querystring: structuredClone(querystring), response: structuredClone(response) } }, async () => ({ ok: false }))
  await app.ready()
  t.same(compilation.stats, { compiled: 0, pending: 2 }, 'one validator and one serializer, neither compiled yet')
  t.equal(validators, 0)

  const a = await app.inject('/a?n=x')
  t.equal(a.statusCode, 200)
  t.equal(a.body, '{"ok":true}', 'the serializer of the schema ran (extra is not in it)')
  t.equal(validators, 1)
  t.same(compilation.stats, { compiled: 2, pending: 0 })
  const b = await app.inject('/b')
  t.equal(b.statusCode, 400, 'the shared validator refuses, with its errors')
  t.match(JSON.parse(b.body).message, 'must be string')
  t.equal(validators, 1, 'the second route reused the first one’s validator')
})

t.test('the app compiles every schema: on first use, in the background once listening, or at once', async (t) => {
  const app = await buildTestApp()
  t.teardown(() => app.close())
  const before = app.compilation.stats
  t.equal(before.compiled, 0, 'nothing compiled at ready')
  t.ok(before.pending > 40, `${before.pending} distinct schemas pending`)
  const res = await app.inject('/v1/reports?limit=0')
  t.equal(res.statusCode, 400, 'a lazily compiled validator still validates')
  t.match(JSON.parse(res.body), { errors: [{ parameter: 'limit' }] })
  t.ok(app.compilation.stats.compiled >= 1)
  app.compilation.compileAll()
  t.same(app.compilation.stats, { compiled: before.pending, pending: 0 }, 'every schema compiles')
})

t.test('listening starts the background compilation', async (t) => {
  const app = await buildTestApp()
  t.teardown(() => app.close())
  await app.listen({ port: 0, host: '127.0.0.1' })
  const deadline = Date.now() + 120_000
  while (app.compilation.stats.pending > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
  t.equal(app.compilation.stats.pending, 0, 'nothing left to compile')
  const { port } = app.server.address() as { port: number }
  const res = await fetch(`http://127.0.0.1:${port}/v1/regions/630223`)
  t.equal(res.status, 200)
})
