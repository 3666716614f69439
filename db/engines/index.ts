// The one place an engine is chosen: PostgreSQL when a URL is given, else SQLite (a file, or ':memory:'), the
// default.
import type { Engine } from './engine.js'
import { createSqliteEngine } from './sqlite.js'
import { openPostgres } from './postgres.js'

export type { Engine, Executor, QueryOptions, SqlValue } from './engine.js'

export interface EngineOptions {
  /** the SQLite file (created and migrated when missing), or ':memory:'; unused when `url` is set */
  file: string
  /** postgres://…: PostgreSQL (migrated on open; instances opening together migrate once), winning over `file` */
  url?: string
  /** PostgreSQL: connections in the pool (default 10) */
  poolSize?: number
  /** PostgreSQL: errors of idle pooled connections (the pool replaces them) */
  onError?: (err: Error) => void
}

/** Opens the database and applies the committed migrations. */
export function createEngine(options: EngineOptions): Promise<Engine> {
  if (options.url) return openPostgres({ url: options.url, poolSize: options.poolSize, onError: options.onError })
  return createSqliteEngine({ file: options.file })
}

/**
 * The database the command-line tools use, from the environment as the server reads it: DATABASE_URL
 * (PostgreSQL) when set, else DATABASE_FILE (default data/nianbao.db).
 */
export function databaseFromEnv(env: NodeJS.ProcessEnv = process.env): Pick<EngineOptions, 'file' | 'url' | 'poolSize'> {
  const url = env.DATABASE_URL || undefined
  if (url !== undefined && !/^postgres(ql)?:\/\//.test(url)) throw new Error('DATABASE_URL must start with postgres:// or postgresql://')
  const pool = env.DATABASE_POOL_SIZE ? Number(env.DATABASE_POOL_SIZE) : undefined
  if (pool !== undefined && !(Number.isInteger(pool) && pool >= 1)) throw new Error('DATABASE_POOL_SIZE must be a whole number, at least 1')
  return { file: env.DATABASE_FILE || 'data/nianbao.db', url, poolSize: pool }
}
