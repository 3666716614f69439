// Problem titles and details in Chinese by default, in English on Accept-Language: en.
import t from 'tap'
import { buildTestApp, json } from '../helper.js'
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
