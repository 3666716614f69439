import t from 'tap'
import { buildTestApp } from '../helper.js'

t.test('regions: provinces, children, one region with its path', async (t) => {
  const app = await buildTestApp()
  t.teardown(() => app.close())
  const get = async (url: string, status = 200) => {
    const res = await app.inject(url)
    t.equal(res.statusCode, status, url)
    return JSON.parse(res.body)
  }
  const provinces = await get('/v1/regions')
  t.equal(provinces.items.length, 34)
  t.same(provinces.items[0], { code: '110000', name: '北京市', level: 'province', parent: null })
  t.ok(provinces.items.some((p: { code: string; name: string }) => p.code === '630000' && p.name === '青海省'))
  t.equal(provinces.parent, null)

  for (const parent of ['63', '630000']) {
    const qinghai = await get(`/v1/regions?parent=${parent}`)
    t.equal(qinghai.parentName, '青海省')
    t.same(
      qinghai.items.map((r: { code: string }) => r.code),
      ['630100', '630200', '632200', '632300', '632500', '632600', '632700', '632800']
    )
    t.same(qinghai.items[1], { code: '630200', name: '海东市', level: 'prefecture', parent: '630000' })
  }
  const haidong = await get('/v1/regions?parent=6302')
  t.same(
    haidong.items.map((r: { name: string }) => r.name),
    ['乐都区', '平安区', '民和回族土族自治县', '互助土族自治县', '化隆回族自治县', '循化撒拉族自治县']
  )
  t.same((await get('/v1/regions?parent=630200')).items, haidong.items)
  const beijing = await get('/v1/regions?parent=11')
  t.ok(
    beijing.items.some((r: { code: string; level: string }) => r.code === '110105' && r.level === 'county'),
    'a municipality’s districts hang under it'
  )
  t.same((await get('/v1/regions?parent=630223')).items, [], 'a county has no children')

  t.same(await get('/v1/regions/630223'), {
    code: '630223',
    name: '互助土族自治县',
    level: 'county',
    parent: '630200',
    path: [
      { code: '630000', name: '青海省', level: 'province', parent: null },
      { code: '630200', name: '海东市', level: 'prefecture', parent: '630000' },
      { code: '630223', name: '互助土族自治县', level: 'county', parent: '630200' }
    ]
  })
  t.same(await get('/v1/regions/000000'), { code: '000000', name: '全国', level: 'national', parent: null, path: [] })
  t.match(await get('/v1/regions/630299', 404), { status: 404, detail: 'GB/T 2260 中没有区划 630299。' })
  await get('/v1/regions?parent=6300', 404)
  await get('/v1/regions?parent=99', 404)
  await get('/v1/regions?parent=00', 404)
  t.match(await get('/v1/regions/6302', 400), { errors: [{ parameter: 'code' }] })
  t.match(await get('/v1/regions?parent=630', 400), { errors: [{ parameter: 'parent' }] })
  await get('/v1/regions?level=county', 400)
})
