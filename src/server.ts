// The only module that reads the environment: it validates the configuration, builds the app, listens,
// and closes gracefully on SIGTERM/SIGINT (in-flight requests finish, the database closes cleanly).
import { dirname, join } from 'node:path'
import { envSchema } from 'env-schema'
import closeWithGrace from 'close-with-grace'
import { ConfigSchema, type EnvConfig } from './config.js'
import { buildApp } from './app.js'

function readConfig(): EnvConfig {
  try {
    return envSchema<EnvConfig>({ schema: ConfigSchema, dotenv: false })
  } catch (err) {
    console.error(`nianbao: invalid configuration: ${(err as Error).message}`)
    process.exit(1)
  }
}

const config = readConfig()
const app = await buildApp({
  databaseFile: config.DATABASE_FILE,
  databaseUrl: config.DATABASE_URL || undefined,
  databasePoolSize: config.DATABASE_POOL_SIZE,
  logLevel: config.LOG_LEVEL,
  bodyLimit: config.BODY_LIMIT,
  sampleData: config.SAMPLE_DATA,
  logger: true,
  readRequiresKey: config.READ_REQUIRES_KEY,
  bootstrapAdminKey: config.BOOTSTRAP_ADMIN_KEY,
  bootstrapKeyFile:
    config.BOOTSTRAP_KEY_FILE ?? (config.DATABASE_FILE === ':memory:' ? undefined : join(dirname(config.DATABASE_FILE), 'bootstrap-admin-key')),
  rateLimitMax: config.RATE_LIMIT_MAX,
  trustProxy: config.TRUST_PROXY,
  corsOrigins: config.CORS_ORIGINS.split(',').map((o) => o.trim()).filter((o) => o.length > 0),
  mapDir: config.MAP_DIR,
  jsonMaxDepth: config.JSON_MAX_DEPTH,
  jsonMaxStringLength: config.JSON_MAX_STRING_LENGTH,
  requestTimeout: config.REQUEST_TIMEOUT_MS,
  connectionTimeout: config.CONNECTION_TIMEOUT_MS,
  keepAliveTimeout: config.KEEP_ALIVE_TIMEOUT_MS,
  importUrl: {
    hosts: config.IMPORT_URL_HOSTS.split(',').map((h) => h.trim()).filter((h) => h.length > 0),
    maxBytes: config.IMPORT_URL_MAX_BYTES,
    timeoutMs: config.IMPORT_URL_TIMEOUT_MS
  },
  imports: { workers: config.IMPORT_WORKERS, queue: config.IMPORT_QUEUE, timeoutMs: config.IMPORT_TIME_LIMIT_MS, memoryMb: config.IMPORT_MEMORY_MB }
})

closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
  if (err) app.log.error({ err }, 'closing after an error')
  else app.log.info({ signal }, 'closing')
  await app.close()
})

await app.listen({ port: config.PORT, host: config.HOST })
