// How a cell's value is printed: exact decimals, never binary float noise or exponent notation.
import type { CellDef } from '../format/registry.js'
import { type CellValue, toStoredMoney } from '../format/document.js'

/** A finite number in plain decimal notation (`1e-7` → `0.0000001`), as JavaScript's shortest round-trip digits. */
export function plainNumber(value: number): string {
  const text = String(value)
  if (!Number.isFinite(value) || !/e/i.test(text)) return text
  const [mantissa, exp] = Math.abs(value).toExponential().split('e')
  const [intPart, fracPart = ''] = mantissa.split('.')
  const digits = intPart + fracPart
  const point = intPart.length + Number(exp) // position of the decimal point within `digits`
  const sign = value < 0 ? '-' : ''
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`
  if (point >= digits.length) return sign + digits + '0'.repeat(point - digits.length)
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`
}

/**
 * Money goes through its stored integer form so that what is printed is exactly what is stored
 * (24252.311082 万元, never 24252.311081999998); a value the unit cannot hold (the shape check
 * refuses those) falls back to its plain digits rather than being rounded.
 */
function moneyText(value: number, cell: Pick<CellDef, 'scale' | 'decimals'>): string {
  const stored = toStoredMoney(value, cell)
  if (stored === undefined) return plainNumber(value)
  const decimals = cell.decimals ?? 0
  const digits = String(Math.abs(stored)).padStart(decimals + 1, '0')
  const whole = digits.slice(0, digits.length - decimals)
  const frac = digits.slice(digits.length - decimals).replace(/0+$/, '')
  return `${stored < 0 ? '-' : ''}${whole}${frac ? `.${frac}` : ''}`
}

/** The value as data: '' for a blank cell, digits otherwise (no unit). */
export function formatValue(cell: CellDef, value: CellValue): string {
  if (value === null) return ''
  return cell.kind === 'money' ? moneyText(value, cell) : plainNumber(value)
}

/**
 * The value as printed in the report's table. Where the official column heading does not name the
 * money unit (2019 采购总金额, whose unit the format prints in the cell), the unit follows the figure.
 */
export function formatPrinted(cell: CellDef, value: CellValue): string {
  const text = formatValue(cell, value)
  if (text === '' || cell.kind !== 'money' || cell.columnLabel.includes(cell.unit)) return text
  return `${text}${cell.unit}`
}
