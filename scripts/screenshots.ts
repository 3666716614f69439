// tsx scripts/screenshots.ts [databaseFile] [outDir]
// The README's screenshots: each page of a running app over the given database (by default the benchmark's
// data set), in headless Chromium, at laptop width (and the overview at phone width too). Needs `npm run build`.
import { mkdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { buildApp } from '../src/app.js'
import { launch } from '../test/e2e/browser.js'

const file = resolve(process.argv[2] ?? 'data/bench.db')
const out = resolve(process.argv[3] ?? 'docs/screenshots')
mkdirSync(out, { recursive: true })
const app = await buildApp({ databaseFile: file, logger: false, sampleData: false })
const base = await app.listen({ port: 0, host: '127.0.0.1' })
const get = async (url: string) => JSON.parse((await app.inject(url)).body)
const years = (await get('/v1/aggregates?metrics=reports&groupBy=year')).groups.map((g: { key: { year: number } }) => g.key.year)
const year = years[years.length - 1]
const flawed = (await get(`/v1/findings?severity=error&regionCode=63&year=${year}&limit=1`)).items[0]
const browser = await launch()
const shots: Array<{
  name: string
  path: string
  width?: number
  height?: number
  before?: (page: Awaited<ReturnType<typeof browser.page>>) => Promise<void>
}> = [
  { name: 'overview', path: `/?year=${year}&region=63&by=county&order=asc` },
  { name: 'overview-phone', path: `/?year=${year}&region=63`, width: 390, height: 1400 },
  { name: 'agency', path: `/agencies/${flawed.agencyId}` },
  {
    name: 'report',
    path: `/reports/${flawed.reportId}`,
    before: async (page) => {
      const cell = page.locator('#official td.flag-error').first()
      await cell.scrollIntoViewIfNeeded()
      await cell.focus()
    }
  },
  { name: 'findings', path: `/findings?regionCode=63&year=${year}` },
  {
    name: 'import',
    path: '/import',
    before: async (page) => {
      await page.fill('#text', readFileSync(new URL('../test/fixtures/reports/huzhu-urban-management-2025.txt', import.meta.url), 'utf8'))
      await page.click('#preview')
      await page.waitForSelector('body[data-previewed]')
      await page.mouse.move(0, 0)
      await page.locator('#cells tr[data-cell="proactive.licensing.decisions"]').focus()
    }
  }
]
for (const shot of shots) {
  const page = await browser.page({ width: shot.width ?? 1280, height: shot.height ?? 1000 })
  await page.goto(base + shot.path)
  await page.waitForSelector('body[data-ready]', { timeout: 120_000 })
  await shot.before?.(page)
  await page.screenshot({ path: join(out, `${shot.name}.png`), fullPage: false })
  if (page.errors.length) console.error(`${shot.name}: ${page.errors.join('; ')}`)
  console.log(`${shot.name}.png  ${shot.path}`)
  await page.close()
}
await browser.close()
await app.close()
