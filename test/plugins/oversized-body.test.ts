// An oversized body gets the documented 413 problem, read by a real client over a real socket: the
// server answers at once and drains a bounded amount of the rest, so that a client still sending is not
// cut off with a broken pipe before it reads the answer.
import t from 'tap'
import { connect, type Socket } from 'node:net'
import { request as httpRequest } from 'node:http'
import { once } from 'node:events'
import { ADMIN_KEY, buildTestApp, json } from '../helper.js'
import { DRAIN_MAX_BYTES } from '../../src/plugins/oversized-body.js'

const LIMIT = 1024 * 1024
const app = await buildTestApp({ bodyLimit: LIMIT })
t.teardown(() => app.close())
await app.listen({ port: 0, host: '127.0.0.1' })
const { port } = app.server.address() as { port: number }

const headerLines = (lines: string[]) => `${lines.map((l) => `${l}\r\n`).join('')}\r\n`
const agencyHeaders = [`Authorization: Bearer ${ADMIN_KEY}`, 'Content-Type: application/json', 'Host: x']

interface Exchange {
  written: number
  writeError: string | null
  received: string
}

/** Writes the head, then `size` bytes of body (chunked when asked) as fast as the socket takes them, reading all the while. */
async function exchange(socket: Socket, head: string, size: number, options: { chunked?: boolean; next?: string } = {}): Promise<Exchange> {
  const result: Exchange = { written: 0, writeError: null, received: '' }
  socket.on('data', (d) => (result.received += d.toString('latin1')))
  socket.on('error', (e) => (result.writeError = e.message))
  socket.write(head)
  const piece = Buffer.alloc(64 * 1024, 0x61)
  while (result.written < size && !result.writeError) {
    const framed = options.chunked ? Buffer.concat([Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from('\r\n')]) : piece
    if (!socket.write(framed)) await Promise.race([once(socket, 'drain'), once(socket, 'close')])
    if (socket.destroyed) break
    result.written += piece.length
  }
  if (!socket.destroyed && options.chunked) socket.write('0\r\n\r\n')
  if (!socket.destroyed && options.next) socket.write(options.next)
  return result
}

/** Waits until the condition holds (at most 10 s: the machine may be slow). */
async function until(condition: () => boolean) {
  for (let waited = 0; !condition() && waited < 10_000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50))
}

const statusOf = (text: string) => Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1])
const bodyOf = (text: string) =>
  JSON.parse(Buffer.from(text.slice(text.indexOf('\r\n\r\n') + 4, text.indexOf('}') + 1), 'latin1').toString('utf8'))

t.test('a body past BODY_LIMIT, with Content-Length: the client sends it all and reads the 413 problem', async (t) => {
  const socket = connect(port, '127.0.0.1')
  await once(socket, 'connect')
  const size = 20 * LIMIT
  const result = await exchange(socket, headerLines(['POST /v1/agencies HTTP/1.1', ...agencyHeaders, `Content-Length: ${size}`]), size, {
    next: headerLines(['GET /healthz HTTP/1.1', 'Host: x'])
  })
  await until(() => /HTTP\/1\.1 200/.test(result.received))
  socket.destroy()
  t.equal(result.writeError, null, 'no broken pipe')
  t.equal(result.written, size, 'every byte was taken')
  t.equal(statusOf(result.received), 413)
  t.match(result.received, /content-type: application\/problem\+json/i)
  t.same(bodyOf(result.received), {
    type: 'about:blank',
    title: '请求体过大',
    status: 413,
    detail: `请求体超过 ${LIMIT} 字节（BODY_LIMIT）。`,
    instance: '/v1/agencies'
  })
  t.match(result.received.slice(result.received.indexOf('}')), /HTTP\/1\.1 200 OK/, 'the connection then serves the next request')
})

t.test('a chunked body past BODY_LIMIT: the same', async (t) => {
  const socket = connect(port, '127.0.0.1')
  await once(socket, 'connect')
  const size = 8 * LIMIT
  const result = await exchange(socket, headerLines(['POST /v1/agencies HTTP/1.1', ...agencyHeaders, 'Transfer-Encoding: chunked']), size, {
    chunked: true
  })
  await until(() => result.received.includes('}'))
  socket.destroy()
  t.equal(result.writeError, null, 'no broken pipe')
  t.equal(result.written, size)
  t.equal(statusOf(result.received), 413)
  t.equal(bodyOf(result.received).status, 413)
})

t.test('Expect: 100-continue: the 413 comes instead of 100 Continue, before any of the body is sent', async (t) => {
  const socket = connect(port, '127.0.0.1')
  await once(socket, 'connect')
  let received = ''
  socket.on('data', (d) => (received += d.toString('latin1')))
  socket.write(headerLines(['POST /v1/agencies HTTP/1.1', ...agencyHeaders, `Content-Length: ${20 * LIMIT}`, 'Expect: 100-continue']))
  await once(socket, 'close')
  t.notMatch(received, /100 Continue/)
  t.equal(statusOf(received), 413)
  t.match(received, /connection: close/i, 'the body was never sent: the connection closes')
  t.equal(bodyOf(received).status, 413)

  const fine = connect(port, '127.0.0.1')
  await once(fine, 'connect')
  let answer = ''
  fine.on('data', (d) => (answer += d.toString('latin1')))
  const body = JSON.stringify({ name: '继续局', regionCode: '630223', level: 'county', kind: 'department' })
  fine.write(
    headerLines([
      'POST /v1/agencies HTTP/1.1',
      ...agencyHeaders,
      `Content-Length: ${Buffer.byteLength(body)}`,
      'Expect: 100-continue',
      'Connection: close'
    ])
  )
  await until(() => answer.includes('100 Continue'))
  t.match(answer, /^HTTP\/1\.1 100 Continue/, 'a body within the limit is asked for')
  fine.write(body)
  await once(fine, 'close')
  t.match(answer, /HTTP\/1\.1 201 Created/)
})

t.test('a body declared past the drain bound is answered at once and the connection closed', async (t) => {
  const socket = connect(port, '127.0.0.1')
  await once(socket, 'connect')
  let received = ''
  socket.on('data', (d) => (received += d.toString('latin1')))
  socket.write(headerLines(['POST /v1/agencies HTTP/1.1', ...agencyHeaders, `Content-Length: ${DRAIN_MAX_BYTES + 1}`]))
  await once(socket, 'close')
  t.equal(statusOf(received), 413)
  t.match(received, /connection: close/i)
})

t.test('Node’s own HTTP client sending 20 MiB gets the 413 response, not an EPIPE', async (t) => {
  const res = await new Promise<{ status: number; body: string; error?: string }>((resolve) => {
    const req = httpRequest(
      {
        port,
        host: '127.0.0.1',
        method: 'POST',
        path: '/v1/agencies',
        headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json', 'content-length': 20 * LIMIT }
      },
      (response) => {
        let body = ''
        response.on('data', (d) => (body += d))
        response.on('end', () => resolve({ status: response.statusCode!, body }))
      }
    )
    req.on('error', (e) => resolve({ status: 0, body: '', error: e.message }))
    const piece = Buffer.alloc(64 * 1024, 0x61)
    let sent = 0
    const pump = () => {
      while (sent < 20 * LIMIT) {
        sent += piece.length
        if (!req.write(piece)) return void req.once('drain', pump)
      }
      req.end()
    }
    pump()
  })
  t.equal(res.error, undefined)
  t.equal(res.status, 413)
  t.equal(json(res).detail, `请求体超过 ${LIMIT} 字节（BODY_LIMIT）。`)
  t.same(
    json(await app.inject('/v1/agencies')).items.map((a: { name: string }) => a.name),
    ['继续局'],
    'no refused body wrote anything'
  )
})
