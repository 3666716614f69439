// The yardstick: Fastify's hello-world JSON route, no schema, no plugins, logger off.
import Fastify from 'fastify'
import { serveAsChild } from './child.js'

const app = Fastify({ logger: false })
app.get('/', async () => ({ hello: 'world' }))
await serveAsChild(app)
