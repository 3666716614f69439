// Sums of money, exact whatever their size. A stored amount is an integer number of 分 bounded by
// MONEY_MAX_FEN; the roll-up and every SQL sum of money add it in two parts (MONEY_SPLIT), each small, so
// no 64-bit sum overflows, and the parts are joined here as a bigint. A sum is then a `MoneySum`: the exact
// integer of stored units, shown as its exact decimal in the cell's unit. While that decimal is a double's
// shortest digits (every realistic sum: up to 15 significant digits always), it is sent as a plain number;
// beyond, as the same digits without rounding (README: Money is exact).
import { randomBytes } from 'node:crypto'
import { MONEY_SPLIT } from './registry.js'
import { plainNumber } from '../render/values.js'

const SPLIT = BigInt(MONEY_SPLIT)
/** A prefix no text of a caller can guess (it changes with every start), marking a MoneySum in JSON text. */
const MARK = `\u2063money:${randomBytes(8).toString('hex')}:`
const MARKED = new RegExp(`"${MARK}(-?\\d+(?:\\.\\d+)?)"`, 'g')

/** A stored amount in its two parts: whole multiples of MONEY_SPLIT and the rest, both with the amount's sign. */
export function splitMoney(stored: number): [whole: number, rest: number] {
  const rest = stored % MONEY_SPLIT
  return [(stored - rest) / MONEY_SPLIT, rest]
}

/** An integer as SQL or JavaScript gives it (number, bigint, or integral decimal text) as a bigint; null is 0. */
export function bigintOf(value: unknown): bigint {
  if (value === null || value === undefined) return 0n
  if (typeof value === 'bigint') return value
  if (typeof value === 'number') return BigInt(value)
  return BigInt(String(value))
}

/** The exact sum of stored units from the two summed parts. */
export function joinMoney(whole: unknown, rest: unknown): bigint {
  return bigintOf(whole) * SPLIT + bigintOf(rest)
}

/** A sum of money: the exact integer of stored units (分) and how many of them one unit of the value holds. */
export class MoneySum {
  constructor(
    readonly units: bigint,
    readonly scale: number
  ) {}

  /** The exact decimal in the cell's unit, without trailing zeros: 102499999999.998975 */
  toString(): string {
    const negative = this.units < 0n
    const abs = negative ? -this.units : this.units
    const scale = BigInt(this.scale)
    const decimals = Math.round(Math.log10(this.scale))
    const frac = decimals ? (abs % scale).toString().padStart(decimals, '0').replace(/0+$/, '') : ''
    return `${negative ? '-' : ''}${abs / scale}${frac ? `.${frac}` : ''}`
  }

  /** The nearest double (exact while `exact`). */
  toNumber(): number {
    return Number(this.toString())
  }

  /** Whether the nearest double prints as the exact decimal (then it is sent as a plain number). */
  get exact(): boolean {
    const text = this.toString()
    return String(Number(text)) === text
  }

  /** In JSON, a marker that exactJson turns into the bare decimal digits: a JSON number, not rounded. */
  toJSON(): string {
    return `${MARK}${this.toString()}`
  }

  plus(other: MoneySum): MoneySum {
    return new MoneySum(this.units + other.units, this.scale)
  }

  minus(other: MoneySum): MoneySum {
    return new MoneySum(this.units - other.units, this.scale)
  }
}

/** A metric's value: a number, or a sum of money too large for a double's digits (README: Money is exact). */
export type Amount = number | MoneySum

/** A sum as the value it is answered with: a plain number while a double holds it exactly, else the MoneySum. */
export function amountOf(sum: MoneySum): Amount {
  return sum.exact ? sum.toNumber() : sum
}

/** An amount of money as a MoneySum of `scale` units per unit: a number through its decimal digits, never float arithmetic. */
export function moneyOf(value: Amount, scale: number): MoneySum {
  if (value instanceof MoneySum) return value
  const text = plainNumber(value)
  const negative = text.startsWith('-')
  const [whole, frac = ''] = (negative ? text.slice(1) : text).split('.')
  const decimals = Math.round(Math.log10(scale))
  const units = BigInt(whole) * BigInt(scale) + BigInt((frac.slice(0, decimals) || '0').padEnd(decimals, '0') || '0')
  return new MoneySum(negative ? -units : units, scale)
}

/** The nearest double of an amount (for ratios, ranks and spreads, which are not sums). */
export const numberOf = (value: Amount): number => (typeof value === 'number' ? value : value.toNumber())

/** An amount as text or number for CSV and XLSX: the exact decimal digits of a large sum. */
export const plainAmount = <T>(value: T | MoneySum): T | string => (value instanceof MoneySum ? value.toString() : value)

/** Whether a response body holds a MoneySum anywhere (then it is serialized by exactJson). */
export function holdsMoneySum(value: unknown): boolean {
  if (value instanceof MoneySum) return true
  if (Array.isArray(value)) return value.some(holdsMoneySum)
  if (value !== null && typeof value === 'object') return Object.values(value).some(holdsMoneySum)
  return false
}

/**
 * JSON with every MoneySum as a bare JSON number of its exact decimal digits (RFC 8259 numbers have no
 * limit of precision): a decimal-aware parser reads it exactly, JavaScript's JSON.parse the nearest double.
 */
export function exactJson(value: unknown): string {
  return JSON.stringify(value).replace(MARKED, '$1')
}
