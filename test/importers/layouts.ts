// Reports printed in the layouts the importer meets, built from a document: text copied from a web
// page (tab-separated cells), a PDF's text layer (space-separated numbers, wrapped and shredded
// labels, page markers) and a flattened page (no separator at all). Labels come from the registry,
// with the variations real reports print (`1、`, spaces inside labels, group labels beside a row).
import { getCell, setCell, emptyReport, type CellValue, type ReportInput } from '../../src/format/document.js'
import {
  APPLICANT_COLUMNS,
  APPLICATION_ROWS,
  OUTCOME_GROUPS,
  PROACTIVE,
  REVIEW_COLUMNS,
  REVIEW_GROUPS,
  cellsOf,
  type Format
} from '../../src/format/registry.js'
import type { ImportResult } from '../../src/importers/index.js'

export const AGENCY = '某某市自然资源和规划局'

export const SECTIONS = {
  overview: '2024年，我局坚持以习近平新时代中国特色社会主义思想为指导，认真贯彻落实《中华人民共和国政府信息公开条例》。',
  problems: '一是政策解读形式还不够丰富；二是信息发布的时效性有待提高。下一步，我局将进一步加强培训。',
  otherMatters: '本年度未收取信息处理费。'
}

type Doc = ReportInput

/** A report whose cells are all different enough that a value in the wrong column shows. */
export function sampleReport(format: Format, year = format === '2021' ? 2024 : 2020): Doc {
  const doc = emptyReport(format, { year, publishedAt: `${year + 1}-01-20`, sections: { ...SECTIONS } })
  const set = (code: string, v: CellValue) => setCell(doc as unknown as Record<string, unknown>, code, v)
  PROACTIVE[format].forEach((row, r) =>
    row.columns.forEach((col, c) => {
      const v =
        col.kind === 'money'
          ? format === '2021'
            ? 1234.567891
            : 35000.5
          : col.kind === 'signedCount'
            ? r % 2
              ? -(r + 2)
              : r + 3
            : 10 * r + c + 1
      set(`proactive.${row.code}.${col.code}`, v)
    })
  )
  const parts = APPLICATION_ROWS.filter(
    (r) => r.code.startsWith('outcomes.') && r.code !== 'outcomes.total' && (format === '2021' || !r.only2021)
  )
  const outcomeTotals = Array(7).fill(0)
  parts.forEach((row, r) => {
    const values = APPLICANT_COLUMNS.slice(0, 6).map((_, c) => (r * 5 + c * 3) % 7)
    values.push(values.reduce((a, b) => a + b, 0))
    values.forEach((v, c) => {
      set(`applications.${row.code}.${APPLICANT_COLUMNS[c].code}`, v)
      outcomeTotals[c] += v
    })
  })
  const carriedOver = [2, 1, 0, 0, 1, 0]
  const carriedForward = [3, 0, 1, 0, 0, 1]
  const put = (code: string, six: number[]) => {
    ;[...six, six.reduce((a, b) => a + b, 0)].forEach((v, c) => set(`applications.${code}.${APPLICANT_COLUMNS[c].code}`, v))
  }
  put('outcomes.total', outcomeTotals.slice(0, 6))
  put('carriedOver', carriedOver)
  put('carriedForward', carriedForward)
  put(
    'newReceived',
    outcomeTotals.slice(0, 6).map((t, c) => t + carriedForward[c] - carriedOver[c])
  )
  REVIEW_GROUPS.forEach((g, i) => {
    const four = [3 + i, i, 2 * i + 1, 1]
    ;[...four, four.reduce((a, b) => a + b, 0)].forEach((v, c) => set(`reviewLitigation.${g.code}.${REVIEW_COLUMNS[c].code}`, v))
  })
  return doc
}

const value = (doc: Doc, code: string) => {
  const v = getCell(doc as unknown as Record<string, unknown>, code)
  return v === null ? '' : String(v)
}

const rowsOf = (format: Format) => APPLICATION_ROWS.filter((r) => format === '2021' || !r.only2021)
const groupOf = (code: string) => OUTCOME_GROUPS.find((g) => code.startsWith(`outcomes.${g.code}.`))
const firstInGroup = (format: Format, code: string) => {
  const g = groupOf(code)
  return g !== undefined && rowsOf(format).find((r) => groupOf(r.code) === g)!.code === code
}
/** Format 2019 prints （六）其他处理 as one row. */
const printedLabel = (format: Format, code: string, label: string) =>
  format === '2019' && code === 'outcomes.other.other' ? OUTCOME_GROUPS.find((g) => g.code === 'other')!.label : label

const title = (doc: Doc) => `${AGENCY}${doc.year}年政府信息公开工作年度报告`
const signature = (doc: Doc) => {
  const [y, m, d] = doc.publishedAt!.split('-').map(Number)
  return [AGENCY, `${y}年${m}月${d}日`]
}

/** Text copied from a web page: one table row per line, cells separated by tabs, label padding cells. */
export function tabLayout(doc: Doc): string {
  const f = doc.format
  const lines = [title(doc), '', '一、总体情况', '', doc.sections.overview ?? '', '', '二、主动公开政府信息情况', '']
  let article = ''
  for (const row of PROACTIVE[f]) {
    if (row.article !== article) {
      article = row.article
      lines.push(`${article}\t\t\t`, `信息内容\t${row.columns.map((c) => c.label).join('\t')}`)
    }
    lines.push(
      `${row.label}\t${row.columns.map((c) => value(doc, `proactive.${row.code}.${c.code}`)).join('\t')}${'\t'.repeat(3 - row.columns.length)}`
    )
  }
  lines.push('', '三、收到和处理政府信息公开申请情况', '')
  lines.push('(本列数据的勾稽关系为：第一项加第二项之和， 等于第三项加第四项之和)\t\t申请人情况\t\t\t\t\t\t总计\t')
  lines.push('\t\t自然人\t法人或其他组织\t\t\t\t\t\t')
  lines.push('\t\t\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t\t')
  for (const row of rowsOf(f)) {
    const cells = APPLICANT_COLUMNS.map((c) => value(doc, `applications.${row.code}.${c.code}`))
    const label = printedLabel(f, row.code, row.label)
    const group = groupOf(row.code)
    const lead =
      row.code === 'outcomes.granted'
        ? '三、 本 年 度 办 理 结 果\t'
        : group && firstInGroup(f, row.code)
          ? `\t${group.label}\t`
          : group
            ? '\t\t'
            : ''
    lines.push(`${lead}${label}\t${lead ? '' : '\t'}${cells.join('\t')}\t`)
  }
  lines.push('', '四、政府信息公开行政复议、行政诉讼情况', '')
  lines.push('行政复议\t\t\t\t\t行政诉讼\t\t\t\t\t\t\t\t\t')
  lines.push('结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t未经复议直接起诉\t\t\t\t\t复议后起诉\t\t\t\t')
  lines.push(`\t\t\t\t\t${[...REVIEW_COLUMNS, ...REVIEW_COLUMNS].map((c) => c.label).join('\t')}`)
  lines.push(REVIEW_GROUPS.flatMap((g) => REVIEW_COLUMNS.map((c) => value(doc, `reviewLitigation.${g.code}.${c.code}`))).join('\t'))
  lines.push(
    '',
    '五、存在的主要问题及改进情况',
    '',
    doc.sections.problems ?? '',
    '',
    '六、其他需要报告的事项',
    '',
    doc.sections.otherMatters ?? '',
    ''
  )
  lines.push(...signature(doc))
  return lines.join('\n')
}

/** `text` cut into lines of at most `width` characters, as a PDF layer wraps a table cell. */
const wrap = (text: string, width: number) => text.match(new RegExp(`.{1,${width}}`, 'gu')) ?? ['']

/** A PDF's text layer: space-separated numbers, labels wrapped in narrow cells, page markers. */
export function pdfLayout(doc: Doc): string {
  const f = doc.format
  const lines = ['- 1 -', AGENCY, `${doc.year} 年政府信息公开工作年度报告`, '一、总体情况', ...wrap(doc.sections.overview ?? '', 30)]
  lines.push('二、主动公开政府信息情况')
  let article = ''
  for (const row of PROACTIVE[f]) {
    if (row.article !== article) {
      article = row.article
      lines.push(article.replace('第（', ' 第（'), `信息内容 ${row.columns.map((c) => c.label).join(' ')}`)
    }
    lines.push(`${row.label} ${row.columns.map((c) => value(doc, `proactive.${row.code}.${c.code}`)).join(' ')}`)
  }
  lines.push('- 2 -', '三、收到和处理政府信息公开申请情况', '（本列数据的勾稽关系为：第一项加第二项之和，', '等于第三项加第四项之和）')
  lines.push(
    '申请人情况',
    '自然人',
    '法人或其他组织',
    '总计商 业 企',
    '业',
    '科研机',
    '构',
    '社 会 公 益',
    '组织',
    '法 律 服 务',
    '机构',
    '其他'
  )
  let count = 0
  for (const row of rowsOf(f)) {
    const cells = APPLICANT_COLUMNS.map((c) => value(doc, `applications.${row.code}.${c.code}`)).join(' ')
    if (row.code === 'outcomes.granted') lines.push('三、', ...'本年度办理结果'.split(''))
    const group = groupOf(row.code)
    if (group && firstInGroup(f, row.code)) lines.push(...wrap(group.label, 4))
    const label = printedLabel(f, row.code, row.label).replace(/^(\d)\./, '$1、')
    const pieces = wrap(label, 14)
    lines.push(...pieces.slice(0, -1), `${pieces[pieces.length - 1]} ${cells}`)
    if (++count % 9 === 0) lines.push(`- ${3 + count / 9} -`)
  }
  lines.push(
    '四、政府信息公开行政复议、行政诉讼情况',
    '行政复议 行政诉讼',
    '结 果',
    '维持',
    '结 果',
    '纠正',
    '其 他 结',
    '果',
    '尚 未',
    '审结',
    '总计'
  )
  lines.push('未经复议直接起诉 复议后起诉', ...[...REVIEW_COLUMNS, ...REVIEW_COLUMNS].flatMap((c) => wrap(c.label, 2)))
  lines.push(REVIEW_GROUPS.flatMap((g) => REVIEW_COLUMNS.map((c) => value(doc, `reviewLitigation.${g.code}.${c.code}`))).join(' '))
  lines.push(
    '五、存在的主要问题及改进情况',
    ...wrap(doc.sections.problems ?? '', 30),
    '— 9 —',
    '六、其他需要报告的事项',
    doc.sections.otherMatters ?? ''
  )
  return lines.join('\n')
}

/** A flattened page: every cell glued to the next, the whole body on one line. */
export function flatLayout(doc: Doc): string {
  const f = doc.format
  let body = `当前位置：首页 ${title(doc)} 来源：${AGENCY} 一、总体情况${doc.sections.overview}二、主动公开政府信息情况`
  let article = ''
  for (const row of PROACTIVE[f]) {
    if (row.article !== article) {
      article = row.article
      body += `${article}信息内容${row.columns.map((c) => c.label).join('')}`
    }
    body += row.label + row.columns.map((c) => value(doc, `proactive.${row.code}.${c.code}`)).join('')
  }
  body +=
    '三、收到和处理政府信息公开申请情况（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）申请人情况自然人法人或其他组织总计商业企业科研机构社会公益组织法律服务机构其他'
  for (const row of rowsOf(f)) {
    if (row.code === 'outcomes.granted') body += '三、本年度办理结果'
    const group = groupOf(row.code)
    if (group && firstInGroup(f, row.code)) body += group.label
    body += printedLabel(f, row.code, row.label) + APPLICANT_COLUMNS.map((c) => value(doc, `applications.${row.code}.${c.code}`)).join('')
  }
  body += '四、政府信息公开行政复议、行政诉讼情况行政复议行政诉讼结果维持结果纠正其他结果尚未审结总计未经复议直接起诉复议后起诉'
  body += [...REVIEW_COLUMNS, ...REVIEW_COLUMNS].map((c) => c.label).join('')
  body += REVIEW_GROUPS.flatMap((g) => REVIEW_COLUMNS.map((c) => value(doc, `reviewLitigation.${g.code}.${c.code}`))).join('')
  body += `五、存在的主要问题及改进情况${doc.sections.problems}六、其他需要报告的事项${doc.sections.otherMatters} 附件下载`
  return `标题: ${title(doc)}\n发布时间: ${doc.publishedAt} 09:30\n==== 正文 ====\n${body}\n`
}

/** A page copied one cell per line (tables drawn without real table rows): no tabs at all. */
export function cellPerLineLayout(doc: Doc): string {
  return tabLayout(doc)
    .split('\n')
    .flatMap((line) =>
      line
        .split('\t')
        .map((cell) => cell.trim())
        .filter(Boolean)
    )
    .join('\n')
}

/** A cell of a document or of an import's result. */
export const cell = (r: ImportResult | ReportInput, code: string) =>
  getCell(('report' in r ? r.report : r) as unknown as Record<string, unknown>, code)

/** The cells of the format not read back as in `doc`, with what was read. */
export const wrongCells = (result: ImportResult, doc: ReportInput) =>
  cellsOf(doc.format)
    .filter((c) => cell(result, c.code) !== cell(doc, c.code))
    .map((c) => `${c.code}: ${cell(result, c.code)}`)
