// Applies the committed migrations and exits: `npm run migrate`. The server migrates at start too; this is for
// a deployment that migrates before it starts (or upgrades) its instances. The database is DATABASE_URL
// (PostgreSQL) when set, else DATABASE_FILE (default data/nianbao.db). Instances or runs migrating together
// apply each migration once (SQLite: one writer; PostgreSQL: an advisory lock).
import { createEngine, databaseFromEnv } from '../db/engines/index.js'

try {
  const database = databaseFromEnv()
  const engine = await createEngine({ ...database, poolSize: 1 })
  await engine.close()
  console.log(`nianbao migrate: ${database.url ? 'the PostgreSQL database' : database.file} is up to date`)
} catch (err) {
  console.error(`nianbao migrate: ${(err as Error).message}`)
  process.exit(1)
}
