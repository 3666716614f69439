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
  [/^Invalid (.*?): (.*)\.$/, (names, what) => `参数 ${names} 无效：${what}。`]
]

/** The detail in the caller's language. */
export function detailIn(detail: string, language: Language): string {
  if (language === 'en') return detail
  for (const [pattern, zh] of CATALOGUE) {
    const match = pattern.exec(detail)
    if (match) return zh(...match.slice(1))
  }
  return detail
}

/** For tests: every pattern of the catalogue. */
export const CATALOGUE_PATTERNS = CATALOGUE.map(([p]) => p)
