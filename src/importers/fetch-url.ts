// Fetching a published report by its URL, behind a guard against server-side request forgery: a
// caller must not be able to make the service read its own network. Only http(s), only hosts of
// the allow-list, only public addresses — checked on the address actually connected to (the DNS
// answer is checked inside the connection's own lookup, so it cannot change between check and
// use) and again for every redirect — with a limit on size, on time and on redirects.
import { BlockList, isIP } from 'node:net'
import { lookup as dnsLookup, type LookupAddress } from 'node:dns'
import http from 'node:http'
import https from 'node:https'
import { parse } from 'parse5'
import type { DefaultTreeAdapterMap } from 'parse5'
import type { Language } from './messages.js'

export interface FetchPolicy {
  /** host names allowed: `www.example.gov.cn`, `*.gov.cn` (the domain and its subdomains), or `*` for any public host */
  hosts: string[]
  /** the largest response, in bytes */
  maxBytes: number
  /** the whole fetch (redirects and the attached file included), in ms */
  timeoutMs: number
  maxRedirects?: number
  /** tests only: let the guard connect to the loopback addresses (127.0.0.0/8, ::1) */
  allowLoopback?: boolean
}

export interface Fetched {
  /** the URL answered, after redirects */
  url: string
  contentType: string
  body: Buffer
}

type Texts = Record<Language, string>

/** A fetch the guard refused or that failed; the message says which and why. */
export class FetchError extends Error {
  readonly text: Texts
  constructor(text: Texts) {
    super(text.en)
    this.name = 'FetchError'
    this.text = text
  }
}

const NOT_PUBLIC = new BlockList()
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4]
] as const)
  NOT_PUBLIC.addSubnet(net, prefix, 'ipv4')
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96],
  ['64:ff9b:1::', 48],
  ['100::', 64],
  ['2001::', 23],
  ['2001:db8::', 32],
  ['2002::', 16],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8]
] as const)
  NOT_PUBLIC.addSubnet(net, prefix, 'ipv6')
const LOOPBACK = new BlockList()
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4')
LOOPBACK.addAddress('::1', 'ipv6')

/** An IPv4 address written as IPv6 (`::ffff:10.0.0.1`) is checked as the IPv4 address it is. */
const unmapped = (address: string) => /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1] ?? address

export function isPublicAddress(address: string): boolean {
  const plain = unmapped(address)
  const family = isIP(plain)
  if (family === 0) return false
  if (family === 6 && /^::ffff:/i.test(plain)) return false // a mapped address in hexadecimal form
  return !NOT_PUBLIC.check(plain, family === 4 ? 'ipv4' : 'ipv6')
}

function allowedAddress(address: string, policy: FetchPolicy): boolean {
  const plain = unmapped(address)
  if (policy.allowLoopback && isIP(plain) && LOOPBACK.check(plain, isIP(plain) === 4 ? 'ipv4' : 'ipv6')) return true
  return isPublicAddress(plain)
}

export function hostAllowed(host: string, hosts: string[]): boolean {
  const name = host.toLowerCase().replace(/\.$/, '')
  return hosts.some((pattern) => {
    const p = pattern.toLowerCase().trim()
    if (p === '*') return true
    if (p.startsWith('*.')) return name === p.slice(2) || name.endsWith(p.slice(1))
    return name === p
  })
}

const refuse = (zh: string, en: string) => new FetchError({ zh, en })

/** The URL checked before any connection: scheme, credentials, host on the allow-list, a literal address. */
function checkUrl(raw: string, policy: FetchPolicy): URL {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw refuse(`不是有效的网址：${raw}`, `not a valid URL: ${raw}`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw refuse(`只能读取 http 或 https 网址，不能读取 ${url.protocol}`, `only http and https URLs are fetched, not ${url.protocol}`)
  if (url.username || url.password) throw refuse('网址中不能含用户名或密码', 'a URL with a user name or password is not fetched')
  const host = url.hostname.replace(/^\[|\]$/g, '')
  if (!hostAllowed(host, policy.hosts))
    throw refuse(
      `主机 ${host} 不在允许读取的名单（IMPORT_URL_HOSTS）中`,
      `the host ${host} is not among the hosts imports may be fetched from (IMPORT_URL_HOSTS)`
    )
  if (isIP(host) && !allowedAddress(host, policy)) throw refuse(`地址 ${host} 不是公网地址`, `the address ${host} is not a public address`)
  return url
}

/** dns.lookup, refusing any answer that holds an address the policy does not allow. */
function guardedLookup(policy: FetchPolicy) {
  return (hostname: string, options: { all?: boolean; family?: number }, callback: (...args: unknown[]) => void) => {
    dnsLookup(hostname, { all: true, family: options.family ?? 0 }, (err, addresses: LookupAddress[]) => {
      if (err) return callback(err)
      const bad = addresses.find((a) => !allowedAddress(a.address, policy))
      if (bad || addresses.length === 0) {
        return callback(
          Object.assign(new Error(`${hostname} resolves to ${bad?.address ?? 'no address'}, which is not a public address`), {
            code: 'NIANBAO_NOT_PUBLIC',
            address: bad?.address
          })
        )
      }
      if (options.all) return callback(null, addresses)
      callback(null, addresses[0].address, addresses[0].family)
    })
  }
}

const REDIRECTS = new Set([301, 302, 303, 307, 308])

/** GETs `raw` within the policy, following redirects (each one checked like the first URL). */
export async function fetchGuarded(raw: string, policy: FetchPolicy, deadline = Date.now() + policy.timeoutMs): Promise<Fetched> {
  let url = checkUrl(raw, policy)
  for (let hop = 0; ; hop++) {
    const answer = await getOnce(url, policy, deadline)
    if ('location' in answer) {
      if (hop >= (policy.maxRedirects ?? 5))
        throw refuse(`重定向超过 ${policy.maxRedirects ?? 5} 次`, `more than ${policy.maxRedirects ?? 5} redirects`)
      url = checkUrl(new URL(answer.location, url).toString(), policy)
      continue
    }
    return answer
  }
}

function getOnce(url: URL, policy: FetchPolicy, deadline: number): Promise<Fetched | { location: string }> {
  const left = deadline - Date.now()
  if (left <= 0) return Promise.reject(timedOut(policy))
  return new Promise((resolve, reject) => {
    const client = url.protocol === 'https:' ? https : http
    const req = client.get(
      url,
      {
        agent: false, // no pooled connection: each one goes through the guarded lookup
        lookup: guardedLookup(policy) as never,
        headers: {
          'user-agent': 'nianbao report import',
          accept: 'text/html, application/pdf, application/vnd.openxmlformats-officedocument.wordprocessingml.document;q=0.9, */*;q=0.5'
        }
      },
      (res) => {
        const status = res.statusCode ?? 0
        if (REDIRECTS.has(status) && res.headers.location) {
          res.resume()
          return resolve({ location: res.headers.location })
        }
        if (status < 200 || status > 299) {
          res.resume()
          return reject(refuse(`${url} 返回 HTTP ${status}`, `${url} answered HTTP ${status}`))
        }
        const declared = Number(res.headers['content-length'] ?? NaN)
        if (declared > policy.maxBytes) {
          res.destroy()
          return reject(tooLarge(policy))
        }
        const chunks: Buffer[] = []
        let size = 0
        res.on('data', (chunk: Buffer) => {
          size += chunk.length
          if (size > policy.maxBytes) {
            res.destroy()
            req.destroy()
            reject(tooLarge(policy))
            return
          }
          chunks.push(chunk)
        })
        res.on('end', () =>
          resolve({ url: url.toString(), contentType: String(res.headers['content-type'] ?? ''), body: Buffer.concat(chunks) })
        )
        res.on('error', (err) => reject(failed(url, err)))
      }
    )
    const timer = setTimeout(() => {
      req.destroy()
      reject(timedOut(policy))
    }, left)
    req.on('close', () => clearTimeout(timer))
    req.on('error', (err: Error & { code?: string; address?: string }) => {
      clearTimeout(timer)
      if (err.code === 'NIANBAO_NOT_PUBLIC')
        reject(
          refuse(
            `${url.hostname} 解析到的地址 ${err.address ?? ''} 不是公网地址`,
            `${url.hostname} resolves to ${err.address ?? 'no address'}, which is not a public address`
          )
        )
      else reject(failed(url, err))
    })
  })
}

const tooLarge = (policy: FetchPolicy) =>
  refuse(
    `响应超过 ${policy.maxBytes} 字节（IMPORT_URL_MAX_BYTES）`,
    `the response is larger than ${policy.maxBytes} bytes (IMPORT_URL_MAX_BYTES)`
  )
const timedOut = (policy: FetchPolicy) =>
  refuse(
    `读取超过 ${policy.timeoutMs} 毫秒未完成（IMPORT_URL_TIMEOUT_MS）`,
    `the fetch did not finish within ${policy.timeoutMs} ms (IMPORT_URL_TIMEOUT_MS)`
  )
const failed = (url: URL, err: Error & { code?: string }) =>
  refuse(`无法读取 ${url}：${err.code ?? err.message}`, `${url} could not be fetched: ${err.code ?? err.message}`)

// ---------------------------------------------------------------- the attached report file (附件)

type Node = DefaultTreeAdapterMap['node']
type Element = DefaultTreeAdapterMap['element']
const FILE = /\.(pdf|docx?)$/i

/**
 * The report files a page links to (附件): links to .pdf, .docx or .doc files, those whose text or
 * name says 年度报告 first, in page order; absolute, without duplicates.
 */
export function attachmentLinks(html: string, base: string): string[] {
  const links: Array<{ url: string; score: number; order: number }> = []
  const textOf = (n: Node): string =>
    n.nodeName === '#text'
      ? (n as DefaultTreeAdapterMap['textNode']).value
      : 'childNodes' in n
        ? (n as Element).childNodes.map(textOf).join('')
        : ''
  const visit = (n: Node) => {
    if ('tagName' in n && n.tagName === 'a') {
      const href = n.attrs.find((a) => a.name === 'href')?.value
      if (href) {
        let url: URL | null = null
        try {
          url = new URL(href.trim(), base)
        } catch {
          url = null
        }
        const text = textOf(n)
        if (url && (url.protocol === 'http:' || url.protocol === 'https:') && (FILE.test(url.pathname) || FILE.test(text.trim()))) {
          url.hash = ''
          const named = /年度报告|年报/.test(text) || /年度报告|年报/.test(decodeURIComponent(url.pathname))
          links.push({ url: url.toString(), score: named ? 0 : 1, order: links.length })
        }
      }
    }
    if ('childNodes' in n) for (const c of (n as Element).childNodes) visit(c)
  }
  visit(parse(html))
  const seen = new Set<string>()
  return links
    .sort((a, b) => a.score - b.score || a.order - b.order)
    .filter((l) => !seen.has(l.url) && seen.add(l.url))
    .map((l) => l.url)
}
