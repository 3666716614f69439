// nianbao as the server builds it (buildApp), on the database file named by BENCH_DATABASE, logger off,
// no rate limit; the benchmark's admin key is created on first start (writes need a key).
import { buildApp } from '../../src/app.js'
import { BENCH_ADMIN_KEY, serveAsChild } from './child.js'

const databaseFile = process.env.BENCH_DATABASE
if (!databaseFile) throw new Error('BENCH_DATABASE is not set')
const app = await buildApp({ databaseFile, logger: false, sampleData: false, bootstrapAdminKey: BENCH_ADMIN_KEY })
await serveAsChild(app)
