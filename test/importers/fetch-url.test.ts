// The guard of imports by URL, without a network: what it refuses before any connection, and after DNS.
import t from 'tap'
import { attachmentLinks, fetchGuarded, hostAllowed, isPublicAddress, type FetchPolicy } from '../../src/importers/fetch-url.js'

t.test('public addresses only', async (t) => {
  for (const a of ['8.8.8.8', '1.2.3.4', '223.5.5.5', '2400:3200::1', '2606:4700:4700::1111']) t.ok(isPublicAddress(a), a)
  for (const a of [
    '127.0.0.1',
    '127.8.9.10',
    '10.0.0.1',
    '172.16.5.4',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '255.255.255.255',
    '198.18.0.1',
    '::1',
    '::',
    'fe80::1',
    'fc00::1',
    'fd12:3456::1',
    'ff02::1',
    '::ffff:127.0.0.1',
    '::ffff:10.1.2.3',
    '::ffff:7f00:1',
    '2001:db8::1',
    '64:ff9b::a00:1',
    'not-an-address'
  ])
    t.notOk(isPublicAddress(a), a)
})

t.test('the allow-list', async (t) => {
  t.ok(hostAllowed('www.gov.cn', ['*.gov.cn']))
  t.ok(hostAllowed('gov.cn', ['*.gov.cn']))
  t.ok(hostAllowed('WWW.Pingtan.GOV.cn.', ['*.gov.cn']))
  t.notOk(hostAllowed('evilgov.cn', ['*.gov.cn']))
  t.notOk(hostAllowed('gov.cn.evil.com', ['*.gov.cn']))
  t.ok(hostAllowed('www.example.gov.cn', ['www.example.gov.cn']))
  t.notOk(hostAllowed('a.www.example.gov.cn', ['www.example.gov.cn']))
  t.ok(hostAllowed('anything.example', ['*']))
  t.notOk(hostAllowed('anything.example', []))
})

t.test('refused before any connection, or after DNS, with the reason', async (t) => {
  const policy: FetchPolicy = { hosts: ['*'], maxBytes: 1024, timeoutMs: 2000 }
  const refused = async (url: string, p = policy) =>
    fetchGuarded(url, p).then(
      () => 'fetched',
      (err: Error) => err.message
    )
  t.equal(await refused('file:///etc/passwd'), 'only http and https URLs are fetched, not file:')
  t.equal(await refused('ftp://example.gov.cn/a.pdf'), 'only http and https URLs are fetched, not ftp:')
  t.equal(await refused('http://user:secret@example.gov.cn/'), 'a URL with a user name or password is not fetched')
  t.equal(await refused('not a url'), 'not a valid URL: not a url')
  t.equal(await refused('http://10.0.0.1/report.pdf'), 'the address 10.0.0.1 is not a public address')
  t.equal(await refused('http://169.254.169.254/latest/meta-data/'), 'the address 169.254.169.254 is not a public address')
  t.equal(await refused('http://[::1]:3000/'), 'the address ::1 is not a public address')
  t.equal(await refused('http://[::ffff:127.0.0.1]/'), 'the address ::ffff:7f00:1 is not a public address')
  t.equal(
    await refused('http://127.0.0.1:1/', { ...policy, hosts: ['*.gov.cn'] }),
    'the host 127.0.0.1 is not among the hosts imports may be fetched from (IMPORT_URL_HOSTS)'
  )
  // a name that resolves to a loopback address: refused inside the connection's own lookup
  t.equal(await refused('http://localhost:1/'), 'localhost resolves to 127.0.0.1, which is not a public address')
})

t.test('the attached report files of a page', async (t) => {
  const page = `<html><body><a href="/">首页</a><a href="list.html">列表</a>
    <p>附件：<a href="/files/plan.pdf">工作计划.pdf</a></p>
    <p>附件：<a href="../files/%E5%B9%B4%E5%BA%A6%E6%8A%A5%E5%91%8A.docx#p1">2025年度报告</a></p>
    <a href="download?id=3">某局2025年政府信息公开工作年度报告.pdf</a>
    <a href="javascript:void(0)">x.pdf</a><a href="/files/plan.pdf">again</a></body></html>`
  t.same(attachmentLinks(page, 'https://www.example.gov.cn/zwgk/nb/notice.html'), [
    'https://www.example.gov.cn/zwgk/files/%E5%B9%B4%E5%BA%A6%E6%8A%A5%E5%91%8A.docx',
    'https://www.example.gov.cn/zwgk/nb/download?id=3',
    'https://www.example.gov.cn/files/plan.pdf'
  ])
})
