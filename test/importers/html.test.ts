// Saved web pages: Word-exported tables inside a site's furniture, and GBK-encoded pages.
import t from 'tap'
import { getCell } from '../../src/format/document.js'
import { decodeHtml, importHtml, type ImportResult } from '../../src/importers/index.js'
import { encodeGbk } from '../fixtures/gbk.js'

const cell = (r: ImportResult, code: string) => getCell(r.report as unknown as Record<string, unknown>, code)
const o = '<span style="font-family:宋体"><o:p> </o:p></span>'
const p = (text: string) => `<p class="MsoNormal"><span style="font-family:仿宋_GB2312">${text}</span>${o}</p>`
const td = (text: string, attrs = '') => `<td${attrs} style="border:solid windowtext 1.0pt">${p(text)}</td>`

const applicants = ['自然人', '商业企业', '科研机构', '社会公益组织', '法律服务机构', '其他', '总计']

function page(charset = 'utf-8'): string {
  const row = (label: string, values: string[], lead = '') => `<tr>${lead}${td(label)}${values.map((v) => td(v)).join('')}</tr>`
  return `<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset=${charset}">
<meta name="PubDate" content="2023-01-30 10:00">
<title>某某县卫生健康局2022年政府信息公开工作年度报告_年度报告_某某县人民政府</title>
<script>var nav = "二、主动公开政府信息情况 规章 9 9 9";</script></head>
<body>
<div class="nav"><a href="/">首页</a> <a href="/zwgk">政务公开</a> 网站地图</div>
<table class="layout"><tr><td class="sidebar">相关链接</td><td class="content">
<div class="article">
<h1>某某县卫生健康局2022年政府信息公开工作年度报告</h1>
${p('一、总体情况')}
${p('2022年，我局认真贯彻落实《中华人民共和国政府信息公开条例》。')}
${p('二、主动公开政府信息情况')}
<table border="1">
<tr>${td('第二十条第（一）项', ' colspan="4"')}</tr>
<tr>${td('信息内容')}${td('本年制发件数')}${td('本年废止件数')}${td('现行有效件数')}</tr>
<tr>${td('规章')}${td('&nbsp;0')}${td('0')}${td('0')}</tr>
<tr>${td('行政规范性文件')}${td('')}${td('1')}${td('12')}</tr>
<tr>${td('第二十条第（五）项', ' colspan="4"')}</tr>
<tr>${td('信息内容')}${td('本年处理决定数量', ' colspan="3"')}</tr>
<tr>${td('行政许可')}${td('1,024', ' colspan="3"')}</tr>
<tr>${td('第二十条第（六）项', ' colspan="4"')}</tr>
<tr>${td('信息内容')}${td('本年处理决定数量', ' colspan="3"')}</tr>
<tr>${td('行政处罚')}${td('35', ' colspan="3"')}</tr>
<tr>${td('行政强制')}${td('—', ' colspan="3"')}</tr>
<tr>${td('第二十条第（八）项', ' colspan="4"')}</tr>
<tr>${td('信息内容')}${td('本年收费金额（单位：万元）', ' colspan="3"')}</tr>
<tr>${td('行政事业性收费')}${td('0.5', ' colspan="3"')}</tr>
</table>
${p('三、收到和处理政府信息公开申请情况')}
<table border="1">
<tr>${td('（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）', ' rowspan="3" colspan="3"')}${td('申请人情况', ' colspan="8"')}</tr>
<tr>${td('自然人', ' colspan="2"')}${td('法人或其他组织', ' colspan="5"')}${td('总计', ' rowspan="2"')}</tr>
<tr>${td('&nbsp;')}${applicants
    .slice(1, 6)
    .map((a) => td(a))
    .join('')}</tr>
${row('一、本年新收政府信息公开申请数量', ['5', '1', '0', '0', '0', '0', '6'])}
${row('二、上年结转政府信息公开申请数量', ['1', '0', '0', '0', '0', '0', '1'])}
${row('（一）予以公开', ['3', '1', '0', '0', '0', '0', '4'], td('三、本年度办理结果', ' rowspan="22"'))}
${row('（二）部分公开（区分处理的，只计这一情形，不计其他情形）', ['1', '0', '0', '0', '0', '0', '1'])}
${row('1.属于国家秘密', ['0', '0', '0', '0', '0', '0', '0'], td('（三）不予公开', ' rowspan="8"'))}
${row('2.其他法律行政法规禁止公开', ['0', '', '0', '0', '0', '0', '0'])}
${row('7.属于行政执法案卷', ['2', '0', '0', '0', '0', '0', '2'])}
${row('（七）总计', ['4', '1', '0', '0', '0', '0', '5'])}
${row('四、结转下年度继续办理', ['2', '0', '0', '0', '0', '0', '2'])}
</table>
${p('四、政府信息公开行政复议、行政诉讼情况')}
<table border="1">
<tr>${td('行政复议', ' colspan="5"')}${td('行政诉讼', ' colspan="10"')}</tr>
<tr>${td('结果<br>维持', ' rowspan="2"')}${td('结果<br>纠正', ' rowspan="2"')}${td('其他<br>结果', ' rowspan="2"')}${td('尚未<br>审结', ' rowspan="2"')}${td('总计', ' rowspan="2"')}${td('未经复议直接起诉', ' colspan="5"')}${td('复议后起诉', ' colspan="5"')}</tr>
<tr>${['结果维持', '结果纠正', '其他结果', '尚未审结', '总计', '结果维持', '结果纠正', '其他结果', '尚未审结', '总计'].map((h) => td(h)).join('')}</tr>
<tr>${['1', '0', '0', '0', '1', '0', '1', '0', '0', '1', '0', '0', '0', '0', '0'].map((v) => td(v)).join('')}</tr>
</table>
${p('五、存在的主要问题及改进情况')}
${p('一是公开内容还不够全面。')}
${p('二是解读形式还不够丰富。')}
${p('六、其他需要报告的事项')}
${p('本年度未收取信息处理费。')}
<p style="text-align:right">某某县卫生健康局</p><p style="text-align:right">2023年1月20日</p>
</div></td></tr></table>
<div class="footer"><p>版权所有：某某县人民政府</p><p>扫一扫在手机打开当前页</p></div>
</body></html>`
}

t.test('a Word-exported report inside a site page', async (t) => {
  const r = importHtml(page())
  t.equal(r.report.year, 2022)
  t.equal(r.report.format, '2021')
  t.equal(r.report.title, '某某县卫生健康局2022年政府信息公开工作年度报告')
  t.equal(r.agencyName, '某某县卫生健康局')
  t.equal(r.report.publishedAt, '2023-01-30', '<meta name="PubDate"> before the signature date')
  t.equal(r.report.scope, 'own')
  t.equal(cell(r, 'proactive.regulations.issued'), 0, '&nbsp;0 is 0')
  t.equal(cell(r, 'proactive.normativeDocuments.issued'), null, 'a blank cell stays null')
  t.equal(cell(r, 'proactive.normativeDocuments.inForce'), 12)
  t.equal(cell(r, 'proactive.licensing.decisions'), 1024)
  t.equal(cell(r, 'proactive.coercion.decisions'), null, 'a dash is not a zero')
  t.ok(r.warnings.some((w) => 'cell' in w.params && w.params.cell === 'proactive.coercion.decisions'))
  t.equal(cell(r, 'proactive.fees.amountWanYuan'), 0.5)
  t.equal(cell(r, 'applications.newReceived.naturalPerson'), 5, 'seven data cells by order under a misaligned header')
  t.equal(cell(r, 'applications.newReceived.commercialEnterprise'), 1)
  t.equal(cell(r, 'applications.newReceived.total'), 6)
  t.equal(cell(r, 'applications.outcomes.granted.total'), 4, 'beside the rowspan label 三、本年度办理结果')
  t.equal(cell(r, 'applications.outcomes.denied.stateSecret.total'), 0)
  t.equal(cell(r, 'applications.outcomes.denied.prohibitedByLaw.commercialEnterprise'), null)
  t.equal(cell(r, 'applications.outcomes.denied.prohibitedByLaw.researchInstitution'), 0)
  t.equal(cell(r, 'applications.outcomes.denied.enforcementFile.naturalPerson'), 2)
  t.equal(cell(r, 'applications.outcomes.denied.internalAffairs.total'), null, 'a row the page does not print')
  t.equal(cell(r, 'applications.outcomes.total.total'), 5)
  t.equal(cell(r, 'applications.carriedForward.naturalPerson'), 2)
  t.equal(cell(r, 'reviewLitigation.review.upheld'), 1)
  t.equal(cell(r, 'reviewLitigation.litigationDirect.corrected'), 1)
  t.equal(cell(r, 'reviewLitigation.litigationDirect.total'), 1)
  t.equal(cell(r, 'reviewLitigation.litigationAfterReview.total'), 0)
  t.match(r.provenance['applications.newReceived.total'], { text: '6', table: 2, row: 4, column: 8 })
  t.same(r.report.sections, {
    overview: '2022年，我局认真贯彻落实《中华人民共和国政府信息公开条例》。',
    problems: '一是公开内容还不够全面。\n二是解读形式还不够丰富。',
    otherMatters: '本年度未收取信息处理费。'
  })
})

t.test('a GBK page decodes by its <meta> and imports', async (t) => {
  const html = page('gb2312').replace('&nbsp;0', '0')
  const bytes = encodeGbk(html)
  t.not(bytes.toString('utf8'), html, 'the bytes are not UTF-8')
  const decoded = decodeHtml(bytes)
  t.equal(decoded, html)
  const r = importHtml(decoded)
  t.equal(r.agencyName, '某某县卫生健康局')
  t.equal(cell(r, 'applications.newReceived.total'), 6)
  t.equal(cell(r, 'proactive.licensing.decisions'), 1024)
})

t.test('charset: the HTTP header first, then <meta>, else UTF-8', async (t) => {
  const gbk = encodeGbk('<html><head><meta charset="utf-8"></head><body>政府信息公开</body></html>')
  t.match(decodeHtml(gbk, 'GBK'), /政府信息公开/, 'the declared charset beats the page')
  t.match(decodeHtml(gbk, 'text/html; charset="gb18030"'), /政府信息公开/, 'a whole Content-Type value')
  t.notMatch(decodeHtml(gbk), /政府信息公开/, 'the page says utf-8 and is read so')
  const utf8 = Buffer.from('<html><body>年度报告</body></html>', 'utf8')
  t.equal(decodeHtml(utf8), '<html><body>年度报告</body></html>')
  t.equal(decodeHtml(utf8, 'no-such-charset'), '<html><body>年度报告</body></html>', 'an unknown label falls back')
  const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8])
  t.equal(decodeHtml(bom, 'gbk'), '<html><body>年度报告</body></html>', 'a byte order mark wins')
})
