// Requests Node's HTTP parser refuses never reach Fastify's routes or hooks; they still get a
// problem+json answer. Sent as raw bytes over a real socket, since inject() bypasses the parser.
import t from 'tap'
import { connect } from 'node:net'
import { buildTestApp } from '../helper.js'

async function exchange(
  port: number,
  bytes: Buffer
): Promise<{ head: string; status: number; headers: Record<string, string>; body: string }> {
  const answer = await new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = []
    const socket = connect(port, '127.0.0.1', () => socket.write(bytes))
    socket.on('data', (d) => chunks.push(d))
    socket.on('close', () => resolve(Buffer.concat(chunks)))
    socket.on('error', reject)
  })
  const text = answer.toString('utf8')
  const [head, body] = [text.slice(0, text.indexOf('\r\n\r\n')), text.slice(text.indexOf('\r\n\r\n') + 4)]
  const [statusLine, ...lines] = head.split('\r\n')
  const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]))
  return { head: statusLine, status: Number(statusLine.split(' ')[1]), headers, body }
}

t.test('a request the HTTP parser refuses gets a problem+json answer', async (t) => {
  const app = await buildTestApp()
  t.teardown(() => app.close())
  await app.listen({ port: 0, host: '127.0.0.1' })
  const { port } = app.server.address() as { port: number }

  // Chinese by default, as every problem
  const utf8 = await exchange(port, Buffer.from('GET /v1/agencies?q=财政 HTTP/1.1\r\nHost: localhost\r\n\r\n', 'utf8'))
  t.equal(utf8.head, 'HTTP/1.1 400 Bad Request')
  t.equal(utf8.headers['content-type'], 'application/problem+json')
  t.equal(utf8.headers['content-language'], 'zh-CN')
  t.equal(Number(utf8.headers['content-length']), Buffer.byteLength(utf8.body), 'the length counts bytes')
  t.match(utf8.headers['x-request-id'], /^[0-9a-f-]{36}$/, 'a request id, as on every answer')
  t.equal(utf8.headers.connection, 'close')
  const problem = JSON.parse(utf8.body)
  t.same(Object.keys(problem).sort(), ['detail', 'status', 'title', 'type'])
  t.match(problem, { type: 'about:blank', title: '请求有误', status: 400 })
  t.match(problem.detail, /^网址含有 ASCII 以外的字符：请按 UTF-8 进行百分号编码/)
  t.match(problem.detail, /--data-urlencode/, 'says how to send it with curl')

  // English when the request's Accept-Language prefers it
  const en = await exchange(
    port,
    Buffer.from('GET /v1/agencies?q=财政 HTTP/1.1\r\nHost: localhost\r\nAccept-Language: en-GB, zh;q=0.5\r\n\r\n', 'utf8')
  )
  t.equal(en.headers['content-language'], 'en')
  t.match(JSON.parse(en.body), {
    title: 'Bad Request',
    status: 400,
    detail: /^The URL holds characters outside ASCII: percent-encode them \(UTF-8\)/
  })

  const garbage = await exchange(port, Buffer.from('NOT A REQUEST\r\nAccept-Language: en\r\n\r\n'))
  t.equal(garbage.status, 400)
  t.equal(garbage.headers['content-type'], 'application/problem+json')
  t.same(JSON.parse(garbage.body), {
    type: 'about:blank',
    title: 'Bad Request',
    status: 400,
    detail: 'The request is not valid HTTP/1.1: its request line or headers could not be parsed.'
  })
  const garbageZh = await exchange(port, Buffer.from('NOT A REQUEST\r\n\r\n'))
  t.same(JSON.parse(garbageZh.body), {
    type: 'about:blank',
    title: '请求有误',
    status: 400,
    detail: '请求不是有效的 HTTP/1.1：无法解析其请求行或请求头。'
  })

  const bigHeader = await exchange(port, Buffer.from(`GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`))
  t.equal(bigHeader.status, 431)
  t.equal(bigHeader.head, 'HTTP/1.1 431 Request Header Fields Too Large')
  t.match(JSON.parse(bigHeader.body), { type: 'about:blank', status: 431, title: '请求头过大' })

  // the same query, percent-encoded, is an ordinary request
  const encoded = await fetch(`http://127.0.0.1:${port}/v1/agencies?q=${encodeURIComponent('财政')}`)
  t.equal(encoded.status, 200)
  t.same(await encoded.json(), { items: [], next: null })
})
