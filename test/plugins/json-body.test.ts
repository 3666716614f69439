import t from 'tap'
import Fastify from 'fastify'
import jsonBody, { DEFAULT_JSON_LIMITS, scanJson } from '../../src/plugins/json-body.js'
import { buildTestApp, json, countRows } from '../helper.js'

const limits = { maxDepth: 3, maxStringLength: 5 }
const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth)

t.test('scanJson finds the first limit broken, on the raw text', async (t) => {
  t.equal(scanJson(nested(3), limits), null)
  t.equal(scanJson(nested(4), limits), 'depth')
  t.equal(scanJson('{"a":{"b":[1]}}', limits), null)
  t.equal(scanJson('{"a":{"b":[{}]}}', limits), 'depth')
  t.equal(scanJson('[[],[],[],[[]]]', limits), null, 'depth is nesting, not the count of brackets')
  t.equal(scanJson('["[[[[[[", "{{{{{"]', { ...limits, maxStringLength: 10 }), null, 'brackets inside strings do not nest')
  t.equal(scanJson('"abcde"', limits), null)
  t.equal(scanJson('"abcdef"', limits), 'string')
  t.equal(scanJson('{"abcdef":1}', limits), 'string', 'keys are strings too')
  t.equal(scanJson('["a\\"b\\"c"]', { ...limits, maxStringLength: 7 }), null, 'escaped quotes do not end a string')
  t.equal(scanJson('["a\\"b\\"cd"]', { ...limits, maxStringLength: 7 }), 'string')
  t.equal(scanJson('["\\\\", "[[[[[["]', { maxDepth: 1, maxStringLength: 10 }), null, 'an escaped backslash before a quote ends the string')
  t.equal(scanJson('["unterminated', limits), null, 'malformed text is left to the parser')
  t.same(DEFAULT_JSON_LIMITS, { maxDepth: 32, maxStringLength: 1024 * 1024 })
})

t.test('bodies over the limits are refused with a problem naming the limit; nothing is written', async (t) => {
  const app = await buildTestApp({ bodyLimit: 4 * 1024 * 1024 })
  t.teardown(() => app.close())
  const agencies = () => countRows(app, 'agencies')
  const post = (payload: string, type = 'application/json') =>
    app.inject({ method: 'POST', url: '/v1/agencies', headers: { 'content-type': type }, payload })
  const agency = { name: '某局', regionCode: '630223', level: 'county', kind: 'department' }

  const deep = await post(JSON.stringify({ ...agency, extra: JSON.parse(nested(40)) }))
  t.equal(deep.statusCode, 400)
  t.match(deep.headers['content-type'], /^application\/problem\+json/)
  t.match(json(deep).detail, /嵌套超过 32 层（JSON_MAX_DEPTH）/)

  const started = Date.now()
  const bomb = await post(nested(1_500_000))
  t.equal(bomb.statusCode, 400, 'three megabytes of brackets')
  t.ok(Date.now() - started < 2000, `refused before parsing (${Date.now() - started} ms)`)

  const long = await post(JSON.stringify({ ...agency, name: '局'.repeat(1024 * 1024 + 1) }))
  t.equal(long.statusCode, 413)
  t.match(json(long), { title: '请求体过大', detail: /超过 1048576 个字符（JSON_MAX_STRING_LENGTH）/ })

  for (const payload of [
    '{"__proto__":{"admin":true},"name":"x"}',
    '{"constructor":{"prototype":{"admin":true}}}',
    '[{"a":{"__proto__":1}}]'
  ]) {
    const res = await post(payload)
    t.equal(res.statusCode, 400, payload)
    t.match(json(res).detail, /一律不接受的键/)
  }
  const invalid = await post('{"name": "某局",')
  t.equal(invalid.statusCode, 400)
  t.match(json(invalid), { type: '/problems/malformed-body', detail: '请求体不是有效的 JSON。' })
  const empty = await post('')
  t.equal(empty.statusCode, 400)
  t.equal(json(empty).type, '/problems/malformed-body')
  const tooBig = await post(JSON.stringify({ ...agency, pad: 'x'.repeat(5 * 1024 * 1024) }))
  t.equal(tooBig.statusCode, 413, 'BODY_LIMIT still comes first')
  t.equal(await agencies(), 0, 'nothing was written')

  const ok = await post(JSON.stringify(agency), 'application/json; charset=utf-8')
  t.equal(ok.statusCode, 201, 'an ordinary body passes')
})

t.test('the limits are configurable', async (t) => {
  const app = await buildTestApp({ jsonMaxDepth: 4, jsonMaxStringLength: 2000 })
  t.teardown(() => app.close())
  const post = (payload: unknown) => app.inject({ method: 'POST', url: '/v1/agencies', payload: payload as object })
  const agency = { name: '某局', regionCode: '630223', level: 'county', kind: 'department' }
  t.equal((await post({ ...agency, name: 'x'.repeat(2001) })).statusCode, 413)
  t.equal((await post({ ...agency, x: [[[[1]]]] })).statusCode, 400)
  t.match(json(await post({ ...agency, x: [[[[1]]]] })).detail, /嵌套超过 4 层/)
  t.equal((await post({ ...agency, x: [[[1]]] })).statusCode, 422, 'within the limits: the schema judges it')
})

t.test('the raw text is kept on the request only when it carries Idempotency-Key (to hash it)', async (t) => {
  const app = Fastify()
  await app.register(jsonBody)
  app.post('/echo', async (request) => ({ raw: request.rawBody, parsed: request.body }))
  t.teardown(() => app.close())
  const payload = '{"name":"某局", "n": [1, 2]}'
  const post = (headers: Record<string, string>) =>
    app.inject({ method: 'POST', url: '/echo', headers: { 'content-type': 'application/json', ...headers }, payload })
  t.same((await post({})).json(), { raw: null, parsed: { name: '某局', n: [1, 2] } }, 'no key: the text is not kept')
  t.same(
    (await post({ 'idempotency-key': 'k-1' })).json(),
    { raw: payload, parsed: { name: '某局', n: [1, 2] } },
    'with a key: the text as sent, spaces and all'
  )
})
