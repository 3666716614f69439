// The hierarchy of summary reports (AG-02): which direct sub-divisions a government's `aggregate`
// report adds up, whether every one of them has its own summary stored, and the sums they bring.
import { CELL_BY_CODE } from '../format/registry.js'
import { getRegion, subdivisionsOf } from '../regions/index.js'
import type { OwnSums, SubdivisionSums } from './aggregate.js'

/** The agency level whose `aggregate` report is the summary of a province or a prefecture. */
const SUMMARY_LEVEL: Record<string, string> = { province: 'provincial', prefecture: 'prefectural' }

/**
 * The region codes of the direct sub-divisions whose summaries an `aggregate` report of an agency at
 * (regionCode, level) adds up; [] when AG-02 does not apply: a county (its townships publish no
 * summaries, and its departments are AG-01's), a national body, a level that does not match the
 * region (a county-level agency at a prefecture's code), a prefecture without counties.
 */
export function subdivisionCodesOf(regionCode: string, level: string): string[] {
  const region = getRegion(regionCode)
  if (!region || SUMMARY_LEVEL[region.level] !== level) return []
  return subdivisionsOf(regionCode).map((r) => r.code)
}

/** The stored summaries of one sub-division's region code: how many, and per cell their sum and how many filled it. */
export interface SubdivisionSummaries {
  regionCode: string
  reports: number
  /** cell code → sum in stored units (money in 分) and the number of summaries that filled the cell */
  cells: Record<string, { sum: number; filled: number }>
}

export interface SummaryCoverage {
  /** sub-divisions with no summary stored for the year */
  missing: string[]
  /** sub-divisions with more than one: which is the government's cannot be told, so none is added */
  ambiguous: string[]
}

/** Which sub-divisions keep AG-02 from being evaluated. */
export function summaryCoverage(codes: readonly string[], stored: readonly SubdivisionSummaries[]): SummaryCoverage {
  const count = new Map(stored.map((s) => [s.regionCode, s.reports]))
  return {
    missing: codes.filter((c) => !count.get(c)),
    ambiguous: codes.filter((c) => (count.get(c) ?? 0) > 1)
  }
}

/**
 * AG-02's inputs when every sub-division has exactly one summary stored; null otherwise. Money is
 * summed in stored units and divided once, so that the sum is exact.
 */
export function subdivisionSums(codes: readonly string[], stored: readonly SubdivisionSummaries[], own: OwnSums): SubdivisionSums | null {
  const coverage = summaryCoverage(codes, stored)
  if (codes.length === 0 || coverage.missing.length > 0 || coverage.ambiguous.length > 0) return null
  const wanted = new Set(codes)
  const totals = new Map<string, { sum: number; filled: number }>()
  for (const summary of stored.filter((s) => wanted.has(s.regionCode))) {
    for (const [code, { sum, filled }] of Object.entries(summary.cells)) {
      const total = totals.get(code) ?? { sum: 0, filled: 0 }
      totals.set(code, { sum: total.sum + sum, filled: total.filled + filled })
    }
  }
  const summaries: SubdivisionSums['summaries'] = {}
  for (const [code, { sum, filled }] of totals) {
    const cell = CELL_BY_CODE.get(code)
    summaries[code] = { sum: cell?.kind === 'money' ? sum / (cell.scale ?? 1) : sum, filled }
  }
  return { subdivisions: codes.length, summaries, own }
}
