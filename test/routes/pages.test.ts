import t from 'tap'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildTestApp } from '../helper.js'
import { buildWeb } from '../../scripts/build-web.js'
import { RULES } from '../../src/checks/rules.js'
import { RULE_TITLES } from '../../src/pages/labels.js'
import { mapsIn } from '../../routes/pages.js'

const dir = mkdtempSync(join(tmpdir(), 'nianbao-pages-routes-'))
t.teardown(() => rmSync(dir, { recursive: true, force: true }))
const webDir = join(dir, 'web')
const mapDir = join(dir, 'maps')
const built = buildWeb(webDir)

t.test('every page is a Chinese frame with its own script, styles and data, under the CSP', async (t) => {
  const manifest = await built
  const { mkdirSync } = await import('node:fs')
  mkdirSync(mapDir, { recursive: true })
  writeFileSync(join(mapDir, '630000.json'), '{"type":"FeatureCollection","features":[]}')
  writeFileSync(join(mapDir, 'readme.txt'), 'not a map')
  const app = await buildTestApp({ webDir, mapDir })
  t.teardown(() => app.close())
  const pages: Array<[string, keyof typeof manifest.pages, string]> = [
    ['/?year=2025&region=63&metric=disclosureRate&order=asc&by=county', 'overview', '总览'],
    ['/agencies/1', 'agency', '机关'],
    ['/reports/1', 'report', '报告'],
    ['/findings?rule=T3-01&severity=error&regionCode=6302&year=2025', 'findings', '问题'],
    ['/import', 'import', '导入']
  ]
  for (const [url, page, title] of pages) {
    const res = await app.inject(url)
    t.equal(res.statusCode, 200, url)
    t.equal(res.headers['content-type'], 'text/html; charset=utf-8')
    t.match(res.headers['content-security-policy'], /script-src 'self'/)
    t.match(res.body, `<html lang="zh-CN">`)
    t.match(res.body, `<title>${title} · 政府信息公开工作年度报告</title>`)
    t.match(res.body, `<script type="module" src="/assets/${manifest.pages[page].script}"></script>`)
    t.match(res.body, `<link rel="stylesheet" href="/assets/${manifest.style}">`)
    t.notMatch(res.body, /<script>|<script type="module">|on(click|load)=/, 'no inline script or handler')
    const data = JSON.parse(/<script type="application\/json" id="page-data">([\s\S]*?)<\/script>/.exec(res.body)![1])
    t.same(data.maps, ['630000'], 'the maps the deployment provides')
  }
  const overview = JSON.parse(/id="page-data">([\s\S]*?)<\/script>/.exec((await app.inject('/?year=2025&region=63&by=county')).body)![1])
  t.match(overview, { year: 2025, region: '63', metric: 'disclosureRate', order: 'asc', by: 'county' })
  t.match((await app.inject('/findings?rule=T3-01&regionCode=6302')).body, '<option value="T3-01" selected>')
  const reviewed = (await app.inject('/findings?status=dismissed&state=submitted')).body
  t.match(reviewed, '<option value="dismissed" selected>已排除</option>', 'the review status filter, chosen')
  t.match(reviewed, '<option value="submitted" selected>已报送</option>', 'the report state filter, chosen')
  const agency = await app.inject('/agencies/1?state=returned&status=')
  t.equal(agency.statusCode, 200)
  t.match(agency.body, '<option value="returned" selected>已退回</option>')
  t.match(JSON.parse(/id="page-data">([\s\S]*?)<\/script>/.exec(agency.body)![1]), {
    id: 1,
    state: 'returned',
    labels: { states: { draft: '草稿', submitted: '已报送', returned: '已退回', accepted: '已采纳' } }
  })

  const script = await app.inject({ url: `/assets/${manifest.pages.overview.script}`, headers: { 'accept-encoding': 'br, gzip' } })
  t.equal(script.statusCode, 200)
  t.match(script.headers['content-type'], /javascript/)
  t.equal(script.headers['content-encoding'], 'br', 'sent pre-compressed')
  t.match(script.headers['cache-control'], /max-age=31536000.*immutable|immutable.*max-age=31536000/)
  t.equal((await app.inject(`/assets/manifest.json`)).statusCode, 404, 'the manifest is not served')
  t.equal((await app.inject(`/assets/../package.json`)).statusCode, 404)
  const map = await app.inject('/maps/630000.json')
  t.equal(map.statusCode, 200)
  t.same(JSON.parse(map.body), { type: 'FeatureCollection', features: [] })
  t.same(mapsIn(mapDir), ['630000'])
  t.same(mapsIn(join(dir, 'nowhere')), [])
})

t.test('bad page parameters are problems naming the parameter', async (t) => {
  await built
  const app = await buildTestApp({ webDir })
  t.teardown(() => app.close())
  for (const [url, parameter] of [
    ['/?year=1999', 'year'],
    ['/?region=6a', 'region'],
    ['/?metric=colour', 'metric'],
    ['/?order=up', 'order'],
    ['/?colour=red', 'colour'],
    ['/findings?rule=XX-99', 'rule'],
    ['/findings?year=2019x', 'year'],
    ['/findings?status=closed', 'status'],
    ['/findings?state=published', 'state'],
    ['/agencies/1?state=published', 'state'],
    ['/agencies/1?status=closed', 'status']
  ]) {
    const res = await app.inject(url)
    t.equal(res.statusCode, 400, url)
    t.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8')
    t.match(res.body, parameter, `${url} names ${parameter}`)
  }
  t.equal((await app.inject('/agencies/abc')).statusCode, 400)
  t.equal((await app.inject('/reports/0')).statusCode, 400)
  t.equal((await app.inject('/maps/630000.json')).statusCode, 404, 'no map folder, no maps')
})

t.test('unbuilt pages say how to build them', async (t) => {
  const app = await buildTestApp({ webDir: join(dir, 'missing') })
  t.teardown(() => app.close())
  const res = await app.inject('/')
  t.equal(res.statusCode, 200)
  t.match(res.body, '页面脚本尚未构建：请先运行 <code>npm run build</code>')
  t.notMatch(res.body, '<script type="module"')
})

t.test('the findings page offers every rule under the Chinese name the API gives it', async (t) => {
  await built
  const app = await buildTestApp({ webDir })
  t.teardown(() => app.close())
  const body = (await app.inject('/findings?rule=TX-01')).body
  const options = [...body.matchAll(/<option value="([A-Z0-9-]+)"( selected)?>([^<]*)<\/option>/g)].map((m) => [m[1], m[3]])
  t.same(
    options,
    RULES.map((r) => [r.id, `${r.id} ${r.name}`])
  )
  t.match(body, '<option value="TX-01" selected>TX-01 正文数字与表格不符</option>')
  t.same(RULE_TITLES, Object.fromEntries(RULES.map((r) => [r.id, r.name])), 'the titles the page scripts get are the same names')
})
