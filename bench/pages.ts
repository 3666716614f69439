// tsx bench/pages.ts [--file data/bench.db] [--runs 5]
// Time to first chart in a real browser (Debian's headless Chromium): from navigation start to the moment
// the overview's region chart is drawn (the page's `first-chart` performance mark), and to the page being
// complete (every panel filled). Beside it, in the same browser and run, the time to load Fastify's
// hello-world route: the ratio says how many hello-worlds a first chart costs. The first visit is cold
// (empty browser cache, the server's aggregate cache empty); the later ones warm. Needs `npm run build`.
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { DEFAULT_DATABASE, commandLine, numberFlag, parseFlags, stringFlag } from './lib/args.js'
import { startHello, startNianbao, sampleRss } from './lib/children.js'
import { emitRow, progress } from './lib/report.js'
import { isMain, main } from './lib/scenario.js'
import { launch } from '../test/e2e/browser.js'
import { defaultWebDir, readManifest } from '../src/pages/manifest.js'

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}

export async function benchPages() {
  const flags = parseFlags()
  const file = resolve(stringFlag(flags, 'file', DEFAULT_DATABASE))
  const runs = Math.max(2, Math.floor(numberFlag(flags, 'runs', 5)))
  if (!existsSync(file)) throw new Error(`${file} does not exist: npm run bench:data -- --reports 50000 --file ${file}`)
  if (!readManifest(defaultWebDir())) throw new Error('the pages are not built: npm run build')
  const hello = await startHello()
  const nianbao = await startNianbao(file)
  const rss = sampleRss(nianbao)
  const browser = await launch()
  const paths = ['/', '/?region=63', '/?region=63&by=county&order=asc']
  try {
    for (const path of paths) {
      const first: number[] = []
      const complete: number[] = []
      const baseline: number[] = []
      for (let i = 0; i < runs; i++) {
        const h = await browser.page()
        await h.goto(`${hello.url}/`)
        baseline.push(await h.evaluate(() => (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).loadEventEnd))
        await h.close()
        const page = await browser.page()
        await page.goto(nianbao.url + path)
        await page.waitForSelector('body[data-ready]', { timeout: 120_000 })
        if (page.errors.length) throw new Error(`${path}: ${page.errors.join('; ')}`)
        const [chart, done] = await page.evaluate(() => [
          performance.getEntriesByName('first-chart')[0]?.startTime ?? NaN,
          performance.now()
        ])
        first.push(chart)
        complete.push(done)
        progress(
          `${path} run ${i + 1}: first chart ${chart.toFixed(0)} ms, complete ${done.toFixed(0)} ms, hello ${baseline[baseline.length - 1].toFixed(0)} ms`
        )
        await page.close()
      }
      const warm = first.slice(1)
      emitRow(
        {
          scenario: `overview ${path}: time to first chart, cold / warm median (complete page, warm median)`,
          rps: '—',
          p50: `${first[0].toFixed(0)} / ${median(warm).toFixed(0)} ms (${median(complete.slice(1)).toFixed(0)} ms)`,
          p99: `${Math.max(...warm).toFixed(0)} ms (warm max)`,
          ratio: median(warm) / median(baseline),
          rss: rss.max,
          command: commandLine('pages', flags)
        },
        { firstChartMs: first, completeMs: complete, helloMs: baseline }
      )
    }
  } finally {
    await rss.stop()
    await browser.close()
    await nianbao.stop()
    await hello.stop()
  }
}

if (isMain(import.meta.url)) main(benchPages)
