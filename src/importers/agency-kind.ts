// The level and kind of an agency a committed import creates, read from the end of its name. A
// wrong kind moves the agency's deadline and its aggregates, so the rules are few and written in
// the README; a name none of them reads is not guessed: the import asks for agencyId.
import type { Region } from '../regions/region.js'

export type AgencyLevel = 'provincial' | 'prefectural' | 'county' | 'township'
export type AgencyKind = 'government' | 'generalOffice' | 'department' | 'township'

export type AgencyDescription = { level: AgencyLevel; kind: AgencyKind; rule: string } | { unsure: string }

interface Rule {
  /** what the README calls the rule */
  rule: string
  ending: RegExp
  kind: AgencyKind
}

/** In order: the first rule whose ending the name has decides. */
export const AGENCY_RULES: Rule[] = [
  { rule: '乡、镇、街道', ending: /(?:街道办事处|街道|镇人民政府|乡人民政府|镇|乡)$/u, kind: 'township' },
  { rule: '人民政府办公厅（室）', ending: /人民政府办公(?:厅|室)$/u, kind: 'generalOffice' },
  { rule: '人民政府', ending: /人民政府$/u, kind: 'government' },
  // a zone's administration governs its area as a government does: 平潭综合实验区, …新区管理委员会
  { rule: '综合实验区、新区、管理委员会', ending: /(?:综合实验区|综合试验区|实验区|试验区|新区|管理委员会|管委会)$/u, kind: 'government' },
  { rule: '局、厅、委员会、委、办公室、办', ending: /(?:局|厅|委员会|委|办公室|办)$/u, kind: 'department' }
]

const LEVELS: Record<Region['level'], AgencyLevel> = { province: 'provincial', prefecture: 'prefectural', county: 'county' }

/** Level and kind of a new agency named `name` in `region`, or why they cannot be told. */
export function describeAgency(name: string, region: Pick<Region, 'level'>): AgencyDescription {
  const found = AGENCY_RULES.find((r) => r.ending.test(name.trim()))
  if (!found) return { unsure: 'the name ends in none of the words that tell a government, its office, a department or a township' }
  if (found.kind === 'township') return { level: 'township', kind: 'township', rule: found.rule }
  return { level: LEVELS[region.level], kind: found.kind, rule: found.rule }
}
