// The metrics an aggregate can compute, derived from the format registry: every cell, the sum of each
// outcome group of table 三 per column, the indicators of FORMAT.md §8, and the number of reports.
// Every metric but `reports` is a signed sum of cells (or a ratio of two), so any group of reports is
// answered from per-cell sums and non-null counts alone — which is what the roll-up table keeps.
import {
  APPLICANT_COLUMNS,
  APPLICANT_COLUMN_FULL_LABELS,
  APPLICATION_ROWS,
  CELLS,
  CELL_BY_CODE,
  FORMATS,
  OUTCOME_GROUPS,
  type CellDef,
  type Format
} from '../format/registry.js'
import { INDICATORS, type SignedCode } from './indicators.js'

export interface Term {
  cell: CellDef
  sign: 1 | -1
}

export type MetricKind = 'reports' | 'cell' | 'group' | 'indicator'

export interface MetricDef {
  code: string
  kind: MetricKind
  /** Chinese label: the cell's official label, the group's heading, the indicator's name */
  label: string
  unit: string
  /** a cell, or the summed group; for an indicator, its numerator (empty for `reports`) */
  numerator: readonly Term[]
  /** indicators only */
  denominator?: readonly Term[]
  /** the formats whose reports the metric spans: every format but for format-specific cells */
  formats: readonly Format[]
  /** every cell the metric reads, once */
  cells: readonly CellDef[]
  /** the formula in canonical codes, for groups and indicators */
  formula?: string
}

export const REPORTS_METRIC = 'reports'
/** Indicators are fractions between 0 and 1 (0.8125, not 81.25 %). */
export const RATIO_UNIT = '比率'

function termsOf(codes: readonly SignedCode[]): Term[] {
  return codes.map((signed) => {
    const negative = signed.startsWith('-')
    const code = negative ? signed.slice(1) : signed
    const cell = CELL_BY_CODE.get(code)
    if (!cell) throw new Error(`aggregates: ${code} is not a cell of the registry`)
    if (cell.kind === 'money') throw new Error(`aggregates: ${code} is money; composite metrics add counts only`)
    return { cell, sign: negative ? -1 : 1 }
  })
}

function cellsOfTerms(...lists: ReadonlyArray<readonly Term[]>): CellDef[] {
  const set = new Set(lists.flat().map((t) => t.cell))
  return CELLS.filter((c) => set.has(c))
}

function formatsOfCells(cells: readonly CellDef[]): Format[] {
  return FORMATS.filter((f) => cells.some((c) => c.formats.includes(f)))
}

const sumText = (terms: readonly Term[]) => {
  const text = terms.map((t, i) => `${t.sign < 0 ? ' − ' : i ? ' + ' : ''}${t.cell.code}`).join('')
  return terms.length > 1 ? `(${text})` : text
}

function buildMetrics(): MetricDef[] {
  const metrics: MetricDef[] = [
    { code: REPORTS_METRIC, kind: 'reports', label: '报告数', unit: '份', numerator: [], formats: FORMATS, cells: [] }
  ]
  for (const ind of INDICATORS) {
    const numerator = termsOf(ind.numerator)
    const denominator = termsOf(ind.denominator)
    const cells = cellsOfTerms(numerator, denominator)
    metrics.push({
      code: ind.code,
      kind: 'indicator',
      label: ind.label,
      unit: RATIO_UNIT,
      numerator,
      denominator,
      formats: formatsOfCells(cells),
      cells,
      formula: `${sumText(numerator)} / ${sumText(denominator)}`
    })
  }
  for (const group of OUTCOME_GROUPS) {
    const rows = APPLICATION_ROWS.filter((r) => r.group === group.code)
    for (const col of APPLICANT_COLUMNS) {
      const numerator = termsOf(rows.map((r) => `applications.${r.code}.${col.code}`))
      const cells = cellsOfTerms(numerator)
      metrics.push({
        code: `applications.outcomes.${group.code}.${col.code}`,
        kind: 'group',
        label: `${group.label} · ${APPLICANT_COLUMN_FULL_LABELS[col.code]}`,
        unit: col.unit,
        numerator,
        formats: formatsOfCells(cells),
        cells,
        formula: sumText(numerator).replace(/^\(|\)$/g, '')
      })
    }
  }
  for (const cell of CELLS) {
    metrics.push({
      code: cell.code,
      kind: 'cell',
      label: cell.label,
      unit: cell.unit,
      numerator: [{ cell, sign: 1 }],
      formats: cell.formats,
      cells: [cell]
    })
  }
  const seen = new Set<string>()
  for (const m of metrics) {
    if (seen.has(m.code)) throw new Error(`aggregates: metric code ${m.code} is defined twice`)
    seen.add(m.code)
  }
  return metrics
}

/** Every metric, in catalog order: reports, indicators, outcome groups, then every cell in registry order. */
export const METRICS: readonly MetricDef[] = buildMetrics()
export const METRIC_BY_CODE: ReadonlyMap<string, MetricDef> = new Map(METRICS.map((m) => [m.code, m]))

/** A metric that exists in only some formats (2021 `inForce`, 2019 `procurement` …) spans only their reports. */
export const isFormatSpecific = (m: MetricDef) => m.kind !== 'reports' && m.formats.length < FORMATS.length
