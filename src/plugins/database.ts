// Opens the database once per app and creates the repositories over it; closes it when the app closes.
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { openDatabase, type Db } from '../../db/client.js'
import { createAgencyRepository, type AgencyRepository } from '../../db/repositories/agencies.js'
import { createReportRepository, type ReportRepository } from '../../db/repositories/reports.js'
import { createRollup } from '../../db/repositories/rollup.js'
import { createFindingStore } from '../../db/repositories/findings.js'

declare module 'fastify' {
  interface FastifyInstance {
    db: Db
    repos: {
      agencies: AgencyRepository
      reports: ReportRepository
    }
  }
}

export default fp(
  async function database(app: FastifyInstance, opts: { file: string }) {
    const db = openDatabase({ file: opts.file })
    const rollup = createRollup(db.$client)
    const reports = createReportRepository(db, { rollup, findings: createFindingStore(db.$client) })
    const agencies = createAgencyRepository(db, { rollup, store: reports })
    app.decorate('db', db)
    app.decorate('repos', { agencies, reports })
    app.addHook('onClose', async () => {
      db.$client.close()
    })
  },
  { name: 'database' }
)
