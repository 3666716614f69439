// A flattened page prints neighbouring cells with nothing between them: `行政许可3960181` may be
// 396 | 0 | 181. The importer enumerates every way to cut the digit runs into the row's cells (no
// leading zero but for "0" itself, a cut never crossing a space the page did print) and keeps the
// cuts that the table's own sum rules allow. A value is taken only when every surviving cut agrees.

export interface Piece {
  text: string
  /** the run (digit group) the piece was cut from, and where in it the piece starts */
  group: number
  offset: number
}

/** The sum rules of a row, as they bear on a cut in progress. */
export interface SplitRules {
  /** the rows are groups of `size` cells whose last is the sum of the others */
  size?: number
  /** the text the next piece must have, if the rules fix it (a total: the sum of its parts) */
  forced?(pieces: Piece[]): string | undefined
  /** false when no cut starting with `pieces` can satisfy the rules, `digitsLeft` digits remaining */
  viable?(pieces: Piece[], digitsLeft: number): boolean
}

export type SplitOutcome = { splits: Piece[][] } | { tooMany: true }

const MAX_NODES = 200_000
const MAX_DIGITS = 12

/** Every cut of the digit `groups` into exactly `n` pieces that `rules` allow. */
export function splitGroups(groups: string[], n: number, rules: SplitRules = {}): SplitOutcome {
  const splits: Piece[][] = []
  let nodes = 0
  const after = groups.map((_, i) => groups.slice(i + 1).reduce((sum, g) => sum + g.length, 0))

  const walk = (gi: number, pos: number, pieces: Piece[]): boolean => {
    if (++nodes > MAX_NODES) return false
    if (gi === groups.length) {
      if (pieces.length === n) splits.push([...pieces])
      return true
    }
    const group = groups[gi]
    const cellsLeft = n - pieces.length
    const groupsLeft = groups.length - gi
    const digitsLeft = group.length - pos + after[gi]
    if (cellsLeft < groupsLeft || digitsLeft < cellsLeft) return true
    if (rules.viable && !rules.viable(pieces, digitsLeft)) return true
    const atomic = /[.,]/.test(group)
    const forced = rules.forced?.(pieces)
    const lengths =
      forced !== undefined ? [forced.length] : atomic ? [group.length - pos] : range(1, Math.min(MAX_DIGITS, group.length - pos))
    for (const len of lengths) {
      const text = group.slice(pos, pos + len)
      if (text.length < len || (forced !== undefined && text !== forced)) continue
      if (text.length > 1 && text.startsWith('0') && !text.startsWith('0.')) break
      const end = pos + len === group.length
      // a group must end on a cell boundary, and every later group needs a cell of its own
      if (!end && (atomic || cellsLeft - 1 < groupsLeft)) continue
      pieces.push({ text, group: gi, offset: pos })
      const ok = walk(end ? gi + 1 : gi, end ? 0 : pos + len, pieces)
      pieces.pop()
      if (!ok) return false
    }
    return true
  }
  return walk(0, 0, []) ? { splits } : { tooMany: true }
}

const range = (from: number, to: number) => Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i)

const sumOf = (pieces: Piece[]) => pieces.reduce((a, p) => a + Number(p.text), 0)

/**
 * Rows of `size` cells whose last cell is the sum of the others, one after another (table 三: one
 * row of 7; table 四: three groups of 5).
 */
export function totalRules(size: number): SplitRules {
  return {
    size,
    forced(pieces) {
      const inGroup = pieces.length % size
      return inGroup === size - 1 ? String(sumOf(pieces.slice(pieces.length - inGroup))) : undefined
    },
    viable(pieces, digitsLeft) {
      const inGroup = pieces.length % size
      const partial = sumOf(pieces.slice(pieces.length - inGroup))
      // the parts still to come need a digit each, and the total at least the digits of the sum so far
      return digitsLeft >= size - 1 - inGroup + String(partial).length
    }
  }
}
