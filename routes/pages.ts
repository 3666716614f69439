// The pages for people — 总览, 机关, 报告, 问题, 导入 — and the files they load. Each page is a server-rendered
// frame that its script fills from the /v1 API, so the pages show exactly what the API answers. Assets are
// served by nianbao itself (government networks are often cut off from the internet): hashed names, cached
// for a year, sent pre-compressed. A deployment's approved GeoJSON maps (MAP_DIR) are served under /maps/.
import { existsSync, readdirSync } from 'node:fs'
import { resolve } from 'node:path'
import fastifyStatic from '@fastify/static'
import { Type } from 'typebox'
import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { IdSchema, RegionPrefixSchema } from '../src/schemas/common.js'
import { RuleSchema, SeveritySchema } from '../src/schemas/finding.js'
import { YearFilterSchema } from '../src/schemas/filters.js'
import { FINDING_STATUSES } from '../src/reports/reviews.js'
import { REPORT_STATES } from '../db/repositories/reports.js'
import { renderPage } from '../src/pages/html.js'
import { defaultWebDir, readManifest, type PageName } from '../src/pages/manifest.js'
import { PICKABLE_METRICS } from '../src/pages/labels.js'
import { agencyView, findingsView, importView, overviewView, reportView, type PageBody } from '../src/pages/views.js'

export interface PagesOptions {
  /** the built assets (default: dist/web of the project) */
  webDir?: string
  /** a folder of approved GeoJSON maps named by six-digit adcode (100000.json for the country, 630000.json …) */
  mapDir?: string
}

/** The adcodes a map folder has a GeoJSON for. */
export function mapsIn(dir: string | undefined): string[] {
  if (!dir || !existsSync(dir)) return []
  return readdirSync(dir)
    .map((f) => /^(\d{6})\.(geo)?json$/.exec(f)?.[1])
    .filter((c): c is string => c !== undefined)
    .sort()
}

const OverviewQuery = Type.Object(
  {
    year: Type.Optional(YearFilterSchema),
    region: Type.Optional(Type.Union([Type.Literal(''), RegionPrefixSchema], { description: 'A region prefix; empty: the whole country' })),
    metric: Type.Optional(Type.Union(PICKABLE_METRICS.map((m) => Type.Literal(m)))),
    order: Type.Optional(Type.Union([Type.Literal('asc'), Type.Literal('desc')])),
    by: Type.Optional(Type.Union([Type.Literal('next'), Type.Literal('county')]))
  },
  { additionalProperties: false }
)

const FindingsQuery = Type.Object(
  {
    rule: Type.Optional(Type.Union([Type.Literal(''), RuleSchema])),
    severity: Type.Optional(Type.Union([Type.Literal(''), SeveritySchema])),
    regionCode: Type.Optional(Type.Union([Type.Literal(''), RegionPrefixSchema])),
    year: Type.Optional(Type.Union([Type.Literal(''), YearFilterSchema])),
    agencyId: Type.Optional(IdSchema),
    status: Type.Optional(Type.Union(['', ...FINDING_STATUSES].map((x) => Type.Literal(x)))),
    state: Type.Optional(Type.Union(['', ...REPORT_STATES].map((x) => Type.Literal(x))))
  },
  { additionalProperties: false }
)

const AgencyQuery = Type.Object(
  {
    state: Type.Optional(Type.Union(['', ...REPORT_STATES].map((x) => Type.Literal(x)))),
    status: Type.Optional(Type.Union(['', ...FINDING_STATUSES].map((x) => Type.Literal(x))))
  },
  { additionalProperties: false }
)

const IdParams = Type.Object({ id: IdSchema }, { additionalProperties: false })

export default async function pageRoutes(fastify: FastifyInstance, opts: PagesOptions) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const webDir = resolve(opts.webDir ?? defaultWebDir())
  const manifest = readManifest(webDir)
  if (!manifest) app.log.warn({ webDir }, 'the pages’ scripts are not built: run `npm run build`')
  else {
    await app.register(fastifyStatic, {
      root: webDir,
      prefix: '/assets/',
      decorateReply: false,
      preCompressed: true,
      immutable: true,
      maxAge: '365d',
      index: false,
      allowedPath: (path) => !path.endsWith('manifest.json')
    })
  }
  const maps = mapsIn(opts.mapDir)
  if (opts.mapDir && maps.length) {
    await app.register(fastifyStatic, { root: resolve(opts.mapDir), prefix: '/maps/', decorateReply: false, index: false, maxAge: '1h' })
  }

  const send = (page: PageName, title: string, view: PageBody) =>
    renderPage({ page, title, body: view.body, data: { ...(view.data as object), maps }, manifest })
  const hide = { hide: true }

  app.get('/', { schema: { ...hide, querystring: OverviewQuery } }, async (request, reply) => {
    const q = request.query
    const view = overviewView({
      year: q.year,
      region: q.region ?? '',
      metric: q.metric ?? 'disclosureRate',
      order: q.order ?? 'asc',
      by: q.by ?? 'next'
    })
    return reply.type('text/html; charset=utf-8').send(send('overview', '总览', view))
  })
  app.get('/agencies/:id', { schema: { ...hide, params: IdParams, querystring: AgencyQuery } }, async (request, reply) => {
    const { state, status } = request.query
    const view = agencyView(request.params.id, { state: state || undefined, status: status || undefined })
    return reply.type('text/html; charset=utf-8').send(send('agency', '机关', view))
  })
  app.get('/reports/:id', { schema: { ...hide, params: IdParams } }, async (request, reply) =>
    reply.type('text/html; charset=utf-8').send(send('report', '报告', reportView(request.params.id)))
  )
  app.get('/findings', { schema: { ...hide, querystring: FindingsQuery } }, async (request, reply) => {
    const q = request.query
    const view = findingsView({
      rule: q.rule || undefined,
      severity: q.severity || undefined,
      regionCode: q.regionCode || undefined,
      year: q.year === '' ? undefined : q.year,
      agencyId: q.agencyId,
      status: q.status || undefined,
      state: q.state || undefined
    })
    return reply.type('text/html; charset=utf-8').send(send('findings', '问题', view))
  })
  app.get('/import', { schema: hide }, async (_request, reply) =>
    reply.type('text/html; charset=utf-8').send(send('import', '导入', importView()))
  )
}
