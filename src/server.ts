// The only module that reads the environment: it validates the configuration, checks what the start
// will write into before writing anything (the database's folder and file, the key file's folder, the
// port), builds the app, listens, says in one line where everything is, and closes gracefully on
// SIGTERM/SIGINT (in-flight requests finish, the database closes cleanly). A mistake stops the start
// with one line on stderr and exit code 1 — never a stack trace.
import { mkdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { envSchema } from 'env-schema'
import closeWithGrace from 'close-with-grace'
import type { FastifyInstance } from 'fastify'
import { ConfigSchema, type EnvConfig } from './config.js'
import {
  StartError,
  isDefaultDataDirectory,
  checkDatabaseFile,
  checkKeyFile,
  checkPortFree,
  configurationProblem,
  describeDatabase,
  keyNote,
  startLine
} from './startup.js'

function stop(message: string): never {
  process.stderr.write(`nianbao: ${message.split('\n')[0]}\n`)
  process.exit(1)
}

function readConfig(): EnvConfig {
  try {
    return envSchema<EnvConfig>({ schema: ConfigSchema, dotenv: false })
  } catch (err) {
    throw new StartError(configurationProblem(err as Error, ConfigSchema as never))
  }
}

/** The sample report loads into an empty database on the two-command start, never in production. */
function sampleData(config: EnvConfig): boolean {
  const production = process.env.NODE_ENV === 'production'
  if (production && config.SAMPLE_DATA === true) {
    throw new StartError(
      'SAMPLE_DATA=true is refused with NODE_ENV=production: the sample report is for trying nianbao out, not for a deployment’s data'
    )
  }
  return config.SAMPLE_DATA ?? !production
}

let app: FastifyInstance
let config: EnvConfig
let bootstrapKeyFile: string | undefined
try {
  config = readConfig()
  bootstrapKeyFile =
    config.BOOTSTRAP_KEY_FILE ??
    (config.DATABASE_FILE === ':memory:' ? undefined : join(dirname(config.DATABASE_FILE), 'bootstrap-admin-key'))
  const loadSample = sampleData(config)
  const databaseUrl = config.DATABASE_URL || undefined
  if (!databaseUrl) checkDatabaseFile(config.DATABASE_FILE)
  if (config.BOOTSTRAP_ADMIN_KEY === undefined) checkKeyFile(bootstrapKeyFile)
  await checkPortFree(config.PORT, config.HOST)
  // the default data/ folder, when the key goes there and no SQLite file made it (PostgreSQL)
  if (config.BOOTSTRAP_ADMIN_KEY === undefined && bootstrapKeyFile && isDefaultDataDirectory(dirname(bootstrapKeyFile))) {
    mkdirSync(dirname(bootstrapKeyFile), { recursive: true })
  }

  // the application is loaded once the configuration is known to be good: a mistake is told at once
  const { buildApp } = await import('./app.js')
  app = await buildApp({
    databaseFile: config.DATABASE_FILE,
    databaseUrl,
    databasePoolSize: config.DATABASE_POOL_SIZE,
    logLevel: config.LOG_LEVEL,
    bodyLimit: config.BODY_LIMIT,
    sampleData: loadSample,
    logger: true,
    readRequiresKey: config.READ_REQUIRES_KEY,
    bootstrapAdminKey: config.BOOTSTRAP_ADMIN_KEY,
    bootstrapKeyFile,
    rateLimitMax: config.RATE_LIMIT_MAX,
    trustProxy: config.TRUST_PROXY,
    corsOrigins: config.CORS_ORIGINS.split(',')
      .map((o) => o.trim())
      .filter((o) => o.length > 0),
    mapDir: config.MAP_DIR,
    jsonMaxDepth: config.JSON_MAX_DEPTH,
    jsonMaxStringLength: config.JSON_MAX_STRING_LENGTH,
    requestTimeout: config.REQUEST_TIMEOUT_MS,
    connectionTimeout: config.CONNECTION_TIMEOUT_MS,
    keepAliveTimeout: config.KEEP_ALIVE_TIMEOUT_MS,
    importUrl: {
      hosts: config.IMPORT_URL_HOSTS.split(',')
        .map((h) => h.trim())
        .filter((h) => h.length > 0),
      maxBytes: config.IMPORT_URL_MAX_BYTES,
      timeoutMs: config.IMPORT_URL_TIMEOUT_MS
    },
    imports: {
      workers: config.IMPORT_WORKERS,
      queue: config.IMPORT_QUEUE,
      timeoutMs: config.IMPORT_TIME_LIMIT_MS,
      memoryMb: config.IMPORT_MEMORY_MB
    }
  })
} catch (err) {
  stop(err instanceof StartError ? err.message : `could not start: ${(err as Error).message}`)
}

closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
  if (err) app.log.error({ err }, 'closing after an error')
  else app.log.info({ signal }, 'closing')
  await app.close()
})

try {
  await app.listen({ port: config.PORT, host: config.HOST })
} catch (err) {
  stop(`could not listen on ${config.HOST}:${config.PORT}: ${(err as Error).message}`)
}
process.stderr.write(
  `${startLine({
    address: app.server.address(),
    database: describeDatabase(config.DATABASE_URL || config.DATABASE_FILE),
    keyNote: keyNote(app.bootstrapKeyWritten, bootstrapKeyFile)
  })}\n`
)
