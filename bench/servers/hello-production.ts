// The second yardstick: Fastify's hello-world JSON route served with nianbao's production defaults and nothing
// else — pino at info written asynchronously into HELLO_LOG_FILE (else discarded), one access line per request
// by the same log controller, the request id taken from X-Request-Id or made and echoed, the security headers,
// the rate limiter counting every request (at the bench's limit, as nianbao runs: never refused). Compression is
// left out (it works with nianbao's conditional GETs, and a 17-byte answer is never compressed). The ratio to it
// shows what nianbao costs beyond what any route pays in its configuration.
//
// With HELLO_ANSWERS (a JSON file of recorded answers, written by bench/ceiling.ts) it also serves each of them
// from memory at GET /answer/<name>: the status, the representation's headers and the bytes nianbao sent — what
// sending that answer costs on this stack when nothing is read or computed.
import { readFileSync } from 'node:fs'
import Fastify from 'fastify'
import fp from 'fastify-plugin'
import { pino } from 'pino'
import requestLog, { AccessLog, lazyChildLogger, requestIdOf } from '../../src/plugins/request-log.js'
import httpSecurity from '../../src/plugins/http-security.js'
import rateLimit from '../../src/plugins/rate-limit.js'
import { serveAsChild } from './child.js'

const app = Fastify({
  logger: { level: 'info', stream: pino.destination({ dest: process.env.HELLO_LOG_FILE ?? '/dev/null', sync: false }) },
  logController: new AccessLog(),
  childLoggerFactory: lazyChildLogger,
  keepAliveTimeout: 72_000,
  requestIdHeader: false,
  genReqId: requestIdOf
})
await app.register(requestLog)
await app.register(httpSecurity, {})
// the limiter counts per key or per address after the key is known: here every request is anonymous, as the
// bench's reads of nianbao are (its auth plugin reads keys from the database, which hello-world has none of)
await app.register(
  fp(
    async (instance) => {
      instance.decorateRequest('apiKey', null)
    },
    { name: 'auth' }
  )
)
await app.register(rateLimit, { max: Number(process.env.RATE_LIMIT_MAX ?? 1_000_000_000) })
app.get('/', async () => ({ hello: 'world' }))

/** An answer as recorded: its status, the headers that describe its representation, and its body in base64. */
export interface RecordedAnswer {
  status: number
  headers: Record<string, string>
  body: string
}
if (process.env.HELLO_ANSWERS) {
  const recorded = JSON.parse(readFileSync(process.env.HELLO_ANSWERS, 'utf8')) as Record<string, RecordedAnswer>
  const answers = new Map(Object.entries(recorded).map(([name, a]) => [name, { ...a, bytes: Buffer.from(a.body, 'base64') }]))
  app.get<{ Params: { name: string } }>('/answer/:name', (request, reply) => {
    const answer = answers.get(request.params.name)
    if (!answer) return reply.code(404).send({ error: 'no such answer' })
    reply.code(answer.status).headers(answer.headers)
    return reply.send(answer.status === 304 ? undefined : answer.bytes)
  })
}
await serveAsChild(app)
