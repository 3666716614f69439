import t from 'tap'
import { buildTestApp } from '../helper.js'

const DASHBOARD = 'https://dashboard.example.gov.cn'

t.test('security headers on API responses, and Swagger UI still works under the CSP', async (t) => {
  const app = await buildTestApp()
  t.teardown(() => app.close())
  const res = await app.inject('/v1/agencies')
  t.equal(res.headers['x-content-type-options'], 'nosniff')
  t.equal(res.headers['x-frame-options'], 'SAMEORIGIN')
  t.match(res.headers['strict-transport-security'], /max-age=\d+/)
  const csp = String(res.headers['content-security-policy'])
  t.match(csp, /default-src 'self'/)
  t.match(csp, /script-src 'self'/)
  t.match(csp, /object-src 'none'/)
  t.notMatch(csp, /upgrade-insecure-requests/, 'plain-HTTP deployments keep working')
  t.notOk(res.headers['access-control-allow-origin'], 'no CORS unless origins are configured')
  t.notOk(res.headers['x-powered-by'])

  const ui = await app.inject('/docs/')
  t.equal(ui.statusCode, 200)
  t.match(ui.headers['content-type'], /text\/html/)
  t.equal(ui.headers['content-security-policy'], csp, 'the UI page is under the same policy')
  const scripts = [...ui.body.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)]
  t.ok(scripts.length >= 2)
  for (const [, attributes, content] of scripts) {
    t.match(attributes, /src="\.\/static\/[\w.-]+\.js"/, 'every script comes from our own origin (script-src self)')
    t.equal(content.trim(), '', 'and none is inline')
  }
  for (const [, src] of scripts.map(([, attributes]) => /src="\.\/([^"]+)"/.exec(attributes)!)) {
    const asset = await app.inject(`/docs/${src}`)
    t.equal(asset.statusCode, 200, `/docs/${src}`)
  }
  const spec = await app.inject('/openapi.json')
  t.equal(spec.statusCode, 200, 'the document the UI fetches (connect-src self)')
})

t.test('CORS for the configured dashboard origins', async (t) => {
  const app = await buildTestApp({ corsOrigins: [DASHBOARD], readRequiresKey: true })
  t.teardown(() => app.close())
  const res = await app.inject({ url: '/v1/agencies', headers: { origin: DASHBOARD } })
  t.equal(res.statusCode, 200)
  t.equal(res.headers['access-control-allow-origin'], DASHBOARD)
  const exposed = String(res.headers['access-control-expose-headers']).split(/,\s*/)
  for (const h of ['ETag', 'Location', 'Retry-After', 'RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset', 'Idempotent-Replayed']) {
    t.ok(exposed.includes(h), `exposes ${h}`)
  }
  t.notOk(res.headers['access-control-allow-credentials'], 'keys travel in headers, never cookies')

  const stranger = await app.inject({ url: '/v1/agencies', headers: { origin: 'https://evil.example.com' } })
  t.notOk(stranger.headers['access-control-allow-origin'], 'another origin is not allowed')

  const preflight = await app.injectAs(null, {
    method: 'OPTIONS',
    url: '/v1/reports/1',
    headers: {
      origin: DASHBOARD,
      'access-control-request-method': 'PUT',
      'access-control-request-headers': 'authorization, if-match, content-type, idempotency-key'
    }
  })
  t.equal(preflight.statusCode, 204, 'a preflight needs no key, even when reads do')
  t.equal(preflight.headers['access-control-allow-origin'], DASHBOARD)
  t.match(preflight.headers['access-control-allow-methods'], /PUT/)
  const allowed = String(preflight.headers['access-control-allow-headers']).toLowerCase()
  for (const h of ['authorization', 'if-match', 'if-none-match', 'idempotency-key', 'content-type'])
    t.ok(allowed.includes(h), `allows ${h}`)
})

t.test('CORS_ORIGINS=* allows any origin', async (t) => {
  const app = await buildTestApp({ corsOrigins: ['*'] })
  t.teardown(() => app.close())
  const res = await app.inject({ url: '/v1/agencies', headers: { origin: 'https://anyone.example.org' } })
  t.equal(res.headers['access-control-allow-origin'], '*')
})
