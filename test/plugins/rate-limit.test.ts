import t from 'tap'
import { buildTestApp, json } from '../helper.js'

const agencyBody = { name: '某局', regionCode: '630223', level: 'county', kind: 'department' }

t.test('each key, and each address without a key, gets RATE_LIMIT_MAX requests a minute', async (t) => {
  const app = await buildTestApp({ rateLimitMax: 3 })
  t.teardown(() => app.close())
  const submitter = json(
    await app.inject({ method: 'POST', url: '/v1/keys', payload: { name: '海东', role: 'submitter', regions: ['6302'] } })
  ).key

  const seen = []
  for (let i = 0; i < 3; i++) {
    const res = await app.injectAs(submitter, '/v1/agencies')
    t.equal(res.statusCode, 200)
    seen.push(res.headers['ratelimit-remaining'])
    t.equal(res.headers['ratelimit-limit'], '3')
  }
  t.same(seen, ['2', '1', '0'], 'RateLimit-Remaining counts down')
  const over = await app.injectAs(submitter, { method: 'POST', url: '/v1/agencies', payload: agencyBody })
  t.equal(over.statusCode, 429)
  t.match(over.headers['content-type'], /^application\/problem\+json/)
  t.match(json(over), { status: 429, title: '请求过于频繁', detail: /此 API 密钥每分钟最多 3 次/ })
  t.ok(Number(over.headers['retry-after']) >= 1 && Number(over.headers['retry-after']) <= 60, `Retry-After ${over.headers['retry-after']}`)
  t.equal(over.headers['ratelimit-remaining'], '0')
  t.ok(Number(over.headers['ratelimit-reset']) >= 1)
  t.equal(json(await app.inject('/v1/agencies')).items.length, 0, 'the refused write wrote nothing')

  for (let i = 0; i < 3; i++) t.equal((await app.injectAs(null, '/v1/agencies')).statusCode, 200, 'the address has its own budget')
  const anonymous = await app.injectAs(null, '/v1/agencies')
  t.equal(anonymous.statusCode, 429)
  t.match(json(anonymous).detail, /此地址每分钟/)
  t.equal(
    (await app.injectAs(null, { url: '/v1/agencies', remoteAddress: '10.1.2.3' })).statusCode,
    200,
    'another address is counted apart'
  )

  for (let i = 0; i < 10; i++) {
    const res = await app.inject('/v1/agencies')
    t.equal(res.statusCode, 200, 'admin keys are exempt')
    t.notOk(res.headers['ratelimit-limit'])
  }
  t.equal((await app.injectAs(null, '/healthz')).statusCode, 200, 'health probes are exempt')
})

t.test('RATE_LIMIT_MAX=0 turns limits off', async (t) => {
  const app = await buildTestApp({ rateLimitMax: 0 })
  t.teardown(() => app.close())
  for (let i = 0; i < 20; i++) {
    const res = await app.injectAs(null, '/v1/agencies')
    t.equal(res.statusCode, 200)
    t.notOk(res.headers['ratelimit-limit'])
  }
})

t.test('failed authentication counts against the address: a wrong key gets a 429 like any other request', async (t) => {
  const app = await buildTestApp({ rateLimitMax: 3 })
  t.teardown(() => app.close())
  const wrong = 'nbk_not-a-key-not-a-key-not-a-key-000'
  for (let i = 0; i < 3; i++) {
    const res = await app.injectAs(wrong, { method: 'POST', url: '/v1/agencies', payload: agencyBody })
    t.equal(res.statusCode, 401, 'refused, and counted')
    t.equal(res.headers['ratelimit-remaining'], String(2 - i))
    t.equal(res.headers['www-authenticate'], 'Bearer realm="nianbao", error="invalid_token"')
  }
  const over = await app.injectAs(wrong, { method: 'POST', url: '/v1/agencies', payload: agencyBody })
  t.equal(over.statusCode, 429, 'the fourth guess is not even checked')
  t.match(json(over), { status: 429, detail: /此地址每分钟最多 3 次/ })
  t.equal((await app.injectAs(null, '/v1/agencies')).statusCode, 429, 'the address shares one budget, with or without a (wrong) key')
  t.equal(
    (await app.injectAs(`${wrong}x`, { url: '/v1/agencies', remoteAddress: '10.9.9.9' })).statusCode,
    401,
    'another address is counted apart'
  )
  t.equal(
    (await app.injectAs(null, { method: 'POST', url: '/v1/agencies', payload: agencyBody, remoteAddress: '10.9.9.8' })).headers[
      'ratelimit-remaining'
    ],
    '2',
    'a missing key on a write is counted too'
  )
  t.equal((await app.inject('/v1/agencies')).statusCode, 200, 'a valid admin key from the same address still passes')
  t.equal(json(await app.inject('/v1/agencies')).items.length, 0, 'nothing was written')
})
