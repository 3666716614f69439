// Takes an online, consistent backup of the SQLite database while the service runs. SQLite only, by
// nature: it copies the database file with SQLite's own backup API (a PostgreSQL deployment backs up with
// its server's tools).
//
//
//   npm run backup -- backups/nianbao-2025-06-01.db            (DATABASE_FILE, default data/nianbao.db)
//   npm run backup -- backups/x.db --database /srv/nianbao.db --force
//
// SQLite's backup API copies every page in one step, under one read transaction: the copy is the database
// as of one instant, with every write acknowledged before the backup began. Writers are not blocked (WAL).
// The copy is written beside the target, checked with `PRAGMA integrity_check`, switched to a single file
// (journal_mode=DELETE) and only then renamed into place, so a backup file is never half written.
//
// Restoring a backup:
//   1. stop the service (SIGTERM: it finishes its requests and closes the database cleanly);
//   2. copy the backup over DATABASE_FILE, and delete DATABASE_FILE-wal and DATABASE_FILE-shm if they
//      exist: a write-ahead log left by the old database must never be replayed onto the restored one;
//   3. start the service: it opens the file, applies any newer migrations and serves what the backup held.
// Writes acknowledged after the backup began are not in it.
import { chmodSync, closeSync, existsSync, openSync, renameSync, rmSync, statSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import { dirname, resolve } from 'node:path'
import Database from 'better-sqlite3'
import { oneLine, reportErrorsInOneLine, usageError } from './cli.js'

export interface BackupResult {
  source: string
  target: string
  pages: number
  bytes: number
  integrity: string
  tables: Record<string, number>
}

/** Copies `source` to `target` (refusing to overwrite it unless `force`) and checks the copy. */
export async function backupDatabase(source: string, target: string, options: { force?: boolean } = {}): Promise<BackupResult> {
  const from = resolve(source)
  const to = resolve(target)
  if (from === to) throw new Error('the backup must go to another file than the database')
  if (existsSync(to) && !options.force) throw new Error(`${target} exists; pass --force to overwrite it`)
  if (!existsSync(dirname(to))) throw new Error(`the directory of ${target} does not exist`)
  if (!existsSync(from)) throw new Error(`the database ${source} does not exist`)
  const partial = `${to}.partial-${process.pid}`
  // owner-only from its first byte: a backup holds the API keys' hashes. SQLite copies into the empty file
  // and gives its journal the file's permissions.
  closeSync(openSync(partial, 'wx', 0o600))
  chmodSync(partial, 0o600)

  const db = new Database(from, { fileMustExist: true })
  let pages = 0
  try {
    db.pragma('busy_timeout = 5000')
    // 0x7fffffff pages a step: the whole database in one step, so one snapshot
    const progress = await db.backup(partial, { progress: () => 0x7fffffff })
    pages = progress.totalPages
  } catch (err) {
    rmSync(partial, { force: true })
    throw err
  } finally {
    db.close()
  }

  const copy = new Database(partial, { fileMustExist: true })
  let integrity: string
  const tables: Record<string, number> = {}
  try {
    integrity = (copy.pragma('integrity_check') as Array<{ integrity_check: string }>).map((r) => r.integrity_check).join('; ')
    copy.pragma('journal_mode = DELETE')
    const names = copy
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
      .pluck()
      .all() as string[]
    for (const name of names)
      tables[name] = copy
        .prepare(`SELECT count(*) FROM "${name.replaceAll('"', '""')}"`)
        .pluck()
        .get() as number
  } finally {
    copy.close()
  }
  if (integrity !== 'ok') {
    rmSync(partial, { force: true })
    throw new Error(`the backup failed its integrity check: ${integrity}`)
  }
  renameSync(partial, to)
  return { source: from, target: to, pages, bytes: statSync(to).size, integrity, tables }
}

const HELP = `Takes an online, consistent backup of nianbao's SQLite database (DATABASE_FILE, default
data/nianbao.db) while the service runs, checks it with PRAGMA integrity_check, and writes it owner-only
(mode 0600: it holds the API keys' hashes). Prints what was copied, as JSON.

usage: npm run backup -- <backup-file> [--database <db-file>] [--force]

  <backup-file>        where the backup goes; its folder must exist
  --database <file>    the database to copy (default: DATABASE_FILE, or data/nianbao.db)
  --force              overwrite <backup-file> when it exists
  -h, --help           this text

Restore: stop the service, copy the backup over the database file, delete the -wal and -shm files
beside it, start the service. Exit code: 0 when the backup is written, 1 when it could not be,
2 for a usage error.`

function usage(message: string): never {
  return usageError('backup', message)
}

async function main(argv: string[]) {
  reportErrorsInOneLine('backup')
  let database = process.env.DATABASE_FILE ?? 'data/nianbao.db'
  let target: string | undefined
  let force = false
  let named = false
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    if (arg === '--help' || arg === '-h') {
      console.log(HELP)
      process.exit(0)
    } else if (arg === '--database') {
      database = argv[++i] ?? usage('--database needs a file (--help says how)')
      named = true
    } else if (arg === '--force') force = true
    else if (arg.startsWith('-')) usage(`unknown option ${arg} (--help lists the options)`)
    else if (target !== undefined) usage(`one backup file at a time: ${arg} is one too many (--help says how)`)
    else target = arg
  }
  if (!target) usage('no backup file given; usage: npm run backup -- <backup-file> [--database <db-file>] [--force]')
  if (process.env.DATABASE_URL && !named) {
    console.error('backup: DATABASE_URL is set: back up PostgreSQL with its own tools (pg_dump, base backups)')
    process.exit(1)
  }
  if (database === ':memory:') {
    console.error('backup: DATABASE_FILE is :memory:, there is nothing to back up')
    process.exit(1)
  }
  try {
    const result = await backupDatabase(database, target, { force })
    console.log(JSON.stringify(result, null, 2))
  } catch (err) {
    console.error(`backup: ${oneLine((err as Error).message)}`)
    process.exit(1)
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) await main(process.argv.slice(2))
