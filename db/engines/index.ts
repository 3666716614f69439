// The one place an engine is chosen. SQLite (a file, or ':memory:') is the default.
import type { Engine } from './engine.js'
import { createSqliteEngine } from './sqlite.js'

export type { Engine, Executor, QueryOptions, SqlValue } from './engine.js'

export interface EngineOptions {
  /** the SQLite file (created and migrated when missing), or ':memory:' */
  file: string
}

/** Opens the database and applies the committed migrations. */
export function createEngine(options: EngineOptions): Promise<Engine> {
  return createSqliteEngine({ file: options.file })
}
