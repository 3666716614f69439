// Which region an agency serves, read from the start of its name: 互助县城市管理综合行政执法局 →
// 630223, 北京市朝阳区人民政府 → 110105. Region names are read as a chain (province, then one of its
// prefectures or counties, then one of that prefecture's counties), so a name that carries its
// province or prefecture reaches the county. The reading that covers the most of the name wins;
// if two different regions tie (朝阳区 is in 北京 and in 长春; 吉林 is a province and a city), the
// answer is undefined: an importer must ask rather than guess.
import { regionIndex } from './dataset.js'
import type { Region } from './region.js'
import { aliasesOf, countyStemOf } from './short-names.js'

/** Zones named after the county they govern (平潭综合实验区 ↔ 平潭县). */
const ZONE_AFTER_STEM = /^(?:综合实验区|综合试验区|实验区|试验区|新区)/

interface NameIndex {
  aliases: Map<string, Region[]>
  countyStems: Map<string, Region[]>
  longest: number
}

let names: NameIndex | undefined

function nameIndex(): NameIndex {
  if (names) return names
  const aliases = new Map<string, Region[]>()
  const countyStems = new Map<string, Region[]>()
  let longest = 0
  const add = (map: Map<string, Region[]>, key: string, r: Region) => {
    longest = Math.max(longest, key.length)
    const list = map.get(key)
    if (!list) map.set(key, [r])
    else if (!list.includes(r)) list.push(r)
  }
  for (const r of regionIndex().all) {
    for (const alias of aliasesOf(r)) add(aliases, alias, r)
    const stem = countyStemOf(r)
    if (stem) add(countyStems, stem, r)
  }
  names = { aliases, countyStems, longest }
  return names
}

interface Reading {
  region: Region
  /** how many characters of the name the chain of region names covers */
  end: number
}

function isWithin(region: Region, scope: Region): boolean {
  const digits = scope.level === 'province' ? 2 : 4
  return region.code !== scope.code && region.code.slice(0, digits) === scope.code.slice(0, digits)
}

function readingsAt(text: string, pos: number, scope: Region | undefined, index: NameIndex): Reading[] {
  const found: Reading[] = []
  const fits = (r: Region) => (scope ? isWithin(r, scope) : true)
  for (let len = Math.min(index.longest, text.length - pos); len >= 2; len--) {
    const piece = text.slice(pos, pos + len)
    for (const r of index.aliases.get(piece) ?? []) if (fits(r)) found.push({ region: r, end: pos + len })
    if (ZONE_AFTER_STEM.test(text.slice(pos + len))) {
      for (const r of index.countyStems.get(piece) ?? []) if (fits(r)) found.push({ region: r, end: pos + len })
    }
  }
  const deeper = found.flatMap((f) => (f.region.level === 'county' ? [] : readingsAt(text, f.end, f.region, index)))
  return [...found, ...deeper]
}

export function inferRegion(agencyName: string): { region: Region; matched: string } | undefined {
  const text = agencyName.trim()
  const readings = readingsAt(text, 0, undefined, nameIndex())
  if (readings.length === 0) return undefined
  const end = Math.max(...readings.map((r) => r.end))
  const best = new Set(readings.filter((r) => r.end === end).map((r) => r.region))
  if (best.size !== 1) return undefined
  const [region] = best
  return { region, matched: text.slice(0, end) }
}
