// Opens the database once per app (db/engines chooses the engine), creates the repositories and the
// services over it, and closes it when the app closes. Everything reaches the database through
// `app.services` (writes and the reads that belong to a resource) or `app.engine` with a repository.
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { createEngine, type Engine } from '../../db/engines/index.js'
import { createAgencyRepository, type AgencyRepository } from '../../db/repositories/agencies.js'
import { createReportRepository, type ReportRepository } from '../../db/repositories/reports.js'
import { createRollup, type Rollup } from '../../db/repositories/rollup.js'
import { createFindingStore, type FindingStore } from '../../db/repositories/findings.js'
import { createKeyRepository, type KeyRepository } from '../../db/repositories/keys.js'
import { createChangeLog, type ChangeLog } from '../../db/repositories/changes.js'
import { createAgencyService, type AgencyService } from '../agencies/agency-service.js'
import { createReportService, type ReportService } from '../reports/report-service.js'
import { createKeyService, type KeyService } from '../auth/key-service.js'

export interface Repositories {
  agencies: AgencyRepository
  reports: ReportRepository
  rollup: Rollup
  findings: FindingStore
  keys: KeyRepository
  changes: ChangeLog
}

export interface Services {
  agencies: AgencyService
  reports: ReportService
  keys: KeyService
}

declare module 'fastify' {
  interface FastifyInstance {
    engine: Engine
    repos: Repositories
    services: Services
  }
}

/** The repositories and services of one database: created once, by the app or by a command-line tool. */
export function createServices(engine: Engine, options: { clock?: () => Date } = {}): { repos: Repositories; services: Services } {
  const repos: Repositories = {
    agencies: createAgencyRepository(),
    reports: createReportRepository(),
    rollup: createRollup(),
    findings: createFindingStore(),
    keys: createKeyRepository(),
    changes: createChangeLog()
  }
  const services: Services = {
    agencies: createAgencyService(engine, repos),
    reports: createReportService(engine, { ...repos, clock: options.clock }),
    keys: createKeyService(engine, repos.keys)
  }
  return { repos, services }
}

export default fp(
  async function database(app: FastifyInstance, opts: { file: string; url?: string; poolSize?: number; clock?: () => Date }) {
    const engine = await createEngine({
      file: opts.file,
      url: opts.url,
      poolSize: opts.poolSize,
      onError: (err) => app.log.warn({ err }, 'a pooled database connection failed; it is replaced')
    })
    const { repos, services } = createServices(engine, { clock: opts.clock })
    app.decorate('engine', engine)
    app.decorate('repos', repos)
    app.decorate('services', services)
    app.addHook('onClose', async () => {
      await engine.close()
    })
  },
  { name: 'database' }
)
