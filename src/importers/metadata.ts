// What a report says about itself: its title (and from it the agency and the year), its date of
// publication, the signature at its end, and whether it covers an area (aggregate) or one agency.
import type { Scope } from '../format/registry.js'
import { isoDate, parseChineseNumber, tidySpaces } from './normalize.js'
import { provenanceOf, type Item, type Provenance, type TextItem } from './types.js'
import { message, type ImportMessage } from './messages.js'

export interface Found<T> {
  value: T
  provenance: Provenance
}

export interface Title {
  text: string
  agency: string | null
  year: number
  provenance: Provenance
}

const TITLE = /([^\s，。；;]{0,40}?)((?:19|20)\d{2})年度?([^\s，。；;]{0,40}?)(?:政府信息公开|政务公开|信息公开)(?:工作)?年度?报告/u
/** `XX局政府信息公开工作2024年度报告`: the year after the words */
const TITLE_YEAR_LAST = /([^\s，。；;]{0,40}?)(?:政府信息公开|政务公开|信息公开)(?:工作)?((?:19|20)\d{2})年度?报告/u
const FIELD_LABEL = /^.*?(?:标题|题目|名称)\s*[:：]\s*/u

/** A title in `text` (already tidied): `XX局2024年度政府信息公开工作年度报告`, `2024年XX局政府信息公开工作年度报告`. */
export function parseTitle(text: string): Omit<Title, 'provenance'> | null {
  const printed = tidySpaces(text).replace(FIELD_LABEL, '')
  // a year in Chinese numerals (二〇二四年) is read as digits; both are four characters long, so
  // the title is cut from the printed text at the same places
  const tidy = printed.replace(/[〇零一二三四五六七八九]{4}(?=年)/gu, (y) => String(parseChineseNumber(y)))
  const lead = /^.*[:：>＞»]/u
  const name = (s: string) =>
    s
      .replace(lead, '')
      .replace(/^关于/u, '')
      .replace(/(?:关于|的)$/u, '')
  const titleOf = (m: RegExpExecArray) => printed.slice(m.index + m[0].length - m[0].replace(lead, '').length, m.index + m[0].length)
  const m = TITLE.exec(tidy)
  if (m) return { text: titleOf(m), agency: name(m[1]) || m[3].replace(/^度/u, '').replace(/的$/u, '') || null, year: Number(m[2]) }
  const late = TITLE_YEAR_LAST.exec(tidy)
  if (late) return { text: titleOf(late), agency: name(late[1]) || null, year: Number(late[2]) }
  return null
}

const TITLE_WINDOW = 2000

/** The title among the first lines, joining a title wrapped over up to three lines. */
export function findTitle(lines: TextItem[]): Title | null {
  const head = lines.slice(0, 40)
  // the shortest window first, so that a line above the title is not taken into it
  for (let span = 1; span <= 3; span++) {
    for (let i = 0; i + span <= head.length; i++) {
      // a title stands at the top of a page: a long line (a flattened page) is read at its start
      const joined = head
        .slice(i, i + span)
        .map((l) => l.text)
        .join('')
        .slice(0, TITLE_WINDOW)
      const title = parseTitle(joined)
      if (!title) continue
      // `淮安市人民政府` / `2024 年政府信息公开工作年度报告`: the agency on the line above
      const above = head[i - 1]?.text
      if (!title.agency && above && looksLikeName(above)) {
        const agency = tidySpaces(above)
        return { ...title, agency, text: agency + title.text, provenance: provenanceOf(`${above}\n${joined}`, head[i - 1].at) }
      }
      return { ...title, provenance: provenanceOf(joined, head[i].at) }
    }
  }
  return null
}

const ORG_SUFFIX =
  /(?:人民政府|政府|委员会|管委会|管理委员会|办公厅|办公室|局|委|厅|署|办|中心|院|所|站|队|处|部|会|街道办事处|镇|乡|街道|公司|集团)$/u

/** A short line without sentence punctuation that reads like the name of a body. */
export const looksLikeName = (line: string): boolean => {
  if (line.length > 200) return false
  const t = tidySpaces(line)
  return t.length >= 3 && t.length <= 40 && !/[，。；：:,;！？\d]/u.test(t) && ORG_SUFFIX.test(t)
}

/** The report year stated in the body when there is no title: 统计期限自2024年1月1日… */
export function findYearInBody(text: string): number | null {
  const tidy = tidySpaces(text)
  const period = /(?:统计期限|统计时限|统计期间|时间范围)[^。]{0,8}?((?:19|20)\d{2})年1月1日/u.exec(tidy)
  if (period) return Number(period[1])
  const title = /((?:19|20)\d{2})年度?(?:政府信息公开|政务公开)(?:工作)?年度报告/u.exec(tidy)
  return title ? Number(title[1]) : null
}

const DATE_TEXT =
  /^((?:19|20)\d{2}|[〇零一二三四五六七八九OＯ]{4})年(\d{1,2}|[一二三四五六七八九十]{1,3})月(\d{1,2}|[一二三四五六七八九十]{1,3})日$/u

/** A line that is only a date, as a report is signed: `2026年1月19日`, `二〇二六年一月十九日`. */
export function parseDateLine(line: string): string | null {
  const m = DATE_TEXT.exec(tidySpaces(line))
  if (!m) return null
  const [y, mo, d] = [m[1], m[2], m[3]].map(parseChineseNumber)
  return y === null || mo === null || d === null ? null : isoDate(y, mo, d)
}

/** A date printed as `2022-02-08 16:34`, `2022/2/8`, `2022年2月8日`. */
export function parseDate(text: string): string | null {
  const m = /((?:19|20)\d{2})\s*(?:[-/.]|年)\s*(\d{1,2})\s*(?:[-/.]|月)\s*(\d{1,2})/u.exec(text)
  return m ? isoDate(Number(m[1]), Number(m[2]), Number(m[3])) : null
}

/** `发布时间：2022-02-08 16:34` and the like, printed by web pages around the report. */
export function findPublicationLine(lines: TextItem[]): Found<string> | null {
  for (const line of lines) {
    const m =
      /(?:发布时间|发布日期|公开日期|成文日期|发文日期|(?:^|\s)时间|(?:^|\s)日期)\s*[:：]\s*((?:19|20)\d{2}[^\s]*(?:\s+\d{1,2}:\d{2})?)/u.exec(
        line.text
      )
    const date = m ? parseDate(m[1]) : null
    if (date) return { value: date, provenance: provenanceOf(m![0].trim(), line.at) }
  }
  return null
}

/** `原文链接: https://…` as crawlers and saved pages print it above the text. */
export function findSourceUrl(lines: TextItem[]): Found<string> | null {
  for (const line of lines) {
    const m = /(?:原文链接|原文地址|来源链接|网址|URL|url)\s*[:：]\s*(https?:\/\/[^\s"'<>]+)/u.exec(line.text)
    if (m) return { value: m[1], provenance: provenanceOf(m[0], line.at) }
  }
  return null
}

export interface Signature {
  date: Found<string> | null
  agency: Found<string> | null
  /** the items the signature occupies, to be kept out of section 六 */
  items: Set<Item>
}

/** The signature closing a report: the agency's name and the date, on the last lines. */
export function findSignature(tail: TextItem[], agency: string | null): Signature {
  const items = new Set<Item>()
  const isName = (line: TextItem | undefined) =>
    !!line && (looksLikeName(line.text) || (agency !== null && tidySpaces(line.text) === agency))
  const name = (line: TextItem) => ({ value: tidySpaces(line.text), provenance: provenanceOf(line.text, line.at) })
  const last = tail.slice(-4)
  for (let i = last.length - 1; i >= 0; i--) {
    const d = parseDateLine(last[i].text)
    if (!d) continue
    items.add(last[i])
    const above = last[i - 1]
    if (isName(above)) items.add(above)
    return { date: { value: d, provenance: provenanceOf(last[i].text, last[i].at) }, agency: isName(above) ? name(above) : null, items }
  }
  // signed without a date: only the agency's own name, as the title prints it, is taken
  const end = last[last.length - 1]
  if (end && agency !== null && tidySpaces(end.text) === agency) return { date: null, agency: name(end), items: new Set([end]) }
  return { date: null, agency: null, items }
}

const REGION_NAME = /(?:省|市|区|县|州|旗|盟)$/u
const TOWNSHIP = /(?:镇|乡|街道)(?:人民政府)?$/u

/**
 * `aggregate` only on clear evidence: the report of a 人民政府 (or of an area) without any
 * department's name, or a body that counts the applications of its whole area.
 */
export function inferScope(agency: string | null, body: string): { scope: Scope; reason: ImportMessage | null } {
  if (agency && !TOWNSHIP.test(agency)) {
    if (/人民政府$/u.test(agency) || REGION_NAME.test(agency)) {
      return { scope: 'aggregate', reason: message('scope.aggregateByName', { agency }) }
    }
    return { scope: 'own', reason: null }
  }
  const area = /全(?:省|市|区|县|州|旗|盟)[^。；]{0,12}?(?:收到|受理|新收|接收)[^。；]{0,24}?申请/u.exec(tidySpaces(body))
  if (area) return { scope: 'aggregate', reason: message('scope.aggregateByArea', { quote: area[0] }) }
  return { scope: 'own', reason: null }
}
