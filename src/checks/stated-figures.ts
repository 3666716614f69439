// Reading the figures a report states in its text (for TX-01), the way reports write them:
//   “2024年，全市共受理政府信息公开申请 3119 件，答复 3050 件（含上年度结转申请 34 件，另有 103 件顺延到下年度答复）”
//   “本年度全区共收到70件申请，及时依法依规办结69件，1件结转下年度继续办理。”
// A figure is a keyword tied to a number by nothing but a few known filler words (收到｜政府信息公开申请｜
// 共计｜120｜件), so each number of a sentence naming several figures is read with its own keyword, and a
// count that follows (其中撤回3件) is never taken for the one before it.
//
// False alarms cost a supervisor's trust, so the reader gives up on anything it cannot read with
// certainty. A figure is not read when
// - its number is written in full-width digits, in Chinese numerals, with 余/多/约/近/逾/左右/以上… (approximate),
//   as a decimal, in 万, or as 件次;
// - the words before it in its clause narrow or move it: a part (其中, 含, 本级, 部门, 网上, 自然人 …), another
//   period (上年, 同比, 上半年, 1—6月, a year other than the report's, 累计 …), a target or plan (计划, 力争 …),
//   a time limit (按期, 逾期 …), another matter (建议, 提案, 信访, 政务服务 …); for an `own` report an area
//   (全市, 全县 …), for an `aggregate` one the body itself (本机关, 我局 …);
// - it is one of a pair joined by 和/及/与/、 with no number of its own (行政复议和行政诉讼3件), negated (未办结3件),
//   or the same sentence gives the same figure twice with different values;
// - the passage is not about information-disclosure applications (application figures need 依申请公开 or
//   公开申请 in the sentence or its part of the section; review and litigation figures need 信息公开), or the
//   body is the one deciding the case (受理/办理/审理行政复议 …);
// - a received count is followed at once by what it includes of last year's (共收到125件，其中上年结转5件).

export type FigureTarget =
  | 'newReceived'
  | 'carriedOver'
  | 'outcomesTotal'
  | 'carriedForward'
  | 'review'
  | 'litigation'
  | 'normativeIssued'
  | 'normativeInForce'

export interface StatedFigure {
  target: FigureTarget
  value: number
  /** the words that state it, whitespace removed, e.g. 办结115件 */
  phrase: string
  /** the sentence it stands in, as written (trimmed) */
  sentence: string
  /** where the phrase starts in the sentence, for quoting a long sentence around it */
  at: number
}

export interface ReadingContext {
  /** the report year: a clause naming another year is about another year */
  year: number
  scope: 'own' | 'aggregate'
}

interface Pattern {
  target: FigureTarget
  regex: RegExp
  /** words of which a match contains at least one: a sentence with none of them is not searched */
  needs?: string[]
  /** the match ends with the keyword (the number came first): a 和/及 after it joins another keyword */
  keywordLast?: boolean
  /** the figure is read as 0 (未收到政府信息公开申请) */
  zero?: boolean
}

// ---------------------------------------------------------------- the patterns

const NUM = '(?<num>[0-9０-９]+(?:,[0-9]{3})*)'
/** words that may stand between a keyword and its number: 共计, 数量为, ： … */
const TALLY = '(?:共计|合计|总计|总数为|总数|数量为|数量|数为|共|计|为|达到|达|有|[：:])*'
const APPLICATION = '(?:各类)?(?:政府信息公开|信息公开|依申请公开)?(?:的)?申请'
const NEXT_YEAR = '(?<when>下一?年度?|\\d{4}年度?)'
const CASE_UNIT = '[件起宗]'
const NORMATIVE = '(?:行政)?规范性文件'

const PATTERN_LIST: Pattern[] = [
  // 收到政府信息公开申请120件 · 本年新收政府信息公开申请数量120件 · 受理申请共计120件
  { target: 'newReceived', regex: new RegExp(`(?:新收|收到|接收|受理)(?:了)?${APPLICATION}${TALLY}${NUM}件`, 'dgu') },
  // 共收到70件申请
  { target: 'newReceived', regex: new RegExp(`(?:新收|收到|接收|受理)(?:了)?(?:共计|共|合计)?${NUM}件${APPLICATION}`, 'dgu') },
  // 本年度未收到政府信息公开申请 (then the clause ends)
  {
    target: 'newReceived',
    regex: /(?:未|没有)(?:收到|受理)(?:任何)?(?:政府信息公开|信息公开|依申请公开)?申请(?=$|[，,；;。])/dgu,
    zero: true
  },
  // 上年结转申请5件 · 上年度结转的政府信息公开申请5件
  { target: 'carriedOver', regex: new RegExp(`上一?年度?结转(?:的)?(?:政府信息公开|信息公开)?(?:申请)?${TALLY}${NUM}件`, 'dgu') },
  // 办结115件 · 办结政府信息公开申请115件
  { target: 'outcomesTotal', regex: new RegExp(`办结(?:了)?(?:${APPLICATION})?${TALLY}${NUM}件`, 'dgu') },
  // 结转下年度3件 · 结转至下一年度继续办理3件 · 结转到2025年办理3件
  {
    target: 'carriedForward',
    regex: new RegExp(`结转(?:至|到|入)?${NEXT_YEAR}(?:继续)?(?:办理|答复)?(?:的)?(?:申请)?${TALLY}${NUM}件`, 'dgu')
  },
  // 1件结转下年度继续办理 · 103件顺延到下年度答复
  {
    target: 'carriedForward',
    regex: new RegExp(`${NUM}件(?:申请)?(?:将|需|须)?(?:结转|顺延)(?:至|到|入)?${NEXT_YEAR}`, 'dgu'),
    keywordLast: true
  },
  // 政府信息公开行政复议351件 · 被申请行政复议2起
  { target: 'review', regex: new RegExp(`行政复议(?:案件|申请)?${TALLY}${NUM}${CASE_UNIT}`, 'dgu') },
  // 引发2起行政复议
  {
    target: 'review',
    regex: new RegExp(`(?:发生|引发|涉及|提起|被申请)(?:了)?(?:共计|共)?${NUM}${CASE_UNIT}(?:政府信息公开)?行政复议(?:案件|申请)?`, 'dgu'),
    keywordLast: true
  },
  // 政府信息公开行政诉讼46件 · 被提起行政诉讼1起
  { target: 'litigation', regex: new RegExp(`行政诉讼(?:案件)?${TALLY}${NUM}${CASE_UNIT}`, 'dgu') },
  {
    target: 'litigation',
    regex: new RegExp(
      `(?:发生|引发|涉及|提起|被提起|被起诉)(?:了)?(?:共计|共)?${NUM}${CASE_UNIT}(?:政府信息公开)?行政诉讼(?:案件)?`,
      'dgu'
    ),
    keywordLast: true
  },
  // 制发行政规范性文件8件 · 印发规范性文件共8件 · 制发8件行政规范性文件
  { target: 'normativeIssued', regex: new RegExp(`(?:制发|印发)(?:了)?(?:各类)?${NORMATIVE}${TALLY}${NUM}件`, 'dgu') },
  { target: 'normativeIssued', regex: new RegExp(`(?:制发|印发)(?:了)?(?:共计|共)?${NUM}件${NORMATIVE}`, 'dgu') },
  // 现行有效规范性文件66件 · 行政规范性文件现行有效66件
  { target: 'normativeInForce', regex: new RegExp(`现行有效(?:的)?${NORMATIVE}${TALLY}${NUM}件`, 'dgu') },
  { target: 'normativeInForce', regex: new RegExp(`${NORMATIVE}现行有效(?:的)?${TALLY}${NUM}件`, 'dgu') }
]

/** The words each target's patterns cannot match without (a cheap test before the regular expressions). */
const NEEDS: Record<FigureTarget, string[]> = {
  newReceived: ['新收', '收到', '接收', '受理'],
  carriedOver: ['结转'],
  outcomesTotal: ['办结'],
  carriedForward: ['结转', '顺延'],
  review: ['行政复议'],
  litigation: ['行政诉讼'],
  normativeIssued: ['规范性文件'],
  normativeInForce: ['现行有效']
}
const PATTERNS: Pattern[] = PATTERN_LIST.map((p) => ({ ...p, needs: NEEDS[p.target] }))

// ---------------------------------------------------------------- what makes a figure doubtful

/** Words in the clause before a figure that make it a part, another period, a plan or another matter. */
const NARROWING =
  /其中|含|包括|包含|本级|(?<![本我])部门|乡镇|街道|镇街|县区|区县|市直|县直|区直|省直|名义|网上|线上|线下|当面|信函|邮寄|邮件|传真|电话|来信|来访|通过|自然人|法人|企业|上年|去年|上一年|前一年|前年|同期|同比|环比|较|比|累计|以来|历年|月|季度|半年|按期|按时|如期|逾期|超期|延期|期限|当场|当日|当天|平均|人均|预计|计划|拟|力争|目标|如果|若|假如|各(?!级|类)/u
/** Other matters a sentence may count with the same words (建议办结20件): a figure after them is theirs. */
const OTHER_MATTER = /建议|提案|信访|举报|投诉|咨询|留言|热线|工单|诉求|政务服务|许可|审批|办件/u
/** For an own report: the clause speaks of a whole area. */
const AREA = /全(?:国|省|市|县|区|州|盟|旗|乡|镇)/u
/** For an aggregate report: the clause speaks of the publishing body alone. */
const BODY = /本机关|本单位|本部门|我部门|我局|本局|我委|本委|我办|本办|我厅|本厅/u
/** The body deciding a review or hearing a case is not the body the case is against (table 四). */
const DECIDING = /受理|办理|审理|承办|审结|收到|代理|复议机关/u
/** A litigation figure after 复议 is one of the two litigation groups only. */
const ONE_LITIGATION_GROUP = /复议|直接|未经/u
/** Verbs whose object a carried-over count would be (办结上年结转申请3件 is what was done with them). */
const ACTED_ON = /办结|答复|处理|办理|完成/u
/** “截至2024年底”: the end of the report year is the report year. */
const AS_OF = /截[至止](?:(?<year>\d{4})年)?(?:12月31日|年底|年末|底|末|目前|本年度末)/gu
const YEAR = /(\d{4})年/gu
const CHINESE_YEAR = /([〇○零一二三四五六七八九]{4})年/gu
const CHINESE_DIGITS: Record<string, string> = Object.fromEntries(
  [...'〇○零一二三四五六七八九'].map((c, i) => [c, String(Math.max(0, i - 2))])
)
const APPROXIMATE_BEFORE = /(?:约|近|逾|超过|超|大约|将近|接近|不足|不到|少于|多于|至少|最多)$/u
const APPROXIMATE_AFTER = /^(?:次|余|多|左右|以上|以下|以内|上下|之多)/u
const NEGATED = /(?:未|尚未|没有|待|不|无)$/u
const CONJUNCTION = /[、和及与或并]$/u
const JOINED_AFTER = /^(?:案件)?[、和及与或]/u
const CLAUSE_BREAK = /[，,；;：:（()）、。]/u
/** The parts of a section: （一）… or 一、… (a new line is only a paragraph of the same part). */
const PART_HEADING = /(?<!第)（[一二三四五六七八九十]{1,3}）|(?:^|[。\n])[一二三四五六七八九十]{1,3}、/gu
const APPLICATION_TOPIC = /依申请公开|公开申请/u
const DISCLOSURE_TOPIC = /信息公开/u

const APPLICATION_TARGETS = new Set<FigureTarget>(['newReceived', 'carriedOver', 'outcomesTotal', 'carriedForward'])
const CASE_TARGETS = new Set<FigureTarget>(['review', 'litigation'])

// ---------------------------------------------------------------- reading

/** The text split into sentences (。！？ and line ends), each with its offset in the text. */
function sentencesOf(text: string): Array<{ text: string; start: number }> {
  const out: Array<{ text: string; start: number }> = []
  const re = /[^。！？!?\n]+[。！？!?]*/gu
  for (const m of text.matchAll(re)) {
    if (m[0].trim()) out.push({ text: m[0], start: m.index })
  }
  return out
}

/**
 * The sentence without whitespace (PDF text breaks 3119 件 and 答\n复), with each compact index's original
 * offset (null when the sentence had no whitespace: each index is its own offset).
 */
function compact(sentence: string): { text: string; offsets: number[] | null } {
  if (!/\s/u.test(sentence)) return { text: sentence, offsets: null }
  let text = ''
  const offsets: number[] = []
  for (let i = 0; i < sentence.length; i++) {
    if (/\s/u.test(sentence[i])) continue
    text += sentence[i]
    offsets.push(i)
  }
  return { text, offsets }
}

/** The clause before position `at`: back to the last break, and over a clause that is only 其中/含. */
function clauseBefore(text: string, at: number): string {
  let start = at
  while (start > 0 && !CLAUSE_BREAK.test(text[start - 1])) start--
  const clause = text.slice(start, at)
  if (start > 1) {
    let before = start - 1
    while (before > 0 && !CLAUSE_BREAK.test(text[before - 1])) before--
    const previous = text.slice(before, start - 1)
    if (/^(?:其中|含|包括|包含)$/u.test(previous)) return previous + clause
  }
  return clause
}

function mentionsOtherYear(clause: string, year: number): boolean {
  for (const m of clause.matchAll(YEAR)) if (Number(m[1]) !== year) return true
  for (const m of clause.matchAll(CHINESE_YEAR)) {
    if (Number([...m[1]].map((c) => CHINESE_DIGITS[c]).join('')) !== year) return true
  }
  return false
}

/** Why the figure at [start, end) of the compact sentence cannot be read with certainty; null when it can. */
function doubt(
  pattern: Pattern,
  s: string,
  start: number,
  end: number,
  numberAt: number,
  context: ReadingContext,
  partOf: () => string
): string | null {
  const target = pattern.target
  let clause = clauseBefore(s, start)
  // “截至2024年底” dates the figure to the report year's end; any other year is another period
  let asOfYear: number | null = null
  clause = clause.replace(AS_OF, (...args) => {
    const groups = args.at(-1) as { year?: string }
    if (groups.year) asOfYear = Number(groups.year)
    return ''
  })
  if (asOfYear !== null && asOfYear !== context.year) return 'another year'
  if (mentionsOtherYear(clause, context.year)) return 'another year'
  const before = s.slice(0, start)
  if (/[0-9０-９.．第]$/u.test(s.slice(0, numberAt))) return 'part of another number'
  if (APPROXIMATE_BEFORE.test(s.slice(0, numberAt))) return 'approximate'
  if (!pattern.zero && APPROXIMATE_AFTER.test(s.slice(end))) return 'approximate'
  if (NEGATED.test(before) && !pattern.zero) return 'negated'
  if (CONJUNCTION.test(before) && !/[件起宗0-9][、和及与或并]$/u.test(before)) return 'joined with another keyword'
  if (pattern.keywordLast && JOINED_AFTER.test(s.slice(end))) return 'joined with another keyword'
  if (NARROWING.test(clause)) return 'narrowed'
  if (context.scope === 'own' && AREA.test(clause)) return 'an area, not the body'
  if (context.scope === 'aggregate' && BODY.test(clause)) return 'the body, not the area'
  if (OTHER_MATTER.test(before)) return 'another matter'
  if (APPLICATION_TARGETS.has(target)) {
    if (!APPLICATION_TOPIC.test(partOf())) return 'not about applications'
    // 办结 and 结转 say of what only through the sentence: 申请 must have been named before them
    if (!s.slice(0, end).includes('申请')) return 'not about applications'
  }
  if (CASE_TARGETS.has(target)) {
    if (!DISCLOSURE_TOPIC.test(partOf())) return 'not about information disclosure'
    if (DECIDING.test(clause)) return 'the deciding body'
    if (target === 'litigation' && ONE_LITIGATION_GROUP.test(clause)) return 'one litigation group'
  }
  if (target === 'carriedOver' && ACTED_ON.test(clause)) return 'what was done with them'
  if (target === 'newReceived' && /^[（(，,]?(?:含|其中|包括|包含)[^，,；;。）)]*结转/u.test(s.slice(end))) return 'includes last year'
  return null
}

function parseNumber(digits: string): number | null {
  if (/[０-９]/u.test(digits)) return null // full-width: never read (FORMAT.md §7)
  return Number(digits.replaceAll(',', ''))
}

/** The part of the section the sentence stands in (from its heading, e.g. （二）依申请公开情况), up to the sentence's end. */
function partBefore(text: string, sentenceEnd: number): string {
  let start = 0
  for (const m of text.slice(0, sentenceEnd).matchAll(PART_HEADING)) start = m.index
  return text.slice(start, sentenceEnd)
}

/** Every figure the text states with certainty, in text order. */
export function readStatedFigures(text: string, context: ReadingContext): StatedFigure[] {
  const out: StatedFigure[] = []
  // no figure without a digit, except 未收到…申请 (read as 0)
  if (!/[0-9０-９]/u.test(text) && !text.includes('未') && !text.includes('没有')) return out
  for (const sentence of sentencesOf(text)) {
    const { text: s, offsets } = compact(sentence.text)
    let part: string | undefined
    const partOf = () => (part ??= partBefore(text, sentence.start + sentence.text.length).replace(/\s+/gu, ''))
    const found: StatedFigure[] = []
    for (const pattern of PATTERNS) {
      if (pattern.needs && !pattern.needs.some((word) => s.includes(word))) continue
      for (const m of s.matchAll(pattern.regex)) {
        const start = m.index
        const end = start + m[0].length
        const numberAt = m.indices?.groups?.num?.[0] ?? start
        const when = m.groups?.when
        if (when && /^\d{4}/u.test(when) && Number(when.slice(0, 4)) !== context.year + 1) continue
        if (doubt(pattern, s, start, end, numberAt, context, partOf) !== null) continue
        const value = pattern.zero ? 0 : parseNumber(m.groups?.num ?? '')
        if (value === null || !Number.isSafeInteger(value)) continue
        const trimmed = sentence.text.trim()
        const lead = sentence.text.length - sentence.text.trimStart().length
        found.push({ target: pattern.target, value, phrase: m[0], sentence: trimmed, at: (offsets ? offsets[start] : start) - lead })
      }
    }
    if (found.length === 0) continue
    // two patterns reading the same words are one figure; one target with two values in a sentence is doubt
    const byTarget = new Map<FigureTarget, StatedFigure[]>()
    for (const f of found) byTarget.set(f.target, [...(byTarget.get(f.target) ?? []), f])
    const certain: StatedFigure[] = []
    for (const [, figures] of byTarget) {
      if (new Set(figures.map((f) => f.value)).size > 1) continue
      certain.push(figures.reduce((a, b) => (b.at < a.at ? b : a)))
    }
    out.push(...certain.sort((a, b) => a.at - b.at))
  }
  return out
}
