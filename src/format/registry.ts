// The annual-report format, defined once as data (FORMAT.md §3–§6).
// Schemas, storage columns, checks, renderers, importers, CSV headers and aggregate metrics are all
// derived from the tables below: add a row here and every one of them follows.

export const FORMATS = ['2019', '2021'] as const
export type Format = (typeof FORMATS)[number]

export const SCOPES = ['own', 'aggregate'] as const
export type Scope = (typeof SCOPES)[number]

export const LEVELS = ['national', 'provincial', 'prefectural', 'county', 'township'] as const
export type Level = (typeof LEVELS)[number]
export const LEVEL_LABELS: Record<Level, string> = {
  national: '中央',
  provincial: '省级',
  prefectural: '地市级',
  county: '县级',
  township: '乡镇街道'
}

export const KINDS = ['government', 'generalOffice', 'department', 'township', 'vertical', 'authorizedOrganization', 'other'] as const
export type Kind = (typeof KINDS)[number]
export const KIND_LABELS: Record<Kind, string> = {
  government: '人民政府',
  generalOffice: '政府办公厅（室）',
  department: '政府部门',
  township: '乡镇人民政府/街道办事处',
  vertical: '垂直管理机构',
  authorizedOrganization: '法律法规授权组织',
  other: '其他'
}

export const TABLES = ['proactive', 'applications', 'reviewLitigation'] as const
export type TableCode = (typeof TABLES)[number]

export const TABLE_TITLES: Record<TableCode, string> = {
  proactive: '二、主动公开政府信息情况',
  applications: '三、收到和处理政府信息公开申请情况',
  reviewLitigation: '四、政府信息公开行政复议、行政诉讼情况'
}

/** Headings the official tables print besides their row and column labels (renderers, importers). */
export const TABLE_HEADINGS = {
  /** table 二: the first header cell of every article block */
  proactiveContent: '信息内容',
  /** table 三: the heading over the seven applicant columns */
  applicants: '申请人情况',
  /** table 三: the top-left header cell, the format's own note on T3-01 */
  applicationsNote: '（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）'
} as const

export const SECTIONS = [
  { code: 'overview', title: '一、总体情况' },
  { code: 'problems', title: '五、存在的主要问题及改进情况' },
  { code: 'otherMatters', title: '六、其他需要报告的事项' }
] as const
export type SectionCode = (typeof SECTIONS)[number]['code']

/**
 * The longest text a section may hold, in characters (Unicode code points, as JSON Schema's maxLength counts):
 * some 100 pages of Chinese text, beyond any published report's part. One limit on every path that writes a
 * report (POST, PUT, batch, an import's commit), so that whatever is stored can be sent back as it is.
 */
export const SECTION_MAX_LENGTH = 200_000
/** The longest title, in characters. */
export const TITLE_MAX_LENGTH = 500

/** The length of a text as JSON Schema counts it: in code points (a character outside the BMP is one). */
export function codePointLength(text: string): number {
  let n = text.length
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1)
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--
        i++
      }
    }
  }
  return n
}

/**
 * How a cell's value is kept.
 * - count: a number of items, a whole number (≥ 0 when the report is right; the checks say when it is not)
 * - signedCount: 2019 本年增/减, which may be negative
 * - money: a decimal amount, stored exactly as an integer number of 分 (`scale` units per unit)
 */
export type CellKind = 'count' | 'signedCount' | 'money'

/**
 * The largest count a cell may hold, either sign: more than any agency or area handles of anything in a
 * year (China has 1.4 × 10^9 people; a province's 行政处罚, traffic tickets included, are some 10^7).
 * With money's bound below it keeps every sum exact: see MONEY_SPLIT.
 */
export const COUNT_MAX = 1_000_000_000
/**
 * The largest amount of money a cell may hold, either sign, in 分: 10^14 分 = 1 万亿元, more than any
 * province collects in 行政事业性收费 or buys through 政府集中采购 in a year (the whole country's fees are
 * some 5 000 亿元).
 */
export const MONEY_MAX_FEN = 100_000_000_000_000
/**
 * Sums of money are kept in two parts, so that no sum can overflow a 64-bit integer and every sum stays
 * exact to the 分: each report adds the whole multiples of MONEY_SPLIT 分 (10 万元) of its amount to one sum
 * and the rest to another. No part exceeds 10^7 and no count 10^9, so a sum of 64-bit integers overflows
 * only past 9.2 × 10^9 reports: ten thousand times the reports of every agency of China for a century.
 */
export const MONEY_SPLIT = 10_000_000

export interface ColumnDef {
  code: string
  label: string
  kind: CellKind
  unit: string
  /** the largest value (and, negated, the smallest) the cell may hold, in `unit` */
  max: number
  /** money only: how many stored integer units (分) one unit of the value holds */
  scale?: number
  /** money only: the most decimals the value may carry (so that scale × value is an integer) */
  decimals?: number
}

// ---------------------------------------------------------------- table 二 (proactive)

export interface ProactiveRowDef {
  code: string
  label: string
  /** 第二十条第（X）项, the heading the row is printed under */
  article: string
  columns: ColumnDef[]
}

const count = (code: string, label: string): ColumnDef => ({ code, label, kind: 'count', unit: '件', max: COUNT_MAX })

const DOC_COLUMNS_2021 = [count('issued', '本年制发件数'), count('repealed', '本年废止件数'), count('inForce', '现行有效件数')]
const DOC_COLUMNS_2019 = [
  count('newlyMade', '本年新制作数量'),
  count('newlyPublished', '本年新公开数量'),
  count('totalPublished', '对外公开总数量')
]
const ITEM_COLUMNS_2019: ColumnDef[] = [
  { code: 'previousItems', label: '上一年项目数量', kind: 'count', unit: '项', max: COUNT_MAX },
  { code: 'change', label: '本年增/减', kind: 'signedCount', unit: '项', max: COUNT_MAX },
  { code: 'decisions', label: '处理决定数量', kind: 'count', unit: '件', max: COUNT_MAX }
]
const DECISIONS_2021 = [count('decisions', '本年处理决定数量')]

export const PROACTIVE: Record<Format, ProactiveRowDef[]> = {
  '2021': [
    { code: 'regulations', label: '规章', article: '第二十条第（一）项', columns: DOC_COLUMNS_2021 },
    { code: 'normativeDocuments', label: '行政规范性文件', article: '第二十条第（一）项', columns: DOC_COLUMNS_2021 },
    { code: 'licensing', label: '行政许可', article: '第二十条第（五）项', columns: DECISIONS_2021 },
    { code: 'penalty', label: '行政处罚', article: '第二十条第（六）项', columns: DECISIONS_2021 },
    { code: 'coercion', label: '行政强制', article: '第二十条第（六）项', columns: DECISIONS_2021 },
    {
      code: 'fees',
      label: '行政事业性收费',
      article: '第二十条第（八）项',
      columns: [
        {
          code: 'amountWanYuan',
          label: '本年收费金额（单位：万元）',
          kind: 'money',
          unit: '万元',
          max: MONEY_MAX_FEN / 1_000_000,
          scale: 1_000_000,
          decimals: 6
        }
      ]
    }
  ],
  '2019': [
    { code: 'regulations', label: '规章', article: '第二十条第（一）项', columns: DOC_COLUMNS_2019 },
    { code: 'normativeDocuments', label: '规范性文件', article: '第二十条第（一）项', columns: DOC_COLUMNS_2019 },
    { code: 'licensing', label: '行政许可', article: '第二十条第（五）项', columns: ITEM_COLUMNS_2019 },
    { code: 'otherServices', label: '其他对外管理服务事项', article: '第二十条第（五）项', columns: ITEM_COLUMNS_2019 },
    { code: 'penalty', label: '行政处罚', article: '第二十条第（六）项', columns: ITEM_COLUMNS_2019 },
    { code: 'coercion', label: '行政强制', article: '第二十条第（六）项', columns: ITEM_COLUMNS_2019 },
    { code: 'fees', label: '行政事业性收费', article: '第二十条第（八）项', columns: ITEM_COLUMNS_2019.slice(0, 2) },
    {
      code: 'procurement',
      label: '政府集中采购',
      article: '第二十条第（九）项',
      columns: [
        { code: 'projects', label: '采购项目数量', kind: 'count', unit: '项', max: COUNT_MAX },
        { code: 'amountYuan', label: '采购总金额', kind: 'money', unit: '元', max: MONEY_MAX_FEN / 100, scale: 100, decimals: 2 }
      ]
    }
  ]
}

// ---------------------------------------------------------------- table 三 (applications)

export const APPLICANT_COLUMNS: ColumnDef[] = [
  count('naturalPerson', '自然人'),
  count('commercialEnterprise', '商业企业'),
  count('researchInstitution', '科研机构'),
  count('publicInterestOrganization', '社会公益组织'),
  count('legalServiceAgency', '法律服务机构'),
  count('otherOrganization', '其他'),
  count('total', '总计')
]
/** The six applicant columns whose sum is `total` (T3-03). */
export const APPLICANT_PARTS = APPLICANT_COLUMNS.slice(0, 6).map((c) => c.code)
/** The official 申请人情况 heading of each column, with its 法人或其他组织 parent where it has one. */
export const APPLICANT_COLUMN_FULL_LABELS: Record<string, string> = {
  naturalPerson: '自然人',
  commercialEnterprise: '法人或其他组织·商业企业',
  researchInstitution: '法人或其他组织·科研机构',
  publicInterestOrganization: '法人或其他组织·社会公益组织',
  legalServiceAgency: '法人或其他组织·法律服务机构',
  otherOrganization: '法人或其他组织·其他',
  total: '总计'
}

export interface ApplicationRowDef {
  /** path below `applications`, e.g. `outcomes.denied.stateSecret` */
  code: string
  /** the row's own label as printed, e.g. `1.属于国家秘密` */
  label: string
  /** the official full label (FORMAT.md §4), e.g. `（三）不予公开 1.属于国家秘密` */
  fullLabel: string
  /** the outcome group the row belongs to (denied, unavailable, notProcessed, other), if any */
  group?: OutcomeGroupCode
  /** in format 2019 the row does not exist (its cells are null) */
  only2021?: boolean
}

export const OUTCOME_GROUPS = [
  { code: 'denied', label: '（三）不予公开' },
  { code: 'unavailable', label: '（四）无法提供' },
  { code: 'notProcessed', label: '（五）不予处理' },
  { code: 'other', label: '（六）其他处理' }
] as const
export type OutcomeGroupCode = (typeof OUTCOME_GROUPS)[number]['code']

const groupRows = (group: OutcomeGroupCode, rows: Array<[string, string, boolean?]>): ApplicationRowDef[] => {
  const groupLabel = OUTCOME_GROUPS.find((g) => g.code === group)!.label
  return rows.map(([code, label, only2021]) => ({
    code: `outcomes.${group}.${code}`,
    label,
    fullLabel: `${groupLabel} ${label}`,
    group,
    ...(only2021 ? { only2021 } : {})
  }))
}

export const OUTCOMES_HEADING = '三、本年度办理结果'

export const APPLICATION_ROWS: ApplicationRowDef[] = [
  { code: 'newReceived', label: '一、本年新收政府信息公开申请数量', fullLabel: '一、本年新收政府信息公开申请数量' },
  { code: 'carriedOver', label: '二、上年结转政府信息公开申请数量', fullLabel: '二、上年结转政府信息公开申请数量' },
  { code: 'outcomes.granted', label: '（一）予以公开', fullLabel: '三、本年度办理结果（一）予以公开' },
  {
    code: 'outcomes.partiallyGranted',
    label: '（二）部分公开（区分处理的，只计这一情形，不计其他情形）',
    fullLabel: '（二）部分公开（区分处理的，只计这一情形，不计其他情形）'
  },
  ...groupRows('denied', [
    ['stateSecret', '1.属于国家秘密'],
    ['prohibitedByLaw', '2.其他法律行政法规禁止公开'],
    ['endangersSafety', '3.危及“三安全一稳定”'],
    ['thirdPartyRights', '4.保护第三方合法权益'],
    ['internalAffairs', '5.属于三类内部事务信息'],
    ['processInformation', '6.属于四类过程性信息'],
    ['enforcementFile', '7.属于行政执法案卷'],
    ['administrativeQuery', '8.属于行政查询事项']
  ]),
  ...groupRows('unavailable', [
    ['notHeld', '1.本机关不掌握相关政府信息'],
    ['needsCreation', '2.没有现成信息需要另行制作'],
    ['unclearAfterCorrection', '3.补正后申请内容仍不明确']
  ]),
  ...groupRows('notProcessed', [
    ['complaint', '1.信访举报投诉类申请'],
    ['duplicate', '2.重复申请'],
    ['publication', '3.要求提供公开出版物'],
    ['excessive', '4.无正当理由大量反复申请'],
    ['confirmation', '5.要求行政机关确认或重新出具已获取信息']
  ]),
  ...groupRows('other', [
    ['overdueCorrection', '1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请', true],
    ['unpaidFee', '2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请', true],
    ['other', '3.其他']
  ]),
  { code: 'outcomes.total', label: '（七）总计', fullLabel: '（七）总计' },
  { code: 'carriedForward', label: '四、结转下年度继续办理', fullLabel: '四、结转下年度继续办理' }
]

/** The rows whose sum is `outcomes.total` (T3-02): every outcome row but the total itself. */
export const OUTCOME_PART_ROWS = APPLICATION_ROWS.filter((r) => r.code.startsWith('outcomes.') && r.code !== 'outcomes.total').map(
  (r) => r.code
)

// ---------------------------------------------------------------- table 四 (reviewLitigation)

export const REVIEW_GROUPS = [
  { code: 'review', label: '行政复议' },
  { code: 'litigationDirect', label: '行政诉讼·未经复议直接起诉' },
  { code: 'litigationAfterReview', label: '行政诉讼·复议后起诉' }
] as const
export type ReviewGroupCode = (typeof REVIEW_GROUPS)[number]['code']

export const REVIEW_COLUMNS: ColumnDef[] = [
  count('upheld', '结果维持'),
  count('corrected', '结果纠正'),
  count('other', '其他结果'),
  count('pending', '尚未审结'),
  count('total', '总计')
]
export const REVIEW_PARTS = ['upheld', 'corrected', 'other', 'pending']

// ---------------------------------------------------------------- the flat list of cells

export interface CellDef {
  /** canonical code, e.g. `applications.outcomes.denied.stateSecret.total` */
  code: string
  table: TableCode
  /** the row's code, e.g. `applications.outcomes.denied.stateSecret` */
  row: string
  column: string
  /** path of the value inside a report document */
  path: string[]
  /** official Chinese label: row and column, e.g. `（三）不予公开 1.属于国家秘密 · 总计` */
  label: string
  rowLabel: string
  columnLabel: string
  kind: CellKind
  unit: string
  /** the largest value (and, negated, the smallest) the cell may hold, in `unit` */
  max: number
  scale?: number
  decimals?: number
  /** the formats in which the cell exists */
  formats: Format[]
  /** the storage column, snake_case */
  sqlName: string
}

const snake = (s: string) =>
  s
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/\./g, '_')
    .toLowerCase()

/**
 * Storage names are the codes in snake_case, shortened where the codes are long: every name and its roll-up
 * twins (`s_…`, `n_…`, `r_…`) must fit the 63 bytes PostgreSQL allows an identifier (it would cut longer ones short).
 */
export const STORAGE_NAME_MAX = 61
const SHORTER: Array<[RegExp, string]> = [
  [/^applications_outcomes_/, 'outcomes_'],
  [/_commercial_enterprise$/, '_enterprise'],
  [/_research_institution$/, '_research'],
  [/_public_interest_organization$/, '_public_interest'],
  [/_legal_service_agency$/, '_legal_service'],
  [/_other_organization$/, '_other_org']
]
const storageName = (code: string) => SHORTER.reduce((name, [long, short]) => name.replace(long, short), snake(code))

function buildCells(): CellDef[] {
  const byCode = new Map<string, CellDef>()
  const add = (def: Omit<CellDef, 'formats' | 'sqlName' | 'path' | 'code'>, format: Format) => {
    const code = `${def.row}.${def.column}`
    const existing = byCode.get(code)
    if (existing) {
      existing.formats.push(format)
      return
    }
    byCode.set(code, { ...def, code, path: code.split('.'), formats: [format], sqlName: storageName(code) })
  }
  for (const format of ['2021', '2019'] as Format[]) {
    for (const row of PROACTIVE[format]) {
      for (const col of row.columns) {
        add(
          {
            table: 'proactive',
            row: `proactive.${row.code}`,
            column: col.code,
            label: `${row.label} · ${col.label}`,
            rowLabel: row.label,
            columnLabel: col.label,
            kind: col.kind,
            unit: col.unit,
            max: col.max,
            ...(col.scale ? { scale: col.scale, decimals: col.decimals } : {})
          },
          format
        )
      }
    }
  }
  const cells = [...byCode.values()]
  for (const row of APPLICATION_ROWS) {
    for (const col of APPLICANT_COLUMNS) {
      const code = `applications.${row.code}.${col.code}`
      cells.push({
        code,
        table: 'applications',
        row: `applications.${row.code}`,
        column: col.code,
        path: code.split('.'),
        label: `${row.fullLabel} · ${APPLICANT_COLUMN_FULL_LABELS[col.code]}`,
        rowLabel: row.fullLabel,
        columnLabel: APPLICANT_COLUMN_FULL_LABELS[col.code],
        kind: 'count',
        unit: '件',
        max: COUNT_MAX,
        formats: row.only2021 ? ['2021'] : ['2019', '2021'],
        sqlName: storageName(code)
      })
    }
  }
  for (const group of REVIEW_GROUPS) {
    for (const col of REVIEW_COLUMNS) {
      const code = `reviewLitigation.${group.code}.${col.code}`
      cells.push({
        code,
        table: 'reviewLitigation',
        row: `reviewLitigation.${group.code}`,
        column: col.code,
        path: code.split('.'),
        label: `${group.label} · ${col.label}`,
        rowLabel: group.label,
        columnLabel: col.label,
        kind: 'count',
        unit: '件',
        max: COUNT_MAX,
        formats: ['2019', '2021'],
        sqlName: storageName(code)
      })
    }
  }
  return cells
}

/** Every cell of both formats, in document order. */
export const CELLS: readonly CellDef[] = buildCells()
export const CELL_BY_CODE: ReadonlyMap<string, CellDef> = new Map(CELLS.map((c) => [c.code, c]))

const cellsByFormat: Record<Format, CellDef[]> = {
  '2019': CELLS.filter((c) => c.formats.includes('2019')),
  '2021': CELLS.filter((c) => c.formats.includes('2021'))
}
/** The cells a report of this format has (2019 keeps the two 2021-only 其他处理 rows, always null). */
export const cellsOf = (format: Format): readonly CellDef[] => cellsByFormat[format]

/** The format a report year must use (FMT-01), or null for years before any unified format. */
export function formatForYear(year: number): Format | null {
  if (year >= 2021) return '2021'
  if (year >= 2019) return '2019'
  return null
}

export const FIRST_YEAR = 2019
