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

export type SplitOutcome = { splits: Piece[][] } | { tooMany: true }

const MAX_NODES = 200_000
const MAX_DIGITS = 12

/**
 * Every cut of `groups` into exactly `n` pieces. `prune(pieces)` is asked after each piece and may
 * reject a prefix early (a finished row or group whose sum is wrong).
 */
export function splitGroups(groups: string[], n: number, prune: (pieces: Piece[]) => boolean = () => true): SplitOutcome {
  const splits: Piece[][] = []
  let nodes = 0
  const digitsLeft = (gi: number, pos: number) =>
    groups.slice(gi).reduce((sum, g, i) => sum + (i === 0 ? g.length - pos : g.length), 0)

  const walk = (gi: number, pos: number, pieces: Piece[]): boolean => {
    if (++nodes > MAX_NODES) return false
    if (gi === groups.length) {
      if (pieces.length === n) splits.push([...pieces])
      return true
    }
    const group = groups[gi]
    const cellsLeft = n - pieces.length
    const groupsLeft = groups.length - gi
    if (cellsLeft < groupsLeft || digitsLeft(gi, pos) < cellsLeft) return true
    const atomic = /[.,]/.test(group)
    const maxLen = atomic ? group.length - pos : Math.min(MAX_DIGITS, group.length - pos)
    for (let len = atomic ? maxLen : 1; len <= maxLen; len++) {
      const text = group.slice(pos, pos + len)
      if (text.length > 1 && text.startsWith('0') && !text.startsWith('0.')) break
      const end = pos + len === group.length
      // a group must end on a cell boundary, and every later group needs a cell of its own
      if (!end && cellsLeft - 1 < groupsLeft) continue
      pieces.push({ text, group: gi, offset: pos })
      const ok = prune(pieces) ? walk(end ? gi + 1 : gi, end ? 0 : pos + len, pieces) : true
      pieces.pop()
      if (!ok) return false
    }
    return true
  }
  return walk(0, 0, []) ? { splits } : { tooMany: true }
}

