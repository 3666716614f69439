// A printed cell → its value in the document. Only a literal number is read: a dash, a slash or
// 无 is kept blank (null) with a warning, a unit printed in the cell is converted exactly.
import type { ColumnDef } from '../format/registry.js'
import type { RawValue } from './data-rows.js'
import { decimalsOf, parseValue, shiftDecimal } from './values.js'
import { provenanceOf, type Provenance } from './types.js'
import { message, type ImportMessage } from './messages.js'

export interface CellSink {
  set(code: string, value: number | null, provenance: Provenance | null): void
  warn(message: ImportMessage): void
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
  const prov = provenanceOf(raw.text, raw.at)
  const parsed = parseValue(raw.text)
  const printed = { cell: code, printed: raw.text }
  if (parsed.kind === 'placeholder') {
    sink.set(code, null, prov)
    sink.warn(message('cell.placeholder', printed))
    return
  }
  if (parsed.kind !== 'number') {
    sink.set(code, null, prov)
    sink.warn(message('cell.unreadable', printed))
    return
  }
  if (parsed.note) sink.warn(message('cell.noteLeftOut', printed))
  let digits = parsed.digits!
  if (column.kind === 'money') {
    const headerSaysWan = /万元/u.test(context.header)
    const unit = parsed.unit ?? (headerSaysWan ? '万元' : column.unit)
    if (unit !== column.unit && (unit === '万元' || unit === '元')) {
      digits = shiftDecimal(digits, unit === '万元' ? 4 : -4)
      sink.warn(message('cell.unitConverted', { ...printed, unit, value: digits, to: column.unit! }))
    }
    if (decimalsOf(digits) > (column.decimals ?? 0)) {
      sink.set(code, null, prov)
      sink.warn(message('cell.tooPrecise', { ...printed, unit: column.unit! }))
      return
    }
  } else if (decimalsOf(digits) > 0) {
    sink.set(code, null, prov)
    sink.warn(message('cell.notWhole', printed))
    return
  }
  const value = (parsed.negative ? -1 : 1) * Number(digits)
  if (!Number.isSafeInteger(Math.trunc(value))) {
    sink.set(code, null, prov)
    sink.warn(message('cell.tooLarge', printed))
    return
  }
  if (parsed.negative && column.kind !== 'signedCount') sink.warn(message('cell.negative', printed))
  sink.set(code, value === 0 ? 0 : value, prov) // never -0
}
