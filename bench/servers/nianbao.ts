// nianbao as the server builds it (buildApp), on the database file named by BENCH_DATABASE, logger off.
import { buildApp } from '../../src/app.js'
import { serveAsChild } from './child.js'

const databaseFile = process.env.BENCH_DATABASE
if (!databaseFile) throw new Error('BENCH_DATABASE is not set')
const app = await buildApp({ databaseFile, logger: false, sampleData: false })
await serveAsChild(app)
