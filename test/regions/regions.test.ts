import t from 'tap'
import {
  childrenOf,
  getRegion,
  inferRegion,
  isValidRegionCode,
  regionName,
  regionOfPrefix,
  regionPath,
  subdivisionsOf
} from '../../src/regions/index.js'
import { regionIndex } from '../../src/regions/dataset.js'
import { aliasesOf, countyStemOf, stripNationalities } from '../../src/regions/short-names.js'

const codes = (list: readonly { code: string }[]) => list.map((r) => r.code)
const inferred = (name: string) => inferRegion(name)?.region.code

t.test('getRegion: province, prefecture, county', async (t) => {
  t.same(getRegion('630223'), { code: '630223', name: '互助土族自治县', level: 'county', parent: '630200' })
  t.same(getRegion('630200'), { code: '630200', name: '海东市', level: 'prefecture', parent: '630000' })
  t.same(getRegion('630000'), { code: '630000', name: '青海省', level: 'province', parent: null })
  t.equal(getRegion('630299'), undefined)
  t.equal(getRegion('63'), undefined, 'only full codes')
  t.equal(getRegion(' 630223'), undefined)
  t.equal(getRegion('000000'), undefined, 'national bodies have a valid code but no region')
})

t.test('only GB/T 2260 codes are kept from the statistical list', async (t) => {
  t.equal(getRegion('130101'), undefined, '市辖区 placeholders are not areas')
  t.equal(getRegion('620201'), undefined, '嘉峪关 has no counties in GB/T 2260')
  t.equal(getRegion('320571'), undefined, 'NBS development zones (71–80) are dropped: 苏州工业园区')
  t.equal(getRegion('620171'), undefined, '兰州新区')
  t.equal(getRegion('810001'), undefined, 'no county codes for Hong Kong')
  t.equal(getRegion('810000')?.name, '香港特别行政区')
  t.equal(getRegion('710000')?.name, '台湾省')
  t.same(childrenOf('81'), [])
})

t.test('the data set is one consistent tree', async (t) => {
  const { all } = regionIndex()
  const by = (level: string) => all.filter((r) => r.level === level)
  t.equal(by('province').length, 34)
  t.ok(by('prefecture').length > 330 && by('prefecture').length < 345, `${by('prefecture').length} prefectures`)
  t.ok(by('county').length > 2800 && by('county').length < 2900, `${by('county').length} counties`)
  t.equal(new Set(codes(all)).size, all.length, 'codes are unique')
  const bad = all.filter(
    (r) =>
      !/^\d{6}$/.test(r.code) ||
      r.name === '市辖区' ||
      (r.parent === null) !== (r.level === 'province') ||
      (r.parent !== null && !r.code.startsWith(r.parent.slice(0, r.level === 'county' && !r.parent.endsWith('0000') ? 4 : 2)))
  )
  t.same(bad, [], 'every code is six digits under its parent')
  t.same(
    all.filter((r) => r.parent !== null && !getRegion(r.parent)),
    [],
    'every parent exists'
  )
})

t.test('isValidRegionCode', async (t) => {
  t.equal(isValidRegionCode('630223'), true)
  t.equal(isValidRegionCode('630200'), true)
  t.equal(isValidRegionCode('630000'), true)
  t.equal(isValidRegionCode('000000'), true, 'national bodies')
  t.equal(isValidRegionCode('659001'), true, '石河子市 (XPCC)')
  t.equal(isValidRegionCode('110100'), false, 'municipal 市辖区 level is no region')
  t.equal(isValidRegionCode('999999'), false)
  t.equal(isValidRegionCode('63022'), false)
  t.equal(isValidRegionCode('6302230'), false)
  t.equal(isValidRegionCode(''), false)
})

t.test('childrenOf', async (t) => {
  const provinces = childrenOf(null)
  t.equal(provinces.length, 34)
  t.same(provinces[0], { code: '110000', name: '北京市', level: 'province', parent: null })
  t.ok(provinces.every((r) => r.level === 'province'))

  const qinghai = [
    '西宁市',
    '海东市',
    '海北藏族自治州',
    '黄南藏族自治州',
    '海南藏族自治州',
    '果洛藏族自治州',
    '玉树藏族自治州',
    '海西蒙古族藏族自治州'
  ]
  t.same(
    childrenOf('63').map((r) => r.name),
    qinghai
  )
  t.same(
    childrenOf('630000').map((r) => r.name),
    qinghai
  )

  const haidong = ['630202', '630203', '630222', '630223', '630224', '630225']
  t.same(codes(childrenOf('6302')), haidong)
  t.same(codes(childrenOf('630200')), haidong)
  t.same(childrenOf('630223'), [], 'a county has no children')
  t.same(childrenOf('6399'), [])
  t.same(childrenOf('99'), [])
  t.same(childrenOf('abc'), [])

  const list = childrenOf('63')
  list.pop()
  t.equal(childrenOf('63').length, 8, 'callers get a copy')
})

t.test('municipalities: districts hang directly under the province', async (t) => {
  const beijing = childrenOf('110000')
  t.equal(beijing.length, 16)
  t.same(beijing[2], { code: '110105', name: '朝阳区', level: 'county', parent: '110000' })
  t.same(codes(childrenOf('11')), codes(beijing))
  t.same(codes(childrenOf('1101')), codes(beijing), "the prefix '1101' selects them too")
  t.same(codes(childrenOf('110100')), codes(beijing))
  t.equal(getRegion('110100'), undefined)
  t.equal(regionName('1101'), '北京市')
  t.equal(regionName('110100'), '北京市')

  t.equal(childrenOf('500000').length, 38, '重庆: 26 districts and 12 counties')
  t.equal(childrenOf('5001').length, 26)
  t.same(
    childrenOf('5002')
      .map((r) => r.name)
      .slice(0, 2),
    ['城口县', '丰都县']
  )
  t.equal(regionName('5002'), '重庆市')
  t.same(codes(regionPath('110105')), ['110000', '110105'])
  t.equal(getRegion('310115')?.parent, '310000')
  t.equal(getRegion('120116')?.name, '滨海新区')
})

t.test('directly administered county-level units', async (t) => {
  t.same(getRegion('429000'), { code: '429000', name: '省直辖县级行政区划', level: 'prefecture', parent: '420000' })
  t.same(
    childrenOf('4290').map((r) => r.name),
    ['仙桃市', '潜江市', '天门市', '神农架林区']
  )
  t.same(
    regionPath('429004').map((r) => r.name),
    ['湖北省', '省直辖县级行政区划', '仙桃市']
  )
  t.equal(childrenOf('469000').length, 15, '海南: 五指山 … 琼中')
  t.equal(getRegion('419001')?.name, '济源市')

  // 新疆生产建设兵团 has no code of its own; its cities are the 6590xx county-level units.
  t.same(getRegion('659000'), { code: '659000', name: '自治区直辖县级行政区划', level: 'prefecture', parent: '650000' })
  t.same(getRegion('659001'), { code: '659001', name: '石河子市', level: 'county', parent: '659000' })
  t.equal(getRegion('659011')?.name, '新星市')
  t.equal(regionName('6590'), '自治区直辖县级行政区划')
})

t.test('prefectures without counties', async (t) => {
  for (const [code, name] of [
    ['441900', '东莞市'],
    ['442000', '中山市'],
    ['460400', '儋州市'],
    ['620200', '嘉峪关市']
  ]) {
    t.equal(getRegion(code)?.level, 'prefecture', name)
    t.equal(getRegion(code)?.name, name)
    t.same(childrenOf(code), [], `${name} has no counties`)
  }
})

t.test('regionPath', async (t) => {
  t.same(
    regionPath('630223').map((r) => r.name),
    ['青海省', '海东市', '互助土族自治县']
  )
  t.same(codes(regionPath('630200')), ['630000', '630200'])
  t.same(codes(regionPath('630000')), ['630000'])
  t.same(regionPath('999999'), [])
  t.same(regionPath('000000'), [])
})

t.test('regionName', async (t) => {
  t.equal(regionName('63'), '青海省')
  t.equal(regionName('630000'), '青海省')
  t.equal(regionName('6302'), '海东市')
  t.equal(regionName('630200'), '海东市')
  t.equal(regionName('630223'), '互助土族自治县')
  t.equal(regionName('81'), '香港特别行政区')
  t.equal(regionName('000000'), '全国')
  t.equal(regionName('00'), '全国')
  t.equal(regionName('99'), null)
  t.equal(regionName('6399'), null)
  t.equal(regionName('6300'), null, 'a four-digit prefix names a prefecture')
  t.equal(regionName('630299'), null)
  t.equal(regionName('630'), null)
})

t.test('inferRegion: the examples of the report fixtures', async (t) => {
  t.same(inferRegion('互助县城市管理综合行政执法局'), { region: getRegion('630223'), matched: '互助县' })
  t.equal(inferred('淮安市人民政府'), '320800')
  t.equal(inferred('上海市人民政府办公厅'), '310000')
  t.same(inferRegion('平潭综合实验区管委会'), { region: getRegion('350128'), matched: '平潭' })
  t.equal(getRegion('350128')?.name, '平潭县')
  t.equal(inferred('青海省人民政府'), '630000')
  t.equal(inferred('朝阳区人民政府'), undefined, '朝阳区 is in 北京 and in 长春')
  t.same(inferRegion('北京市朝阳区人民政府'), { region: getRegion('110105'), matched: '北京市朝阳区' })
})

t.test('inferRegion: chains, short forms and ambiguity', async (t) => {
  t.equal(inferred('长春市朝阳区人民政府'), '220104')
  t.equal(inferred('北京朝阳区城市管理委员会'), '110105', 'a short province name still scopes')
  t.equal(inferred('海东市乐都区人民政府'), '630202')
  t.equal(inferred('青海省海东市互助土族自治县人民政府'), '630223')
  t.equal(inferred('海东市人民政府'), '630200')
  t.equal(inferred('海东城市管理局'), '630200', '海东 ↔ 海东市')
  t.equal(inferred('淮安市淮安区人民政府'), '320803')
  t.equal(inferred('重庆市城口县人民政府'), '500229')
  t.equal(inferred('广西壮族自治区人民政府'), '450000')
  t.equal(inferred('广西南宁市人民政府'), '450100')
  t.equal(inferred('内蒙古鄂温克旗人民政府'), '150724')
  t.equal(inferred('海西州人民政府'), '632800')
  t.equal(inferred('长白县人民政府'), '220623', '长白朝鲜族自治县, not 长')
  t.equal(inferred('东乡县人民政府'), '622926')
  t.equal(inferred('石河子市人民政府'), '659001')
  t.equal(inferred('仙桃市人民政府'), '429004')
  t.equal(inferred('东莞市人民政府'), '441900')
  t.equal(inferred('吉林市人民政府'), '220200')
  t.equal(inferred('吉林省人民政府'), '220000')
  t.equal(inferred('吉林大学'), undefined, '吉林 is a province and a city')
  t.equal(inferred('海南州人民政府'), '632500')
  t.equal(inferred('海南省人民政府'), '460000')
  t.equal(inferred('三明市三元区人民政府'), undefined, 'the data set keeps 350403 and 350404 三元区')
  t.equal(inferred('公安局'), undefined, 'bare county stems are not names (公安县)')
  t.equal(inferred('国务院办公厅'), undefined)
  t.equal(inferred('人民政府'), undefined)
  t.equal(inferred(''), undefined)
  t.equal(inferred('互助'), undefined, 'a bare county stem alone says nothing')
  t.equal(inferred('南沙新区管委会'), '440115', 'a zone after a county stem')
  t.equal(inferred('江北新区管委会'), undefined, '江北区 is in 宁波 and in 重庆')
})

t.test('short names', async (t) => {
  t.equal(stripNationalities('互助土族'), '互助')
  t.equal(stripNationalities('积石山保安族东乡族撒拉族'), '积石山')
  t.equal(stripNationalities('彭水苗族土家族'), '彭水')
  t.equal(stripNationalities('长白朝鲜族'), '长白')
  t.equal(stripNationalities('博尔塔拉蒙古'), '博尔塔拉')
  t.equal(stripNationalities('内蒙古'), '内蒙古')
  t.equal(stripNationalities('西藏'), '西藏')
  t.equal(stripNationalities('鄂温克族'), '鄂温克')
  t.equal(stripNationalities('龙胜各族'), '龙胜')
  t.same(aliasesOf(getRegion('630223')!), ['互助土族自治县', '互助县'])
  t.same(aliasesOf(getRegion('632800')!), ['海西蒙古族藏族自治州', '海西州', '海西'])
  t.same(aliasesOf(getRegion('650000')!), ['新疆维吾尔自治区', '新疆'])
  t.same(aliasesOf(getRegion('810000')!), ['香港特别行政区', '香港'])
  t.same(aliasesOf(getRegion('542500')!), ['阿里地区', '阿里'])
  t.same(aliasesOf(getRegion('110105')!), ['朝阳区'])
  t.same(aliasesOf(getRegion('429000')!), [])
  t.equal(countyStemOf(getRegion('350128')!), '平潭')
  t.equal(countyStemOf(getRegion('500233')!), undefined, '忠县: a one-character stem')
  t.equal(countyStemOf(getRegion('630200')!), undefined)
})

t.test('subdivisionsOf: the direct sub-divisions whose governments publish summaries', async (t) => {
  t.same(codes(subdivisionsOf('630200')), ['630202', '630203', '630222', '630223', '630224', '630225'])
  t.same(codes(subdivisionsOf('630000')), codes(childrenOf('63')), 'a province without 直辖 groups: its prefectures')
  const hubei = codes(subdivisionsOf('420000'))
  t.same(
    hubei.filter((c) => c.startsWith('429')),
    ['429004', '429005', '429006', '429021']
  )
  t.equal(hubei.length, childrenOf('42').length - 1 + 4, 'the group replaced by its four counties')
  t.same(hubei, [...hubei].sort(), 'by code')
  const hainan = codes(subdivisionsOf('460000'))
  t.ok(hainan.includes('469001') && !hainan.includes('469000'))
  t.notOk(
    codes(subdivisionsOf('650000')).some((c) => c.startsWith('659')),
    'the 兵团 cities are not the 自治区’s'
  )
  t.same(codes(subdivisionsOf('110000')), codes(childrenOf('11')), 'a municipality: its districts')
  t.same(subdivisionsOf('630223'), [], 'a county')
  t.same(subdivisionsOf('441900'), [], 'a prefecture without counties')
  t.same(subdivisionsOf('810000'), [])
  t.same(subdivisionsOf('000000'), [])
  t.same(subdivisionsOf('6302'), [], 'only full codes')
})

t.test('regionOfPrefix: the province or prefecture a prefix names', async (t) => {
  t.equal(regionOfPrefix('63')?.code, '630000')
  t.equal(regionOfPrefix('6302')?.code, '630200')
  t.equal(regionOfPrefix('630200')?.code, '630200')
  t.equal(regionOfPrefix('630223')?.code, '630223')
  t.equal(regionOfPrefix('1101'), undefined, 'a municipality’s 市辖区 prefix is not a region')
  t.equal(regionOfPrefix('00'), undefined)
  t.equal(regionOfPrefix('9901'), undefined)
})
