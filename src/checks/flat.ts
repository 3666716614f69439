// A report's cells read once, flat, in CELLS order: the checks ask for the same few hundred cells many
// times, and walking the document by a code's path each time was most of a write's CPU time. Each rule
// precomputes, per format, the CELLS indexes of the cells it sums; reading a value is an array access.
//
// A flat array is made per check run (checkReport, checkInYear), never kept: documents may be changed
// between two runs.
import { CELLS, type Format } from '../format/registry.js'
import { type ReportInput, cellValues } from '../format/document.js'

/** A report's cell values in CELLS order, exactly as getCell reads them (a non-number is null). */
export type Flat = ReadonlyArray<number | null>

const INDEX = new Map(CELLS.map((c, i) => [c.code, i]))

export function flatCells(doc: ReportInput): Flat {
  return cellValues(doc)
}

/** The CELLS index of a code (every code a rule sums is a cell). */
export function indexOf(code: string): number {
  const i = INDEX.get(code)
  if (i === undefined) throw new Error(`${code} is not a cell`)
  return i
}

const sideSum = (flat: Flat, cells: readonly number[], signs?: ReadonlyArray<1 | -1>) => {
  let s = 0
  for (let i = 0; i < cells.length; i++) s += (signs?.[i] ?? 1) * (flat[cells[i]] as number)
  return s
}

/**
 * True when a sum rule's instance certainly yields no finding: every cell blank, or every cell filled
 * and both sides equal, summed in the same order as checkSum sums them. Anything else (a blank among
 * filled cells, a difference) is left to the rule's own code, which writes the finding. The expected
 * side may be read from another report (the previous year's) and carry signs.
 */
export function settled(
  flat: Flat,
  actual: readonly number[],
  expected: readonly number[],
  expectedFlat: Flat = flat,
  expectedSigns?: ReadonlyArray<1 | -1>
): boolean {
  let blank = 0
  for (const i of actual) if (flat[i] === null) blank++
  for (const i of expected) if (expectedFlat[i] === null) blank++
  if (blank === actual.length + expected.length) return true
  if (blank > 0) return false
  return sideSum(expectedFlat, expected, expectedSigns) === sideSum(flat, actual)
}

/** A value computed once per format. */
export function perFormat<T>(make: (format: Format) => T): (format: Format) => T {
  const made = new Map<Format, T>()
  return (format) => {
    let v = made.get(format)
    if (v === undefined) {
      v = make(format)
      made.set(format, v)
    }
    return v
  }
}
