// The world the page tests look at: agencies in two provinces with reports for 2024 and 2025, one report
// with a seeded error on a known cell, the built pages, a small GeoJSON map of 青海省 made here (two
// squares, 西宁市 and 海东市), and the app listening on a loopback port.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildTestApp, sampleReport, type TestApp } from '../helper.js'
import { seededRandom } from '../../src/checks/consistent-report.js'
import { Model, variedReport } from '../aggregates/model.js'
import { buildWeb } from '../../scripts/build-web.js'
import type { WebManifest } from '../../src/pages/manifest.js'

export interface World {
  app: TestApp
  base: string
  model: Model
  manifest: WebManifest
  /** the report whose 本年新收 总计 does not equal its columns (T3-03) */
  flawedReportId: number
  flawedAgencyId: number
  close(): Promise<void>
}

const square = (adcode: string, name: string, lng: number, lat: number) => ({
  type: 'Feature',
  properties: { adcode, name },
  geometry: {
    type: 'Polygon',
    coordinates: [
      [
        [lng, lat],
        [lng + 1, lat],
        [lng + 1, lat + 1],
        [lng, lat + 1],
        [lng, lat]
      ]
    ]
  }
})

export async function buildWorld(): Promise<World> {
  const dir = mkdtempSync(join(tmpdir(), 'nianbao-pages-'))
  const webDir = join(dir, 'web')
  const mapDir = join(dir, 'maps')
  const manifest = await buildWeb(webDir)
  rmSync(mapDir, { recursive: true, force: true })
  const { mkdirSync } = await import('node:fs')
  mkdirSync(mapDir)
  writeFileSync(
    join(mapDir, '630000.json'),
    JSON.stringify({ type: 'FeatureCollection', features: [square('630100', '西宁市', 101, 36), square('630200', '海东市', 102, 36)] })
  )
  const app = await buildTestApp({ webDir, mapDir })
  const model = new Model(app)
  const random = seededRandom(2026)
  const agencies = [
    await model.agency({ name: '互助县城市管理综合行政执法局', regionCode: '630223', level: 'county', kind: 'department' }),
    await model.agency({ name: '互助县财政局', regionCode: '630223', level: 'county', kind: 'department' }),
    await model.agency({ name: '海东市乐都区人民政府办公室', regionCode: '630202', level: 'county', kind: 'generalOffice' }),
    await model.agency({ name: '海东市平安区教育局', regionCode: '630203', level: 'county', kind: 'department' }),
    await model.agency({ name: '西宁市城东区教育局', regionCode: '630102', level: 'county', kind: 'department' }),
    await model.agency({ name: '西宁市城中区民政局', regionCode: '630103', level: 'county', kind: 'department' }),
    await model.agency({ name: '北京市朝阳区市场监督管理局', regionCode: '110105', level: 'county', kind: 'department' }),
    await model.agency({ name: '北京市海淀区教育委员会', regionCode: '110108', level: 'county', kind: 'department' })
  ]
  await model.batch(
    agencies.slice(1).flatMap((a) => [2024, 2025].map((year) => variedReport(random, { agencyId: a.id, year, scope: 'own' }, { blank: 0 })))
  )
  const flawed = sampleReport(agencies[0].id)
  const newReceived = (flawed.applications as unknown as Record<string, Record<string, number | null>>).newReceived
  newReceived.total = (newReceived.total ?? 0) + 5
  const written = await model.put(flawed)
  await model.put(sampleReport(agencies[0].id, { year: 2024, publishedAt: '2025-01-20' }))
  const base = await app.listen({ port: 0, host: '127.0.0.1' })
  return {
    app,
    base,
    model,
    manifest,
    flawedReportId: written.id,
    flawedAgencyId: agencies[0].id,
    async close() {
      await app.close()
      rmSync(dir, { recursive: true, force: true })
    }
  }
}
