// How agencies shorten region names: 互助土族自治县 → 互助县, 海西蒙古族藏族自治州 → 海西州 / 海西,
// 广西壮族自治区 → 广西, 海东市 → 海东.
import type { Region } from './region.js'

// The 55 minority nationalities as they appear in autonomous-area names, plus 各 (龙胜各族自治县).
const ETHNIC_GROUPS = [
  '蒙古',
  '回',
  '藏',
  '维吾尔',
  '苗',
  '彝',
  '壮',
  '布依',
  '朝鲜',
  '满',
  '侗',
  '瑶',
  '白',
  '土家',
  '哈尼',
  '哈萨克',
  '傣',
  '黎',
  '傈僳',
  '佤',
  '畲',
  '高山',
  '拉祜',
  '水',
  '东乡',
  '纳西',
  '景颇',
  '柯尔克孜',
  '土',
  '达斡尔',
  '仫佬',
  '羌',
  '布朗',
  '撒拉',
  '毛南',
  '仡佬',
  '锡伯',
  '阿昌',
  '普米',
  '塔吉克',
  '怒',
  '乌孜别克',
  '俄罗斯',
  '鄂温克',
  '德昂',
  '保安',
  '裕固',
  '京',
  '塔塔尔',
  '独龙',
  '鄂伦春',
  '赫哲',
  '门巴',
  '珞巴',
  '基诺',
  '各'
]

/** Longest first, so 土家族 is taken before 土族 could be. */
const ETHNIC_BY_LENGTH = [...ETHNIC_GROUPS].sort((a, b) => b.length - a.length)

/**
 * Strips the nationalities from the end of an autonomous area's stem: 互助土族 → 互助,
 * 积石山保安族东乡族撒拉族 → 积石山, 博尔塔拉蒙古 → 博尔塔拉. Without 族 only a name of two or more
 * characters is taken (长白朝鲜族 → 长白, not 长), and a single character is never left over
 * (内蒙古 stays). When nothing but nationalities is left, the first one is the place's name
 * (鄂温克族自治旗 → 鄂温克).
 */
export function stripNationalities(stem: string): string {
  let rest = stem
  let last = ''
  for (;;) {
    const token = trailingNationality(rest)
    if (!token) break
    const left = rest.slice(0, rest.length - token.text.length)
    if (left.length === 1) break
    rest = left
    last = token.name
    if (left.length === 0) break
  }
  return rest === '' ? last : rest
}

function trailingNationality(s: string): { text: string; name: string } | undefined {
  for (const name of ETHNIC_BY_LENGTH) {
    if (s.endsWith(`${name}族`)) return { text: `${name}族`, name }
  }
  for (const name of ETHNIC_BY_LENGTH) {
    if (name.length >= 2 && s.endsWith(name)) return { text: name, name }
  }
  return undefined
}

const AUTONOMOUS = /^(.+)自治(区|州|县|旗)$/

/**
 * The names an agency may put in front of its own name for this region, the full name first.
 * County names are only shortened where the short form keeps its 县/旗 (互助县, 鄂温克旗): a bare
 * county stem is too often an ordinary word (公安县 ↔ 公安局).
 */
export function aliasesOf(region: Region): string[] {
  const { name, level } = region
  if (name.includes('直辖县级行政区划')) return []
  const out = [name]
  const autonomous = AUTONOMOUS.exec(name)
  if (autonomous) {
    const base = stripNationalities(autonomous[1])
    const kind = autonomous[2]
    if (kind === '县' || kind === '旗' || kind === '州') out.push(base + kind)
    if (level !== 'county') out.push(base)
  } else if (level !== 'county') {
    const stem = name.replace(/(特别行政区|地区|省|市|盟)$/, '')
    if (stem !== name) out.push(stem)
  }
  return [...new Set(out)].filter((alias) => alias.length >= 2)
}

/**
 * A county's name without its 县/区/市/旗 — used only in front of a zone designator, as in
 * 平潭综合实验区 (the zone that governs 平潭县). Undefined when it would be a single character.
 */
export function countyStemOf(region: Region): string | undefined {
  if (region.level !== 'county') return undefined
  const autonomous = AUTONOMOUS.exec(region.name)
  const stem = autonomous ? stripNationalities(autonomous[1]) : region.name.replace(/(特区|林区|矿区|新区|区|县|市|旗)$/, '')
  return stem.length >= 2 && stem !== region.name ? stem : undefined
}
