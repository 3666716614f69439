// An oversized body gets its 413 problem, and the client reads it. Fastify answers as soon as it knows a
// body is too large (from Content-Length, or once BODY_LIMIT bytes have come) and then closes the
// connection; but a client that is still sending then writes into a closed socket and, with most HTTP
// libraries, reports a broken pipe or a reset instead of the answer waiting in its buffer. So:
// - `Expect: 100-continue` with a Content-Length past BODY_LIMIT: the 413 is sent instead of 100 Continue,
//   before a byte of the body, and the connection closes (the client sends nothing more);
// - otherwise the 413 is sent at once and the rest of the body is read and thrown away, up to
//   DRAIN_MAX_BYTES and DRAIN_MAX_MS, after which the connection is cut; a body that ends within those
//   bounds leaves the connection open for the next request. A Content-Length past DRAIN_MAX_BYTES is not
//   waited for: the connection closes after the answer.
// The same bounded drain follows any answer given before the body was read to its end.
import fp from 'fastify-plugin'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'

/** At most this much of a refused body is read (and thrown away) after the answer */
export const DRAIN_MAX_BYTES = 64 * 1024 * 1024
/** …and for at most this long */
export const DRAIN_MAX_MS = 30_000

export interface OversizedBodyOptions {
  /** BODY_LIMIT, in bytes */
  bodyLimit: number
}

export default fp(
  async function oversizedBody(app: FastifyInstance, opts: OversizedBodyOptions) {
    const refusedBeforeBody = new WeakSet<IncomingMessage>()

    // the largest body any route takes (a route may raise BODY_LIMIT for itself)
    let largest = opts.bodyLimit
    app.addHook('onRoute', (route) => {
      if (route.bodyLimit !== undefined) largest = Math.max(largest, route.bodyLimit)
    })

    // With a listener here Node no longer sends 100 Continue by itself: it is sent only for a body no route
    // would refuse. Either way the request goes on to Fastify, which answers a declared oversize with a 413.
    app.server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => {
      if (Number(req.headers['content-length']) > largest) refusedBeforeBody.add(req)
      else res.writeContinue()
      app.server.emit('request', req, res)
    })

    // a callback hook: most answers pass it as they are, and need no promise for that
    app.addHook(
      'onSend',
      (request: FastifyRequest, reply: FastifyReply, payload: unknown, done: (err: Error | null, payload?: unknown) => void) => {
        const raw = request.raw
        // Fastify asks to close when it stops reading a body; a bounded drain replaces that
        if (raw.complete || reply.getHeader('connection') !== 'close' || refusedBeforeBody.has(raw)) return done(null, payload)
        if (Number(raw.headers['content-length']) > DRAIN_MAX_BYTES) return done(null, payload)
        reply.removeHeader('connection')
        drain(raw)
        done(null, payload)
      }
    )
  },
  { name: 'oversized-body' }
)

/**
 * Reads the rest of a request body and drops it, cutting the connection past DRAIN_MAX_BYTES or
 * DRAIN_MAX_MS. It listens on the request, never on the socket: a socket listener would take the socket
 * from Node's HTTP parser.
 */
function drain(raw: IncomingMessage) {
  let drained = 0
  const stop = () => {
    clearTimeout(timer)
    raw.off('data', count)
  }
  const cut = () => {
    stop()
    // destroying the request destroys its socket
    raw.destroy()
  }
  const count = (chunk: Buffer) => {
    drained += chunk.length
    if (drained > DRAIN_MAX_BYTES) cut()
  }
  const timer = setTimeout(cut, DRAIN_MAX_MS)
  timer.unref()
  raw.on('data', count)
  raw.once('end', stop)
  raw.once('close', stop)
  raw.resume()
}
