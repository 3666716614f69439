// Numbers as a Chinese reader expects them: thousands separators, rates in per cent, changes with arrows.
export const RATIO = '比率'

const integer = new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 2 })
const percent = new Intl.NumberFormat('zh-CN', { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 })

export function value(v: number | string | null | undefined, unit?: string): string {
  if (v === null || v === undefined || v === '') return '—'
  const n = Number(v)
  if (unit === RATIO) return percent.format(n)
  return integer.format(n)
}

export function withUnit(v: number | string | null | undefined, unit?: string): string {
  const text = value(v, unit)
  return text === '—' || unit === RATIO || !unit ? text : `${text} ${unit}`
}

/** The change from the previous year: fraction points for a rate (个百分点), absolute and relative for a count. */
export function change(
  change: number | null | undefined,
  relative: number | null | undefined,
  unit?: string
): { text: string; trend: 'up' | 'down' | 'flat' | 'none' } {
  if (change === null || change === undefined) return { text: '无上年数据', trend: 'none' }
  const trend = change > 0 ? 'up' : change < 0 ? 'down' : 'flat'
  const arrow = trend === 'up' ? '▲' : trend === 'down' ? '▼' : '＝'
  if (unit === RATIO) return { text: `${arrow} ${Math.abs(change * 100).toFixed(1)} 个百分点`, trend }
  const rel = relative === null || relative === undefined ? '' : `（${relative > 0 ? '+' : ''}${(relative * 100).toFixed(1)}%）`
  return { text: `${arrow} ${integer.format(Math.abs(change))}${rel}`, trend }
}

export function date(iso: string | null | undefined): string {
  if (!iso) return '—'
  return iso.length > 10 ? new Date(iso).toLocaleString('zh-CN', { hour12: false }) : iso
}
