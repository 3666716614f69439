// The yardstick with nianbao's logging: Fastify's hello-world JSON route, logging as nianbao does in
// production (pino at info, written asynchronously, one access line per request with its request id, by
// the same log controller), into the file HELLO_LOG_FILE (else discarded). The ratio to it shows what the
// rest of nianbao costs once the logging the issue asks for is paid.
import Fastify from 'fastify'
import { pino } from 'pino'
import { AccessLog, lazyChildLogger, requestIdOf } from '../../src/plugins/request-log.js'
import { serveAsChild } from './child.js'

const app = Fastify({
  logger: { level: 'info', stream: pino.destination({ dest: process.env.HELLO_LOG_FILE ?? '/dev/null', sync: false }) },
  logController: new AccessLog(),
  childLoggerFactory: lazyChildLogger,
  requestIdHeader: false,
  genReqId: requestIdOf
})
app.get('/', async () => ({ hello: 'world' }))
await serveAsChild(app)
