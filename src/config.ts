// The service's configuration: one schema, read from the environment by server.ts only; tests pass a
// literal object to buildApp.
import { Type, type Static } from 'typebox'
import type { DestinationStream } from 'pino'

export const ConfigSchema = Type.Object({
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 3000, description: 'TCP port to listen on' }),
  HOST: Type.String({ default: '0.0.0.0', description: 'Interface to listen on' }),
  DATABASE_FILE: Type.String({
    minLength: 1,
    default: 'data/nianbao.db',
    description: 'SQLite file (created and migrated on start), or :memory:'
  }),
  DATABASE_URL: Type.Optional(
    Type.String({
      pattern: '^(postgres(ql)?://.*)?$',
      description:
        'PostgreSQL instead of SQLite: `postgres://user:password@host:5432/nianbao` (migrated on start); wins over DATABASE_FILE; empty: SQLite'
    })
  ),
  DATABASE_POOL_SIZE: Type.Integer({
    minimum: 1,
    maximum: 1000,
    default: 10,
    description: 'PostgreSQL: connections each instance keeps open at most (writes take one at a time, reads the rest)'
  }),
  LOG_LEVEL: Type.Union(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
    { default: 'info', description: 'pino log level' }
  ),
  BODY_LIMIT: Type.Integer({
    minimum: 1024,
    maximum: 1_073_741_824,
    default: 16 * 1024 * 1024,
    description: 'Largest request body in bytes (a 1 000-report batch is about 10 MB)'
  }),
  SAMPLE_DATA: Type.Optional(
    Type.Boolean({
      description:
        'Load the sample report into an empty database on start; default true, false with NODE_ENV=production (where true is refused)'
    })
  ),
  READ_REQUIRES_KEY: Type.Boolean({ default: false, description: 'Make every read need an API key too' }),
  BOOTSTRAP_ADMIN_KEY: Type.Optional(
    Type.String({ minLength: 16, description: 'On first start with no keys: the admin key to create (deployments, tests)' })
  ),
  BOOTSTRAP_KEY_FILE: Type.Optional(
    Type.String({
      minLength: 1,
      description: 'Where a generated bootstrap admin key is written (owner-only); default: beside the database file'
    })
  ),
  RATE_LIMIT_MAX: Type.Integer({
    minimum: 0,
    default: 600,
    description: 'Requests per minute per client (per API key, or per IP without one); admin keys are exempt; 0 turns limits off'
  }),
  TRUST_PROXY: Type.Boolean({
    default: false,
    description: 'Behind a reverse proxy: take the client address from X-Forwarded-For (per-IP rate limits need it)'
  }),
  CORS_ORIGINS: Type.String({
    default: '',
    description: 'Comma-separated origins allowed to call the API from a browser (`*` for any); empty: none'
  }),
  MAP_DIR: Type.Optional(
    Type.String({
      minLength: 1,
      description:
        'A folder of approved GeoJSON maps (审图号) named by six-digit adcode (`100000.json`, `630000.json` …): the overview then draws regions on a map'
    })
  ),
  JSON_MAX_DEPTH: Type.Integer({
    minimum: 4,
    maximum: 1000,
    default: 32,
    description: 'Deepest nesting of arrays and objects in a JSON body (400 beyond)'
  }),
  JSON_MAX_STRING_LENGTH: Type.Integer({
    minimum: 1024,
    default: 1024 * 1024,
    description: 'Longest string in a JSON body, in characters as sent (413 beyond)'
  }),
  REQUEST_TIMEOUT_MS: Type.Integer({
    minimum: 0,
    default: 60_000,
    description: 'Time to receive a whole request, headers and body (0: none)'
  }),
  CONNECTION_TIMEOUT_MS: Type.Integer({ minimum: 0, default: 120_000, description: 'An idle socket is closed after this long (0: never)' }),
  KEEP_ALIVE_TIMEOUT_MS: Type.Integer({
    minimum: 1,
    default: 72_000,
    description: 'How long a kept-alive connection waits for its next request'
  }),
  IMPORT_URL_HOSTS: Type.String({
    default: '',
    description:
      'Import by URL: comma-separated hosts reports may be fetched from (`www.example.gov.cn`, `*.gov.cn` for a domain and its subdomains, `*` for any public host); empty: import by URL is off'
  }),
  IMPORT_URL_MAX_BYTES: Type.Integer({
    minimum: 1024,
    default: 20 * 1024 * 1024,
    description: 'Import by URL: the largest page or file fetched, in bytes'
  }),
  IMPORT_URL_TIMEOUT_MS: Type.Integer({
    minimum: 100,
    default: 30_000,
    description: 'Import by URL: time for the whole fetch (redirects and the attached file included)'
  }),
  IMPORT_WORKERS: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: 64,
      description: 'Worker threads that read imports off the request thread; default: one less than the cores, at least 1, at most 4'
    })
  ),
  IMPORT_QUEUE: Type.Integer({
    minimum: 0,
    default: 16,
    description: 'Imports that may wait for a worker; one more is a 503 with Retry-After'
  }),
  IMPORT_TIME_LIMIT_MS: Type.Integer({
    minimum: 100,
    default: 10_000,
    description:
      'The longest one import may read (a page fetched by URL and its file: each); past it the worker is ended and the import is a 422'
  }),
  IMPORT_MEMORY_MB: Type.Integer({
    minimum: 64,
    default: 512,
    description: 'The largest heap of an import worker, in MiB; past it the worker is ended and the import is a 413'
  })
})

export type EnvConfig = Static<typeof ConfigSchema>

/** What buildApp needs; server.ts maps the environment onto it. */
export interface AppOptions {
  /** the SQLite file, or ':memory:' (unused when databaseUrl is set) */
  databaseFile: string
  /** postgres://…: PostgreSQL instead of SQLite */
  databaseUrl?: string
  /** PostgreSQL: the pool's connections (default 10) */
  databasePoolSize?: number
  logLevel?: string
  bodyLimit?: number
  sampleData?: boolean
  /** pino logger on (the server) or off (tests) */
  logger?: boolean
  /** where log lines go (default: stdout, written asynchronously) */
  logStream?: DestinationStream
  readRequiresKey?: boolean
  bootstrapAdminKey?: string
  bootstrapKeyFile?: string
  /** requests per minute per client; 0 or undefined: no limit (tests) */
  rateLimitMax?: number
  trustProxy?: boolean
  corsOrigins?: string[]
  /** the pages' built assets (default: dist/web) */
  webDir?: string
  /** approved GeoJSON maps by adcode, drawn by the overview page */
  mapDir?: string
  jsonMaxDepth?: number
  jsonMaxStringLength?: number
  /** Fastify's requestTimeout, connectionTimeout and keepAliveTimeout, in ms */
  requestTimeout?: number
  connectionTimeout?: number
  keepAliveTimeout?: number
  /** import by URL: hosts allowed (none: off), limits; `allowLoopback` only ever in tests */
  importUrl?: { hosts: string[]; maxBytes?: number; timeoutMs?: number; allowLoopback?: boolean }
  /** the import workers (src/import-pool.ts); each value has the default of its IMPORT_* variable */
  imports?: { workers?: number; queue?: number; timeoutMs?: number; memoryMb?: number }
  /** the time reports' writes and transitions are stamped with (default: the system clock; tests fix it) */
  clock?: () => Date
}

/** The default number of import workers: one less than the cores, at least 1, at most 4. */
export function defaultImportWorkers(cores: number): number {
  return Math.max(1, Math.min(4, cores - 1))
}
