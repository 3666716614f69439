// The pages in a real browser (Debian's headless Chromium): each page loads with no console error, the
// charts show the API's numbers for the same question, drilling down changes the region (on bars and on
// a deployment's map), the report page marks a seeded finding on its cell, the import page previews a
// published report and commits it; each page stays within its JavaScript budget, fits a phone, prints.
/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import t from 'tap'
import { readFileSync } from 'node:fs'
import type { Page } from 'playwright-core'
import { ADMIN_KEY, sampleReport } from '../helper.js'
import { launch, type Browser } from './browser.js'
import { buildWorld, type World } from './world.js'

declare global {
  interface Window {
    /** the pages' charts by element id (web/lib/charts.ts) */
    nianbaoCharts?: Record<string, { getOption(): unknown; convertToPixel(finder: unknown, value: unknown): number[] }>
  }
}

/** Compressed JavaScript a page may load before its first chart (bytes): ECharts' part is about 190 KiB. */
export const JS_BUDGET = { overview: 200 * 1024, agency: 200 * 1024, report: 10 * 1024, findings: 10 * 1024, import: 10 * 1024 }

let world: World
let browser: Browser
t.before(async () => {
  world = await buildWorld()
  browser = await launch()
})
t.teardown(async () => {
  await browser?.close()
  await world?.close()
})

const api = async (url: string) => JSON.parse((await world.app.inject(url)).body)

async function open(path: string, options: { width?: number } = {}) {
  const page = await browser.page(options)
  await page.goto(world.base + path)
  await page.waitForSelector('body[data-ready]', { timeout: 30_000 })
  return page
}

/** What a chart's dataset holds: [name, value] per bar, or the map's data. */
const chartData = (page: Page, id: string) =>
  page.evaluate((id) => {
    const option = window.nianbaoCharts![id].getOption() as any
    const series = option.series[0]
    if (series.type === 'map') return { type: 'map', data: series.data.map((d: any) => [d.name, d.value]) }
    const { name, value } = document.getElementById(id)!.dataset
    return { type: series.type, data: option.dataset[0].source.map((r: any) => [r[name!], r[value!]]) }
  }, id)

t.test('every page loads with no console error and within its JavaScript budget', async (t) => {
  const pages: Array<[string, keyof typeof JS_BUDGET]> = [
    ['/', 'overview'],
    ['/?year=2025&region=63', 'overview'],
    [`/agencies/${world.flawedAgencyId}`, 'agency'],
    [`/reports/${world.flawedReportId}`, 'report'],
    ['/findings?regionCode=63&year=2025', 'findings'],
    ['/import', 'import']
  ]
  for (const [path, name] of pages) {
    const page = await open(path)
    t.same(page.errors, [], `${path}: no console error`)
    const js = await page.evaluate(() =>
      performance
        .getEntriesByType('resource')
        .filter((e) => e.name.endsWith('.js'))
        .map((e) => ({ name: e.name, bytes: (e as PerformanceResourceTiming).encodedBodySize }))
    )
    const total = js.reduce((s, e) => s + e.bytes, 0)
    t.ok(
      total > 0 && total <= JS_BUDGET[name],
      `${path}: ${(total / 1024).toFixed(1)} KiB of compressed JavaScript ≤ ${JS_BUDGET[name] / 1024} KiB`
    )
    t.notOk(
      js.some((e) => !e.name.startsWith(world.base)),
      'every script from nianbao itself'
    )
    await page.close()
  }
  for (const [name, bytes] of Object.entries(world.manifest.budget)) {
    if (name !== 'style')
      t.ok(bytes <= JS_BUDGET[name as keyof typeof JS_BUDGET], `the build's own count for ${name}: ${(bytes / 1024).toFixed(1)} KiB`)
  }
})

t.test('the overview shows the API’s numbers for the same question, and drills down', async (t) => {
  const page = await open('/?year=2025&metric=disclosureRate&order=asc')
  const provinces = await api('/v1/aggregates?metrics=disclosureRate&groupBy=province&year=2025&sort=disclosureRate')
  t.same(
    await chartData(page, 'regions-chart'),
    { type: 'bar', data: provinces.groups.map((g: any) => [g.name, g.values.disclosureRate]) },
    'the bars are the provinces’ 公开率'
  )
  const total = (await api('/v1/aggregates?metrics=applications.newReceived.total,disclosureRate,proactive.penalty.decisions&year=2025'))
    .groups[0].values
  for (const code of ['applications.newReceived.total', 'disclosureRate', 'proactive.penalty.decisions']) {
    t.equal(await page.getAttribute(`.card[data-metric="${code}"] .big`, 'data-value'), String(total[code]), `the ${code} card`)
  }
  const years = await api('/v1/aggregates?metrics=applications.newReceived.total,disclosureRate&groupBy=year')
  const trend = await page.evaluate(() => (window.nianbaoCharts!['trend-chart'].getOption() as any).dataset[0].source)
  t.same(
    trend.map((r: any) => [r.year, r['applications.newReceived.total'], r.disclosureRate]),
    years.groups.map((g: any) => [String(g.key.year), g.values['applications.newReceived.total'], g.values.disclosureRate]),
    'the trend'
  )

  // click the 北京市 bar: the page drills into it
  const beijing = provinces.groups.findIndex((g: any) => g.key.province === '11')
  const point = await page.evaluate((i) => {
    const chart = window.nianbaoCharts!['regions-chart']
    const option = chart.getOption() as any
    const value = option.dataset[0].source[i].disclosureRate
    return chart.convertToPixel({ seriesIndex: 0 }, [value / 2, i])
  }, beijing)
  const box = (await page.locator('#regions-chart').boundingBox())!
  await Promise.all([page.waitForURL(/region=11/), page.mouse.click(box.x + point[0], box.y + point[1])])
  await page.waitForSelector('body[data-ready]')
  t.equal(await page.textContent('#breadcrumb strong'), '北京市', 'the breadcrumb names the region')
  t.match(await page.textContent('#title'), /^北京市 2025年/)
  const counties = await api('/v1/aggregates?metrics=disclosureRate&groupBy=prefecture&regionCode=11&year=2025&sort=disclosureRate')
  t.same(
    (await chartData(page, 'regions-chart')).data,
    counties.groups.map((g: any) => [g.name, g.values.disclosureRate])
  )

  // the table links drill down too, and the county view ranks the counties least disclosing first
  await page.goto(`${world.base}/?year=2025&region=6302&order=asc`)
  await page.waitForSelector('body[data-ready]')
  const rows = await page.$$eval('#regions-table tbody tr', (trs) =>
    trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent))
  )
  const haidong = await api(
    '/v1/aggregates?metrics=disclosureRate,reports&groupBy=county&regionCode=6302&year=2025&sort=disclosureRate&rank=true'
  )
  t.same(
    rows.map((r) => r[1]),
    haidong.groups.map((g: any) => g.name),
    'counties in the API’s order'
  )
  t.same(
    rows.map((r) => r[0]),
    haidong.groups.map((g: any) => String(g.rank.disclosureRate)),
    'with the API’s ranks'
  )
  t.same(
    rows.map((r) => r[6]),
    haidong.groups.map(() => '查看问题')
  )
  await Promise.all([
    page.waitForURL(/\/findings\?regionCode=\d+&year=2025/),
    page.click('#regions-table tbody tr:first-child a:text("查看问题")')
  ])
  await page.waitForSelector('body[data-ready]')
  t.same(page.errors, [])
  await page.close()
})

t.test('a deployment’s GeoJSON: the region is drawn as a map with the API’s values, and a click drills down', async (t) => {
  const page = await open('/?year=2025&region=63&metric=applications.newReceived.total')
  const prefectures = await api(
    '/v1/aggregates?metrics=applications.newReceived.total&groupBy=prefecture&regionCode=63&year=2025&sort=applications.newReceived.total'
  )
  const shown = await chartData(page, 'regions-chart')
  t.equal(shown.type, 'map')
  t.same(
    shown.data,
    prefectures.groups.map((g: any) => [g.key.prefecture.padEnd(6, '0'), g.values['applications.newReceived.total']]),
    'values joined by adcode'
  )
  // click 海东市 where the map draws it; on a busy machine the chart may still be laying out (or animating)
  // when the first point is computed, so a click that leads nowhere is tried again from a fresh point
  for (let attempt = 1; ; attempt++) {
    const point = await page.evaluate(() => window.nianbaoCharts!['regions-chart'].convertToPixel({ seriesIndex: 0 }, [102.5, 36.5]))
    const box = (await page.locator('#regions-chart').boundingBox())!
    const moved = await Promise.all([
      page.waitForURL(/region=6302/, { timeout: 10_000 }).then(
        () => true,
        () => false
      ),
      page.mouse.click(box.x + point[0], box.y + point[1])
    ])
    if (moved[0]) break
    if (attempt === 3) throw new Error('three clicks on 海东市 did not drill down')
  }
  await page.waitForSelector('body[data-ready]')
  t.equal(await page.textContent('#breadcrumb strong'), '海东市')
  t.equal((await chartData(page, 'regions-chart')).type, 'bar', 'no map of 海东市: bars')
  t.same(page.errors, [])
  await page.close()
})

t.test('the report page marks the seeded finding on its cell and explains it on focus', async (t) => {
  const page = await open(`/reports/${world.flawedReportId}`)
  const cell = page.locator('#official td[data-cell="applications.newReceived.total"]')
  t.match(await cell.getAttribute('class'), /flag flag-error/)
  t.match(await cell.getAttribute('data-findings'), /T3-03/)
  t.notOk(
    await page.isVisible('#official td[data-cell="applications.newReceived.total"] .tip'),
    'the explanation is hidden until asked for'
  )
  await cell.focus()
  const tip = page.locator('#official td[data-cell="applications.newReceived.total"] .tip')
  t.ok(await tip.isVisible(), 'focus shows it')
  const findings = await api(`/v1/reports/${world.flawedReportId}/findings`)
  const t303 = findings.items.find((f: any) => f.rule === 'T3-03' && f.cells.includes('applications.newReceived.total'))
  t.match(await tip.textContent(), t303.message)
  t.equal(await cell.getAttribute('aria-describedby'), await tip.getAttribute('id'))
  t.ok(await page.locator('#official td[data-cell="reviewLitigation.review.total"]:not(.flag)').count(), 'an unaffected cell is not marked')
  t.match(await page.textContent('#summary h2'), /错误 \d+/)
  t.match(await page.textContent('#revisions'), /创建/)
  for (const [text, href] of [
    ['CSV', 'output=csv'],
    ['XLSX', 'output=xlsx'],
    ['Markdown', 'output=md'],
    ['JSON', 'output=json']
  ]) {
    t.match(await page.getAttribute(`.downloads a:text-is("${text}")`, 'href'), href)
  }
  await page.emulateMedia({ media: 'print' })
  t.notOk(await page.isVisible('header.site'), 'print leaves out the navigation')
  t.notOk(await page.isVisible('.downloads'))
  const pdf = await page.pdf({ format: 'A4' })
  t.ok(pdf.length > 10_000 && pdf.subarray(0, 5).toString() === '%PDF-', 'prints to A4')
  t.same(page.errors, [])
  await page.close()
})

t.test('the import page previews a published report with where each value was read, and commits it', async (t) => {
  const text = readFileSync(new URL('../fixtures/reports/huzhu-urban-management-2025.txt', import.meta.url), 'utf8')
  const page = await open('/import')
  await page.fill('#text', text)
  await page.click('#preview')
  await page.waitForSelector('body[data-previewed]')
  const preview = JSON.parse(
    (
      await world.app.inject({
        method: 'POST',
        url: '/v1/imports',
        headers: { 'content-type': 'text/plain; charset=utf-8' },
        payload: text
      })
    ).body
  )
  t.match(await page.textContent('#meta'), preview.agencyName)
  const row = page.locator('#cells tr[data-cell="proactive.licensing.decisions"]')
  t.equal(await row.locator('td.num').textContent(), String(preview.report.proactive.licensing.decisions))
  const p = preview.provenance['proactive.licensing.decisions']
  t.match(await row.locator('td.prov').textContent(), `第 ${p.line} 行`)
  t.equal(
    await page.locator('#cells tbody tr').count(),
    (await api('/v1/aggregates/metrics')).metrics.filter((m: any) => m.kind === 'cell' && (!m.formats || m.formats.includes('2021')))
      .length,
    'every cell of the format'
  )
  await page.mouse.move(0, 0) // out of the table: hovering a row highlights too
  await row.focus()
  t.equal(await page.getAttribute('#source .line.hit', 'data-line'), String(p.line), 'focusing a value highlights its line in the source')
  t.match(await page.textContent('#source .line.hit'), p.text)
  await page.fill('#key', 'not-a-key-00000000000000')
  await page.click('#commit button')
  await page.waitForSelector('#committed .notice.error')
  t.match(await page.textContent('#committed'), /密钥无效/, 'a bad key is refused, in words')
  // the world's 互助县城市管理综合行政执法局 has an accepted 2025 report, which changes only by a correction: the
  // commit names a body of its own
  const body = JSON.parse(
    (
      await world.app.inject({
        method: 'POST',
        url: '/v1/agencies',
        payload: { name: '互助县城市管理综合行政执法局（导入测试）', regionCode: '630223', level: 'county', kind: 'department' }
      })
    ).body
  )
  await page.fill('#agencyId', String(body.id))
  await page.fill('#key', ADMIN_KEY)
  await page.click('#commit button')
  await page.waitForSelector('#committed-link')
  const href = await page.getAttribute('#committed-link', 'href')
  const id = Number(/\/reports\/(\d+)/.exec(href!)![1])
  const stored = await api(`/v1/reports/${id}`)
  t.equal(stored.agencyId, body.id, 'stored for the body named')
  t.same(stored.applications, preview.report.applications, 'the committed report is the previewed one')
  t.same(
    page.errors.filter((e) => !/status of 401/.test(e)),
    [],
    'no console error but the refused commit’s 401'
  )
  await page.close()
})

t.test('on a phone: no page is wider than the screen', async (t) => {
  for (const path of ['/?year=2025&region=63', `/agencies/${world.flawedAgencyId}`, '/findings', '/import']) {
    const page = await open(path, { width: 390 })
    const width = await page.evaluate(() => document.documentElement.scrollWidth)
    t.ok(width <= 390, `${path}: ${width}px`)
    t.same(page.errors, [])
    await page.close()
  }
})

t.test('a report walks draft → submitted → returned → submitted → accepted through its page, with the right keys', async (t) => {
  const inject = world.app.inject.bind(world.app)
  const created = async (res: { statusCode: number; body: string }) => {
    if (res.statusCode !== 201) throw new Error(res.body)
    return JSON.parse(res.body)
  }
  const keyOf = async (name: string, role: string, regions: string[]) =>
    (await created(await inject({ method: 'POST', url: '/v1/keys', payload: { name, role, regions } }))).key as string
  const agency = await created(
    await inject({
      method: 'POST',
      url: '/v1/agencies',
      payload: { name: '化隆回族自治县教育局', regionCode: '630224', level: 'county', kind: 'department' }
    })
  )
  const submitter = await keyOf('化隆县教育局', 'submitter', ['630224'])
  const reviewer = await keyOf('海东市政务公开办', 'reviewer', ['6302'])
  const stranger = await keyOf('北京市政务公开办', 'reviewer', ['11'])
  // the submitter's report, with the 本年新收 总计 off by 5: a draft with error findings
  const doc = sampleReport(agency.id)
  ;(doc.applications as unknown as Record<string, Record<string, number | null>>).newReceived.total! += 5
  const report = await created(
    await world.app.injectAs(submitter, { method: 'PUT', url: `/v1/agencies/${agency.id}/reports/2025`, payload: doc })
  )
  t.equal(report.state, 'draft')
  const errors = (await api(`/v1/findings?reportId=${report.id}&severity=error`)).items
  t.ok(errors.length > 0, 'the draft has error findings')

  const page = await open(`/reports/${report.id}`)
  const stateShown = async () => (await page.textContent('#state-value'))?.trim()
  const enterKey = async (key: string) => {
    if (await page.isVisible('#key-clear')) await page.click('#key-clear')
    await page.fill('#key-input', key)
    await page.press('#key-input', 'Enter')
    await page.waitForSelector('#key-clear')
  }
  const act = async (label: string, comment?: string) => {
    await page.fill('#comment', comment ?? '')
    await page.click(`#transition button:text-is("${label}")`)
    await page.waitForSelector('#act-result .notice.ok, #act-result .refusal')
    return (await page.textContent('#act-result'))!.trim()
  }
  // without a key the page shows what the API shows an anonymous reader: the draft, or no report at all
  if ((await world.app.injectAs(null, `/v1/reports/${report.id}`)).statusCode === 404) {
    t.match(await page.textContent('#official'), '尚未采纳的报告只向有权的密钥显示', 'a hidden draft: asked for a key')
    t.equal(await page.textContent('#state'), '')
  } else {
    t.equal(await stateShown(), '草稿', 'the state is shown: 草稿')
    t.match(await page.textContent('#state'), /尚未报送/)
  }
  t.equal(await page.locator('#transition').count(), 0, 'no action without a key')

  // a key that is not one is refused at once, and not kept
  await page.fill('#key-input', 'not-a-key-00000000000000')
  await page.press('#key-input', 'Enter')
  await page.waitForSelector('#key-status .notice.error')
  t.match(await page.textContent('#key-status'), /密钥无效/)
  t.equal(await page.evaluate(() => sessionStorage.length), 0, 'an invalid key is not stored')

  // the submitter submits: the gate refuses while an error has no explanation, and the page says which
  await enterKey(submitter)
  t.equal(await stateShown(), '草稿', 'with the submitter’s key: 草稿')
  t.match(await page.textContent('#state'), /尚未报送/)
  t.same(await page.locator('#transition button').allTextContents(), ['报送'], 'a draft can only be submitted')
  // a download is fetched with the key (a link cannot carry it) and saved under the server's name
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('.downloads a:text-is("JSON")')])
  const saved = JSON.parse(readFileSync((await download.path())!, 'utf8'))
  t.match(saved, { id: report.id, state: 'draft', agencyId: agency.id, year: 2025 }, 'the draft as JSON')
  t.match(download.suggestedFilename(), /\.json$/)
  t.equal(page.url(), `${world.base}/reports/${report.id}`, 'the key is in no URL')
  const gate = await act('报送')
  const refusal = JSON.parse(
    (await world.app.injectAs(submitter, { method: 'POST', url: `/v1/reports/${report.id}/transitions`, payload: { to: 'submitted' } }))
      .body
  )
  t.equal(refusal.status, 422)
  t.match(gate, refusal.detail, 'the problem’s detail is shown')
  for (const e of refusal.errors) t.match(gate, e.message, 'with each unexplained finding')
  t.equal(await stateShown(), '草稿', 'still a draft')

  // the submitter explains each error (情况说明), then submits
  for (const f of errors) {
    const item = page.locator(`#finding-${f.id}`)
    t.equal((await item.locator('.status').textContent())?.trim(), '待审核')
    await item.locator('summary').click()
    await item.locator('input[value="explained"]').check()
    await item.locator('textarea').fill(`线下收取 5 件，未按申请人类型登记（${f.rule}）。`)
    await item.locator('button[type="submit"]').click()
    await page.waitForSelector(`#finding-${f.id}[data-status="explained"]`)
    t.match(await page.textContent(`#finding-${f.id}`), `情况说明：线下收取 5 件，未按申请人类型登记（${f.rule}）。`)
  }
  t.match(await act('报送'), /已报送/)
  t.equal(await stateShown(), '已报送')
  t.same(await page.locator('#transition button').allTextContents(), ['撤回'], 'the submitter may only withdraw it now')

  // another region's reviewer may not accept it, and nothing changes: a submitted report is not public, so its
  // key does not even show it (the page says so and offers no move); the API refuses the move itself with a 403
  await enterKey(stranger)
  if ((await world.app.injectAs(stranger, `/v1/reports/${report.id}`)).statusCode === 404) {
    await page.waitForSelector('#official .error')
    t.match(await page.textContent('#official'), '没有这份报告，或此密钥无权查看。', 'hidden from another region’s key')
    t.same(await page.locator('#transition button').allTextContents(), [], 'no move offered')
  } else {
    t.same(await page.locator('#transition button').allTextContents(), ['采纳', '退回', '撤回'])
    const forbidden = await act('采纳')
    t.match(forbidden, /该密钥无权办理/)
  }
  const detail = JSON.parse(
    (await world.app.injectAs(stranger, { method: 'POST', url: `/v1/reports/${report.id}/transitions`, payload: { to: 'accepted' } })).body
  )
  t.equal(detail.status, 403)
  t.equal((await api(`/v1/reports/${report.id}`)).state, 'submitted', 'still submitted')

  // the region's reviewer dismisses one finding, and returns the report with a comment
  await enterKey(reviewer)
  t.equal(await page.textContent('#key-who'), '已输入 API 密钥：海东市政务公开办（审核单位）', 'the page says whose key it is')
  t.same(await page.locator('#transition button').allTextContents(), ['采纳', '退回'], 'a reviewer’s moves only')
  const dismissed = errors[0]
  const item = page.locator(`#finding-${dismissed.id}`)
  await item.locator('summary').click()
  t.same(
    await item.locator('input[type="radio"]').evaluateAll((inputs) => inputs.map((i) => (i as HTMLInputElement).value)),
    ['confirmed', 'dismissed'],
    'a reviewer confirms or dismisses; explaining is the submitter’s'
  )
  await item.locator('input[value="dismissed"]').check()
  await item.locator('textarea').fill('线下登记口径不一，不作为错误。')
  await item.locator('button[type="submit"]').click()
  await page.waitForSelector(`#finding-${dismissed.id}[data-status="dismissed"]`)
  t.match(await act('退回', '请补充线下申请的登记情况。'), /已退回/)
  t.equal(await stateShown(), '已退回')
  t.match(await page.textContent('#state'), '退回意见：请补充线下申请的登记情况。', 'the return’s comment beside the state')

  // after a reload the review is still shown: status, reason, explanation, who
  await page.reload()
  await page.waitForSelector('body[data-ready]')
  const reviewed = (await page.textContent(`#finding-${dismissed.id}`))!
  t.match(reviewed, '已排除')
  t.match(reviewed, '排除理由：线下登记口径不一，不作为错误。')
  t.match(reviewed, `情况说明：线下收取 5 件，未按申请人类型登记（${dismissed.rule}）。`, 'the explanation is kept')
  t.match(reviewed, '海东市政务公开办')
  const stored = (await api(`/v1/findings?reportId=${report.id}&status=dismissed`)).items
  t.same(
    stored.map((f: any) => [f.id, f.review.reason]),
    [[dismissed.id, '线下登记口径不一，不作为错误。']]
  )

  // the submitter submits again; the reviewer accepts
  await enterKey(submitter)
  t.same(await page.locator('#transition button').allTextContents(), ['重新报送', '改为草稿'])
  t.match(await act('重新报送'), /已报送/)
  await enterKey(reviewer)
  t.match(await act('采纳'), /已采纳/)
  t.equal(await stateShown(), '已采纳')
  t.equal(await page.locator('#transition').count(), 0, 'an accepted report has no more moves')

  // the history: every transition with who, when and why, as the API records it
  const history = (await api(`/v1/reports/${report.id}/revisions`)).items
  t.same(
    history.filter((r: any) => r.operation === 'transition').map((r: any) => [r.fromState, r.state, r.keyName, r.comment]),
    [
      ['draft', 'submitted', '化隆县教育局', null],
      ['submitted', 'returned', '海东市政务公开办', '请补充线下申请的登记情况。'],
      ['returned', 'submitted', '化隆县教育局', null],
      ['submitted', 'accepted', '海东市政务公开办', null]
    ]
  )
  const rows = await page.$$eval('#revisions tbody tr', (trs) =>
    trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent))
  )
  t.same(
    rows.map((r) => [r[0], r[1], r[2], r[3], r[5]]),
    [
      [String(history.length), '采纳', '已报送 → 已采纳', '海东市政务公开办', ''],
      [String(history.length - 1), '重新报送', '已退回 → 已报送', '化隆县教育局', ''],
      [String(history.length - 2), '退回', '已报送 → 已退回', '海东市政务公开办', '请补充线下申请的登记情况。'],
      [String(history.length - 3), '报送', '草稿 → 已报送', '化隆县教育局', ''],
      ...history
        .slice(0, history.length - 4)
        .reverse()
        .map((r: any) => [String(r.revision), r.operation === 'created' ? '创建' : '替换', '草稿', '化隆县教育局', ''])
    ],
    'newest first, each with who and why'
  )
  t.same(
    page.errors.filter((e) => !/status of (401|403|404|422)/.test(e)),
    [],
    'no console error but the refusals (and a hidden draft’s 404 before the key)'
  )

  // the overview's coverage: each filing category as the API counts it
  await page.goto(`${world.base}/?year=2025&region=6302`)
  await page.waitForSelector('body[data-ready]')
  const coverage = await api('/v1/coverage?year=2025&regionCode=6302')
  t.ok(coverage.counts.late >= 1, 'the report accepted now, long after its deadline, was filed late')
  const categories = ['onTime', 'late', 'unknownDate', 'awaitingReview', 'returned', 'draft', 'missing']
  t.same(Object.keys(coverage.counts).sort(), [...categories].sort(), 'the page knows every category the API counts')
  t.same(
    await page.$$eval('#coverage dd[data-category]', (dds) => dds.map((dd) => [(dd as HTMLElement).dataset.category, dd.textContent])),
    [['reported', String(coverage.reported)], ...categories.map((k) => [k, String(coverage.counts[k])])],
    'the counts are the API’s'
  )
  t.match(
    await page.textContent('#coverage'),
    /化隆回族自治县教育局：.* 报送，逾期 \d+ 天/,
    'the late report named, filed by its submission'
  )

  // the agency page shows the state and filters by it; the findings page the review status
  await page.goto(`${world.base}/agencies/${agency.id}?state=accepted`)
  await page.waitForSelector('body[data-ready]')
  t.same(await page.$$eval('#reports tbody tr', (trs) => trs.map((tr) => [tr.children[0].textContent, tr.children[1].textContent])), [
    ['2025年报告', '已采纳']
  ])
  // a draft of another year: listed to the key in the tab (the reviewer's, whose scope covers it); after 清除密钥,
  // as the API lists it to anyone
  await created(
    await world.app.injectAs(submitter, {
      method: 'PUT',
      url: `/v1/agencies/${agency.id}/reports/2024`,
      payload: sampleReport(agency.id, { year: 2024, publishedAt: '2025-01-20' })
    })
  )
  await page.goto(`${world.base}/agencies/${agency.id}?state=draft`)
  await page.waitForSelector('body[data-ready]')
  const draftRows = () =>
    page.$$eval('#reports tbody tr', (trs) => trs.map((tr) => [tr.children[0].textContent, tr.children[1].textContent]))
  t.same(await draftRows(), [['2024年报告', '草稿']], 'the draft, with the key')
  await page.click('.key-box summary')
  await Promise.all([page.waitForNavigation(), page.click('#key-clear')])
  await page.waitForSelector('body[data-ready]')
  const anonymous = JSON.parse((await world.app.injectAs(null, `/v1/reports?agencyId=${agency.id}&state=draft`)).body).items
  if (anonymous.length) t.same(await draftRows(), [['2024年报告', '草稿']], 'without a key: as the API lists it to anyone')
  else t.match(await page.textContent('#reports'), '没有草稿的报告', 'without a key: not listed, as the API does not list it')
  t.equal(await page.evaluate(() => sessionStorage.length), 0, 'the key is forgotten')
  await page.goto(`${world.base}/findings?status=dismissed`)
  await page.waitForSelector('body[data-ready]')
  const listed = await page.$$eval('#list tbody tr', (trs) => trs.map((tr) => [tr.children[0].textContent, tr.children[6].textContent]))
  t.same(listed, [['化隆回族自治县教育局', '已排除线下登记口径不一，不作为错误。']], 'only the dismissed finding, with its reason')
  // counted as the API counts them for the page's reader: anyone, the key having been cleared
  const counts = JSON.parse((await world.app.injectAs(null, '/v1/findings/summary?groupBy=status')).body).groups
  t.equal(
    await page.textContent('#by-status strong[data-status="dismissed"]'),
    `已排除 ${counts.find((g: any) => g.key === 'dismissed').count}`
  )
  t.same(
    page.errors.filter((e) => !/status of (401|403|404|422)/.test(e)),
    []
  )
  await page.close()
})
