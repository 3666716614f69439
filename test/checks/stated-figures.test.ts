// Reading the figures a report's text states (TX-01's reader): for each figure, sentences that state
// it, and sentences that must stay silent — each silent one is a way a careless reader would raise a
// false alarm.
import t from 'tap'
import { readStatedFigures } from '../../src/checks/index.js'

const read = (text: string, options: { scope?: 'own' | 'aggregate'; year?: number } = {}) =>
  readStatedFigures(text, { year: options.year ?? 2024, scope: options.scope ?? 'own' }).map((f) => `${f.target} ${f.value}`)

/** Every sentence reads as exactly the figures given. */
function reads(
  t: Pick<typeof import('tap').default, 'same'>,
  cases: Array<[string, string[]]>,
  options?: { scope?: 'own' | 'aggregate'; year?: number }
) {
  for (const [text, figures] of cases) t.same(read(text, options), figures, text)
}

t.test('a sentence naming several figures ties each number to its own keyword', async (t) => {
  reads(t, [
    ['依申请公开方面，收到申请120件，办结115件，其中撤回3件。', ['newReceived 120', 'outcomesTotal 115']],
    [
      '2024年，本机关共收到政府信息公开申请120件，办结115件，结转下年度继续办理5件。',
      ['newReceived 120', 'outcomesTotal 115', 'carriedForward 5']
    ],
    ['依申请公开：收到申请120件、办结115件、4件结转至2025年度办理。', ['newReceived 120', 'outcomesTotal 115', 'carriedForward 4']],
    ['因政府信息公开申请被申请行政复议3件、提起行政诉讼2件。', ['review 3', 'litigation 2']],
    ['本年制发行政规范性文件8件，截至2024年底现行有效规范性文件66件。', ['normativeIssued 8', 'normativeInForce 66']]
  ])
})

t.test('what it returns: the phrase, the sentence as written and where the phrase is in it', async (t) => {
  const text = '（二）依申请公开情况。\n  本年度全区共收到 70 件申请，及时依法依规办结69件，1件结转下年度继续办理。下一步将加强培训。'
  t.same(readStatedFigures(text, { year: 2021, scope: 'aggregate' }), [
    {
      target: 'newReceived',
      value: 70,
      phrase: '收到70件申请',
      sentence: '本年度全区共收到 70 件申请，及时依法依规办结69件，1件结转下年度继续办理。',
      at: 6
    },
    {
      target: 'outcomesTotal',
      value: 69,
      phrase: '办结69件',
      sentence: '本年度全区共收到 70 件申请，及时依法依规办结69件，1件结转下年度继续办理。',
      at: 22
    },
    {
      target: 'carriedForward',
      value: 1,
      phrase: '1件结转下年度',
      sentence: '本年度全区共收到 70 件申请，及时依法依规办结69件，1件结转下年度继续办理。',
      at: 28
    }
  ])
})

t.test('收到 / 新收 / 受理: applications received', async (t) => {
  reads(t, [
    ['依申请公开：收到政府信息公开申请120件。', ['newReceived 120']],
    ['本年新收政府信息公开申请数量为120件。', ['newReceived 120']],
    ['全年共受理政府信息公开申请 3119 件，答复 3050 件（含上年度结转申请 34 件）。', ['newReceived 3119']],
    ['依申请公开方面，本年度共收到70件申请。', ['newReceived 70']],
    ['依申请公开：收到申请1,200件。', ['newReceived 1200']],
    ['本年度未收到政府信息公开申请。', ['newReceived 0']],
    ['依申请公开：收到申请0件。', ['newReceived 0']],
    ['2024年收到政府信息公开申请120件，较2023年增加20件。', ['newReceived 120']]
  ])
  reads(t, [
    // what it includes of last year's follows at once: the 125 may be new and carried over together
    ['依申请公开：共收到政府信息公开申请125件，其中上年结转5件。', []],
    ['依申请公开：共收到政府信息公开申请125件（含上年结转5件）。', []],
    // a part, another period, another matter
    ['依申请公开：其中，通过网上申请收到申请80件。', []],
    ['依申请公开：上年收到申请100件。', []],
    ['依申请公开：2023年收到申请100件。', []],
    ['二〇二三年收到政府信息公开申请10件。', []],
    ['依申请公开：1—6月收到申请60件。', []],
    ['依申请公开：市政府本级收到申请30件。', []],
    ['依申请公开：自然人收到申请？收到自然人申请100件。', []],
    ['政务服务中心全年受理申请3000件。', []],
    ['全年受理行政许可申请3000件。', []],
    ['收到申请120件。', []],
    ['依申请公开：累计收到申请900件。', []],
    // the word that is not a count of applications
    ['依申请公开：收到申请120件次。', []],
    ['依申请公开：收到申请人来信120件。', []]
  ])
})

t.test('full-width digits, Chinese numerals and approximate numbers never give a figure', async (t) => {
  reads(t, [
    ['依申请公开：收到政府信息公开申请１２０件，办结115件。', ['outcomesTotal 115']],
    ['依申请公开：收到政府信息公开申请一百二十件。', []],
    ['依申请公开：收到政府信息公开申请120余件。', []],
    ['依申请公开：收到政府信息公开申请120多件。', []],
    ['依申请公开：收到政府信息公开申请约120件，近100件已办结。', []],
    ['依申请公开：共收到申请近120件。', []],
    ['依申请公开：收到政府信息公开申请120件左右。', []],
    ['依申请公开：收到政府信息公开申请120件以上。', []],
    ['依申请公开：办结逾100件。', []],
    ['依申请公开：收到政府信息公开申请1.2万件。', []],
    ['依申请公开：收到申请12.5件。', []],
    ['依申请公开：约3件结转下年度。', []]
  ])
})

t.test('an area or the body: who the figure is about', async (t) => {
  const area = '依申请公开：全县共收到政府信息公开申请300件。'
  const body = '依申请公开：本机关共收到政府信息公开申请30件。'
  t.same(read(area, { scope: 'own' }), [], 'an own report: the county is not the body')
  t.same(read(area, { scope: 'aggregate' }), ['newReceived 300'], 'an aggregate report: the county is the area')
  t.same(read(body, { scope: 'own' }), ['newReceived 30'])
  t.same(read(body, { scope: 'aggregate' }), [], 'an aggregate report: the body alone is not the area')
  reads(t, [['依申请公开：全市各级行政机关共收到政府信息公开申请3119件，市级各部门收到1200件。', ['newReceived 3119']]], {
    scope: 'aggregate'
  })
  reads(t, [['依申请公开：本部门共收到政府信息公开申请5件。', ['newReceived 5']]])
})

t.test('办结: applications processed, not received, withdrawn or carried over', async (t) => {
  reads(t, [
    ['依申请公开：办结115件。', ['outcomesTotal 115']],
    ['依申请公开：共办结政府信息公开申请115件（含上年结转3件）。', ['outcomesTotal 115']],
    ['依申请公开：本年度收到申请70件，及时依法依规办结69件。', ['newReceived 70', 'outcomesTotal 69']]
  ])
  reads(t, [
    ['依申请公开：收到并办结申请120件。', []],
    ['依申请公开：本年度未办结3件。', []],
    ['依申请公开：尚待办结3件。', []],
    ['依申请公开：按期办结110件。', []],
    ['依申请公开：其中已办结110件。', []],
    ['依申请公开：办结上年结转申请3件。', []],
    ['依申请公开：办结率100%。', []],
    ['依申请公开：全部办结，撤回3件。', []],
    // processed what? not applications
    ['全年承办人大代表建议20件，已全部办结20件。', []],
    ['依申请公开工作平稳。全年承办人大代表建议20件，办结20件。', []]
  ])
})

t.test('上年结转 and 结转下年度: carried over from last year and to next year', async (t) => {
  reads(t, [
    ['依申请公开：上年结转申请5件，本年新收政府信息公开申请120件。', ['carriedOver 5', 'newReceived 120']],
    ['依申请公开：上年度结转的政府信息公开申请2件已办结。', ['carriedOver 2']],
    ['依申请公开：结转下年度3件。', ['carriedForward 3']],
    ['依申请公开：结转至下一年度继续办理的申请3件。', ['carriedForward 3']],
    ['依申请公开：另有 103 件顺延到下年度答复。', ['carriedForward 103']],
    ['依申请公开：4件结转至2025年度办理。', ['carriedForward 4']]
  ])
  reads(t, [
    // a part of what was processed, or what was done with them
    ['依申请公开：办结115件，其中上年结转3件。', ['outcomesTotal 115']],
    ['依申请公开：答复3050件（含上年度结转申请34件）。', []],
    ['依申请公开：办结115件，结转3件。', ['outcomesTotal 115']],
    ['依申请公开：其中3件结转下年度。', []],
    ['依申请公开：4件结转至2026年度办理。', []],
    ['依申请公开：2023年结转申请2件。', []]
  ])
})

t.test('行政复议 and 行政诉讼 against the body, about information disclosure', async (t) => {
  reads(t, [
    ['政府信息公开行政复议 351件，其中结果维持 72 件；政府信息公开行政诉讼 46 件，其中结果维持 25件。', ['review 351', 'litigation 46']],
    ['因政府信息公开引发2起行政复议，被提起1起行政诉讼。', ['review 2', 'litigation 1']],
    ['因政府信息公开被申请行政复议0件，行政诉讼0件。', ['review 0', 'litigation 0']]
  ])
  reads(t, [
    ['全年办理行政复议案件350件。', []],
    ['全年政府信息公开行政复议机关受理行政复议申请35件。', []],
    ['全年被申请行政复议3件。', []],
    ['政府信息公开方面，引发行政复议和行政诉讼3件。', []],
    ['因政府信息公开发生3起行政复议、行政诉讼。', []],
    ['政府信息公开行政复议后提起行政诉讼2件。', []],
    ['政府信息公开申请人未经复议直接提起行政诉讼2件。', []],
    ['政府信息公开行政复议被纠错1件。', []],
    ['政府信息公开行政复议、行政诉讼各1件。', []],
    ['因政府信息公开被申请行政复议约3件。', []]
  ])
})

t.test('制发 / 印发 and 现行有效 规范性文件', async (t) => {
  reads(t, [
    ['本年制发行政规范性文件8件。', ['normativeIssued 8']],
    ['全年印发规范性文件共8件。', ['normativeIssued 8']],
    ['本年制发8件行政规范性文件。', ['normativeIssued 8']],
    ['现行有效的行政规范性文件66件。', ['normativeInForce 66']],
    ['本机关行政规范性文件现行有效66件。', ['normativeInForce 66']],
    ['截至2024年12月31日，现行有效规范性文件66件。', ['normativeInForce 66']]
  ])
  reads(t, [
    ['以市政府名义印发规范性文件5件，以市政府办公室名义印发3件。', []],
    ['全年主动公开行政规范性文件34件。', []],
    ['制发规章和规范性文件10件。', []],
    ['印发文件120件。', []],
    ['审核规范性文件8件。', []],
    ['截至2025年3月现行有效规范性文件66件。', []],
    ['市政府规章和行政规范性文件现行有效80件。', []],
    ['计划制发规范性文件10件。', []]
  ])
})

t.test('the same figure twice in a sentence: one figure; with two values: none', async (t) => {
  t.same(read('依申请公开：收到申请120件，即本年新收政府信息公开申请120件。'), ['newReceived 120'])
  t.same(read('依申请公开：收到申请120件，受理申请118件。'), [])
})

t.test('whitespace and line breaks inside a figure, as PDF text has them; a new line ends a sentence', async (t) => {
  t.same(read('依申请公开：全年共受理政府信息公开申请 3 119 件。'), ['newReceived 3119'])
  t.same(read('依申请公开：办\u3000结 115\u00a0件。'), ['outcomesTotal 115'])
  t.same(read('依申请公开：收到申请\n120件。'), [], 'a line end splits the figure: nothing is read')
})
