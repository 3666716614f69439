import { createHash } from 'node:crypto'
import { CELLS } from '../format/registry.js'
import { type RuleId, type Severity, ruleName } from './rules.js'

export interface Finding {
  rule: string
  /** the rule's Chinese name (RULES) */
  ruleName: string
  severity: Severity
  /** Chinese, naming rows and columns in the official wording, with the figures */
  message: string
  /** canonical codes of every cell involved, in registry (document) order */
  cells: string[]
  /** what the rule says the checked cell(s) should be; null where not numeric or not assessable */
  expected: number | null
  actual: number | null
  /** stable across re-checks: depends on rule and cells only */
  fingerprint: string
  /** cross-year rules: the other report */
  otherReportId?: number
  otherYear?: number
}

const ORDER = new Map(CELLS.map((c, i) => [c.code, i]))
// Codes that are not table cells (sections.*) sort after every cell, in the order given.
const rank = (code: string) => ORDER.get(code) ?? CELLS.length

// The same rule over the same cells recurs in report after report: fingerprints are remembered (a
// bounded map, emptied when full).
const FINGERPRINTS = new Map<string, string>()
const MAX_FINGERPRINTS = 20_000

export function fingerprintOf(rule: string, cells: readonly string[]): string {
  const key = `${rule}|${cells.join(',')}`
  let fingerprint = FINGERPRINTS.get(key)
  if (fingerprint === undefined) {
    fingerprint = createHash('sha1').update(key).digest('hex').slice(0, 16)
    if (FINGERPRINTS.size >= MAX_FINGERPRINTS) FINGERPRINTS.clear()
    FINGERPRINTS.set(key, fingerprint)
  }
  return fingerprint
}

export function createFinding(
  rule: RuleId,
  severity: Severity,
  message: string,
  cells: readonly string[],
  expected: number | null,
  actual: number | null,
  other?: { id: number; year: number }
): Finding {
  const sorted = [...new Set(cells)].map((code, i) => ({ code, i }))
  sorted.sort((a, b) => rank(a.code) - rank(b.code) || a.i - b.i)
  const codes = sorted.map((c) => c.code)
  return {
    rule,
    ruleName: ruleName(rule),
    severity,
    message,
    cells: codes,
    expected,
    actual,
    fingerprint: fingerprintOf(rule, codes),
    ...(other ? { otherReportId: other.id, otherYear: other.year } : {})
  }
}
