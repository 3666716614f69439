import { regionIndex } from './dataset.js'
import { NATIONAL_CODE, type Region } from './region.js'

/** A known province, prefecture or county, by its six-digit code. */
export function getRegion(code: string): Region | undefined {
  return regionIndex().byCode.get(code)
}

/** A known six-digit code, or 000000 for national bodies. */
export function isValidRegionCode(code: string): boolean {
  return code === NATIONAL_CODE || regionIndex().byCode.has(code)
}

type Prefix = { kind: 'province' | 'prefecture' | 'county'; key: string }

/** '63' / '630000' → province 63; '6302' / '630200' → prefecture prefix 6302; '630223' → county. */
function parsePrefix(input: string): Prefix | undefined {
  if (/^\d{2}$/.test(input)) return { kind: 'province', key: input }
  if (/^\d{4}$/.test(input)) return input.endsWith('00') ? undefined : { kind: 'prefecture', key: input }
  if (!/^\d{6}$/.test(input)) return undefined
  if (input.endsWith('0000')) return { kind: 'province', key: input.slice(0, 2) }
  if (input.endsWith('00')) return { kind: 'prefecture', key: input.slice(0, 4) }
  return { kind: 'county', key: input }
}

/**
 * null → the provinces; a province → its prefectures (for a municipality: its districts and
 * counties); a prefecture → its counties. '1101' / '110100' and '5002' name no region but select
 * the municipality's counties under that prefix. Anything else → [].
 */
export function childrenOf(parent: string | null): Region[] {
  const index = regionIndex()
  if (parent === null) return [...(index.children.get('') ?? [])]
  const prefix = parsePrefix(parent)
  if (prefix?.kind === 'province') return [...(index.children.get(`${prefix.key}0000`) ?? [])]
  if (prefix?.kind === 'prefecture') return [...(index.countiesByPrefix.get(prefix.key) ?? [])]
  return []
}

/** province → prefecture → county, ending with the region itself; [] for an unknown code. */
export function regionPath(code: string): Region[] {
  const index = regionIndex()
  const path: Region[] = []
  for (let r = index.byCode.get(code); r; r = r.parent === null ? undefined : index.byCode.get(r.parent)) {
    path.unshift(r)
  }
  return path
}

/**
 * The name to show for a code or a code prefix, as aggregates group by them: '63' → 青海省,
 * '6302' → 海东市, '630223' → 互助土族自治县. A municipality's prefix ('1101', '5002') takes the
 * municipality's name; 000000 (national bodies) is 全国. Unknown → null.
 */
export function regionName(prefixOrCode: string): string | null {
  if (/^0{2}(0{2}){0,2}$/.test(prefixOrCode)) return '全国'
  const prefix = parsePrefix(prefixOrCode)
  if (!prefix) return null
  const index = regionIndex()
  switch (prefix.kind) {
    case 'province':
      return index.byCode.get(`${prefix.key}0000`)?.name ?? null
    case 'county':
      return index.byCode.get(prefix.key)?.name ?? null
    case 'prefecture': {
      const prefecture = index.byCode.get(`${prefix.key}00`)
      if (prefecture) return prefecture.name
      const counties = index.countiesByPrefix.get(prefix.key)
      return counties ? (index.byCode.get(counties[0].parent ?? '')?.name ?? null) : null
    }
  }
}

/** 自治区直辖县级行政区划 of Xinjiang: the 兵团's cities (师市合一), which report within the 兵团, not to the 自治区. */
const OUTSIDE_PROVINCE_SUMMARY = new Set(['659000'])

/**
 * The direct sub-divisions of a province or prefecture, as the hierarchy of summary reports (AG-02)
 * sees them: a province's prefectures and the county-level units it administers directly (a
 * 省直辖县级行政区划 group has no government of its own: its counties stand in its place), a
 * municipality's districts and counties, a prefecture's counties. [] for a county, an unknown code, a
 * prefecture without counties (东莞市) and a province without children in the data set.
 */
export function subdivisionsOf(code: string): Region[] {
  const index = regionIndex()
  const region = index.byCode.get(code)
  if (!region || region.level === 'county') return []
  const out: Region[] = []
  for (const child of index.children.get(code) ?? []) {
    const isGroup = child.level === 'prefecture' && child.name.endsWith('直辖县级行政区划')
    if (!isGroup) out.push(child)
    else if (!OUTSIDE_PROVINCE_SUMMARY.has(child.code)) out.push(...(index.children.get(child.code) ?? []))
  }
  return out.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0))
}

/** The province or prefecture a region prefix names ('63' → 630000, '6302' → 630200), or the region of a full code. */
export function regionOfPrefix(prefix: string): Region | undefined {
  if (/^\d{2}$/.test(prefix)) return getRegion(`${prefix}0000`)
  if (/^\d{4}$/.test(prefix)) return getRegion(`${prefix}00`)
  return getRegion(prefix)
}
