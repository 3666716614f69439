// Problem `title` and `detail` in the caller's language: Chinese by default (this is a Chinese-language
// domain), English on `Accept-Language: en` (languageOf, as for the importer's messages). Code throws its
// errors in English; the error handler renders them here through a catalogue of patterns, each with its
// Chinese text. A detail that is already in the caller's language (the importer's own, localised at the
// source) matches no pattern and is sent as it is.
import type { Language } from './importers/messages.js'
import { STATE_NAMES } from './reports/state-names.js'

export const TITLES: Record<number, { zh: string; en: string }> = {
  400: { zh: '请求有误', en: 'Bad Request' },
  401: { zh: '未认证', en: 'Unauthorized' },
  403: { zh: '无权操作', en: 'Forbidden' },
  404: { zh: '未找到', en: 'Not Found' },
  405: { zh: '方法不允许', en: 'Method Not Allowed' },
  406: { zh: '无法提供所要求的格式', en: 'Not Acceptable' },
  409: { zh: '与现有数据冲突', en: 'Conflict' },
  412: { zh: '前提条件不成立', en: 'Precondition Failed' },
  413: { zh: '请求体过大', en: 'Content Too Large' },
  414: { zh: '网址过长', en: 'URI Too Long' },
  415: { zh: '不支持的媒体类型', en: 'Unsupported Media Type' },
  422: { zh: '内容无效', en: 'Unprocessable Content' },
  428: { zh: '缺少前提条件', en: 'Precondition Required' },
  429: { zh: '请求过于频繁', en: 'Too Many Requests' },
  500: { zh: '服务器内部错误', en: 'Internal Server Error' },
  503: { zh: '服务暂不可用', en: 'Service Unavailable' }
}

export function titleOf(status: number, language: Language): string {
  return TITLES[status]?.[language] ?? (language === 'zh' ? '错误' : 'Error')
}

type Rule = [RegExp, (...groups: string[]) => string]

/** English detail → Chinese detail. The first pattern that matches the whole detail wins. */
const CATALOGUE: Rule[] = [
  // ---------------------------------------------------------------- keys and access
  [/^An API key is required to (read|write)\.$/, (w) => `${w === 'read' ? '读取' : '写入'}需要 API 密钥（Authorization: Bearer …）。`],
  [/^An API key is required\.$/, () => '需要 API 密钥（Authorization: Bearer …）。'],
  [/^The API key is not valid, or has been revoked\.$/, () => 'API 密钥无效或已被吊销。'],
  [/^Only an admin key may do this\.$/, () => '只有管理员密钥可以执行此操作。'],
  [/^A reader key may not write\.$/, () => '只读密钥不能写入。'],
  [/^A reader key may not commit an import\.$/, () => '只读密钥不能提交导入。'],
  [
    /^Key “(.*)” may not write agency (\d*) ?in region (\d+)\.$/,
    (k, id, r) => `密钥“${k}”无权写入区划 ${r} 的${id ? `机关 ${id}` : '机关'}。`
  ],
  [
    /^The parent, agency (\d+) in region (\d+), is outside what this key may write\.$/,
    (id, r) => `上级机关 ${id}（区划 ${r}）不在此密钥可写的范围内。`
  ],
  [
    /^统一社会信用代码 (\S+) was issued in region (\d+): only a key for that region, or an admin, may give it to an agency\.$/,
    (c, r) => `统一社会信用代码 ${c} 由区划 ${r} 颁发：只有该区划的密钥或管理员可以将其赋予机关。`
  ],
  [/^A reviewer key may only accept or return reports and review findings\.$/, () => '审核单位的密钥只能采纳或退回报告、审核问题。'],
  // ---------------------------------------------------------------- the life of a report (transitions, reviews)
  [
    /^Key “(.*)” may not (accept|return) reports of agency (\d+) in region (\d+): that is a reviewer’s\.$/,
    (k, act, id, r) => `密钥“${k}”无权${act === 'accept' ? '采纳' : '退回'}区划 ${r} 机关 ${id} 的报告：这由审核单位办理。`
  ],
  [
    /^Figures of reports in state (\w+) are shown only to an admin key, or to a key whose scope covers the regionCode or agencyId asked\.$/,
    (state) => `“${STATE_NAMES[state] ?? state}”状态报告的数字只向管理员密钥、或范围覆盖所查 regionCode 或 agencyId 的密钥提供。`
  ],
  [/^Key “(.*)” submitted report (\d+): another key must review it\.$/, (k, id) => `密钥“${k}”报送了报告 ${id}：须由另一个密钥审核。`],
  [
    /^Key “(.*)” may not (submit|withdraw or reopen) reports of agency (\d+) in region (\d+)\.$/,
    (k, act, id, r) => `密钥“${k}”无权${act === 'submit' ? '报送' : '撤回或重新打开'}区划 ${r} 机关 ${id} 的报告。`
  ],
  [
    /^Key “(.*)” may not explain findings of agency (\d+): that is its submitter’s\.$/,
    (k, id) => `密钥“${k}”无权对机关 ${id} 的问题作情况说明：这由填报单位办理。`
  ],
  [
    /^Key “(.*)” may not (confirm|dismiss) findings of agency (\d+): that is a reviewer’s\.$/,
    (k, act, id) => `密钥“${k}”无权${act === 'confirm' ? '确认' : '排除'}机关 ${id} 的问题：这由审核单位办理。`
  ],
  [
    /^Report (\d+) is (draft|submitted|returned): it may go to (.+), not to (\w+)\.$/,
    (id, from, allowed, to) =>
      `报告 ${id} 当前为“${STATE_NAMES[from]}”：只能转为${allowed
        .split(' or ')
        .map((x) => `“${STATE_NAMES[x] ?? x}”`)
        .join('或')}，不能转为“${STATE_NAMES[to] ?? to}”。`
  ],
  [
    /^Report (\d+) is accepted: it changes only by a correction(?: with its reason)? \(POST (\S+)\)\.$/,
    (id, path) => `报告 ${id} 已采纳：只能通过附理由的更正修改（POST ${path}）。`
  ],
  [
    /^Report (\d+) is submitted and under review: withdraw it first \(POST (\S+) with \{ "to": "draft" \}\)\.$/,
    (id, path) => `报告 ${id} 已报送、正在审核：请先撤回（POST ${path}，{ "to": "draft" }）。`
  ],
  [
    /^Report (\d+) is (draft|submitted|returned), not accepted: only an accepted report is corrected; change it by PUT\.$/,
    (id, state) => `报告 ${id} 当前为“${STATE_NAMES[state]}”，尚未采纳：只有已采纳的报告才通过更正修改，请用 PUT 修改。`
  ],
  [/^A returned report needs a comment saying what to change\.$/, () => '退回报告须附意见，说明需要修改什么。'],
  [
    /^Report (\d+) has (\d+) error finding\(s\) without an explanation: explain each .* before submitting\.$/,
    (id, n) =>
      `报告 ${id} 有 ${n} 个错误级别的问题尚无情况说明：报送前请逐一说明（PATCH /v1/findings/{id}，{ "status": "explained", "reason": … }）。`
  ],
  [
    /^A finding (dismissed|explained) needs a reason\.$/,
    (status) => (status === 'dismissed' ? '排除问题须填写理由。' : '情况说明须填写说明内容。')
  ],
  // ---------------------------------------------------------------- not found
  [
    /^Finding (\d+) does not exist \(ids change when a report is re-checked: list the report's findings again\)\.$/,
    (id) => `问题 ${id} 不存在（报告重新检查后问题的编号会变化：请重新列出该报告的问题）。`
  ],
  [/^No route (\S+) (.*)\.$/, (m, p) => `没有 ${m} ${p} 这一接口。`],
  [/^Agency (\d+) does not exist\.$/, (id) => `机关 ${id} 不存在。`],
  [/^Report (\d+) does not exist\.$/, (id) => `报告 ${id} 不存在。`],
  [/^Report (\d+) has never existed\.$/, (id) => `报告 ${id} 从未存在过。`],
  [/^Report (\d+) has no revision (\d+)\.$/, (id, r) => `报告 ${id} 没有第 ${r} 版。`],
  [/^Agency (\d+)'s report for (\d+) does not exist\.$/, (id, y) => `机关 ${id} 没有 ${y} 年度报告。`],
  [/^Key (\d+) does not exist\.$/, (id) => `密钥 ${id} 不存在。`],
  [/^No region (\d+) in GB\/T 2260\.$/, (c) => `GB/T 2260 中没有区划 ${c}。`],
  // ---------------------------------------------------------------- conflicts and preconditions
  [/^Agency (\d+) already has 统一社会信用代码 (\S+)\.$/, (id, c) => `机关 ${id} 已使用统一社会信用代码 ${c}。`],
  [
    /^统一社会信用代码 (\S+) is already registered to an agency outside the scope of this key; ask an administrator\.$/,
    (c) => `统一社会信用代码 ${c} 已登记给此密钥范围以外的机关；请联系管理员。`
  ],
  [/^Agency (\d+) has (\d+) report\(s\); delete them first\.$/, (id, n) => `机关 ${id} 有 ${n} 份报告，请先删除。`],
  [
    /^Agency (\d+) is the parent of (\d+) agency\(ies\); move or delete them first\.$/,
    (id, n) => `机关 ${id} 是 ${n} 个机关的上级，请先调整或删除这些机关。`
  ],
  [
    /^Agency (\d+) already has report (\d+) for (\d+); a report cannot be moved onto it\.$/,
    (a, r, y) => `机关 ${a} 已有 ${y} 年度报告（报告 ${r}），不能把另一份报告移到该处。`
  ],
  [
    /^Agency (\d+) already has a report for (\d+) \(report (\d+)\); (PUT \S+) replaces it\.$/,
    (a, y, r, put) => `机关 ${a} 已有 ${y} 年度报告（报告 ${r}）；如需替换，请用 ${put}。`
  ],
  [
    /^Agency (\d+) already has report (\d+) for (\d+) \(If-None-Match: \*\)\.$/,
    (a, r, y) => `机关 ${a} 已有 ${y} 年度报告（报告 ${r}）（If-None-Match: *）。`
  ],
  [
    /^A request with this Idempotency-Key is still being processed; retry when it has been answered\.$/,
    () => '使用该 Idempotency-Key 的请求仍在处理中，请在其得到答复后重试。'
  ],
  [
    /^(Agency|Report) (\d+) is at revision (\d+), not (\d+): re-read it and retry\.$/,
    (w, id, cur, want) => `${w === 'Agency' ? '机关' : '报告'} ${id} 当前为第 ${cur} 版，而非第 ${want} 版：请重新读取后再试。`
  ],
  [/^The report does not exist, so it cannot be at revision (\d+)\.$/, (r) => `报告不存在，因而不可能处于第 ${r} 版。`],
  [/^Agency (\d+) has no report for (\d+) \(If-Match: \*\)\.$/, (a, y) => `机关 ${a} 没有 ${y} 年度报告（If-Match: *）。`],
  [
    /^If-Match (.*) names no revision of this resource \(ETags look like "3"\)\.$/,
    (m) => `If-Match ${m} 不是该资源的任何版本（ETag 形如 "3"）。`
  ],
  // ---------------------------------------------------------------- requests
  [/^The request body does not match the schema; see errors\.$/, () => '请求体不符合模式，详见 errors。'],
  [
    /^Invalid (query|params|headers|path) parameter; see errors\.$/,
    (p) => `${p === 'query' ? '查询' : p === 'headers' ? '请求头' : '路径'}参数无效，详见 errors。`
  ],
  [/^The body is not valid JSON\.$/, () => '请求体不是有效的 JSON。'],
  [/^Body cannot be empty when content-type is set to 'application\/json'$/, () => 'Content-Type 为 application/json 时请求体不能为空。'],
  [/^The body is larger than (\d+) bytes \(BODY_LIMIT\)\.$/, (n) => `请求体超过 ${n} 字节（BODY_LIMIT）。`],
  [
    /^A string in the body is longer than (\d+) characters \(JSON_MAX_STRING_LENGTH\)\.$/,
    (n) => `请求体中有字符串超过 ${n} 个字符（JSON_MAX_STRING_LENGTH）。`
  ],
  [
    /^The body nests arrays and objects deeper than (\d+) levels \(JSON_MAX_DEPTH\)\.$/,
    (n) => `请求体中数组和对象的嵌套超过 ${n} 层（JSON_MAX_DEPTH）。`
  ],
  [/^The body holds a key that is never accepted \((.*)\)\.$/, (k) => `请求体含有一律不接受的键（${k}）。`],
  [/^Unsupported media type (.*); send (.*)\.$/, (t, a) => `不支持的媒体类型 ${t}；请发送 ${a}。`],
  [
    /^None of the media types in Accept can be served; this resource is available as (.*)\.$/,
    (a) => `Accept 中的媒体类型都无法提供；该资源可提供 ${a}。`
  ],
  [
    /^Too many requests: at most (\d+) a minute for this (API key|address)\. Retry in (\d+) s\.$/,
    (n, w, s) => `请求过于频繁：此${w === 'API key' ? ' API 密钥' : '地址'}每分钟最多 ${n} 次，请 ${s} 秒后重试。`
  ],
  [
    /^The request could not be completed\. Quote request id (\S+) when reporting it\.$/,
    (id) => `请求未能完成。报告此问题时请提供请求编号 ${id}。`
  ],
  [/^The Idempotency-Key header must be 1–255 visible ASCII characters\.$/, () => 'Idempotency-Key 请求头须为 1–255 个可见 ASCII 字符。'],
  [/^This request takes no Idempotency-Key\.$/, () => '此请求不接受 Idempotency-Key。'],
  [
    /^This Idempotency-Key was already used for a different request; use a new key for a new request\.$/,
    () => '该 Idempotency-Key 已用于另一请求；新请求请使用新的键。'
  ],
  [/^The cursor is not valid for this list( and sort)?\.$/, (s) => `cursor 对此列表${s ? '及排序' : ''}无效。`],
  [/^A path parameter is too long\.$/, () => '路径参数过长。'],
  [/^The URL is not valid: it has a broken percent-encoding\.$/, () => '网址无效：百分号编码有误。'],
  // ---------------------------------------------------------------- bodies
  [/^The agency is invalid; see errors\.$/, () => '机关信息无效，详见 errors。'],
  [/^The key is invalid; see errors\.$/, () => '密钥信息无效，详见 errors。'],
  [/^The report does not match its format; see errors\.$/, () => '报告与其格式不符，详见 errors。'],
  [
    /^The report has error findings and strict mode is on; nothing was stored\. See errors\.$/,
    () => '报告有错误级别的检查结果，且已开启严格模式：未保存任何内容，详见 errors。'
  ],
  [
    /^Some reports do not match their format; nothing was written\. See errors\.$/,
    () => '部分报告与其格式不符：未写入任何内容，详见 errors。'
  ],
  [
    /^Some reports have error findings and strict mode is on; nothing was written\. See errors\.$/,
    () => '部分报告有错误级别的检查结果，且已开启严格模式：未写入任何内容，详见 errors。'
  ],
  [/^The batch names one report twice; nothing was written\.$/, () => '批量请求中同一份报告出现了两次：未写入任何内容。'],
  [/^The body names another report than the URL\.$/, () => '请求体所指的报告与网址不一致。'],
  [/^The report needs its year to be checked\.$/, () => '检查报告需要其年度（year）。'],
  [/^The report does not name its agency; send agencyId\.$/, () => '报告未写明其机关，请提供 agencyId。'],
  [/^The imported report does not match its format\.$/, () => '导入的报告与其格式不符。'],
  [/^(\d+) agencies are named (.*); send agencyId\.$/, (n, name) => `有 ${n} 个机关名为${name}，请提供 agencyId。`],
  [
    /^No agency is named (.*) and its region cannot be told from the name; send agencyId\.$/,
    (name) => `没有名为${name}的机关，也无法从名称判断其区划，请提供 agencyId。`
  ],
  [/^Unknown charset (.*)\.$/, (c) => `未知字符集 ${c}。`],
  [
    /^The body is not valid (.*) text; declare its charset in Content-Type\.$/,
    (c) => `请求体不是有效的 ${c} 文本，请在 Content-Type 中声明其字符集。`
  ],
  [
    /^The body is not a PDF or a DOCX file; send it with its media type \((.*)\)\.$/,
    (t) => `请求体不是 PDF 或 DOCX 文件，请附上其媒体类型（${t}）发送。`
  ],
  [/^The database does not answer\.$/, () => '数据库无响应。'],
  [
    /^Invalid (.*?): (.*)\.$/,
    (names, what) =>
      `参数 ${names} 无效：${what
        .split('; ')
        .map((m) => messageIn(m, 'zh'))
        .join('；')}。`
  ]
]

/** The detail in the caller's language. */
export function detailIn(detail: string, language: Language): string {
  return language === 'en' ? detail : rendered(CATALOGUE, detail)
}

/** English text → Chinese by the first rule whose pattern matches it whole; the text as it is when none does. */
function rendered(rules: Rule[], text: string): string {
  for (const [pattern, zh] of rules) {
    const match = pattern.exec(text)
    if (match) return zh(...match.slice(1))
  }
  return text
}

/** For tests: every pattern of the catalogue. */
export const CATALOGUE_PATTERNS = CATALOGUE.map(([p]) => p)

// ---------------------------------------------------------------------------------------------------------------
// errors[].message: the field-level messages, in the caller's language too. The same way as details: code writes
// them in English, and this catalogue renders them; a message already in Chinese (the importer's, a finding's)
// matches nothing and is kept. JSON Schema's own messages (ajv's, for the keywords the error handler does not
// phrase itself) are here as well.

const TYPE_NAMES: Record<string, string> = {
  string: '字符串',
  number: '数字',
  integer: '整数',
  boolean: '布尔值',
  object: '对象',
  array: '数组',
  null: 'null'
}
const typeNames = (list: string) =>
  list
    .split(',')
    .map((t) => TYPE_NAMES[t] ?? t)
    .join('或')
const UNKNOWN_WHAT: Record<string, string> = { metric: '指标', cell: '单元格', 'group key': '分组键', statistic: '统计量' }
const COMPARISONS: Record<string, string> = { '>=': '不小于', '<=': '不大于', '>': '大于', '<': '小于' }

const MESSAGES: Rule[] = [
  // ---------------------------------------------------------------- JSON Schema (ajv and the error handler)
  [/^is not a known field$/, () => '不是已知的字段'],
  [/^is required$/, () => '必填'],
  [/^is invalid$/, () => '无效'],
  [/^is blank$/, () => '为空'],
  [/^must be one of: (.*)$/, (list) => `必须是以下之一：${list}`],
  [
    /^must be (a whole number|a number)(, or null for a blank cell|, or null)?$/,
    (what, orNull) =>
      `必须是${what === 'a number' ? '数字' : '整数'}${orNull ? (orNull.includes('blank') ? '，空白单元格填 null' : '，或为 null') : ''}`
  ],
  [/^must be (>=|<=|>|<) (-?[\d.e+]+)$/, (op, n) => `必须${COMPARISONS[op]} ${n}`],
  [/^must be multiple of (\S+)$/, (n) => `必须是 ${n} 的倍数`],
  [/^must NOT have (more|fewer) than (\d+) characters$/, (mf, n) => `不能${mf === 'more' ? '超过' : '少于'} ${n} 个字符`],
  [/^must NOT have (more|fewer) than (\d+) items$/, (mf, n) => `不能${mf === 'more' ? '多于' : '少于'} ${n} 项`],
  [/^must NOT have (more|fewer) than (\d+) properties$/, (mf, n) => `字段不能${mf === 'more' ? '多于' : '少于'} ${n} 个`],
  [/^must NOT have duplicate items \(items ## (\d+) and (\d+) are identical\)$/, (a, b) => `不能有重复项（第 ${b} 项与第 ${a} 项相同）`],
  [/^must match pattern "(.*)"$/, (p) => `必须符合模式 "${p}"`],
  [/^must match format "(.*)"$/, (f) => `必须符合 ${f} 格式`],
  [/^must be ([a-z,]+)$/, (types) => `必须是${typeNames(types)}`],
  [/^must be equal to constant$/, () => '必须等于规定的值'],
  [
    /^must be one line of plain text: (U\+[0-9A-F]+) at character (\d+) is a control, line-separator or bidirectional formatting character, or half of a broken surrogate pair$/,
    (code, at) => `必须是一行纯文本：第 ${at} 个字符 ${code} 是控制字符、行分隔符或双向格式控制字符，或是残缺的代理对`
  ],
  // ---------------------------------------------------------------- request bodies and headers
  [/^nests deeper than (\d+) levels$/, (n) => `嵌套超过 ${n} 层`],
  [/^holds a forbidden key$/, () => '含有禁止使用的键'],
  [/^must be 1–255 visible ASCII characters \(no spaces\)$/, () => '必须是 1–255 个可见 ASCII 字符（不含空格）'],
  [
    /^is not taken here: the answer holds a new secret, which nianbao never stores; send the request without it$/,
    () => '此处不接受：应答中含有新生成的密钥，nianbao 从不保存它；请不带此头发送请求'
  ],
  [
    /^was first used (\S+) for another request \((\S+) (\S+) with another body\)$/,
    (at, method, path) => `已于 ${at} 用于另一个请求（${method} ${path}，请求体不同）`
  ],
  [/^is not a cursor returned by this list with the same sort$/, () => '不是此列表在同一排序下返回的游标'],
  [/^is not a cursor returned by this list$/, () => '不是此列表返回的游标'],
  // ---------------------------------------------------------------- agencies and keys
  [/^(\S+) is not a GB\/T 2260 region code$/, (code) => `${code} 不是 GB/T 2260 区划代码`],
  [/^(\S+) is not the prefix of a GB\/T 2260 region$/, (p) => `${p} 不是任何 GB/T 2260 区划代码的前缀`],
  [/^an agency cannot be its own parent$/, () => '机关不能是自己的上级'],
  [/^agency (\d+) does not exist$/, (id) => `机关 ${id} 不存在`],
  [/^agency (\d+) is below agency (\d+): that would make a cycle$/, (p, id) => `机关 ${p} 在机关 ${id} 之下：这会形成循环`],
  [/^a (\w+) needs a scope: regions and\/or agencies$/, (role) => `${role} 密钥需要范围：regions 和/或 agencies`],
  [/^only a submitter or a reviewer has a scope$/, () => '只有填报（submitter）和审核（reviewer）密钥有范围'],
  // ---------------------------------------------------------------- reports
  [/^format (\d+) has no table-二 row '(.*)'$/, (f, row) => `${f} 格式的表二没有行 '${row}'`],
  [
    /^format (\d+) has no column '(.*)' in row '(.*)' \((.*)\); its columns are (.*)$/,
    (f, col, row, label, cols) => `${f} 格式的行 '${row}'（${label}）没有列 '${col}'；其列为 ${cols}`
  ],
  [/^missing cell (\S+) \((.*)\); send null for a blank cell$/, (code, label) => `缺少单元格 ${code}（${label}）；空白单元格请填 null`],
  [
    /^format 2019 has a single （六）其他处理 row, kept as applications\.outcomes\.other\.other: (\S+) must be null$/,
    (code) => `2019 格式只有一行（六）其他处理，记为 applications.outcomes.other.other：${code} 必须为 null`
  ],
  [
    /^missing row (\S+) \((.*)\); send null cells for a blank row$/,
    (code, label) => `缺少行 ${code}（${label}）；空白的行请各单元格填 null`
  ],
  [
    /^the title runs to (\d+) characters, more than the (\d+) a title may hold$/,
    (n, max) => `标题共 ${n} 个字符，超过标题最多可有的 ${max} 个`
  ],
  [
    /^(.*) runs to (\d+) characters, more than the (\d+) a section may hold$/,
    (title, n, max) => `${title}共 ${n} 个字符，超过一个部分最多可有的 ${max} 个`
  ],
  [
    /^(.*) is a count of (.*): it must be a whole number, not (\S+)$/,
    (label, unit, v) => `${label}以“${unit}”计数：必须是整数，而不是 ${v}`
  ],
  [
    /^(.*) is (\S+) (\S+), beyond ±(\S+) (\S+), the most a report may state$/,
    (label, v, unit, max) => `${label}为 ${v} ${unit}，超出报告可填写的范围 ±${max} ${unit}`
  ],
  [
    /^(.*) carries more than (\d+) decimals \((.*)\); it cannot be stored exactly$/,
    (label, d, unit) => `${label}的小数超过 ${d} 位（${unit}），无法精确保存`
  ],
  [
    /^report (\d+) is accepted: correct it by POST (\S+) with (.*)$/,
    (id, route, body) => `报告 ${id} 已采纳：请以 POST ${route} 提交更正 ${body}`
  ],
  [/^report (\d+) belongs to agency (\d+); omit agencyId or send \d+$/, (id, a) => `报告 ${id} 属于机关 ${a}：请省略 agencyId 或填 ${a}`],
  [/^report (\d+) is for (\d+); omit year or send \d+$/, (id, y) => `报告 ${id} 是 ${y} 年度的：请省略 year 或填 ${y}`],
  [/^report (\d+) belongs to agency (\d+)$/, (id, a) => `报告 ${id} 属于机关 ${a}`],
  [/^report (\d+) is for (\d+)$/, (id, y) => `报告 ${id} 是 ${y} 年度的`],
  [/^same agency and year as (\S+)$/, (p) => `与 ${p} 的机关和年度相同`],
  [/^must be (\d+), the agency in the URL, or omitted$/, (a) => `必须是网址中的机关 ${a}，或省略`],
  [/^must be (\d+), the year in the URL, or omitted$/, (y) => `必须是网址中的年度 ${y}，或省略`],
  [/^is required when returning a report$/, () => '退回报告时必填'],
  [/^is required when the status is (\S+)$/, (s) => `状态为 ${s} 时必填`],
  // ---------------------------------------------------------------- imports
  [/^is taken only with commit=true$/, () => '只在 commit=true 时使用'],
  [/^is required: no agency name was found$/, () => '必填：报告中未找到机关名称'],
  [/^is required: agencies (.*) share the name$/, (ids) => `必填：机关 ${ids} 同名`],
  [/^is required: the region of a new agency cannot be inferred from its name$/, () => '必填：无法从名称推断新机关的区划'],
  [/^is required: the level and kind of a new agency cannot be told from its name$/, () => '必填：无法从名称判断新机关的层级和类别'],
  // ---------------------------------------------------------------- aggregates and statistics
  [
    /^at most (\d+) (metrics|items) per request \(got (\d+)\)$/,
    (n, what, got) => `每个请求最多 ${n} 个${what === 'metrics' ? '指标' : '项'}（收到 ${got} 个）`
  ],
  [
    /^unknown metric '(.*?)'(?: \(did you mean '(.*)'\?\))?; valid metrics are .*'allowed' lists all (\d+), GET \/v1\/aggregates\/metrics describes them$/,
    (code, near, n) =>
      `未知的指标 '${code}'${near ? `（是否是指 '${near}'？）` : ''}；可用的指标为 'reports'、各项指标、处理结果分组和每个单元格代码（如 applications.newReceived.total）：allowed 列出全部 ${n} 个，GET /v1/aggregates/metrics 有说明`
  ],
  [
    /^unknown cell '(.*?)'(?: \(did you mean '(.*)'\?\))?; items are cell codes of FORMAT\.md .*'allowed' lists all (\d+)$/,
    (code, near, n) =>
      `未知的单元格 '${code}'${near ? `（是否是指 '${near}'？）` : ''}；item 为 FORMAT.md 的单元格代码（如 applications.newReceived.total）：allowed 列出全部 ${n} 个`
  ],
  [/^name at least one cell code, e\.g\. (.*)$/, (e) => `请至少指定一个单元格代码，如 ${e}`],
  [/^unknown group key '(.*)'; valid keys are (.*)$/, (k, list) => `未知的分组键 '${k}'；可用的为 ${list}`],
  [/^unknown statistic '(.*)'; valid: (.*)$/, (s, list) => `未知的统计量 '${s}'；可用的为 ${list}`],
  [
    /^cannot sort by '(.*)': sort by a requested metric or group key \((.*)\), '-' in front for descending$/,
    (by, list) => `不能按 '${by}' 排序：请按所请求的指标或分组键（${list}）排序，降序在前加 '-'`
  ],
  // the short forms, as the detail of a 400 quotes them (the part before the first ';')
  [
    /^unknown (metric|cell|group key|statistic) '(.*?)'(?: \(did you mean '(.*)'\?\))?$/,
    (what, code, near) => `未知的${UNKNOWN_WHAT[what]} '${code}'${near ? `（是否是指 '${near}'？）` : ''}`
  ],
  [/^yearFrom (\d+) is after yearTo (\d+)$/, (a, b) => `yearFrom ${a} 晚于 yearTo ${b}`],
  [
    /^compare=previousYear needs years to compare: .*$/,
    () => 'compare=previousYear 需要可比较的年度：一个年度（year=2025）、一个闭区间（yearFrom 和 yearTo）或 groupBy=year'
  ]
]

/** A field-level message (errors[].message) in the caller's language. */
export function messageIn(message: string, language: Language): string {
  return language === 'en' ? message : rendered(MESSAGES, message)
}

/** For tests: every pattern of the field messages' catalogue. */
export const MESSAGE_PATTERNS = MESSAGES.map(([p]) => p)
