// The composition root: everything the service is, registered in order, readable top to bottom.
// server.ts and the tests both build the app here.
import Fastify, { type FastifyInstance } from 'fastify'
import { pino } from 'pino'
import { availableParallelism } from 'node:os'
import { defaultImportWorkers, type AppOptions } from './config.js'
import { createImportPool, type ImportPool } from './import-pool.js'
import requestLog, { AccessLog, lazyChildLogger, requestIdOf } from './plugins/request-log.js'
import validation from './plugins/validation.js'
import errors from './plugins/errors.js'
import database from './plugins/database.js'
import openapi from './plugins/openapi.js'
import auth from './plugins/auth.js'
import jsonBody from './plugins/json-body.js'
import oversizedBody from './plugins/oversized-body.js'
import httpSecurity from './plugins/http-security.js'
import rateLimit from './plugins/rate-limit.js'
import idempotency from './plugins/idempotency.js'
import conditional from './plugins/conditional.js'
import compression from './plugins/compression.js'
import { clientErrorHandler, replyFrameworkError } from './plugins/framework-errors.js'
import { createCompilation, serializerFactory, type Compilation } from './plugins/compilers.js'
import { ProblemSchema } from './schemas/common.js'
import healthRoutes from '../routes/health.js'
import agencyRoutes, { agencySchemas } from '../routes/agencies.js'
import reportRoutes, { reportSchemas } from '../routes/reports.js'
import findingRoutes, { findingSchemas } from '../routes/findings.js'
import coverageRoutes, { coverageSchemas } from '../routes/coverage.js'
import aggregateRoutes, { aggregateSchemas } from '../routes/aggregates.js'
import statisticsRoutes, { statisticsSchemas } from '../routes/statistics.js'
import regionRoutes, { regionSchemas } from '../routes/regions.js'
import keyRoutes, { ApiKeySchema } from '../routes/keys.js'
import changeRoutes, { changeSchemas } from '../routes/changes.js'
import importRoutes, { ImportResultSchema } from '../routes/imports.js'
import pageRoutes from '../routes/pages.js'
import { loadSampleData } from './sample.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** the schemas' validators and serializers, compiled on first use or in the background once listening */
    compilation: Compilation
    /** the worker threads that read imports (src/import-pool.ts) */
    importPool: ImportPool
  }
}

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const compilers = createCompilation()
  const app = Fastify({
    // stdout written asynchronously: lines that come while a write is under way leave together
    logger: options.logger
      ? { level: options.logLevel ?? 'info', stream: options.logStream ?? pino.destination({ dest: 1, sync: false }) }
      : false,
    // one line per request instead of Fastify's two
    logController: new AccessLog(),
    childLoggerFactory: lazyChildLogger,
    bodyLimit: options.bodyLimit ?? 16 * 1024 * 1024,
    requestTimeout: options.requestTimeout ?? 0,
    connectionTimeout: options.connectionTimeout ?? 0,
    keepAliveTimeout: options.keepAliveTimeout ?? 72_000,
    trustProxy: options.trustProxy ?? false,
    frameworkErrors: replyFrameworkError,
    clientErrorHandler,
    // ids of requests are logged, quoted in 5xx problems and echoed in X-Request-Id: the caller's if sound
    requestIdHeader: false,
    genReqId: requestIdOf,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false } },
    schemaController: { compilersFactory: { buildSerializer: serializerFactory(compilers.serializer) } }
  })

  for (const schema of [
    ProblemSchema,
    ApiKeySchema,
    ImportResultSchema,
    ...agencySchemas,
    ...reportSchemas,
    ...findingSchemas,
    ...coverageSchemas
  ])
    app.addSchema(schema)
  for (const schema of [...aggregateSchemas, ...statisticsSchemas, ...regionSchemas, ...changeSchemas]) app.addSchema(schema)
  app.decorate('compilation', compilers.compilation)
  app.addHook('onListen', async () => {
    const started = performance.now()
    compilers.compilation.warmUp().then(
      () => app.log.info({ ...compilers.compilation.stats, ms: Math.round(performance.now() - started) }, 'schemas compiled'),
      (err: unknown) => app.log.error({ err }, 'a schema does not compile')
    )
  })
  await app.register(requestLog)
  await app.register(validation, { validator: compilers.validator })
  await app.register(errors)
  await app.register(oversizedBody, { bodyLimit: options.bodyLimit ?? 16 * 1024 * 1024 })
  await app.register(jsonBody, { maxDepth: options.jsonMaxDepth, maxStringLength: options.jsonMaxStringLength })
  await app.register(database, {
    file: options.databaseFile,
    url: options.databaseUrl,
    poolSize: options.databasePoolSize,
    clock: options.clock
  })
  await app.register(httpSecurity, { corsOrigins: options.corsOrigins })
  await app.register(auth, {
    readRequiresKey: options.readRequiresKey,
    bootstrapAdminKey: options.bootstrapAdminKey,
    bootstrapKeyFile: options.bootstrapKeyFile
  })
  await app.register(rateLimit, { max: options.rateLimitMax })
  await app.register(conditional, { dataVersion: () => app.engine.dataVersion() })
  // after conditional: its cache keeps the plain answer, compression runs last
  await app.register(compression)
  await app.register(idempotency)
  await app.register(openapi)

  await app.register(healthRoutes)
  const importPool = createImportPool({
    workers: options.imports?.workers ?? defaultImportWorkers(availableParallelism()),
    queue: options.imports?.queue ?? 16,
    timeoutMs: options.imports?.timeoutMs ?? 10_000,
    memoryMb: options.imports?.memoryMb ?? 512
  })
  app.decorate('importPool', importPool)
  app.addHook('onClose', () => importPool.close())
  await app.register(
    async (v1) => {
      await v1.register(agencyRoutes)
      await v1.register(reportRoutes)
      await v1.register(findingRoutes)
      await v1.register(coverageRoutes)
      await v1.register(aggregateRoutes)
      await v1.register(statisticsRoutes)
      await v1.register(regionRoutes)
      await v1.register(keyRoutes)
      await v1.register(changeRoutes)
      await v1.register(importRoutes, {
        pool: importPool,
        fetchPolicy: options.importUrl?.hosts.length
          ? {
              hosts: options.importUrl.hosts,
              maxBytes: options.importUrl.maxBytes ?? 20 * 1024 * 1024,
              timeoutMs: options.importUrl.timeoutMs ?? 30_000,
              allowLoopback: options.importUrl.allowLoopback
            }
          : null
      })
    },
    { prefix: '/v1' }
  )
  await app.register(pageRoutes, { webDir: options.webDir, mapDir: options.mapDir })

  if (options.sampleData) await app.after().then(() => loadSampleData(app))
  return app
}
