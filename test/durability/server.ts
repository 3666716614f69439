// The real server as a child process on a database file, for tests that kill it, back it up or restart it.
// It runs as `node src/server.ts` compiled (test/child.ts; not the tsx command, which would put a second process
// in between that a SIGKILL could not reach), listens on a free loopback port, and is killed at teardown.
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import { childEnv, nodeCommand } from '../child.js'
import { ADMIN_KEY } from '../helper.js'

export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url))

export interface ServerProcess {
  /** e.g. http://127.0.0.1:41234 */
  url: string
  child: ChildProcess
  /** SIGTERM (graceful) or SIGKILL; resolves with the exit code, or the signal's name */
  stop(signal?: NodeJS.Signals): Promise<number | string | null>
}

const running = new Set<ChildProcess>()
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL')
})

/** Kills every child still running (call from t.teardown). */
export function killAll() {
  for (const child of running) child.kill('SIGKILL')
}

export async function startServer(databaseFile: string, env: Record<string, string> = {}, timeoutMs = 30_000): Promise<ServerProcess> {
  const child = spawn(...nodeCommand('src/server.ts'), {
    cwd: PROJECT_ROOT,
    env: childEnv(process.env, {
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_FILE: databaseFile,
      SAMPLE_DATA: 'false',
      BOOTSTRAP_ADMIN_KEY: ADMIN_KEY,
      RATE_LIMIT_MAX: '0',
      LOG_LEVEL: 'info',
      ...env
    }),
    stdio: ['ignore', 'pipe', 'pipe']
  })
  running.add(child)
  const exited = once(child, 'exit').then(([code, signal]) => {
    running.delete(child)
    return (code ?? signal) as number | string | null
  })
  // kept until the server listens, for the error message if it never does
  let output = ''
  let listening = false
  child.stderr!.on('data', (chunk: Buffer) => {
    if (!listening) output += chunk.toString()
  })
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`the server did not start in ${timeoutMs} ms:\n${output}`)), timeoutMs)
    const fail = (err: Error) => {
      clearTimeout(timer)
      child.kill('SIGKILL')
      reject(err)
    }
    child.stdout!.on('data', (chunk: Buffer) => {
      if (listening) return
      output += chunk.toString()
      const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output)
      if (match) {
        listening = true
        output = ''
        clearTimeout(timer)
        resolve(match[1])
      }
    })
    void exited.then((code) => {
      if (!listening) fail(new Error(`the server exited (${code}) before listening:\n${output}`))
    })
  })
  return {
    url,
    child,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal)
      return exited
    }
  }
}

/** JSON over HTTP with the admin key. */
export async function call(url: string, method: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(url, {
    method,
    headers: { authorization: `Bearer ${ADMIN_KEY}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(20_000)
  })
  const text = await res.text()
  return { status: res.status, body: text ? JSON.parse(text) : null }
}

/** Creates `count` county departments in 630223 through the API; any answer but 201 fails the test. */
export async function createAgencies(url: string, count: number, namePrefix: string): Promise<number[]> {
  const ids: number[] = []
  for (let i = 0; i < count; i++) {
    const res = await call(`${url}/v1/agencies`, 'POST', {
      name: `${namePrefix}${i}`,
      regionCode: '630223',
      level: 'county',
      kind: 'department'
    })
    if (res.status !== 201) throw new Error(`agency ${i} not created: ${res.status} ${JSON.stringify(res.body)}`)
    ids.push(res.body.id)
  }
  return ids
}
