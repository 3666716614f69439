// The level and kind of an agency a committed import creates, from the end of its name.
import t from 'tap'
import { describeAgency } from '../../src/importers/agency-kind.js'

t.test('each rule of the README, and a name none reads', async (t) => {
  const county = { level: 'county' as const }
  const prefecture = { level: 'prefecture' as const }
  const cases: Array<[string, { level: 'county' | 'prefecture' | 'province' }, unknown]> = [
    ['平潭综合实验区', county, { level: 'county', kind: 'government' }],
    ['平潭综合实验区管理委员会', county, { level: 'county', kind: 'government' }],
    ['兰州新区管委会', prefecture, { level: 'prefectural', kind: 'government' }],
    ['淮安市人民政府', prefecture, { level: 'prefectural', kind: 'government' }],
    ['淮安市人民政府办公室', prefecture, { level: 'prefectural', kind: 'generalOffice' }],
    ['互助县城市管理综合行政执法局', county, { level: 'county', kind: 'department' }],
    ['互助县发展和改革委员会', county, { level: 'county', kind: 'department' }],
    ['互助县威远镇人民政府', county, { level: 'township', kind: 'township' }],
    ['互助县威远镇', county, { level: 'township', kind: 'township' }],
    ['某某区新华街道办事处', county, { level: 'township', kind: 'township' }]
  ]
  for (const [name, region, expected] of cases) t.match(describeAgency(name, region), expected, name)
  for (const name of ['互助县住房公积金管理中心', '互助县人民医院', '互助县气象站']) {
    t.match(describeAgency(name, county), { unsure: /none of the words/ }, `${name}: asked, not guessed`)
  }
})
