// Moving a database between engines: dump it to a file, restore a file, or both at once.
//
//   npm run dump -- nianbao.ndjson.gz                       the database (DATABASE_URL, else DATABASE_FILE) to a file
//   npm run restore -- nianbao.ndjson.gz [--force]          a file into the database
//   npm run move -- --from data/nianbao.db --to postgres://nianbao@db/nianbao [--force]
//
// A database is a postgres:// (or postgresql://) URL or a SQLite file; a file name ending in .gz is gzip'd;
// `-` is stdout or stdin. The format and what it carries: db/dump.ts. Errors are one line on stderr, exit 1;
// wrong arguments exit 2.
import { createReadStream, createWriteStream, existsSync } from 'node:fs'
import { rename, rm } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { PassThrough, type Readable, type Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { createGunzip, createGzip } from 'node:zlib'
import type { Engine } from '../db/engines/engine.js'
import { createSqliteEngine } from '../db/engines/sqlite.js'
import { openPostgres } from '../db/engines/postgres.js'
import { DumpError, dumpDatabase, restoreDatabase, type DumpSummary } from '../db/dump.js'

const USAGE = `usage:
  npm run dump -- [--database <file|url>] <dump-file|->
  npm run restore -- [--database <file|url>] [--force] <dump-file|->
  npm run move -- --from <file|url> --to <file|url> [--force]

  --database   the database: a postgres:// URL or a SQLite file (default: DATABASE_URL, else DATABASE_FILE,
               else data/nianbao.db)
  --force      replace what the target holds (without it, a target that is not empty is refused)
  dump-file    NDJSON, gzip'd when it ends in .gz; - is stdout (dump) or stdin (restore)

Stop the service (or its writers) first: a dump holds the database's writers back while it reads, and a
restore writes everything in one transaction, all or nothing. A summary is printed as JSON on stdout
(on stderr when the dump itself goes to stdout).`

class UsageError extends Error {}

const isUrl = (s: string) => /^postgres(ql)?:\/\//i.test(s)

/** Opens a database the command names; a SQLite file must exist unless it is to be written. */
export async function openDatabase(target: string, options: { create: boolean }): Promise<Engine> {
  if (isUrl(target)) {
    try {
      return await openPostgres({ url: target, poolSize: 2 })
    } catch (err) {
      throw new Error(`cannot open ${redact(target)}: ${(err as Error).message}`)
    }
  }
  if (target === ':memory:') throw new UsageError('an in-memory database cannot be dumped or restored')
  if (!options.create && !existsSync(target)) throw new Error(`${target}: no such database file`)
  if (options.create && !existsSync(dirname(resolve(target)))) throw new Error(`the directory of ${target} does not exist`)
  return createSqliteEngine({ file: target })
}

/** A URL without its password, for messages. */
function redact(url: string): string {
  try {
    const u = new URL(url)
    if (u.password) u.password = '***'
    return u.toString()
  } catch {
    return 'the database URL'
  }
}

function defaultDatabase(): string {
  return process.env.DATABASE_URL || process.env.DATABASE_FILE || 'data/nianbao.db'
}

/**
 * Lines of a readable stream (gunzipped when the name says so), read only once the restore asks for the first:
 * readline drops lines nobody listens to yet, and a restore first waits for its transaction.
 */
async function* linesOf(input: Readable, gzip: boolean): AsyncGenerator<string> {
  const source = gzip ? input.pipe(createGunzip()) : input
  if (gzip) input.on('error', (err) => source.destroy(err))
  try {
    yield* createInterface({ input: source, crlfDelay: Infinity })
  } catch (err) {
    throw new DumpError(`the dump cannot be read (${(err as Error).message}): nothing was restored`)
  }
}

/** A write function with back-pressure over a writable stream; it fails once the stream is gone. */
function writerTo(out: Writable): (line: string) => Promise<void> | void {
  const gone = () => new Error('the output closed before the dump was written')
  return (line) => {
    if (out.destroyed) throw gone()
    if (out.write(line)) return
    return new Promise<void>((resolve, reject) => {
      const settle = (err?: Error) => {
        out.off('drain', onDrain).off('close', onClose).off('error', onError)
        if (err) reject(err)
        else resolve()
      }
      const onDrain = () => settle()
      const onClose = () => settle(gone())
      const onError = (err: Error) => settle(err)
      out.on('drain', onDrain).on('close', onClose).on('error', onError)
    })
  }
}

export async function dumpToFile(database: string, file: string): Promise<DumpSummary> {
  const engine = await openDatabase(database, { create: false })
  try {
    if (file === '-') return await dumpDatabase(engine, writerTo(process.stdout))
    const path = resolve(file)
    if (existsSync(path)) throw new Error(`${file} exists; choose another name (a dump never overwrites a file)`)
    if (!existsSync(dirname(path))) throw new Error(`the directory of ${file} does not exist`)
    // written beside the target and renamed at the end: a dump file is never half written
    const partial = `${path}.partial-${process.pid}`
    const text = new PassThrough()
    const to = createWriteStream(partial, { flags: 'wx' })
    const done = file.endsWith('.gz') ? pipeline(text, createGzip(), to) : pipeline(text, to)
    try {
      const summary = await dumpDatabase(engine, writerTo(text))
      text.end()
      await done
      await rename(partial, path)
      return summary
    } catch (err) {
      text.destroy()
      await done.catch(() => undefined)
      await rm(partial, { force: true })
      throw err
    }
  } finally {
    await engine.close()
  }
}

export async function restoreFromFile(database: string, file: string, force: boolean): Promise<DumpSummary> {
  if (file !== '-' && !existsSync(file)) throw new Error(`${file}: no such file`)
  const engine = await openDatabase(database, { create: true })
  try {
    const input = file === '-' ? process.stdin : createReadStream(file)
    return await restoreDatabase(engine, linesOf(input, file.endsWith('.gz')), { force })
  } finally {
    await engine.close()
  }
}

export async function move(from: string, to: string, force: boolean): Promise<DumpSummary> {
  if (resolve(from) === resolve(to) || from === to) throw new UsageError('--from and --to are the same database')
  const source = await openDatabase(from, { create: false })
  try {
    const target = await openDatabase(to, { create: true })
    try {
      // the dump's lines flow into the restore as they are read; either failing stops both
      const pipe = new PassThrough()
      let cause: unknown
      const failed = (err: unknown) => {
        cause ??= err
        pipe.destroy()
        throw err
      }
      const dumping = dumpDatabase(source, writerTo(pipe)).then((s) => {
        pipe.end()
        return s
      }, failed)
      const restoring = restoreDatabase(target, linesOf(pipe, false), { force }).catch(failed)
      const [, restored] = await Promise.allSettled([dumping, restoring])
      // whichever failed first is the cause (the other only lost its stream)
      if (cause !== undefined) throw cause
      if (restored.status === 'rejected') throw restored.reason
      return restored.value
    } finally {
      await target.close()
    }
  } finally {
    await source.close()
  }
}

async function main(command: string, argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      database: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      force: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' }
    }
  })
  if (values.help) {
    console.log(USAGE)
    return
  }
  const database = values.database ?? defaultDatabase()
  let summary: DumpSummary
  if (command === 'dump') {
    if (positionals.length !== 1 || values.from || values.to || values.force)
      throw new UsageError('dump takes one dump file (or -), and --database')
    summary = await dumpToFile(database, positionals[0])
    ;(positionals[0] === '-' ? console.error : console.log)(JSON.stringify({ dumped: summary.tables, from: summary.engine }))
    return
  }
  if (command === 'restore') {
    if (positionals.length !== 1 || values.from || values.to)
      throw new UsageError('restore takes one dump file (or -), --database and --force')
    summary = await restoreFromFile(database, positionals[0], values.force ?? false)
    console.log(JSON.stringify({ restored: summary.tables, into: summary.engine }))
    return
  }
  if (command === 'move') {
    if (positionals.length || !values.from || !values.to || values.database)
      throw new UsageError('move takes --from and --to (and --force)')
    summary = await move(values.from, values.to, values.force ?? false)
    console.log(JSON.stringify({ moved: summary.tables, into: summary.engine }))
    return
  }
  throw new UsageError(`unknown command ${command}`)
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const [command = '', ...argv] = process.argv.slice(2)
  const name = ['dump', 'restore', 'move'].includes(command) ? command : 'dump'
  try {
    await main(command, argv)
  } catch (err) {
    const usage = err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')
    const message = ((err as Error).message || String(err)).split('\n')[0]
    console.error(`nianbao ${name}: ${message}${usage ? ' (see --help)' : ''}`)
    process.exitCode = usage ? 2 : 1
  }
}
