import t from 'tap'
import { connect } from 'node:net'
import { once } from 'node:events'
import { envSchema } from 'env-schema'
import { ConfigSchema, type EnvConfig } from '../../src/config.js'
import { buildTestApp } from '../helper.js'

t.test('the limits and timeouts are settings, with safe defaults', async (t) => {
  const config = envSchema<EnvConfig>({ schema: ConfigSchema, dotenv: false, data: {} })
  t.match(config, {
    RATE_LIMIT_MAX: 600,
    CORS_ORIGINS: '',
    TRUST_PROXY: false,
    JSON_MAX_DEPTH: 32,
    JSON_MAX_STRING_LENGTH: 1024 * 1024,
    REQUEST_TIMEOUT_MS: 60_000,
    CONNECTION_TIMEOUT_MS: 120_000,
    KEEP_ALIVE_TIMEOUT_MS: 72_000
  })
  t.equal(
    envSchema<EnvConfig>({ schema: ConfigSchema, dotenv: false, data: { RATE_LIMIT_MAX: '0' } }).RATE_LIMIT_MAX,
    0,
    '0 turns limits off'
  )
  t.throws(() => envSchema({ schema: ConfigSchema, dotenv: false, data: { RATE_LIMIT_MAX: '-1' } }))
})

t.test('the timeouts reach the HTTP server; an idle connection is closed', async (t) => {
  const app = await buildTestApp({ requestTimeout: 5000, connectionTimeout: 300, keepAliveTimeout: 1000 })
  t.teardown(() => app.close())
  t.match(app.initialConfig, { requestTimeout: 5000, connectionTimeout: 300, keepAliveTimeout: 1000 })
  await app.listen({ port: 0, host: '127.0.0.1' })
  const { port } = app.server.address() as { port: number }
  const socket = connect(port, '127.0.0.1')
  await once(socket, 'connect')
  const started = Date.now()
  socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n') // never finishes its headers
  await once(socket, 'close')
  const waited = Date.now() - started
  t.ok(waited >= 250 && waited < 5000, `closed after ${waited} ms of silence`)
})
