// One log line per request, written when the response has gone: request id, method, URL, route, status,
// time, client address, and the API key that made it. Fastify's own lines (incoming request, request
// completed, route not found) are replaced by it: `AccessLog` is the app's log controller. A 5xx adds the
// error handler's line, with the error.
//
// The request id is the caller's X-Request-Id when it looks like an id (a tracing id from a gateway or
// another government system, so that both logs name the same request), otherwise a fresh UUID; every
// response carries it back in X-Request-Id, errors and 404s included.
import { randomUUID } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import fp from 'fastify-plugin'
import { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify'
import type { Bindings, ChildLoggerOptions } from 'pino'

export const REQUEST_ID_HEADER = 'x-request-id'
/** what an incoming id may be: printable, no spaces or quotes, so that it cannot forge log fields or headers */
const ACCEPTED_ID = /^[A-Za-z0-9._:@/+=-]{1,128}$/

/** Fastify's genReqId: the caller's id when acceptable, else a new one. */
export function requestIdOf(req: IncomingMessage): string {
  const given = req.headers[REQUEST_ID_HEADER]
  return typeof given === 'string' && ACCEPTED_ID.test(given) ? given : randomUUID()
}

/** The access line's fields (the request id is bound to request.log already). */
export function accessFields(request: FastifyRequest, reply: FastifyReply) {
  const key = request.apiKey
  return {
    method: request.method,
    url: request.url,
    route: request.routeOptions.url ?? null,
    status: reply.statusCode,
    ms: Math.round(reply.elapsedTime * 10) / 10,
    ip: request.ip,
    ...(key ? { keyId: key.id, keyName: key.name } : {})
  }
}

/**
 * Fastify's log controller, writing the one access line when a response has gone, and nothing else. The
 * line is written by the server's logger with the request id among its fields (the same line a request's
 * child logger would write), so that a request that logs nothing else never builds a child logger.
 */
export class AccessLog extends LogController {
  override incomingRequest() {}
  override routeNotFound() {}
  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply) {
    const log = request.server.log
    if (error) log.error({ reqId: request.id, ...accessFields(request, reply), err: error }, 'request')
    else log.info({ reqId: request.id, ...accessFields(request, reply) }, 'request')
  }
}

type LogArgs = Parameters<FastifyBaseLogger['info']>

/**
 * A request's logger that becomes a pino child on its first use. One object with its methods on the prototype:
 * it is made for every request, and most requests never use it.
 */
class LazyChildLogger {
  private real: FastifyBaseLogger | undefined
  constructor(
    private readonly parent: FastifyBaseLogger,
    private readonly bindings: Bindings,
    private readonly options: ChildLoggerOptions
  ) {}
  private logger(): FastifyBaseLogger {
    return (this.real ??= this.parent.child(this.bindings, this.options))
  }
  get level(): string {
    return this.real?.level ?? this.options.level ?? this.parent.level
  }
  set level(value: string) {
    this.logger().level = value
  }
  child(bindings: Bindings, options?: ChildLoggerOptions) {
    return this.logger().child(bindings, options)
  }
  fatal(...args: LogArgs) {
    this.logger().fatal(...args)
  }
  error(...args: LogArgs) {
    this.logger().error(...args)
  }
  warn(...args: LogArgs) {
    this.logger().warn(...args)
  }
  info(...args: LogArgs) {
    this.logger().info(...args)
  }
  debug(...args: LogArgs) {
    this.logger().debug(...args)
  }
  trace(...args: LogArgs) {
    this.logger().trace(...args)
  }
  silent(...args: LogArgs) {
    this.logger().silent(...args)
  }
}

/**
 * Fastify's childLoggerFactory: `request.log` is built on its first use. Most requests log only their
 * access line (above), and a pino child per request costs about as much as the line itself.
 */
export function lazyChildLogger(
  this: FastifyInstance,
  logger: FastifyBaseLogger,
  bindings: Bindings,
  options: ChildLoggerOptions
): FastifyBaseLogger {
  return new LazyChildLogger(logger, bindings, options) as unknown as FastifyBaseLogger
}

/** Echoes the request id on every response that goes through the hooks (see framework-errors.ts for the rest). */
export default fp(
  async function requestLog(app: FastifyInstance) {
    app.addHook('onRequest', (request, reply, done) => {
      reply.header(REQUEST_ID_HEADER, request.id)
      done()
    })
  },
  { name: 'request-log' }
)
