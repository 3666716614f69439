// A printed cell → its value in the document. Only a literal number is read: a dash, a slash or
// 无 is kept blank (null) with a warning, a unit printed in the cell is converted exactly.
import { CELL_BY_CODE, type ColumnDef } from '../format/registry.js'
import type { RawValue } from './data-rows.js'
import { decimalsOf, parseValue, shiftDecimal } from './values.js'
import { provenanceOf, type Provenance } from './types.js'

export interface CellSink {
  set(code: string, value: number | null, provenance: Provenance | null): void
  warn(message: string): void
}

/** The whole number a cell prints, or null. */
export const integerOf = (v: RawValue | null): number | null => {
  if (v === null) return null
  const p = parseValue(v.text)
  if (p.kind !== 'number' || decimalsOf(p.digits!) > 0) return null
  return (p.negative ? -1 : 1) * Number(p.digits!.split('.')[0])
}

/**
 * Writes one cell, null when blank or unreadable. `context.header` is the label text printed above
 * the row, which may name the unit of a money column (`采购总金额（万元）`).
 */
export function writeCell(
  code: string,
  column: Pick<ColumnDef, 'kind' | 'unit' | 'decimals'>,
  raw: RawValue | null,
  sink: CellSink,
  context: { header: string }
): void {
  if (raw === null) {
    sink.set(code, null, null)
    return
  }
  const cell = CELL_BY_CODE.get(code)!
  const prov = provenanceOf(raw.text, raw.at)
  const parsed = parseValue(raw.text)
  const where = `${cell.label} (${code})`
  if (parsed.kind === 'placeholder') {
    sink.set(code, null, prov)
    sink.warn(`${where}: printed '${raw.text}', not a number; kept blank (null)`)
    return
  }
  if (parsed.kind !== 'number') {
    sink.set(code, null, prov)
    sink.warn(`${where}: cannot read '${raw.text}' as a number; kept blank (null)`)
    return
  }
  if (parsed.note) sink.warn(`${where}: printed '${raw.text}'; the number was read and the note left out`)
  let digits = parsed.digits!
  if (column.kind === 'money') {
    const headerSaysWan = /万元/u.test(context.header)
    const unit = parsed.unit ?? (headerSaysWan ? '万元' : column.unit)
    if (unit !== column.unit && (unit === '万元' || unit === '元')) {
      digits = shiftDecimal(digits, unit === '万元' ? 4 : -4)
      sink.warn(`${where}: '${raw.text}' is in ${unit}; converted to ${digits} ${column.unit}`)
    }
    if (decimalsOf(digits) > (column.decimals ?? 0)) {
      sink.set(code, null, prov)
      sink.warn(`${where}: '${raw.text}' has more decimals than ${column.unit} can hold exactly; kept blank (null)`)
      return
    }
  } else if (decimalsOf(digits) > 0) {
    sink.set(code, null, prov)
    sink.warn(`${where}: '${raw.text}' is not a whole number; kept blank (null)`)
    return
  }
  const value = (parsed.negative ? -1 : 1) * Number(digits)
  if (!Number.isSafeInteger(Math.trunc(value))) {
    sink.set(code, null, prov)
    sink.warn(`${where}: '${raw.text}' is too large to be read exactly; kept blank (null)`)
    return
  }
  if (parsed.negative && column.kind !== 'signedCount') sink.warn(`${where}: printed a negative number '${raw.text}'`)
  sink.set(code, value === 0 ? 0 : value, prov) // never -0
}
