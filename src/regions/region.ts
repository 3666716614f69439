export type RegionLevel = 'province' | 'prefecture' | 'county'

export interface Region {
  /** six digits, GB/T 2260 */
  code: string
  name: string
  level: RegionLevel
  /** six-digit code of the enclosing region; null for a province */
  parent: string | null
}

/** National bodies (国务院各部门 …) serve no single region: FORMAT.md §9 gives them 000000. */
export const NATIONAL_CODE = '000000'
