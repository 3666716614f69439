// What every benchmark server does as a child process: tell the parent its port, answer RSS questions,
// and exit when asked or when the parent goes away (so no server outlives an interrupted benchmark).
import type { FastifyInstance } from 'fastify'

/**
 * The admin key the benchmark servers create in a database that has none (bench databases only: a
 * database that already has other keys does not get it, and writes there answer 401).
 */
export const BENCH_ADMIN_KEY = 'nianbao-benchmark-admin-key'

export type ChildMessage = { type: 'ready'; port: number } | { type: 'rss'; rss: number }
export type ParentMessage = { type: 'stop' } | { type: 'rss' }

export async function serveAsChild(app: FastifyInstance): Promise<void> {
  await app.listen({ port: 0, host: '127.0.0.1' })
  const address = app.server.address()
  if (address === null || typeof address === 'string') throw new Error('no TCP address')
  let closing = false
  const exit = async () => {
    if (closing) return
    closing = true
    // a stuck close must not keep the process alive
    setTimeout(() => process.exit(1), 5_000).unref()
    await app.close()
    process.exit(0)
  }
  process.on('message', (message: ParentMessage) => {
    if (message.type === 'stop') void exit()
    else if (message.type === 'rss') process.send?.({ type: 'rss', rss: process.memoryUsage().rss } satisfies ChildMessage)
  })
  process.on('disconnect', () => void exit())
  process.on('SIGTERM', () => void exit())
  process.send?.({ type: 'ready', port: address.port } satisfies ChildMessage)
}
