// What the importer tells its caller — warnings and the reasons for a rejection — as a code and
// parameters, rendered into Chinese (the default) or English only at the edge (the HTTP response,
// the command line). A code is stable: a client may act on it. Parameters are plain data: cell
// codes, printed text, numbers; the labels are the official Chinese ones in both languages.
import { CELL_BY_CODE, type TableCode } from '../format/registry.js'

export type Language = 'zh' | 'en'
export const LANGUAGES: Language[] = ['zh', 'en']

type Param = string | number | string[]
type Params = Record<string, Param | undefined>

interface Entry<P extends Params> {
  zh: (p: P) => string
  en: (p: P) => string
}
const entry = <P extends Params>(zh: (p: P) => string, en: (p: P) => string): Entry<P> => ({ zh, en })

// ---------------------------------------------------------------- how names are printed

const TABLE_NUMERALS: Record<TableCode, string> = { proactive: '二', applications: '三', reviewLitigation: '四' }
/** `表三“（一）予以公开”` / `table 三 “（一）予以公开”`, or the table alone. */
const at = {
  zh: (p: { table: TableCode; label?: string }) => `表${TABLE_NUMERALS[p.table]}${p.label ? `“${p.label}”` : ''}`,
  en: (p: { table: TableCode; label?: string }) => `table ${TABLE_NUMERALS[p.table]}${p.label ? ` “${p.label}”` : ''}`
}
const cellName = (code: string) => `${CELL_BY_CODE.get(code)?.label ?? code}（${code}）`
const cellNameEn = (code: string) => `${CELL_BY_CODE.get(code)?.label ?? code} (${code})`
const quoted = (list: string[], sep: string) => list.map((l) => `“${l}”`).join(sep)
const values = (list: string[]) => list.map((v) => v || '□').join(' ')

type Cell = { cell: string; printed: string }
type Row = { table: TableCode; label?: string }

export const MESSAGES = {
  // ---------------------------------------------------------------- rejections
  'rejected.noReport': entry<Params>(
    () => '未找到政府信息公开工作年度报告：标题和各部分标题均无法识别',
    () => 'no 政府信息公开工作年度报告 was found: neither its title nor any of its headings could be read'
  ),
  'rejected.noTables': entry<Params>(
    () => '未找到政府信息公开工作年度报告：各部分标题和表格均无法识别',
    () => 'no 政府信息公开工作年度报告 was found: none of its headings or tables could be read'
  ),
  'rejected.noYear': entry<Params>(
    () => '文中找不到报告年度，请以 year 参数指定',
    () => 'the report year could not be found in the text; pass it as the `year` parameter'
  ),
  'rejected.sectionTooLong': entry<{ section: string; heading: string; length: number; max: number }>(
    (p) => `“${p.heading}”部分有 ${p.length} 个字符，超过一个部分可保存的 ${p.max} 个字符：请只发送报告本身`,
    (p) => `section ${p.heading} runs to ${p.length} characters, more than the ${p.max} a section may hold: send the report alone`
  ),
  'rejected.resultTooLarge': entry<{ characters: number; max: number }>(
    (p) => `读出的内容有 ${p.characters} 个字符，超过一份报告可能有的 ${p.max} 个字符：请只发送报告本身`,
    (p) => `what was read runs to ${p.characters} characters, more than the ${p.max} a report can have: send the report alone`
  ),
  'rejected.tooOld': entry<{ year: number; first: number }>(
    (p) => `${p.year}年度报告没有全国统一格式（2018年及以前），只能导入${p.first}年及以后的报告`,
    (p) => `reports for ${p.year} (2018 and earlier) have no unified national format; only reports from ${p.first} on can be imported`
  ),

  // ---------------------------------------------------------------- the report as a whole
  'year.overridden': entry<{ stated: number; given: number }>(
    (p) => `报告所写年度为${p.stated}年，已按指定的${p.given}年导入`,
    (p) => `the report says its year is ${p.stated}; the year given (${p.given}) was used`
  ),
  'format.overridden': entry<{ read: string; used: string }>(
    (p) => `表格属于${p.read}版格式，已按指定的${p.used}版格式导入`,
    (p) => `the tables read as format ${p.read}; format ${p.used} was used as asked`
  ),
  'format.assumed': entry<{ format: string; year: number }>(
    (p) => `表格看不出所用格式，按报告年度${p.year}年取${p.format}版格式`,
    (p) => `the tables do not show which format they follow; format ${p.format} was assumed from the year ${p.year}`
  ),
  'format.mixed': entry<{ format: string }>(
    (p) => `表格中两版格式的用语都有，${p.format}版的更多`,
    (p) => `the tables carry words of both formats; format ${p.format} has more of them`
  ),
  'format.notOfYear': entry<{ format: string; year: number; expected: string }>(
    (p) => `表格属于${p.format}版格式，而${p.year}年度报告应使用${p.expected}版格式；已按表格导入`,
    (p) => `the tables follow format ${p.format} while a ${p.year} report should use format ${p.expected}; the tables were followed`
  ),
  'section.missing': entry<{ section: string; heading: string }>(
    (p) => `未找到“${p.heading}”部分，或该部分为空`,
    (p) => `section ${p.heading} was not found or is empty`
  ),
  'section.afterTable': entry<{ section: string; heading: string }>(
    (p) => `未找到标题“${p.heading}”，已将表四之后的文字作为该部分`,
    (p) => `the heading ${p.heading} was not found; the text after table 四 was taken as that section`
  ),
  'agency.inferred': entry<{ name: string; regionCode: string; level: string; kind: string; rule: string }>(
    (p) =>
      `已新建机关“${p.name}”：地区 ${p.regionCode} 由名称推断，层级 ${p.level}、类别 ${p.kind} 按名称结尾“${p.rule}”推断；如有误请修改该机关`,
    (p) =>
      `created the agency “${p.name}”: region ${p.regionCode} inferred from its name, level ${p.level} and kind ${p.kind} from its ending (${p.rule}); correct the agency if they are wrong`
  ),
  'text.isHtml': entry<Params>(
    () => '收到的文字是网页的 HTML 源代码，已按网页读取',
    () => 'the text is a page’s HTML source; it was read as a page'
  ),
  'section.extra': entry<{ heading: string }>(
    (p) => `“${p.heading}”不是年度报告格式规定的部分，其内容已附在“六、其他需要报告的事项”之后`,
    (p) => `“${p.heading}” is not a section of the format; its text was appended to 六、其他需要报告的事项`
  ),
  'headings.renumbered': entry<Params>(
    () => '各部分标题的序号与格式不同，已按标题的含义和顺序识别',
    () => 'the sections are numbered differently from the format; their headings were recognised by meaning and order'
  ),
  'publishedAt.implausible': entry<{ date: string; text: string; year: number }>(
    (p) => `日期${p.date}（“${p.text}”）不可能是${p.year}年度报告的发布日期，发布日期留空`,
    (p) => `the date ${p.date} (“${p.text}”) cannot be the publication date of a ${p.year} report; publishedAt left null`
  ),
  'scope.aggregateByName': entry<{ agency: string }>(
    (p) => `报告范围推定为本级政府年度报告（aggregate）：报告以${p.agency}的名义发布，是政府而非部门`,
    (p) => `scope inferred as aggregate: the report is published in the name of ${p.agency}, a government without a department's name`
  ),
  'scope.aggregateByArea': entry<{ quote: string }>(
    (p) => `报告范围推定为本级政府年度报告（aggregate）：报告统计的是整个区域的申请（“${p.quote}”）`,
    (p) => `scope inferred as aggregate: the report counts the applications of a whole area (“${p.quote}”)`
  ),

  // ---------------------------------------------------------------- tables
  'tables.flattened': entry<Params>(
    () => '表格单元格之间没有分隔，连在一起的数字只在表格自身的合计关系只允许一种切分时才切分',
    () =>
      'the tables were printed without separators between cells; numbers run together were cut only where the table’s sums allow a single cut'
  ),
  'tables.namedCells': entry<{ named: number; missing: number; format: string }>(
    (p) => `页面标注了${p.named}个单元格；${p.format}版格式的另外${p.missing}个单元格不在其中，留空（null）`,
    (p) => `the page names ${p.named} cells; ${p.missing} cells of format ${p.format} are not among them and are kept blank (null)`
  ),
  'table.headingMissing': entry<{ table: TableCode; heading: string }>(
    (p) => `未找到标题“${p.heading}”，该表各单元格留空（null）`,
    (p) => `the heading ${p.heading} was not found; its cells are kept blank (null)`
  ),
  'table.reviewWithoutHeading': entry<{ heading: string }>(
    (p) => `未找到标题“${p.heading}”，表三之后的15个数值按表四读取`,
    (p) => `the heading ${p.heading} was not found; the 15 values after table 三 were read as table 四`
  ),
  'table.noNumbers': entry<Row>(
    (p) => `${at.zh(p)}：没有找到数字行，各单元格留空（null）`,
    (p) => `${at.en(p)}: no row of numbers found; its cells are kept blank (null)`
  ),
  'table.rowsMissing': entry<Row & { rows: string[] }>(
    (p) => `${at.zh(p)}：未找到以下各行，留空（null）：${p.rows.join('；')}`,
    (p) => `${at.en(p)}: rows not found, kept blank (null): ${p.rows.join('；')}`
  ),
  'row.printedTwice': entry<Row & { times: number }>(
    (p) => `${at.zh(p)}：该行印了${p.times}次，各次都不读取`,
    (p) => `${at.en(p)}: the row is printed ${p.times} times; none of its copies was read`
  ),
  'row.unplaced': entry<{ table: TableCode; printed: string; values: string[] }>(
    (p) => `${at.zh(p)}：跳过一行${p.values.length}个数值，其行名无法对应（“${p.printed}”：${values(p.values)}）`,
    (p) => `${at.en(p)}: skipped a row of ${p.values.length} values whose label could not be placed (“${p.printed}”: ${values(p.values)})`
  ),
  'row.otherAsOne': entry<{ table: TableCode; values: string[] }>(
    (p) => `表三“（六）其他处理”印作一行（${values(p.values)}），2021版格式的三个分项无法从中分出，留空（null）`,
    (p) =>
      `table 三 prints “（六）其他处理” as one row (${values(p.values)}); format 2021’s three rows under it cannot be told from it and are kept blank (null)`
  ),
  'row.otherAsOneZero': entry<{ table: TableCode; values: string[] }>(
    (_p) => `表三“（六）其他处理”印作一行，各列均为0，其三个分项均记为0`,
    (_p) => `table 三 prints “（六）其他处理” as one row of zeros; each of its three rows is 0`
  ),
  'row.recognisedByPart': entry<Row & { printed: string }>(
    (p) => `${at.zh(p)}：按部分行名及其位置识别该行（行名印作“${p.printed || '—'}”）`,
    (p) => `${at.en(p)}: the row was recognised by part of its label and its position (its label reads “${p.printed || '—'}”)`
  ),
  'row.recognisedByPosition': entry<Row & { printed: string }>(
    (p) => `${at.zh(p)}：仅按位置识别该行（行名印作“${p.printed || '—'}”）`,
    (p) => `${at.en(p)}: the row was recognised by its position alone (its label reads “${p.printed || '—'}”)`
  ),
  'row.gatheredSumsFail': entry<Row & { values: string[] }>(
    (p) => `${at.zh(p)}：从几行中收集的数字合计不符（${values(p.values)}），各单元格留空（null）`,
    (p) => `${at.en(p)}: its numbers, gathered from several lines, do not add up (${values(p.values)}); its cells are kept blank (null)`
  ),
  'row.tooManyCuts': entry<Row & { digits: string[] }>(
    (p) => `${at.zh(p)}：数字“${p.digits.join(' ')}”的切分方式过多，各单元格留空（null）`,
    (p) => `${at.en(p)}: its digits '${p.digits.join(' ')}' can be cut in too many ways; its cells are kept blank (null)`
  ),
  'row.noCut': entry<Row & { digits: string[]; columns: number }>(
    (p) => `${at.zh(p)}：数字“${p.digits.join(' ')}”无法切分为符合该行（及其合计）的${p.columns}个单元格，各单元格留空（null）`,
    (p) =>
      `${at.en(p)}: no cut of the digits '${p.digits.join(' ')}' into ${p.columns} cells fits the row (and its sums); its cells are kept blank (null)`
  ),
  'row.width': entry<Row & { values: string[]; columns: number }>(
    (p) => `${at.zh(p)}：${p.columns}列只印了${p.values.length}个数值（${values(p.values)}），各单元格留空（null）`,
    (p) =>
      `${at.en(p)}: ${p.values.length} values were printed for ${p.columns} columns (${values(p.values)}); its cells are kept blank (null)`
  ),
  'row.unplaceable': entry<Row & { cells: number; columns: number }>(
    (p) => `${at.zh(p)}：${p.cells}个单元格无法对应到${p.columns}列，各单元格留空（null）`,
    (p) => `${at.en(p)}: its ${p.cells} cells cannot be placed in ${p.columns} columns; its cells are kept blank (null)`
  ),
  'row.ambiguous': entry<Row & { ways: number; columns: string[] }>(
    (p) => `${at.zh(p)}：所印数值有${p.ways}种读法，${p.columns.length ? p.columns.join('、') : '各读法不一致的单元格'}留空（null）`,
    (p) =>
      `${at.en(p)}: the printed values can be read in ${p.ways} ways; ${p.columns.length ? `${p.columns.join('、')} kept blank (null)` : 'the cells they disagree on are kept blank (null)'}`
  ),
  'row.placedLikeOthers': entry<Row>(
    (p) => `${at.zh(p)}：空白单元格使数值可有多种位置，已按同一版式的其他行放置`,
    (p) => `${at.en(p)}: its blank cells leave its values more than one place; they were placed as in the other rows of the same layout`
  ),
  'row.readBySums': entry<Row & { values: string[]; read: string[]; deduced: string[] }>(
    (p) =>
      `${at.zh(p)}：该行印有${p.values.length}个数值（${values(p.values)}），按表格的合计关系只有一种读法：${values(p.read)}` +
      (p.deduced.length ? `（${p.deduced.join('、')}列未印出，由合计推出）` : ''),
    (p) =>
      `${at.en(p)}: the row prints ${p.values.length} values (${values(p.values)}); the table’s sums allow a single reading: ${values(p.read)}` +
      (p.deduced.length ? ` (${p.deduced.join('、')} not printed: deduced from the sums)` : '')
  ),
  'row.settledByText': entry<Row & { ways: number; read: string[]; sentences: string[] }>(
    (p) => `${at.zh(p)}：该行数字有${p.ways}种读法，正文所述（${quoted(p.sentences, '；')}）只与其中一种相符：${values(p.read)}`,
    (p) =>
      `${at.en(p)}: the row's numbers read ${p.ways} ways; the text (${quoted(p.sentences, '; ')}) agrees with one only: ${values(p.read)}`
  ),
  'rows.cutUnconfirmed': entry<{ table: TableCode; rows: string[] }>(
    (p) => `${at.zh(p)}：${quoted(p.rows, '、')}的数字可有多种切分，列合计不能确认所选切分，留空（null）`,
    (p) =>
      `${at.en(p)}: the digits of ${quoted(p.rows, '、')} could be cut more than one way and the column sums do not confirm the cut; kept blank (null)`
  ),
  'proactive.apartSkipped': entry<{ values: string[] }>(
    (p) => `表二：跳过${p.values.length}个没有行名的数字（${p.values.join('、')}）`,
    (p) => `table 二: skipped ${p.values.length} number(s) printed without a row label (${p.values.join('、')})`
  ),
  'proactive.apartUndecided': entry<{ values: string[]; rows: string[] }>(
    (p) => `表二：有${p.values.length}个数字印在所属行之外（${p.values.join('、')}），无法判断属于哪一列；${p.rows.join('、')}留空（null）`,
    (p) =>
      `table 二: ${p.values.length} number(s) were printed apart from their rows (${p.values.join('、')}) and nothing tells which column they belong to; ${p.rows.join('、')} kept blank (null)`
  ),
  'proactive.apartPlaced': entry<{ column: string; values: string[] }>(
    (p) => `表二：“${p.column}”一列印在表格之外，已按随附的说明放回（${p.values.join('、')}）`,
    (p) =>
      `table 二: the column ${p.column} was printed apart from the table; its numbers (${p.values.join('、')}) were placed by the notes printed with them`
  ),

  // ---------------------------------------------------------------- one cell
  'cell.placeholder': entry<Cell>(
    (p) => `${cellName(p.cell)}：印作“${p.printed}”，不是数字，留空（null）`,
    (p) => `${cellNameEn(p.cell)}: printed '${p.printed}', not a number; kept blank (null)`
  ),
  'cell.unreadable': entry<Cell>(
    (p) => `${cellName(p.cell)}：“${p.printed}”无法读作数字，留空（null）`,
    (p) => `${cellNameEn(p.cell)}: cannot read '${p.printed}' as a number; kept blank (null)`
  ),
  'cell.noteLeftOut': entry<Cell>(
    (p) => `${cellName(p.cell)}：印作“${p.printed}”，读取了数字，未读取说明`,
    (p) => `${cellNameEn(p.cell)}: printed '${p.printed}'; the number was read and the note left out`
  ),
  'cell.unitConverted': entry<Cell & { unit: string; value: string; to: string }>(
    (p) => `${cellName(p.cell)}：“${p.printed}”的单位是${p.unit}，已换算为${p.value}${p.to}`,
    (p) => `${cellNameEn(p.cell)}: '${p.printed}' is in ${p.unit}; converted to ${p.value} ${p.to}`
  ),
  'cell.tooPrecise': entry<Cell & { unit: string }>(
    (p) => `${cellName(p.cell)}：“${p.printed}”的小数位数超出以${p.unit}计能精确保存的位数，留空（null）`,
    (p) => `${cellNameEn(p.cell)}: '${p.printed}' has more decimals than ${p.unit} can hold exactly; kept blank (null)`
  ),
  'cell.notWhole': entry<Cell>(
    (p) => `${cellName(p.cell)}：“${p.printed}”不是整数，留空（null）`,
    (p) => `${cellNameEn(p.cell)}: '${p.printed}' is not a whole number; kept blank (null)`
  ),
  'cell.tooLarge': entry<Cell>(
    (p) => `${cellName(p.cell)}：“${p.printed}”过大，无法精确读取，留空（null）`,
    (p) => `${cellNameEn(p.cell)}: '${p.printed}' is too large to be read exactly; kept blank (null)`
  ),
  'cell.negative': entry<Cell>(
    (p) => `${cellName(p.cell)}：印的是负数“${p.printed}”`,
    (p) => `${cellNameEn(p.cell)}: printed a negative number '${p.printed}'`
  )
} satisfies Record<string, Entry<never>>

export type MessageCode = keyof typeof MESSAGES
export type ParamsOf<C extends MessageCode> = Parameters<(typeof MESSAGES)[C]['zh']>[0]

/** A message as the importer gives it: its code and parameters, rendered later. */
export type ImportMessage = { [C in MessageCode]: { code: C; params: ParamsOf<C> } }[MessageCode]

export const message = <C extends MessageCode>(code: C, params: ParamsOf<C>): ImportMessage => ({ code, params }) as ImportMessage

export function renderMessage(m: ImportMessage, language: Language): string {
  const e = MESSAGES[m.code] as Entry<Params>
  return e[language](m.params as Params)
}

/** A message as a response carries it: the code, the text in the caller's language, the parameters. */
export const renderWarning = (m: ImportMessage, language: Language) => ({
  code: m.code,
  message: renderMessage(m, language),
  params: m.params as Params
})

/**
 * The language an `Accept-Language` header prefers among ours: the range of highest weight whose
 * primary tag is `zh` or `en` (`en-US` is English); Chinese when none is, or when no header is sent.
 */
export function languageOf(acceptLanguage: string | undefined): Language {
  let best: { language: Language; q: number } | null = null
  for (const part of (acceptLanguage ?? '').split(',')) {
    const [range, ...params] = part.trim().toLowerCase().split(';')
    const q = Number(params.map((p) => /^\s*q\s*=\s*([\d.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined) ?? 1)
    const primary = range.trim().split('-')[0]
    const language = primary === 'en' ? 'en' : primary === 'zh' || primary === '*' ? 'zh' : null
    if (language && q > 0 && (!best || q > best.q)) best = { language, q }
  }
  return best?.language ?? 'zh'
}
