// The tests' own model of what aggregates must answer: the documents written through the API, kept in
// memory, and every metric computed from them directly — sums over getCell, formulas written out from
// FORMAT.md §8 — without the aggregates module, the roll-up or SQL.
import type { FastifyInstance } from 'fastify'
import { CELL_BY_CODE, type CellDef, type Format } from '../../src/format/registry.js'
import { getCell, type ReportInput } from '../../src/format/document.js'
import { randomConsistentReport } from '../../src/checks/consistent-report.js'

export interface ModelAgency {
  id: number
  name: string
  regionCode: string
  level: string
  kind: string
}

export interface ModelReport {
  id: number
  agency: ModelAgency
  doc: ReportInput
}

export class Model {
  agencies = new Map<number, ModelAgency>()
  reports = new Map<number, ModelReport>()

  /** `app` is a test app whose inject() sends a key that may write (test/helper.ts) */
  constructor(readonly app: FastifyInstance) {}

  async agency(fields: Omit<ModelAgency, 'id'>): Promise<ModelAgency> {
    const res = await this.app.inject({ method: 'POST', url: '/v1/agencies', payload: fields })
    if (res.statusCode !== 201) throw new Error(`agency not created: ${res.statusCode} ${res.body}`)
    const agency = { ...fields, id: JSON.parse(res.body).id as number }
    this.agencies.set(agency.id, agency)
    return agency
  }

  async moveAgency(agency: ModelAgency, fields: Partial<Omit<ModelAgency, 'id'>>): Promise<void> {
    const res = await this.app.inject({ method: 'PATCH', url: `/v1/agencies/${agency.id}`, payload: fields })
    if (res.statusCode !== 200) throw new Error(`agency not patched: ${res.statusCode} ${res.body}`)
    Object.assign(agency, fields)
  }

  /** Writes a report: a PUT when the model has none for its agency and year, a correction of the stored (accepted) one otherwise. */
  async put(doc: ReportInput): Promise<ModelReport> {
    const stored = [...this.reports.values()].find((r) => r.doc.agencyId === doc.agencyId && r.doc.year === doc.year)
    if (stored) {
      await this.replace(stored.id, doc)
      return this.reports.get(stored.id)!
    }
    const res = await this.app.inject({ method: 'PUT', url: `/v1/agencies/${doc.agencyId}/reports/${doc.year}`, payload: doc })
    if (res.statusCode !== 201 && res.statusCode !== 200) throw new Error(`report not written: ${res.statusCode} ${res.body}`)
    return this.remember(JSON.parse(res.body).id, doc)
  }

  /** Replaces a report's figures: the admin's reports are accepted, and an accepted report changes by a correction. */
  async replace(id: number, doc: ReportInput): Promise<void> {
    const report = { ...doc, agencyId: undefined, year: undefined }
    const res = await this.app.inject({
      method: 'POST',
      url: `/v1/reports/${id}/corrections`,
      payload: { reason: '更正：重新核对数据', report }
    })
    if (res.statusCode !== 200) throw new Error(`report not corrected: ${res.statusCode} ${res.body}`)
    this.remember(id, doc)
  }

  async batch(docs: ReportInput[]): Promise<void> {
    // the accepted reports the batch changes are corrected, with the batch's reason
    const res = await this.app.inject({
      method: 'POST',
      url: '/v1/reports/batch',
      payload: { reports: docs, reason: '更正：重新核对数据' }
    })
    if (res.statusCode !== 200) throw new Error(`batch refused: ${res.statusCode} ${res.body}`)
    JSON.parse(res.body).items.forEach((item: { index: number; id: number }) => this.remember(item.id, docs[item.index]))
  }

  async remove(id: number): Promise<void> {
    const res = await this.app.inject({ method: 'DELETE', url: `/v1/reports/${id}` })
    if (res.statusCode !== 204) throw new Error(`report not deleted: ${res.statusCode} ${res.body}`)
    this.reports.delete(id)
  }

  private remember(id: number, doc: ReportInput): ModelReport {
    const report = { id, agency: this.agencies.get(doc.agencyId)!, doc: structuredClone(doc) }
    this.reports.set(id, report)
    return report
  }
}

// ------------------------------------------------------------------ documents with varied values

/**
 * A consistent random report (every sum rule holds), then some cells blanked — totals included — so
 * that sums skip nulls and contributor counts differ from report counts.
 */
export function variedReport(
  random: () => number,
  fields: Pick<ReportInput, 'agencyId' | 'year'> & Partial<ReportInput>,
  options: { blank?: number; max?: number } = {}
): ReportInput {
  const format: Format = fields.format ?? (fields.year >= 2021 ? '2021' : '2019')
  const doc = randomConsistentReport(format, random, { max: options.max ?? 40, fields: { scope: 'own', ...fields, format } })
  const blank = options.blank ?? 0.08
  for (const table of [doc.proactive, doc.applications, doc.reviewLitigation]) blankCells(table, () => random() < blank)
  return doc
}

function blankCells(node: Record<string, unknown>, pick: () => boolean): void {
  for (const [key, value] of Object.entries(node)) {
    if (typeof value === 'number' && pick()) node[key] = null
    else if (value !== null && typeof value === 'object') blankCells(value as Record<string, unknown>, pick)
  }
}

/** Every cell of the document set to zero (where the format has it): indicators divide by zero. */
export function zeroReport(doc: ReportInput): ReportInput {
  const out = structuredClone(doc)
  const zero = (node: Record<string, unknown>) => {
    for (const [key, value] of Object.entries(node)) {
      if (typeof value === 'number' || value === null) node[key] = 0
      else if (typeof value === 'object') zero(value as Record<string, unknown>)
    }
  }
  zero(out.proactive as Record<string, unknown>)
  zero(out.applications as Record<string, unknown>)
  zero(out.reviewLitigation as Record<string, unknown>)
  if (out.format === '2019') {
    for (const row of ['overdueCorrection', 'unpaidFee']) {
      const cells = ((out.applications as any).outcomes.other as Record<string, Record<string, unknown>>)[row]
      for (const col of Object.keys(cells)) cells[col] = null
    }
  }
  return out
}

// ------------------------------------------------------------------ the expected answers

/** FORMAT.md §4: the rows of each outcome group, written out here rather than read from the registry. */
const GROUP_ROWS: Record<string, string[]> = {
  denied: [
    'stateSecret',
    'prohibitedByLaw',
    'endangersSafety',
    'thirdPartyRights',
    'internalAffairs',
    'processInformation',
    'enforcementFile',
    'administrativeQuery'
  ],
  unavailable: ['notHeld', 'needsCreation', 'unclearAfterCorrection'],
  notProcessed: ['complaint', 'duplicate', 'publication', 'excessive', 'confirmation'],
  other: ['overdueCorrection', 'unpaidFee', 'other']
}

const A = (row: string, col = 'total') => `applications.${row}.${col}`
const R = (code: string) => `reviewLitigation.${code}`
const groupCells = (group: string, col = 'total') => GROUP_ROWS[group].map((r) => A(`outcomes.${group}.${r}`, col))

/** FORMAT.md §8, written out: [numerator terms, denominator terms]; a leading '-' subtracts. */
export const INDICATOR_FORMULAS: Record<string, [string[], string[]]> = {
  disclosureRate: [[A('outcomes.granted'), A('outcomes.partiallyGranted')], [A('outcomes.total')]],
  completionRate: [[A('outcomes.total')], [A('newReceived'), A('carriedOver')]],
  carryForwardRate: [[A('carriedForward')], [A('newReceived'), A('carriedOver')]],
  deniedRate: [groupCells('denied'), [A('outcomes.total')]],
  unavailableRate: [groupCells('unavailable'), [A('outcomes.total')]],
  notHeldRate: [[A('outcomes.unavailable.notHeld')], [A('outcomes.total')]],
  notProcessedRate: [groupCells('notProcessed'), [A('outcomes.total')]],
  otherDisposalRate: [groupCells('other'), [A('outcomes.total')]],
  organizationShare: [[A('newReceived'), `-${A('newReceived', 'naturalPerson')}`], [A('newReceived')]],
  reviewCorrectionRate: [[R('review.corrected')], [R('review.total'), `-${R('review.pending')}`]],
  litigationCorrectionRate: [
    [R('litigationDirect.corrected'), R('litigationAfterReview.corrected')],
    [
      R('litigationDirect.total'),
      R('litigationAfterReview.total'),
      `-${R('litigationDirect.pending')}`,
      `-${R('litigationAfterReview.pending')}`
    ]
  ],
  disputeRate: [[R('review.total'), R('litigationDirect.total'), R('litigationAfterReview.total')], [A('outcomes.total')]]
}

export const GROUP_METRICS = Object.keys(GROUP_ROWS).flatMap((g) =>
  [
    'naturalPerson',
    'commercialEnterprise',
    'researchInstitution',
    'publicInterestOrganization',
    'legalServiceAgency',
    'otherOrganization',
    'total'
  ].map((col) => `applications.outcomes.${g}.${col}`)
)

export interface Query {
  metrics: string[]
  groupBy?: string[]
  year?: number
  yearFrom?: number
  yearTo?: number
  regionCode?: string
  level?: string
  kind?: string
  agencyId?: number
  format?: string
  scope?: 'own' | 'aggregate' | 'all'
  sort?: string[]
  limit?: number
}

export function queryString(q: Query): string {
  const params = new URLSearchParams()
  params.set('metrics', q.metrics.join(','))
  if (q.groupBy?.length) params.set('groupBy', q.groupBy.join(','))
  for (const k of ['year', 'yearFrom', 'yearTo', 'regionCode', 'level', 'kind', 'agencyId', 'format', 'scope', 'limit'] as const) {
    if (q[k] !== undefined) params.set(k, String(q[k]))
  }
  if (q.sort?.length) params.set('sort', q.sort.join(','))
  return params.toString()
}

export interface ExpectedGroup {
  key: Record<string, string | number>
  reports: number
  values: Record<string, number | null>
  contributors?: Record<string, number>
}

function keyOf(r: ModelReport, key: string): string | number {
  switch (key) {
    case 'year':
      return r.doc.year
    case 'province':
      return r.agency.regionCode.slice(0, 2)
    case 'prefecture':
      return r.agency.regionCode.slice(0, 4)
    case 'county':
      return r.agency.regionCode
    case 'agency':
      return r.agency.id
    case 'level':
      return r.agency.level
    case 'kind':
      return r.agency.kind
    case 'format':
      return r.doc.format
  }
  throw new Error(`no key ${key}`)
}

export function selected(model: Model, q: Query): ModelReport[] {
  const scope = q.scope ?? 'own'
  return [...model.reports.values()].filter(
    (r) =>
      (q.year === undefined || r.doc.year === q.year) &&
      (q.yearFrom === undefined || r.doc.year >= q.yearFrom) &&
      (q.yearTo === undefined || r.doc.year <= q.yearTo) &&
      (q.regionCode === undefined || r.agency.regionCode.startsWith(q.regionCode)) &&
      (q.level === undefined || r.agency.level === q.level) &&
      (q.kind === undefined || r.agency.kind === q.kind) &&
      (q.agencyId === undefined || r.agency.id === q.agencyId) &&
      (q.format === undefined || r.doc.format === q.format) &&
      (scope === 'all' || r.doc.scope === scope)
  )
}

const cell = (code: string): CellDef => {
  const def = CELL_BY_CODE.get(code)
  if (!def) throw new Error(`test: no cell ${code}`)
  return def
}

const flat = new WeakMap<ReportInput, Map<string, number | null>>()
/** A document's cells by code (read once per document: the model is asked thousands of times). */
function cellValueOf(doc: ReportInput, code: string): number | null {
  let values = flat.get(doc)
  if (!values) {
    values = new Map()
    for (const def of CELL_BY_CODE.values()) values.set(def.code, getCell(doc as never, def))
    flat.set(doc, values)
  }
  return values.get(code) ?? null
}

/** Σ of a cell over reports, as an exact integer of stored units (分 for money), and how many were non-null. */
function cellSum(reports: ModelReport[], code: string): { sum: number; count: number } {
  const def = cell(code)
  let sum = 0
  let count = 0
  for (const r of reports) {
    const v = cellValueOf(r.doc, code)
    if (v === null) continue
    sum += def.kind === 'money' ? Math.round(v * def.scale!) : v
    count++
  }
  return { sum, count }
}

/** An integer number of 分 back to its unit, through decimal digits. */
function money(stored: number, scale: number): number {
  const digits = Math.round(Math.log10(scale))
  const whole = Math.trunc(stored / scale)
  const frac = String(Math.abs(stored % scale))
    .padStart(digits, '0')
    .replace(/0+$/, '')
  return Number(`${stored < 0 && whole === 0 ? '-' : ''}${whole}${frac ? `.${frac}` : ''}`)
}

function metricFormats(code: string): string[] {
  const def = CELL_BY_CODE.get(code)
  return def ? def.formats : ['2019', '2021']
}

export function evaluate(reports: ModelReport[], code: string): { value: number | null; count: number } {
  if (code === 'reports') return { value: reports.length, count: reports.length }
  const signed = (terms: string[]) => {
    let total = 0
    let count = 0
    for (const term of terms) {
      const negative = term.startsWith('-')
      const s = cellSum(reports, negative ? term.slice(1) : term)
      total += negative ? -s.sum : s.sum
      count = Math.max(count, s.count)
    }
    return { total, count }
  }
  const formula = INDICATOR_FORMULAS[code]
  if (formula) {
    const num = signed(formula[0])
    const den = signed(formula[1])
    return { value: den.total === 0 ? null : num.total / den.total, count: Math.max(num.count, den.count) }
  }
  const match = /^applications\.outcomes\.(denied|unavailable|notProcessed|other)\.(\w+)$/.exec(code)
  if (match) {
    const s = signed(groupCells(match[1], match[2]))
    return { value: s.count === 0 ? null : s.total, count: s.count }
  }
  const def = cell(code)
  const s = cellSum(reports, code)
  return { value: s.count === 0 ? null : def.kind === 'money' ? money(s.sum, def.scale!) : s.sum, count: s.count }
}

const compareKeys = (a: string | number, b: string | number) => (a < b ? -1 : a > b ? 1 : 0)

export function expectedAggregate(model: Model, q: Query): ExpectedGroup[] {
  const groupBy = q.groupBy ?? []
  const groups = new Map<string, ModelReport[]>()
  for (const r of selected(model, q)) {
    const id = JSON.stringify(groupBy.map((k) => keyOf(r, k)))
    groups.set(id, [...(groups.get(id) ?? []), r])
  }
  if (groupBy.length === 0 && groups.size === 0) groups.set('[]', [])
  let out: ExpectedGroup[] = [...groups.entries()].map(([id, reports]) => {
    const keys = JSON.parse(id) as Array<string | number>
    const group: ExpectedGroup = { key: Object.fromEntries(groupBy.map((k, i) => [k, keys[i]])), reports: reports.length, values: {} }
    const contributors: Record<string, number> = {}
    for (const code of q.metrics) {
      const { value, count } = evaluate(reports, code)
      group.values[code] = value
      if (code === 'reports') continue
      const spanned = reports.filter((r) => metricFormats(code).includes(r.doc.format)).length
      if (count < spanned) contributors[code] = count
    }
    if (Object.keys(contributors).length) group.contributors = contributors
    return group
  })
  const sort = [
    ...(q.sort ?? []).map((s) => ({ by: s.replace(/^-/, ''), desc: s.startsWith('-') })),
    ...groupBy.map((by) => ({ by, desc: false }))
  ]
  out.sort((a, b) => {
    for (const { by, desc } of sort) {
      const x = by in a.key ? a.key[by] : by === 'reports' ? a.reports : a.values[by]
      const y = by in b.key ? b.key[by] : by === 'reports' ? b.reports : b.values[by]
      if (x === y) continue
      if (x === null) return 1
      if (y === null) return -1
      const c = compareKeys(x, y)
      if (c !== 0) return desc ? -c : c
    }
    return 0
  })
  if (q.limit !== undefined) out = out.slice(0, q.limit)
  return out
}

/** The parts of a served group the model predicts. */
export function served(group: ExpectedGroup & Record<string, unknown>): ExpectedGroup {
  return {
    key: group.key,
    reports: group.reports,
    values: group.values,
    ...(group.contributors ? { contributors: group.contributors } : {})
  }
}
