// A synthetic national data set: agencies on the real division tree, reports whose magnitudes look like
// published ones (most departments receive 0–20 applications a year, a city government a few hundred),
// both formats, both scopes, some blank cells, and table sums that hold for all but a few reports.
// Deterministic for a seed.
import { childrenOf, type Region } from '../../src/regions/index.js'
import {
  APPLICANT_PARTS,
  CELLS,
  FIRST_YEAR,
  OUTCOME_PART_ROWS,
  REVIEW_GROUPS,
  formatForYear,
  type CellDef,
  type Format,
  type Kind,
  type Level,
  type Scope
} from '../../src/format/registry.js'
import { fromStoredMoney, getCell, setCell, type ReportInput } from '../../src/format/document.js'
import { buildConsistentReport, freeCellsOf, seededRandom } from '../../src/checks/consistent-report.js'

export type Random = () => number

export interface PlannedAgency {
  name: string
  regionCode: string
  level: Level
  kind: Kind
}

/** What stays the same for an agency from year to year. */
export interface AgencyTraits {
  scope: Scope
  /** multiplies every magnitude of its reports */
  size: number
  /** years it published */
  years: number[]
}

// ------------------------------------------------------------------ names

const MINISTRIES = [
  '教育部',
  '科学技术部',
  '工业和信息化部',
  '国家民族事务委员会',
  '公安部',
  '民政部',
  '司法部',
  '财政部',
  '人力资源和社会保障部',
  '自然资源部',
  '生态环境部',
  '住房和城乡建设部',
  '交通运输部',
  '水利部',
  '农业农村部',
  '商务部',
  '文化和旅游部',
  '国家卫生健康委员会',
  '退役军人事务部',
  '应急管理部',
  '审计署',
  '海关总署',
  '国家税务总局',
  '国家市场监督管理总局',
  '国家金融监督管理总局',
  '国家广播电视总局',
  '国家体育总局',
  '国家统计局',
  '国家国际发展合作署',
  '国家医疗保障局',
  '国家机关事务管理局',
  '国家粮食和物资储备局',
  '国家能源局',
  '国家林业和草原局',
  '国家铁路局',
  '中国民用航空局',
  '国家邮政局',
  '国家文物局',
  '国家药品监督管理局',
  '国家知识产权局',
  '国家移民管理局',
  '国家消防救援局'
]

/** Departments of a provincial, prefectural or county government; `厅` at province level, `局` below. */
const DEPARTMENTS: Array<[string, string]> = [
  ['发展和改革委员会', '发展和改革局'],
  ['教育厅', '教育局'],
  ['科学技术厅', '科学技术局'],
  ['工业和信息化厅', '工业和信息化局'],
  ['民族宗教事务委员会', '民族宗教事务局'],
  ['公安厅', '公安局'],
  ['民政厅', '民政局'],
  ['司法厅', '司法局'],
  ['财政厅', '财政局'],
  ['人力资源和社会保障厅', '人力资源和社会保障局'],
  ['自然资源厅', '自然资源局'],
  ['生态环境厅', '生态环境局'],
  ['住房和城乡建设厅', '住房和城乡建设局'],
  ['交通运输厅', '交通运输局'],
  ['水利厅', '水利局'],
  ['农业农村厅', '农业农村局'],
  ['商务厅', '商务局'],
  ['文化和旅游厅', '文化和旅游局'],
  ['卫生健康委员会', '卫生健康局'],
  ['退役军人事务厅', '退役军人事务局'],
  ['应急管理厅', '应急管理局'],
  ['审计厅', '审计局'],
  ['市场监督管理局', '市场监督管理局'],
  ['统计局', '统计局'],
  ['医疗保障局', '医疗保障局'],
  ['林业和草原局', '林业和草原局'],
  ['体育局', '体育局'],
  ['乡村振兴局', '乡村振兴局'],
  ['信访局', '信访局'],
  ['地方金融管理局', '地方金融管理局'],
  ['数据局', '数据局'],
  ['国有资产监督管理委员会', '国有资产监督管理委员会'],
  ['粮食和物资储备局', '粮食和物资储备局'],
  ['城市管理综合行政执法局', '城市管理综合行政执法局'],
  ['机关事务管理局', '机关事务管理局']
]
const COUNTY_DEPARTMENTS = 24
const PREFECTURE_DEPARTMENTS = 33

const TOWNSHIPS = [
  '城关镇',
  '东城街道',
  '西城街道',
  '南关街道',
  '北关街道',
  '新华镇',
  '和平乡',
  '红星镇',
  '太平镇',
  '永安乡',
  '长兴镇',
  '青山乡'
]
const COUNTY_TOWNSHIPS = 9

const isGroup = (r: Region) => r.name.endsWith('直辖县级行政区划')

/** A district's name alone is ambiguous (朝阳区): agencies of districts carry their city's name. */
function countyTitle(county: Region, parent: Region | undefined): string {
  return county.name.endsWith('区') && parent && !isGroup(parent) ? parent.name + county.name : county.name
}

/** Every agency of the national plan (about 100 000): national bodies, then each province top-down. */
export function nationalPlan(): PlannedAgency[] {
  const plan: PlannedAgency[] = []
  const add = (name: string, regionCode: string, level: Level, kind: Kind) => plan.push({ name, regionCode, level, kind })
  add('国务院办公厅', '000000', 'national', 'generalOffice')
  for (const m of MINISTRIES) add(m, '000000', 'national', 'department')

  const governmentOf = (title: string, code: string, level: Level, office: string) => {
    add(`${title}人民政府`, code, level, 'government')
    add(`${title}人民政府${office}`, code, level, 'generalOffice')
  }
  const countyAgencies = (county: Region, parent: Region | undefined) => {
    const title = countyTitle(county, parent)
    governmentOf(title, county.code, 'county', '办公室')
    for (const [, name] of DEPARTMENTS.slice(0, COUNTY_DEPARTMENTS)) add(title + name, county.code, 'county', 'department')
    add(`国家税务总局${title}税务局`, county.code, 'county', 'vertical')
    for (const t of TOWNSHIPS.slice(0, COUNTY_TOWNSHIPS)) {
      const kind = t.endsWith('街道') ? '办事处' : '人民政府'
      add(`${title}${t}${kind}`, county.code, 'township', 'township')
    }
  }
  for (const province of childrenOf(null)) {
    const below = childrenOf(province.code)
    if (below.length === 0) continue // 台湾、香港、澳门 publish no such reports
    const municipality = below.every((r) => r.level === 'county')
    governmentOf(province.name, province.code, 'provincial', '办公厅')
    for (const [name] of DEPARTMENTS)
      add(province.name + (municipality ? name.replace(/厅$/, '局') : name), province.code, 'provincial', 'department')
    add(`${province.name}住房公积金管理中心`, province.code, 'provincial', 'authorizedOrganization')
    add(`国家税务总局${province.name}税务局`, province.code, 'provincial', 'vertical')
    for (const region of below) {
      if (region.level === 'county') {
        countyAgencies(region, province)
        continue
      }
      if (!isGroup(region)) {
        governmentOf(region.name, region.code, 'prefectural', '办公室')
        for (const [, name] of DEPARTMENTS.slice(0, PREFECTURE_DEPARTMENTS))
          add(region.name + name, region.code, 'prefectural', 'department')
        add(`${region.name}住房公积金管理中心`, region.code, 'prefectural', 'authorizedOrganization')
        add(`国家税务总局${region.name}税务局`, region.code, 'prefectural', 'vertical')
      }
      for (const county of childrenOf(region.code)) countyAgencies(county, region)
    }
  }
  return plan
}

/**
 * `count` agencies drawn evenly from the national plan, kept in plan order (so ids follow the region
 * tree, as when a province registers its agencies together). Past the plan's size, the plan repeats
 * with numbered 分局 names.
 */
export function planAgencies(count: number, random: Random): PlannedAgency[] {
  const base = nationalPlan()
  const rounds = Math.ceil(count / base.length)
  const all: PlannedAgency[] = []
  for (let r = 0; r < rounds; r++) {
    for (const a of base) all.push(r === 0 ? a : { ...a, name: `${a.name}第${r + 1}分局` })
  }
  if (all.length === count) return all
  // a random subset of exactly `count`, in plan order
  const picked = new Uint8Array(all.length)
  let left = count
  for (let i = 0; i < all.length && left > 0; i++) {
    if (random() * (all.length - i) < left) {
      picked[i] = 1
      left--
    }
  }
  return all.filter((_, i) => picked[i])
}

// ------------------------------------------------------------------ random helpers

export function gaussian(random: Random): number {
  const u = 1 - random()
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random())
}

/** A positive factor with mean 1 and the given spread. */
const lognormal = (random: Random, sigma: number) => Math.exp(sigma * gaussian(random) - (sigma * sigma) / 2)

/** A whole number with mean `mean`, heavy-tailed like real counts. */
export function count(random: Random, mean: number, sigma = 1): number {
  return Math.floor(mean * lognormal(random, sigma) + random())
}

const int = (random: Random, lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1))

/** Splits `total` into parts by `weights` (which need not sum to 1); the parts sum to `total`. */
export function split(total: number, weights: readonly number[], random: Random): number[] {
  const parts = weights.map(() => 0)
  if (total <= 0) return parts
  const sum = weights.reduce((s, w) => s + w, 0)
  if (total <= 64) {
    for (let n = 0; n < total; n++) {
      let r = random() * sum
      let i = 0
      while (i < weights.length - 1 && (r -= weights[i]) >= 0) i++
      parts[i]++
    }
    return parts
  }
  let given = 0
  let largest = 0
  for (let i = 0; i < weights.length; i++) {
    parts[i] = Math.floor((total * weights[i] * (0.75 + 0.5 * random())) / sum)
    given += parts[i]
    if (weights[i] > weights[largest]) largest = i
  }
  if (given > total) {
    // the noise overshot: scale every part back; rounding down leaves a remainder ≥ 0
    const overshoot = given
    given = 0
    for (let i = 0; i < parts.length; i++) given += parts[i] = Math.floor((parts[i] * total) / overshoot)
  }
  const rest = total - given
  parts[largest] += rest
  return parts
}

// ------------------------------------------------------------------ magnitudes

/** Mean number of applications a year, by level and kind, for an agency of size 1. */
function applicationsMean(level: Level, kind: Kind): number {
  const government = kind === 'government'
  switch (level) {
    case 'national':
      return kind === 'generalOffice' ? 150 : 600
    case 'provincial':
      return government ? 500 : kind === 'department' ? 60 : 25
    case 'prefectural':
      return government ? 250 : kind === 'department' ? 15 : 10
    case 'county':
      return government ? 40 : kind === 'department' ? 4 : 3
    case 'township':
      return 1
  }
}

/** A heavier workload than average for decisions, by level. */
const levelWeight: Record<Level, number> = { national: 5, provincial: 3, prefectural: 2, county: 1, township: 0.2 }

// outcome shares, by the last segment of each outcome row (the registry's rows; unknown rows get a small share)
const OUTCOME_SHARE: Record<string, number> = {
  granted: 0.45,
  partiallyGranted: 0.08,
  thirdPartyRights: 0.01,
  internalAffairs: 0.01,
  processInformation: 0.01,
  notHeld: 0.2,
  needsCreation: 0.03,
  unclearAfterCorrection: 0.02,
  complaint: 0.05,
  duplicate: 0.03,
  overdueCorrection: 0.02,
  other: 0.04
}
const APPLICANT_SHARE: Record<string, number> = {
  naturalPerson: 0.86,
  commercialEnterprise: 0.08,
  legalServiceAgency: 0.03,
  otherOrganization: 0.02
}
const REVIEW_SHARE: Record<string, number> = { upheld: 0.7, corrected: 0.1, other: 0.1, pending: 0.1 }

const shareOf = (table: Record<string, number>, code: string, fallback = 0.004) => table[code.split('.').pop()!] ?? fallback

/** Whether an agency of this level and kind makes 规章 (only provincial and big-city governments and ministries do). */
const makesRegulations = (a: PlannedAgency) =>
  (a.kind === 'government' && (a.level === 'provincial' || a.level === 'prefectural')) ||
  (a.level === 'national' && a.kind === 'department')

export function traitsOf(agency: PlannedAgency, random: Random): AgencyTraits {
  const aggregateShare =
    agency.kind !== 'government' ? 0 : agency.level === 'provincial' ? 0.3 : agency.level === 'prefectural' ? 0.2 : 0.05
  const roll = random()
  // most published 2021–2025; some also 2019–2020 (format 2019); a few began in 2023
  const years = roll < 0.12 ? [2019, 2020, 2021, 2022, 2023, 2024, 2025] : roll < 0.16 ? [2023, 2024, 2025] : [2021, 2022, 2023, 2024, 2025]
  return {
    scope: random() < aggregateShare ? 'aggregate' : 'own',
    size: lognormal(random, 0.9) * (random() < 0.12 && agency.kind === 'department' ? 0 : 1),
    years
  }
}

// the report's text, about as long as published ones (an overview of ~900 characters)
const OVERVIEW = [
  '本机关坚持以习近平新时代中国特色社会主义思想为指导，全面贯彻落实《中华人民共和国政府信息公开条例》，',
  '围绕中心工作，深化重点领域信息公开，加强政策解读和回应关切，持续提升政府透明度。',
  '一是加强主动公开。通过门户网站、政务新媒体等渠道及时发布政策文件、规划计划、财政预决算和重大项目信息。',
  '二是规范依申请公开。严格按照法定时限和程序办理政府信息公开申请，做到受理、审查、答复各环节有据可查。',
  '三是强化政府信息管理。建立健全公文公开属性源头认定机制，对行政规范性文件实行统一登记、统一编号、统一公布。',
  '四是加强平台建设。优化门户网站政府信息公开专栏，完善栏目设置，提升检索和查阅的便利性。',
  '五是强化监督保障。将政府信息公开工作纳入年度绩效考核，开展业务培训，提升工作人员的业务能力。',
  '同时，围绕优化营商环境、乡村振兴、生态环境保护、公共卫生等重点领域，持续做好信息发布和政策解读工作。'
]
const PROBLEMS = [
  '一是政策解读形式较为单一，图解和视频解读偏少；二是依申请公开答复的规范性有待提高；三是基层政务公开标准化规范化建设仍需加强。下一步将丰富解读方式，加强业务培训，推动公开标准目录动态调整。',
  '部分栏目信息更新不够及时，基层公开标准目录仍需细化，政务新媒体互动回应能力有待提升。今后将建立栏目巡检机制，推动目录动态调整，提升公开质量和实效。',
  '信息公开工作人员变动较频繁，业务水平参差不齐；主动公开的深度和广度还需拓展。我们将加强队伍建设和制度建设，推进决策、执行、管理、服务、结果公开。'
]

function sections(year: number, random: Random): ReportInput['sections'] {
  const start = int(random, 0, OVERVIEW.length - 1)
  const overview = [`${year}年，`, ...OVERVIEW.slice(start), ...OVERVIEW.slice(0, start)].join('')
  return {
    overview,
    // a few agencies copy last year's text (年年雷同)
    problems: PROBLEMS[(year - (random() < 0.05 ? 1 : 0)) % PROBLEMS.length],
    otherMatters: random() < 0.97 ? `${year}年度未收取信息处理费。` : null
  }
}

/** A value for a cell of table 二, by what its column counts. */
function proactiveValue(cell: CellDef, agency: PlannedAgency & { id: number }, size: number, random: Random): number | null {
  const scale = size * levelWeight[agency.level]
  const row = cell.row.slice('proactive.'.length)
  if (row === 'regulations' && !makesRegulations(agency)) return agency.id % 5 < 2 ? null : 0
  if (cell.kind === 'money') {
    if (random() < 0.1) return null
    if (random() < 0.4) return 0
    const units = count(random, 20 * scale * (cell.scale ?? 1) * (cell.unit === '元' ? 10_000 : 1), 1.2)
    // 万元 figures are usually given to 4 decimals, 元 figures to 2
    const grain = cell.unit === '元' ? 1 : 100
    return fromStoredMoney(Math.floor(units / grain) * grain, cell)
  }
  const government = agency.kind === 'government' || agency.kind === 'generalOffice'
  switch (cell.column) {
    case 'issued':
    case 'newlyMade':
    case 'newlyPublished':
      return row === 'regulations' ? int(random, 0, 6) : count(random, 4 * scale)
    case 'repealed':
      return row === 'regulations' ? int(random, 0, 3) : count(random, 1.5 * scale)
    case 'inForce':
    case 'totalPublished':
      return row === 'regulations' ? int(random, 20, 200) : count(random, 40 * scale, 0.6)
    case 'previousItems':
      return government ? int(random, 0, 5) : count(random, 30 * levelWeight[agency.level], 0.6)
    case 'change':
      return int(random, -5, 5)
    case 'projects':
      return count(random, 5 * scale)
    case 'decisions': {
      if (agency.kind === 'township') return count(random, row === 'penalty' ? 3 : 5)
      if (government) return random() < 0.6 ? 0 : count(random, 10)
      const mean = row === 'licensing' ? 300 : row === 'penalty' ? 60 : row === 'coercion' ? 4 : 100
      return random() < 0.25 ? 0 : count(random, mean * scale, 1.4)
    }
    default:
      return count(random, scale)
  }
}

const OUTCOME_ROWS = OUTCOME_PART_ROWS.map((r) => `applications.${r}`)
const APPLICATION_TOTAL_CELLS = CELLS.filter((c) => c.table === 'applications' && c.column === 'total')

/** What a report hands to the same agency's next one: the cells the cross-year rules compare. */
export type Carry = ReadonlyMap<string, number | null>
const CARRY_COLUMNS = new Set(['inForce', 'previousItems', 'change'])
const CARRY_CELLS = CELLS.filter((c) => (c.table === 'proactive' && CARRY_COLUMNS.has(c.column)) || c.row === 'applications.carriedForward')

export function carryOf(doc: ReportInput): Carry & { year: number; format: Format } {
  const tree = doc as unknown as Record<string, unknown>
  const carry = new Map(CARRY_CELLS.filter((c) => c.formats.includes(doc.format)).map((c) => [c.code, getCell(tree, c)]))
  return Object.assign(carry, { year: doc.year, format: doc.format })
}

/**
 * One report of `agency` for `year`. Applications grow by 5 % a year. Given the agency's report of the
 * year before (`previous`), most reports carry its figures on as the cross-year rules expect (上年结转 =
 * 上年的结转下年度, 现行有效 = 上年现行有效 + 制发 − 废止, 上一年项目数量); a few do not, as in real life.
 * About 3 % of reports carry a wrong total; about 5 % leave their zero cells blank.
 */
export function generateReport(
  agency: PlannedAgency & { id: number },
  year: number,
  traits: Pick<AgencyTraits, 'scope' | 'size'>,
  random: Random,
  previous?: Carry & { year: number; format: Format }
): ReportInput {
  const format = formatForYear(year) as Format
  const free = freeCellsOf(format)
  const aggregate = traits.scope === 'aggregate'
  const size = traits.size * lognormal(random, 0.3) * (aggregate ? 30 : 1) * 1.05 ** (year - 2021)
  const values: Record<string, number> = {}

  for (const cell of free) {
    if (cell.table !== 'proactive') continue
    const v = proactiveValue(cell, agency, size, random)
    if (v !== null) values[cell.code] = v
  }
  const carried = previous && previous.year === year - 1 && previous.format === format && random() < 0.97 ? previous : undefined
  if (carried) carryProactive(values, free, carried)

  // table 三: outcomes by applicant, a little carried over and forward; the generator derives the totals
  const handled = count(random, applicationsMean(agency.level, agency.kind) * size, 0.5)
  const byApplicant = split(
    handled,
    APPLICANT_PARTS.map((c) => shareOf(APPLICANT_SHARE, c, 0.005)),
    random
  )
  const outcomeRows = OUTCOME_ROWS.filter((row) => free.some((c) => c.row === row))
  const outcomeWeights = outcomeRows.map((r) => shareOf(OUTCOME_SHARE, r))
  APPLICANT_PARTS.forEach((column, i) => {
    const parts = split(byApplicant[i], outcomeWeights, random)
    outcomeRows.forEach((row, j) => {
      if (parts[j]) values[`${row}.${column}`] = parts[j]
    })
    const over = `applications.carriedOver.${column}`
    const fromLastYear = previous?.year === year - 1 && random() < 0.97 ? previous.get(`applications.carriedForward.${column}`) : undefined
    if (fromLastYear != null) {
      if (fromLastYear > 0) values[over] = fromLastYear
    } else if (byApplicant[i] > 0) values[over] = Math.floor(byApplicant[i] * 0.06 * random() * 2)
    if (byApplicant[i] > 0) values[`applications.carriedForward.${column}`] = Math.floor(byApplicant[i] * 0.05 * random() * 2)
  })

  // table 四: a few reviews and suits per hundred applications
  for (const [g, group] of REVIEW_GROUPS.entries()) {
    const cases = count(random, handled * [0.03, 0.015, 0.006][g], 0.8)
    const columns = Object.keys(REVIEW_SHARE)
    split(
      cases,
      columns.map((c) => REVIEW_SHARE[c]),
      random
    ).forEach((n, i) => {
      if (n) values[`reviewLitigation.${group.code}.${columns[i]}`] = n
    })
  }

  const doc = buildConsistentReport(format, values, {
    agencyId: agency.id,
    year,
    scope: traits.scope,
    publishedAt: random() < 0.05 ? null : `${year + 1}-01-${String(int(random, 15, 31)).padStart(2, '0')}`,
    title: `${agency.name}${year}年政府信息公开工作年度报告`,
    sourceUrl: `https://xxgk.example/${agency.regionCode}/${agency.id}/${year}.html`,
    sections: sections(year, random)
  })
  const tree = doc as unknown as Record<string, unknown>
  // blank cells: regulations left empty by agencies that make none, fees, or every zero of a sloppy report
  for (const cell of free) {
    if (cell.table === 'proactive' && values[cell.code] === undefined) setCell(tree, cell, null)
  }
  if (random() < 0.05) {
    for (const cell of free) {
      if (cell.table !== 'proactive' && getCell(tree, cell) === 0) setCell(tree, cell, null)
    }
  }
  if (random() < 0.03) {
    const cell = APPLICATION_TOTAL_CELLS[int(random, 0, APPLICATION_TOTAL_CELLS.length - 1)]
    if (cell.formats.includes(format)) setCell(tree, cell, (getCell(tree, cell) ?? 0) + int(random, 1, 3))
  }
  return doc
}

/** 现行有效件数 and 上一年项目数量 continuing last year's. */
function carryProactive(values: Record<string, number>, free: readonly CellDef[], previous: Carry) {
  for (const cell of free) {
    const row = cell.row
    const last = (column: string) => previous.get(`${row}.${column}`)
    if (cell.column === 'inForce') {
      const before = last('inForce')
      if (before == null || values[cell.code] === undefined) continue
      const issued = values[`${row}.issued`] ?? 0
      const repealed = Math.min(values[`${row}.repealed`] ?? 0, before + issued)
      values[`${row}.repealed`] = repealed
      values[cell.code] = before + issued - repealed
    } else if (cell.column === 'previousItems') {
      const items = last('previousItems')
      const change = last('change')
      if (items == null || change == null) continue
      values[cell.code] = Math.max(0, items + change)
      const changeCode = `${row}.change`
      if (values[changeCode] !== undefined) values[changeCode] = Math.max(values[changeCode], -values[cell.code])
    }
  }
}

// ------------------------------------------------------------------ the whole data set

export interface PlannedDataSet {
  agencies: Array<{ agency: PlannedAgency; traits: AgencyTraits }>
  reports: number
}

/**
 * The agencies of a data set of exactly `reportCount` reports and their traits, the same for the same
 * seed (the writer and the report generator each compute it). Agencies publish 5.2 years on average.
 */
export function planDataSet(reportCount: number, seed: number): PlannedDataSet {
  const random = seededRandom(seed)
  const candidates = planAgencies(Math.ceil((reportCount / 5.2) * 1.1) + 10, random)
  const traits = candidates.map((agency) => traitsOf(agency, random))
  // keep a random subset that reaches the count (not the head of the plan, which would leave out the
  // last provinces), then restore plan order
  const order = candidates.map((_, i) => i)
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[order[i], order[j]] = [order[j], order[i]]
  }
  const kept = new Uint8Array(candidates.length)
  let planned = 0
  for (const i of order) {
    if (planned >= reportCount) break
    const t = traits[i]
    if (planned + t.years.length > reportCount) t.years = t.years.slice(-(reportCount - planned))
    planned += t.years.length
    kept[i] = 1
  }
  if (planned < reportCount) throw new Error(`planned only ${planned} of ${reportCount} reports`)
  const agencies = candidates.flatMap((agency, i) => (kept[i] ? [{ agency, traits: traits[i] }] : []))
  return { agencies, reports: planned }
}

/**
 * The reports of a planned data set in publication order (year by year), in batches; agency ids are
 * `firstId + index` (agencies are created in plan order into an empty database).
 */
export function* reportBatches(plan: PlannedDataSet, seed: number, batchSize: number, firstId = 1): Generator<ReportInput[]> {
  const random = seededRandom(seed + 1)
  const carry: Array<ReturnType<typeof carryOf> | undefined> = []
  let batch: ReportInput[] = []
  for (let year = FIRST_YEAR; year <= 2025; year++) {
    for (let i = 0; i < plan.agencies.length; i++) {
      const { agency, traits } = plan.agencies[i]
      if (!traits.years.includes(year)) continue
      const doc = generateReport({ ...agency, id: firstId + i }, year, traits, random, carry[i])
      carry[i] = carryOf(doc)
      batch.push(doc)
      if (batch.length === batchSize) {
        yield batch
        batch = []
      }
    }
  }
  if (batch.length) yield batch
}
