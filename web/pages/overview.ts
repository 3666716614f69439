// 总览: the headline indicators of a year and region with their change, the regions (or agencies) below it
// ranked by a chosen indicator — as bars, or on the deployment's own map — the trend by year, the agencies
// ranked, and who has not reported or was late. Every number comes from GET /v1/aggregates (shape=rows,
// compare=previousYear, rank, stats) or GET /v1/coverage.
import { aggregateRows, api, query, type Row } from '../lib/api.js'
import { byId, fill, h, message, pageData, table } from '../lib/dom.js'
import { RATIO, change, date, value, withUnit } from '../lib/format.js'
import { rankedBars, trend } from '../lib/charts.js'

interface Metric {
  code: string
  label: string
  full: string
  unit: string
}
interface Data {
  year?: number
  region: string
  metric: string
  order: 'asc' | 'desc'
  by: 'next' | 'county'
  metrics: Metric[]
  headline: Metric[]
  maps: string[]
  labels: { levels: Record<string, string>; kinds: Record<string, string> }
}
interface RegionInfo {
  code: string
  name: string
  path: Array<{ code: string; name: string; level: string }>
}
interface Filed {
  agencyId: number
  name: string
  reportId: number
}
interface Coverage {
  agencies: number
  reported: number
  counts: Record<'onTime' | 'late' | 'unknownDate' | 'returned' | 'awaitingReview' | 'draft' | 'missing', number>
  missing: Array<{ agencyId: number; name: string; deadline: string }>
  late: Array<Filed & { daysLate: number; filedAt: string; filedBy: 'submission' | 'publication' }>
  returned: Array<Filed & { returnedAt: string }>
  awaitingReview: Array<Filed & { submittedAt: string; daysLate: number }>
  drafts: Array<Filed & { updatedAt: string }>
}

const d = pageData<Data>()
const metric = d.metrics.find((m) => m.code === d.metric) ?? d.metrics[0]
const region = d.region
const regionParam = region || undefined

/** The key the regions below the current one are grouped by. */
function childKey(): 'province' | 'prefecture' | 'county' | 'agency' {
  if (region.length === 6) return 'agency'
  if (d.by === 'county') return 'county'
  if (region === '') return 'province'
  return region.length === 2 ? 'prefecture' : 'county'
}

function link(params: Partial<Data>): string {
  const next = { year: d.year, region, metric: metric.code, order: d.order, by: d.by, ...params }
  return `/?${query({ year: next.year, region: next.region, metric: next.metric, order: next.order, by: next.by === 'next' ? undefined : next.by })}`
}

async function years(): Promise<number[]> {
  const res = await aggregateRows({ metrics: 'reports', groupBy: 'year', regionCode: regionParam, scope: 'all' })
  return res.rows.map((r) => Number(r.year)).sort((a, b) => a - b)
}

async function breadcrumb(): Promise<string> {
  const crumbs: Array<{ code: string; name: string }> = [{ code: '', name: '全国' }]
  if (region) {
    const code6 = region.padEnd(6, '0')
    try {
      const info = await api<RegionInfo>(`/v1/regions/${code6}`)
      for (const p of info.path) {
        const prefix = p.level === 'province' ? p.code.slice(0, 2) : p.level === 'prefecture' ? p.code.slice(0, 4) : p.code
        if (region.startsWith(prefix) && prefix.length <= region.length) crumbs.push({ code: prefix, name: p.name })
      }
    } catch {
      // a prefix that names no region (a 本级 group): the code itself
    }
    if (crumbs[crumbs.length - 1].code !== region) crumbs.push({ code: region, name: `${crumbs[crumbs.length - 1].name}本级（${region}）` })
  }
  const here = crumbs[crumbs.length - 1]
  document.title = `${here.name} · 总览 · 政府信息公开工作年度报告`
  fill(
    'breadcrumb',
    crumbs.flatMap((c, i) => [
      i ? h('span', { class: 'sep', 'aria-hidden': 'true' }, '›') : null,
      i === crumbs.length - 1 ? h('strong', { 'aria-current': 'location' }, c.name) : h('a', { href: link({ region: c.code }) }, c.name)
    ])
  )
  return here.name
}

async function headline(year: number) {
  const metrics = d.headline.filter((m) => (year >= 2021 ? !m.code.endsWith('newlyPublished') : !m.code.endsWith('.issued')))
  const res = await aggregateRows({
    metrics: metrics.map((m) => m.code).join(','),
    year,
    regionCode: regionParam,
    compare: 'previousYear',
    stats: 'median'
  })
  const row = res.rows[0] ?? {}
  const reports = await aggregateRows({ metrics: 'reports', year, regionCode: regionParam, scope: 'own', compare: 'previousYear' })
  const cards = [{ code: 'reports', label: '机关报告', full: '报告数', unit: '份' }, ...metrics].map((m) => {
    const source = m.code === 'reports' ? (reports.rows[0] ?? {}) : row
    const c = change(source[`${m.code}.change`] as number | null, source[`${m.code}.relativeChange`] as number | null, m.unit)
    const median = m.unit === RATIO ? (row[`${m.code}.median`] as number | null) : null
    return h(
      'article',
      { class: 'card', 'data-metric': m.code },
      h('h3', { title: m.full }, m.label),
      h('p', { class: 'big', 'data-value': source[m.code] === undefined ? '' : String(source[m.code]) }, withUnit(source[m.code], m.unit)),
      h('p', { class: `change ${c.trend}` }, `比上年 ${c.text}`),
      median !== null ? h('p', { class: 'sub' }, `各机关中位数 ${value(median, RATIO)}`) : null
    )
  })
  fill('headline', cards)
}

async function regions(year: number) {
  const key = childKey()
  const metrics = metric.code === 'reports' ? 'reports' : `${metric.code},reports`
  const sort = `${d.order === 'asc' ? '' : '-'}${metric.code}`
  const question = {
    metrics,
    groupBy: key,
    year,
    regionCode: regionParam,
    sort,
    compare: 'previousYear',
    rank: true,
    limit: key === 'agency' ? 50 : 400
  }
  const res = await aggregateRows(question)
  const nameKey = `${key}Name`
  const titles = { province: '各省份', prefecture: '各地市', county: '各县区', agency: '各机关' }
  byId('regions-title').textContent = `${titles[key]}${metric.label}（${d.order === 'asc' ? '从低到高' : '从高到低'}）`
  const rows: Row[] = res.rows.map((r) => ({ ...r, label: String(r[nameKey] ?? r[key]) }))
  const shown = rows.slice(0, 40)
  byId('regions-hint').textContent =
    rows.length === 0
      ? ''
      : `共 ${rows.length} 个${key === 'agency' ? '机关' : '地区'}${rows.length > shown.length ? `，图中显示前 ${shown.length} 个` : ''}；点击${key === 'agency' ? '机关查看其报告' : '地区向下钻取'}。`
  const go = (r: Row) => {
    location.href = key === 'agency' ? `/agencies/${r.agency}` : link({ region: String(r[key]) })
  }
  const chartEl = byId('regions-chart')
  if (rows.length === 0) {
    fill(chartEl, message('该年度没有报告。'))
    fill('regions-table')
    return
  }
  const mapCode = region === '' ? '100000' : region.padEnd(6, '0')
  if (key !== 'agency' && d.by === 'next' && d.maps.includes(mapCode)) {
    const { regionMap } = await import('../lib/map.js')
    await regionMap(chartEl, mapCode, {
      rows,
      adcodeKey: `${key}Adcode`,
      nameKey: 'label',
      value: metric.code,
      unit: metric.unit,
      onClick: go
    })
  } else {
    rankedBars(chartEl, { rows: shown, name: 'label', value: metric.code, unit: metric.unit, onClick: go })
  }
  performance.mark('first-chart')
  const withMedian = key !== 'agency' && metric.code !== 'reports'
  regionsTable(key, rows, year, withMedian ? null : undefined)
  // the bodies' medians read every report of the region: asked for once the chart is up
  if (withMedian) {
    const spread = await aggregateRows({ ...question, stats: 'median', compare: undefined, rank: undefined })
    const medians = new Map(spread.rows.map((r) => [String(r[key]), r[`${metric.code}.median`] as number | null]))
    regionsTable(key, rows, year, medians)
  }
}

/** The table under the chart; `medians` undefined: no median column; null: still being computed. */
function regionsTable(key: string, rows: Row[], year: number, medians: Map<string, number | null> | null | undefined) {
  const median = medians !== undefined
  fill(
    'regions-table',
    table(
      ['排名', key === 'agency' ? '机关' : '地区', metric.label, '比上年', '报告数', ...(median ? ['各机关中位数'] : []), '问题'],
      rows.map((r) => {
        const c = change(r[`${metric.code}.change`] as number | null, r[`${metric.code}.relativeChange`] as number | null, metric.unit)
        const code = key === 'agency' ? undefined : String(r[key])
        return [
          value(r[`${metric.code}.rank`], ''),
          h('a', { href: key === 'agency' ? `/agencies/${r.agency}` : link({ region: code }) }, String(r.label)),
          value(r[metric.code], metric.unit),
          h('span', { class: `change ${c.trend}` }, c.text),
          value(r.reports, '份'),
          ...(median ? [medians === null ? '…' : value(medians.get(code!) ?? null, metric.unit)] : []),
          h('a', { href: `/findings?${query(key === 'agency' ? { agencyId: r.agency, year } : { regionCode: code, year })}` }, '查看问题')
        ]
      }),
      { numeric: [0, 2, 4, ...(median ? [5] : [])] }
    )
  )
}

async function trends() {
  const rate = metric.unit === RATIO ? metric : d.metrics.find((m) => m.code === 'disclosureRate')!
  const count =
    metric.unit !== RATIO && metric.code !== 'reports' ? metric : d.headline.find((m) => m.code === 'applications.newReceived.total')!
  const res = await aggregateRows({ metrics: `${count.code},${rate.code}`, groupBy: 'year', regionCode: regionParam })
  if (res.rows.length === 0) return fill('trend-chart', message('没有报告。'))
  trend(byId('trend-chart'), {
    rows: res.rows,
    count: { key: count.code, label: count.label, unit: count.unit },
    rate: { key: rate.code, label: rate.label }
  })
}

/** Each agency of the region in one category of filing (GET /v1/coverage's `counts`), the worrying ones marked. */
const CATEGORIES: Array<[keyof Coverage['counts'], string, boolean]> = [
  ['onTime', '按时报送', false],
  ['late', '逾期报送', true],
  ['unknownDate', '发布日期不明', false],
  ['awaitingReview', '已报送待审核', false],
  ['returned', '已退回未重报', true],
  ['draft', '仅有草稿', true],
  ['missing', '未报告', true]
]

const day = (iso: string | null) => (iso ? date(iso).split(' ')[0] : '—')

/** A category's agencies, folded, each a link (to its report when it has one). */
function names<T extends { agencyId: number; name: string; reportId?: number }>(title: string, items: T[], line: (item: T) => string) {
  if (items.length === 0) return null
  return h(
    'details',
    null,
    h('summary', null, `${title}（${items.length}）`),
    h(
      'ul',
      null,
      items
        .slice(0, 200)
        .map((m) => h('li', null, h('a', { href: m.reportId ? `/reports/${m.reportId}` : `/agencies/${m.agencyId}` }, m.name), line(m)))
    )
  )
}

async function coverage(year: number) {
  if (!region) return fill('coverage', message('选择一个省份或地区后显示：登记的机关中谁已报送、谁逾期、谁被退回、谁未报告。'))
  const c = await api<Coverage>(`/v1/coverage?${query({ year, regionCode: regionParam })}`)
  fill(
    'coverage',
    h(
      'dl',
      { class: 'stats' },
      h('dt', null, '登记机关'),
      h('dd', null, value(c.agencies)),
      h('dt', null, '已采纳'),
      h('dd', { 'data-category': 'reported' }, value(c.reported)),
      CATEGORIES.flatMap(([key, label, bad]) => [
        h('dt', null, label),
        h('dd', { class: bad && c.counts[key] ? 'bad' : null, 'data-category': key }, value(c.counts[key]))
      ])
    ),
    names('未报告的机关', c.missing, (m) => `（应于 ${m.deadline} 前报送）`),
    names(
      '逾期报送的报告',
      [...c.late].sort((a, b) => b.daysLate - a.daysLate),
      (m) => `：${m.filedAt} ${m.filedBy === 'submission' ? '报送' : '发布'}，逾期 ${m.daysLate} 天`
    ),
    names('已退回、尚未重新报送', c.returned, (m) => `：${day(m.returnedAt)} 退回`),
    names('已报送、等待审核', c.awaitingReview, (m) => `：${day(m.submittedAt)} 报送${m.daysLate ? `，逾期 ${m.daysLate} 天` : ''}`),
    names('仅有草稿', c.drafts, (m) => `：最后修改于 ${day(m.updatedAt)}`)
  )
}

async function agencies(year: number) {
  const extra = metric.code === 'applications.newReceived.total' || metric.code === 'reports' ? '' : ',applications.newReceived.total'
  const res = await aggregateRows({
    metrics: `${metric.code === 'reports' ? 'applications.newReceived.total' : metric.code}${extra}`,
    groupBy: 'agency',
    year,
    regionCode: regionParam,
    sort: `${d.order === 'asc' ? '' : '-'}${metric.code === 'reports' ? 'applications.newReceived.total' : metric.code}`,
    rank: true,
    limit: 20
  })
  const m = metric.code === 'reports' ? d.headline[0] : metric
  byId('agencies-title').textContent = `机关排名：${m.label}${d.order === 'asc' ? '最低' : '最高'}的 20 个`
  if (res.rows.length === 0) return fill('agencies-table', message('该年度没有机关报告。'))
  fill(
    'agencies-table',
    table(
      ['排名', '机关', m.label, ...(extra ? ['新收申请'] : [])],
      res.rows.map((r) => [
        value(r[`${m.code}.rank`]),
        h('a', { href: `/agencies/${r.agency}` }, String(r.agencyName)),
        value(r[m.code], m.unit),
        ...(extra ? [value(r['applications.newReceived.total'], '件')] : [])
      ]),
      { numeric: [0, 2, 3] }
    )
  )
}

function wireForm(all: number[]) {
  const select = byId<HTMLSelectElement>('year')
  select.replaceChildren(...[...all].reverse().map((y) => h('option', { value: y, selected: y === d.year }, `${y}年`)))
  for (const id of ['year', 'metric', 'order', 'by'])
    byId(id).addEventListener('change', () => byId<HTMLFormElement>('filters').requestSubmit())
}

async function main() {
  // with the year in the address the panels start at once; otherwise the latest year with reports first
  const known = years()
  const crumbs = breadcrumb()
  if (d.year === undefined) {
    const all = await known
    if (all.length === 0) {
      wireForm(all)
      byId('title').textContent = `${await crumbs}政府信息公开工作年度报告总览`
      fill('headline', message('还没有任何报告：请先导入或提交报告。'))
      return
    }
    d.year = all[all.length - 1]
    history.replaceState(null, '', link({}))
  }
  const year = d.year
  const tasks = [regions(year), headline(year), trends(), coverage(year), agencies(year)]
  wireForm(await known)
  byId('title').textContent = `${await crumbs} ${year}年政府信息公开工作年度报告总览`
  const results = await Promise.allSettled(tasks)
  const ids = ['regions-table', 'headline', 'trend-chart', 'coverage', 'agencies-table']
  results.forEach((r, i) => {
    if (r.status === 'rejected') fill(ids[i], message(`加载失败：${(r.reason as Error).message}`, 'error'))
  })
  document.body.dataset.ready = 'true'
}

main().catch((e: Error) => fill('headline', message(`加载失败：${e.message}`, 'error')))
