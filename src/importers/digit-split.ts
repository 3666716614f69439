// A flattened page prints neighbouring cells with nothing between them: `行政许可3960181` may be
// 396 | 0 | 181. The importer enumerates every way to cut the digit runs into the row's cells (no
// leading zero but for "0" itself, a cut never crossing a space the page did print) and keeps the
// cuts that the table's own sum rules allow. A value is taken only when every surviving cut agrees.

export interface Group {
  /** the printed digits of one run (a decimal is never cut) */
  text: string
  /** offset of the run's first character, for provenance */
  offset: number
}

export interface Piece {
  text: string
  /** offset of the piece in the source, from its group's offset */
  offset: number
}

export type SplitOutcome = { splits: Piece[][] } | { tooMany: true }

const MAX_NODES = 200_000
const MAX_DIGITS = 12

/**
 * Every cut of `groups` into exactly `n` pieces. `prune(pieces)` is asked after each piece and may
 * reject a prefix early (a finished row or group whose sum is wrong).
 */
export function splitGroups(groups: Group[], n: number, prune: (pieces: Piece[]) => boolean = () => true): SplitOutcome {
  const splits: Piece[][] = []
  let nodes = 0
  const digitsLeft = (gi: number, pos: number) =>
    groups.slice(gi).reduce((sum, g, i) => sum + (i === 0 ? g.text.length - pos : g.text.length), 0)

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
    const atomic = /[.,]/.test(group.text)
    const maxLen = atomic ? group.text.length - pos : Math.min(MAX_DIGITS, group.text.length - pos)
    for (let len = atomic ? maxLen : 1; len <= maxLen; len++) {
      const text = group.text.slice(pos, pos + len)
      if (text.length > 1 && text.startsWith('0') && !text.startsWith('0.')) break
      const end = pos + len === group.text.length
      // a group must end on a cell boundary, and every later group needs a cell of its own
      if (!end && cellsLeft - 1 < groupsLeft) continue
      pieces.push({ text, offset: group.offset + pos })
      const ok = prune(pieces) ? walk(end ? gi + 1 : gi, end ? 0 : pos + len, pieces) : true
      pieces.pop()
      if (!ok) return false
    }
    return true
  }
  return walk(0, 0, []) ? { splits } : { tooMany: true }
}

/** For each position, the value every split agrees on, or null where they differ (or none exist). */
export function agreedPieces(splits: Piece[][], n: number): Array<Piece | null> {
  if (splits.length === 0) return Array(n).fill(null)
  return Array.from({ length: n }, (_, i) => (splits.every((s) => s[i].text === splits[0][i].text && s[i].offset === splits[0][i].offset) ? splits[0][i] : null))
}
