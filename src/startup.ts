// What the start checks before it writes anything, and what it says once it listens. A configuration
// mistake stops the start with one line naming the setting and what to do — no stack trace — and leaves
// everything as it was: no database created or migrated, no key written, no sample loaded.
import { accessSync, closeSync, constants, openSync, readSync, statSync } from 'node:fs'
import { createServer } from 'node:net'
import { dirname, relative, resolve } from 'node:path'

/** A mistake in the configuration or the machine's state: its message is the one line the start prints. */
export class StartError extends Error {}

/** The database file when none is configured; its folder `data/` is the one folder the start creates. */
export const DEFAULT_DATABASE_FILE = 'data/nianbao.db'

/** True for the default data folder (relative to the working directory), which may be created. */
export function isDefaultDataDirectory(dir: string): boolean {
  return resolve(dir) === resolve(dirname(DEFAULT_DATABASE_FILE))
}

const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1')

/** A path as the user gave it, shown relative to the working directory when it is under it. */
function shown(path: string): string {
  const rel = relative(process.cwd(), resolve(path))
  return rel && !rel.startsWith('..') ? rel : resolve(path)
}

/** Checks a folder the start will write into: it exists (or is the default data folder) and is writable. */
function checkWritableDirectory(setting: string, value: string, dir: string): void {
  const stat = statSync(dir, { throwIfNoEntry: false })
  if (!stat) {
    if (isDefaultDataDirectory(dir)) return
    throw new StartError(`${setting}=${value}: the directory ${shown(dir)} does not exist; create it first, or choose another path`)
  }
  if (!stat.isDirectory()) throw new StartError(`${setting}=${value}: ${shown(dir)} is not a directory`)
  try {
    accessSync(dir, constants.W_OK | constants.X_OK)
  } catch {
    throw new StartError(`${setting}=${value}: the directory ${shown(dir)} is not writable by this user`)
  }
}

/**
 * The SQLite file: its folder exists and is writable (SQLite writes its -wal and -shm files beside it), and
 * the file, when it exists, is a readable and writable SQLite database. Writes nothing.
 */
export function checkDatabaseFile(file: string): void {
  if (file === ':memory:') return
  const setting = 'DATABASE_FILE'
  checkWritableDirectory(setting, file, dirname(resolve(file)))
  const stat = statSync(file, { throwIfNoEntry: false })
  if (!stat) return
  if (!stat.isFile()) throw new StartError(`${setting}=${file} is not a file`)
  try {
    accessSync(file, constants.R_OK | constants.W_OK)
  } catch {
    throw new StartError(`${setting}=${file} cannot be read and written by this user`)
  }
  if (stat.size === 0) return
  const head = Buffer.alloc(SQLITE_HEADER.length)
  const fd = openSync(file, 'r')
  try {
    readSync(fd, head, 0, head.length, 0)
  } finally {
    closeSync(fd)
  }
  if (!head.equals(SQLITE_HEADER))
    throw new StartError(`${setting}=${file} is not a SQLite database; point DATABASE_FILE at a nianbao database, or at a new file`)
}

/** Where a generated bootstrap key goes: a writable folder, and not a folder itself. */
export function checkKeyFile(file: string | undefined): void {
  if (!file) return
  checkWritableDirectory('BOOTSTRAP_KEY_FILE', file, dirname(resolve(file)))
  if (statSync(file, { throwIfNoEntry: false })?.isDirectory()) throw new StartError(`BOOTSTRAP_KEY_FILE=${file} is a directory`)
}

/** Binds the port for a moment, so that a port in use stops the start before anything is written. */
export function checkPortFree(port: number, host: string): Promise<void> {
  if (port === 0) return Promise.resolve()
  return new Promise((done, fail) => {
    const probe = createServer()
    probe.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE')
        fail(
          new StartError(`PORT=${port}: port ${port} on ${host} is already in use (another nianbao?); stop it, or set PORT to a free port`)
        )
      else if (err.code === 'EACCES')
        fail(new StartError(`PORT=${port}: this user may not listen on port ${port}; choose a port above 1023`))
      else if (err.code === 'EADDRNOTAVAIL' || err.code === 'ENOTFOUND' || err.code === 'EAI_AGAIN')
        fail(new StartError(`HOST=${host} is not an address of this machine`))
      else fail(new StartError(`cannot listen on ${host}:${port}: ${err.message}`))
    })
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => done()))
  })
}

interface AjvError {
  instancePath: string
  keyword: string
  message?: string
  params: Record<string, unknown>
}

interface PropertySchema {
  type?: string
  anyOf?: Array<{ const?: unknown }>
  minimum?: number
  maximum?: number
  minLength?: number
}

/**
 * env-schema's error as one line, per setting: its value and what it may be — the allowed values of a
 * choice, the range of a number.
 */
export function configurationProblem(
  err: Error & { errors?: AjvError[] },
  schema: { properties: Record<string, PropertySchema> },
  env: NodeJS.ProcessEnv = process.env
): string {
  if (!err.errors?.length) return `invalid configuration: ${err.message.split('\n')[0]}`
  const parts: string[] = []
  const seen = new Set<string>()
  for (const e of err.errors) {
    const name = e.instancePath.replace(/^\//, '') || String(e.params.missingProperty ?? '')
    if (!name || seen.has(name)) continue
    seen.add(name)
    const prop = schema.properties[name] ?? {}
    const value = env[name]
    // a key is never echoed, a URL's password never shown
    const shownValue =
      value === undefined ? '' : /KEY/.test(name) ? `(${[...value].length} characters)` : /URL/.test(name) ? describeDatabase(value) : value
    const given = value === undefined ? `${name} is missing` : /KEY/.test(name) ? `${name} ${shownValue}` : `${name}=${shownValue}`
    if (prop.anyOf?.every((s) => s.const !== undefined))
      parts.push(`${given}: must be one of ${prop.anyOf.map((s) => String(s.const)).join(', ')}`)
    else if (prop.type === 'integer') {
      const range =
        prop.minimum !== undefined && prop.maximum !== undefined
          ? ` from ${prop.minimum} to ${prop.maximum}`
          : prop.minimum !== undefined
            ? ` of at least ${prop.minimum}`
            : ''
      parts.push(`${given}: must be a whole number${range}`)
    } else if (prop.type === 'boolean') parts.push(`${given}: must be true or false`)
    else if (prop.type === 'string' && prop.minLength !== undefined && e.keyword === 'minLength')
      parts.push(`${given}: must be at least ${prop.minLength} characters`)
    else parts.push(`${given}: ${e.message ?? 'is not valid'}`)
  }
  return `invalid configuration: ${parts.join('; ')}`
}

/** Where the start says it is: the API, its documentation, the database, the bootstrap key. */
export function startLine(parts: {
  address: { address: string; port: number } | string | null
  database: string
  keyNote?: string
}): string {
  const { address } = parts
  let base = 'http://localhost'
  if (address && typeof address === 'object') {
    const wildcard = address.address === '0.0.0.0' || address.address === '::'
    const host = wildcard ? 'localhost' : address.address.includes(':') ? `[${address.address}]` : address.address
    base = `http://${host}:${address.port}`
  }
  const line = [`nianbao: API ${base}/v1`, `docs ${base}/docs`, `database ${parts.database}`]
  if (parts.keyNote) line.push(parts.keyNote)
  return line.join(' · ')
}

/** The database as the start line shows it: the file, or a URL with its password hidden. */
export function describeDatabase(fileOrUrl: string): string {
  if (fileOrUrl === ':memory:') return ':memory: (in memory, gone when the server stops)'
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(fileOrUrl)) {
    try {
      const url = new URL(fileOrUrl)
      if (url.password) url.password = '***'
      return url.toString()
    } catch {
      return '(a URL that does not parse)'
    }
  }
  return shown(fileOrUrl)
}

/** What the start line says of the admin key. */
export function keyNote(written: string | undefined, keyFile: string | undefined): string | undefined {
  if (written) return `admin key written to ${shown(written)} (read it, keep it safe, delete the file)`
  if (keyFile && statSync(keyFile, { throwIfNoEntry: false })?.isFile())
    return `admin key still in ${shown(keyFile)} (delete the file once the key is kept safe)`
  return undefined
}
