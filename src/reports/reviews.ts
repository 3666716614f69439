// Reviews of findings: which decisions exist, who may make each, and the values a decision is about.
// A finding's fingerprint names the rule and the cells it is about; its values key digests what those
// cells held and what the rule computed (expected and actual, which for cross-report rules come from the
// other reports). A review is kept by fingerprint and applies while the values key is the one reviewed:
// a re-check that finds the same problem in the same figures keeps it; any changed figure reopens it.
import { hash } from 'node:crypto'
import { CELL_BY_CODE } from '../format/registry.js'
import type { Finding } from '../checks/index.js'

export const REVIEW_STATUSES = ['confirmed', 'dismissed', 'explained'] as const
export type ReviewStatus = (typeof REVIEW_STATUSES)[number]
/** A finding's status: `open` until reviewed, and again when its values change. */
export type FindingStatus = 'open' | ReviewStatus
export const FINDING_STATUSES: readonly FindingStatus[] = ['open', ...REVIEW_STATUSES]

/** The value at a code's path in a document: a cell's number, a section's text, or null. */
function valueAt(doc: Record<string, unknown>, code: string): unknown {
  let node: unknown = doc
  for (const key of CELL_BY_CODE.get(code)?.path ?? code.split('.')) {
    if (node === null || typeof node !== 'object') return null
    node = (node as Record<string, unknown>)[key]
  }
  return node ?? null
}

/** The digest of what a finding is about in this document (its cells' values, expected, actual). */
export function valuesKeyOf(finding: Pick<Finding, 'cells' | 'expected' | 'actual'>, doc: object): string {
  const values = finding.cells.map((code) => valueAt(doc as Record<string, unknown>, code))
  // the one-shot digest (no Hash object): the same hex, computed for every finding of every write
  return hash('sha1', JSON.stringify([values, finding.expected, finding.actual]), 'hex').slice(0, 16)
}
