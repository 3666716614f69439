// Problem titles and details in Chinese by default, in English on Accept-Language: en.
import t from 'tap'
import { buildTestApp, json, sampleReport } from '../helper.js'
import { CATALOGUE_PATTERNS, detailIn } from '../../src/problem-text.js'

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
