// Problem titles and details in Chinese by default, in English on Accept-Language: en.
import t from 'tap'
import { buildTestApp, json, sampleReport } from '../helper.js'
import { CATALOGUE_PATTERNS, MESSAGE_PATTERNS, detailIn, messageIn } from '../../src/problem-text.js'

t.test('a problem speaks Chinese unless the caller prefers English', async (t) => {
  const app = await buildTestApp()
  t.teardown(() => app.close())
  const zh = await app.inject('/v1/agencies/999999')
  t.equal(zh.statusCode, 404)
  t.equal(zh.headers['content-language'], 'zh-CN')
  t.match(zh.headers.vary, /Accept-Language/)
  t.match(json(zh), { status: 404, title: '未找到', detail: '机关 999999 不存在。' })
  const en = await app.inject({ url: '/v1/agencies/999999', headers: { 'accept-language': 'en-GB,en;q=0.9' } })
  t.equal(en.headers['content-language'], 'en')
  t.match(json(en), { status: 404, title: 'Not Found', detail: 'Agency 999999 does not exist.' })
  const preferZh = await app.inject({ url: '/v1/agencies/999999', headers: { 'accept-language': 'en;q=0.5, zh-CN' } })
  t.equal(json(preferZh).title, '未找到', 'the higher q wins')

  const anonymous = await app.injectAs(null, { method: 'POST', url: '/v1/agencies', payload: {} })
  t.match(json(anonymous), { status: 401, title: '未认证', detail: '写入需要 API 密钥（Authorization: Bearer …）。' })
  const invalid = await app.inject({ method: 'POST', url: '/v1/agencies', payload: { name: 1 } })
  t.match(json(invalid), { status: 422, title: '内容无效', detail: '请求体不符合模式，详见 errors。' })
  const query = await app.inject('/v1/agencies?limit=0')
  t.match(json(query), { status: 400, title: '请求有误', detail: '查询参数无效，详见 errors。' })
  const queryEn = await app.inject({ url: '/v1/agencies?limit=0', headers: { 'accept-language': 'en' } })
  t.match(json(queryEn), { status: 400, title: 'Bad Request', detail: 'Invalid query parameter; see errors.' })
  const route = await app.inject('/v1/nothing')
  t.match(json(route), { status: 404, detail: '没有 GET /v1/nothing 这一接口。' })
  const notAcceptable = await app.inject({ url: '/v1/reports/1', headers: { accept: 'image/png' } })
  t.match(json(notAcceptable).detail, /^Accept 中的媒体类型都无法提供/)
})

t.test('the catalogue: every pattern renders Chinese, and English passes through', async (t) => {
  t.ok(CATALOGUE_PATTERNS.length > 50)
  t.equal(detailIn('Report 7 has no revision 3.', 'zh'), '报告 7 没有第 3 版。')
  t.equal(detailIn('Report 7 has no revision 3.', 'en'), 'Report 7 has no revision 3.')
  t.equal(detailIn('已是中文的说明', 'zh'), '已是中文的说明', 'a detail already localised is kept')
  t.equal(
    detailIn('Too many requests: at most 3 a minute for this address. Retry in 9 s.', 'zh'),
    '请求过于频繁：此地址每分钟最多 3 次，请 9 秒后重试。'
  )
})

t.test('the refusals of a report’s life speak Chinese', async (t) => {
  const app = await buildTestApp()
  t.teardown(() => app.close())
  const key = async (name: string, role: string, regions: string[]) =>
    json(await app.inject({ method: 'POST', url: '/v1/keys', payload: { name, role, regions } })).key as string
  const agency = json(
    await app.inject({
      method: 'POST',
      url: '/v1/agencies',
      payload: { name: '化隆县教育局', regionCode: '630224', level: 'county', kind: 'department' }
    })
  ).id
  const submitter = await key('化隆县教育局', 'submitter', ['630224'])
  const reviewer = await key('海东市政务公开办', 'reviewer', ['6302'])
  const stranger = await key('北京市政务公开办', 'reviewer', ['11'])
  const doc = sampleReport(agency)
  ;(doc.applications as unknown as Record<string, Record<string, number | null>>).newReceived.total! += 5
  const id = json(await app.injectAs(submitter, { method: 'PUT', url: `/v1/agencies/${agency}/reports/2025`, payload: doc })).id
  const move = (k: string, to: string, comment?: string) =>
    app.injectAs(k, { method: 'POST', url: `/v1/reports/${id}/transitions`, payload: { to, ...(comment ? { comment } : {}) } })
  const review = (k: string, findingId: number, status: string) =>
    app.injectAs(k, { method: 'PATCH', url: `/v1/findings/${findingId}`, payload: { status } })
  const errors = json(await app.inject(`/v1/findings?reportId=${id}&severity=error`)).items
  t.ok(errors.length > 0)

  const cases: Array<[string, Promise<{ statusCode: number; body: string }>, number, string]> = [
    ['draft → accepted', move(reviewer, 'accepted'), 409, `报告 ${id} 当前为“草稿”：只能转为“已报送”，不能转为“已采纳”。`],
    [
      'the gate',
      move(submitter, 'submitted'),
      422,
      `报告 ${id} 有 ${errors.length} 个错误级别的问题尚无情况说明：报送前请逐一说明（PATCH /v1/findings/{id}，{ "status": "explained", "reason": … }）。`
    ],
    ['an explanation without a reason', review(submitter, errors[0].id, 'explained'), 422, '情况说明须填写说明内容。'],
    ['a dismissal without a reason', review(reviewer, errors[0].id, 'dismissed'), 422, '排除问题须填写理由。'],
    [
      'a reviewer explaining',
      app.injectAs(reviewer, { method: 'PATCH', url: `/v1/findings/${errors[0].id}`, payload: { status: 'explained', reason: 'x' } }),
      403,
      `密钥“海东市政务公开办”无权对机关 ${agency} 的问题作情况说明：这由填报单位办理。`
    ],
    [
      'another region’s reviewer dismissing',
      app.injectAs(stranger, { method: 'PATCH', url: `/v1/findings/${errors[0].id}`, payload: { status: 'dismissed', reason: 'x' } }),
      403,
      `密钥“北京市政务公开办”无权排除机关 ${agency} 的问题：这由审核单位办理。`
    ],
    [
      'a finding that is not',
      review(reviewer, 999999, 'confirmed'),
      404,
      '问题 999999 不存在（报告重新检查后问题的编号会变化：请重新列出该报告的问题）。'
    ],
    [
      'a reviewer writing',
      app.injectAs(reviewer, { method: 'PUT', url: `/v1/reports/${id}`, payload: doc }),
      403,
      '审核单位的密钥只能采纳或退回报告、审核问题。'
    ]
  ]
  for (const [what, res, status, detail] of cases) {
    const answer = await res
    t.equal(answer.statusCode, status, what)
    t.equal(json(answer).detail, detail, what)
  }
  for (const f of errors)
    await app.injectAs(submitter, { method: 'PATCH', url: `/v1/findings/${f.id}`, payload: { status: 'explained', reason: '线下收取。' } })
  t.equal((await move(submitter, 'submitted')).statusCode, 200)
  const later: Array<[string, Promise<{ statusCode: number; body: string }>, number, string]> = [
    [
      'another region’s reviewer accepting',
      move(stranger, 'accepted'),
      403,
      `密钥“北京市政务公开办”无权采纳区划 630224 机关 ${agency} 的报告：这由审核单位办理。`
    ],
    [
      'the submitter accepting',
      move(submitter, 'accepted'),
      403,
      `密钥“化隆县教育局”无权采纳区划 630224 机关 ${agency} 的报告：这由审核单位办理。`
    ],
    ['a reviewer withdrawing', move(reviewer, 'draft'), 403, `密钥“海东市政务公开办”无权撤回或重新打开区划 630224 机关 ${agency} 的报告。`],
    ['a return without a comment', move(reviewer, 'returned'), 422, '退回报告须附意见，说明需要修改什么。'],
    [
      'a write while under review',
      app.injectAs(submitter, { method: 'PUT', url: `/v1/reports/${id}`, payload: doc }),
      409,
      `报告 ${id} 已报送、正在审核：请先撤回（POST /v1/reports/${id}/transitions，{ "to": "draft" }）。`
    ],
    [
      'a correction of a report not accepted',
      app.injectAs(submitter, { method: 'POST', url: `/v1/reports/${id}/corrections`, payload: { reason: '更正', report: doc } }),
      409,
      `报告 ${id} 当前为“已报送”，尚未采纳：只有已采纳的报告才通过更正修改，请用 PUT 修改。`
    ]
  ]
  for (const [what, res, status, detail] of later) {
    const answer = await res
    t.equal(answer.statusCode, status, what)
    t.equal(json(answer).detail, detail, what)
  }
  t.equal((await move(reviewer, 'accepted')).statusCode, 200)
  const accepted = await move(reviewer, 'returned', '再看看')
  t.equal(accepted.statusCode, 409)
  t.equal(json(accepted).detail, `报告 ${id} 已采纳：只能通过附理由的更正修改（POST /v1/reports/${id}/corrections）。`)
  // a changed document (the same one is no change: 200, unchanged)
  const rewrite = await app.injectAs(submitter, { method: 'PUT', url: `/v1/reports/${id}`, payload: { ...doc, title: '改动的标题' } })
  t.equal(rewrite.statusCode, 409)
  t.equal(json(rewrite).detail, `报告 ${id} 已采纳：只能通过附理由的更正修改（POST /v1/reports/${id}/corrections）。`)
  t.equal(
    detailIn('Key “审核员” submitted report 4: another key must review it.', 'zh'),
    '密钥“审核员”报送了报告 4：须由另一个密钥审核。',
    'a key may not review its own submission'
  )
  t.equal(
    detailIn('Key “审核员” submitted report 4: another key must review it.', 'en'),
    'Key “审核员” submitted report 4: another key must review it.'
  )
})

t.test('field messages: every pattern of their catalogue renders Chinese, English passes through', async (t) => {
  // one message as the code writes it for each pattern, with what a Chinese caller reads
  const samples: Array<[string, string]> = [
    ['is not a known field', '不是已知的字段'],
    ['is required', '必填'],
    ['is invalid', '无效'],
    ['is blank', '为空'],
    ['must be one of: county, department', '必须是以下之一：county, department'],
    ['must be a whole number, or null for a blank cell', '必须是整数，空白单元格填 null'],
    ['must be <= 1000000000', '必须不大于 1000000000'],
    ['must be multiple of 0.01', '必须是 0.01 的倍数'],
    ['must NOT have more than 200 characters', '不能超过 200 个字符'],
    ['must NOT have fewer than 1 items', '不能少于 1 项'],
    ['must NOT have more than 3 properties', '字段不能多于 3 个'],
    ['must NOT have duplicate items (items ## 2 and 0 are identical)', '不能有重复项（第 0 项与第 2 项相同）'],
    ['must match pattern "^[0-9]{6}$"', '必须符合模式 "^[0-9]{6}$"'],
    ['must match format "date-time"', '必须符合 date-time 格式'],
    ['must be string,null', '必须是字符串或null'],
    ['must be equal to constant', '必须等于规定的值'],
    [
      'must be one line of plain text: U+0009 at character 4 is a control, line-separator or bidirectional formatting character, or half of a broken surrogate pair',
      '必须是一行纯文本：第 4 个字符 U+0009 是控制字符、行分隔符或双向格式控制字符，或是残缺的代理对'
    ],
    ['nests deeper than 64 levels', '嵌套超过 64 层'],
    ['holds a forbidden key', '含有禁止使用的键'],
    ['must be 1–255 visible ASCII characters (no spaces)', '必须是 1–255 个可见 ASCII 字符（不含空格）'],
    [
      'is not taken here: the answer holds a new secret, which nianbao never stores; send the request without it',
      '此处不接受：应答中含有新生成的密钥，nianbao 从不保存它；请不带此头发送请求'
    ],
    [
      'was first used 2026-12-04T08:00:00.000Z for another request (PUT /v1/reports/7 with another body)',
      '已于 2026-12-04T08:00:00.000Z 用于另一个请求（PUT /v1/reports/7，请求体不同）'
    ],
    ['is not a cursor returned by this list with the same sort', '不是此列表在同一排序下返回的游标'],
    ['is not a cursor returned by this list', '不是此列表返回的游标'],
    ['999999 is not a GB/T 2260 region code', '999999 不是 GB/T 2260 区划代码'],
    ['6399 is not the prefix of a GB/T 2260 region', '6399 不是任何 GB/T 2260 区划代码的前缀'],
    ['an agency cannot be its own parent', '机关不能是自己的上级'],
    ['agency 12 does not exist', '机关 12 不存在'],
    ['agency 12 is below agency 3: that would make a cycle', '机关 12 在机关 3 之下：这会形成循环'],
    ['a submitter needs a scope: regions and/or agencies', 'submitter 密钥需要范围：regions 和/或 agencies'],
    ['only a submitter or a reviewer has a scope', '只有填报（submitter）和审核（reviewer）密钥有范围'],
    ["format 2021 has no table-二 row 'tolls'", "2021 格式的表二没有行 'tolls'"],
    [
      "format 2021 has no column 'x' in row 'licensing' (行政许可); its columns are decisions",
      "2021 格式的行 'licensing'（行政许可）没有列 'x'；其列为 decisions"
    ],
    [
      'missing cell applications.newReceived.total (本年新收政府信息公开申请数量 · 总计); send null for a blank cell',
      '缺少单元格 applications.newReceived.total（本年新收政府信息公开申请数量 · 总计）；空白单元格请填 null'
    ],
    [
      'format 2019 has a single （六）其他处理 row, kept as applications.outcomes.other.other: applications.outcomes.other.overdueFee.total must be null',
      '2019 格式只有一行（六）其他处理，记为 applications.outcomes.other.other：applications.outcomes.other.overdueFee.total 必须为 null'
    ],
    [
      'missing row applications.carriedOver (二、上年结转政府信息公开申请数量); send null cells for a blank row',
      '缺少行 applications.carriedOver（二、上年结转政府信息公开申请数量）；空白的行请各单元格填 null'
    ],
    ['the title runs to 301 characters, more than the 300 a title may hold', '标题共 301 个字符，超过标题最多可有的 300 个'],
    [
      '一、总体情况 runs to 200001 characters, more than the 200000 a section may hold',
      '一、总体情况共 200001 个字符，超过一个部分最多可有的 200000 个'
    ],
    [
      '行政许可 · 本年增/减 is a count of 项: it must be a whole number, not -2.5',
      '行政许可 · 本年增/减以“项”计数：必须是整数，而不是 -2.5'
    ],
    [
      '政府集中采购 · 采购总金额 is 1000000000000.01 元, beyond ±1000000000000 元, the most a report may state',
      '政府集中采购 · 采购总金额为 1000000000000.01 元，超出报告可填写的范围 ±1000000000000 元'
    ],
    [
      '行政事业性收费 · 收费金额 carries more than 4 decimals (万元); it cannot be stored exactly',
      '行政事业性收费 · 收费金额的小数超过 4 位（万元），无法精确保存'
    ],
    [
      'report 7 is accepted: correct it by POST /v1/reports/7/corrections with { "reason": …, "report": … }',
      '报告 7 已采纳：请以 POST /v1/reports/7/corrections 提交更正 { "reason": …, "report": … }'
    ],
    ['report 7 belongs to agency 3; omit agencyId or send 3', '报告 7 属于机关 3：请省略 agencyId 或填 3'],
    ['report 7 is for 2024; omit year or send 2024', '报告 7 是 2024 年度的：请省略 year 或填 2024'],
    ['report 7 belongs to agency 3', '报告 7 属于机关 3'],
    ['report 7 is for 2024', '报告 7 是 2024 年度的'],
    ['same agency and year as /reports/0', '与 /reports/0 的机关和年度相同'],
    ['must be 3, the agency in the URL, or omitted', '必须是网址中的机关 3，或省略'],
    ['must be 2024, the year in the URL, or omitted', '必须是网址中的年度 2024，或省略'],
    ['is required when returning a report', '退回报告时必填'],
    ['is required when the status is dismissed', '状态为 dismissed 时必填'],
    ['is taken only with commit=true', '只在 commit=true 时使用'],
    ['is required: no agency name was found', '必填：报告中未找到机关名称'],
    ['is required: agencies 4, 9 share the name', '必填：机关 4, 9 同名'],
    ['is required: the region of a new agency cannot be inferred from its name', '必填：无法从名称推断新机关的区划'],
    ['is required: the level and kind of a new agency cannot be told from its name', '必填：无法从名称判断新机关的层级和类别'],
    ['at most 64 metrics per request (got 65)', '每个请求最多 64 个指标（收到 65 个）'],
    [
      "unknown metric 'x'; valid metrics are 'reports', the indicators a, b, … (e.g. applications.newReceived.total): 'allowed' lists all 260, GET /v1/aggregates/metrics describes them",
      "未知的指标 'x'；可用的指标为 'reports'、各项指标、处理结果分组和每个单元格代码（如 applications.newReceived.total）：allowed 列出全部 260 个，GET /v1/aggregates/metrics 有说明"
    ],
    [
      "unknown cell 'a.b' (did you mean 'a.c'?); items are cell codes of FORMAT.md (e.g. applications.newReceived.total): 'allowed' lists all 250",
      "未知的单元格 'a.b'（是否是指 'a.c'？）；item 为 FORMAT.md 的单元格代码（如 applications.newReceived.total）：allowed 列出全部 250 个"
    ],
    [
      'name at least one cell code, e.g. item=applications.newReceived.total',
      '请至少指定一个单元格代码，如 item=applications.newReceived.total'
    ],
    ["unknown group key 'city'; valid keys are year, province", "未知的分组键 'city'；可用的为 year, province"],
    ["unknown statistic 'mode'; valid: mean, median", "未知的统计量 'mode'；可用的为 mean, median"],
    [
      "cannot sort by 'x': sort by a requested metric or group key (reports, year), '-' in front for descending",
      "不能按 'x' 排序：请按所请求的指标或分组键（reports, year）排序，降序在前加 '-'"
    ],
    ["unknown statistic 'mode'", "未知的统计量 'mode'"],
    ['yearFrom 2025 is after yearTo 2021', 'yearFrom 2025 晚于 yearTo 2021'],
    [
      'compare=previousYear needs years to compare: a year (year=2025), a closed range (yearFrom and yearTo) or groupBy=year',
      'compare=previousYear 需要可比较的年度：一个年度（year=2025）、一个闭区间（yearFrom 和 yearTo）或 groupBy=year'
    ]
  ]
  const used = new Set<number>()
  for (const [english, chinese] of samples) {
    t.equal(messageIn(english, 'zh'), chinese, english)
    t.equal(messageIn(english, 'en'), english, 'English as written')
    const index = MESSAGE_PATTERNS.findIndex((p) => p.test(english))
    used.add(index)
  }
  t.same(
    MESSAGE_PATTERNS.filter((_, i) => !used.has(i)).map(String),
    [],
    'every pattern has its sample here (a new message gets its Chinese and its line in this table)'
  )
  t.equal(messageIn('印作“—”，不是数字，留空（null）', 'zh'), '印作“—”，不是数字，留空（null）', 'already Chinese: kept')
  t.equal(messageIn('something no pattern knows', 'zh'), 'something no pattern knows', 'unknown: English, never guessed')

  // and over HTTP: Chinese by default, English on Accept-Language: en
  const app = await buildTestApp()
  t.teardown(() => app.close())
  const body = { name: '某局', regionCode: '999999', level: 'county', kind: 'department', colour: 'red' }
  const zh = json(await app.inject({ method: 'POST', url: '/v1/agencies', payload: body }))
  t.same(zh.errors, [{ pointer: '/colour', message: '不是已知的字段' }])
  const en = json(await app.inject({ method: 'POST', url: '/v1/agencies', payload: body, headers: { 'accept-language': 'en' } }))
  t.same(en.errors, [{ pointer: '/colour', message: 'is not a known field' }])
  const query = json(await app.inject('/v1/aggregates?groupBy=city'))
  t.equal(query.detail, "参数 groupBy 无效：未知的分组键 'city'。")
})
