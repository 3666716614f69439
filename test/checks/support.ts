// Helpers shared by the checks tests (not a test file itself).
import { type ReportInput, getCell, setCell } from '../../src/format/document.js'
import type { Finding } from '../../src/checks/index.js'

export const set = (doc: ReportInput, code: string, value: number | null) => setCell(doc as unknown as Record<string, unknown>, code, value)
export const get = (doc: ReportInput, code: string) => getCell(doc as unknown as Record<string, unknown>, code)
/** Adds to a cell (which must not be blank). */
export const bump = (doc: ReportInput, code: string, delta: number) => set(doc, code, (get(doc, code) as number) + delta)

export const ofRule = (findings: Finding[], rule: string) => findings.filter((f) => f.rule === rule)
/** The fields a test compares exactly (message and fingerprint are asserted separately). */
export const brief = (f: Finding) => ({
  rule: f.rule,
  severity: f.severity,
  cells: f.cells,
  expected: f.expected,
  actual: f.actual
})
export const rulesOf = (findings: Finding[]) => findings.map((f) => f.rule)

/** Table-三 cell code. */
export const app = (row: string, column: string) => `applications.${row}.${column}`
export const row7 = (row: string) =>
  [
    'naturalPerson',
    'commercialEnterprise',
    'researchInstitution',
    'publicInterestOrganization',
    'legalServiceAgency',
    'otherOrganization',
    'total'
  ].map((c) => app(row, c))
