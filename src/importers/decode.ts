// Bytes of a fetched page → text. Government sites still serve GBK / GB2312 / GB18030 pages, and
// some declare their charset only in a <meta>. The order follows the HTML standard: a byte order
// mark, then the HTTP charset, then <meta charset> / http-equiv in the first bytes, else UTF-8.

import { TextDecoder } from 'node:util'

const ALIASES: Record<string, string> = {
  gb2312: 'gbk',
  'gb_2312-80': 'gbk',
  'x-gbk': 'gbk',
  cp936: 'gbk',
  'windows-936': 'gbk',
  'x-euc-cn': 'gbk',
  'euc-cn': 'gbk'
}

/** A decoder for a charset label (or a whole `text/html; charset=…` header value), if Node has one. */
function decoderFor(label: string | undefined): TextDecoder | null {
  if (!label) return null
  const name = (/charset\s*=\s*([^;\s]+)/i.exec(label)?.[1] ?? label)
    .trim()
    .replace(/^["']|["']$/g, '')
    .toLowerCase()
  try {
    return new TextDecoder(ALIASES[name] ?? name)
  } catch {
    return null
  }
}

function bomEncoding(body: Buffer): string | null {
  if (body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf) return 'utf-8'
  if (body[0] === 0xfe && body[1] === 0xff) return 'utf-16be'
  if (body[0] === 0xff && body[1] === 0xfe) return 'utf-16le'
  return null
}

/** The charset a page declares in its first bytes (`<meta charset>` or an http-equiv Content-Type). */
function metaCharset(body: Buffer): string | undefined {
  const head = body.subarray(0, 4096).toString('latin1')
  for (const m of head.matchAll(/<meta\b[^>]*>/gi)) {
    const tag = m[0]
    const direct = /\bcharset\s*=\s*["']?\s*([\w.:-]+)/i.exec(tag)
    if (direct) return direct[1]
  }
  return undefined
}

export function decodeHtml(body: Buffer, declaredCharset?: string): string {
  const bom = bomEncoding(body)
  if (bom) return new TextDecoder(bom).decode(body)
  const declared = decoderFor(declaredCharset)
  if (declared) return declared.decode(body)
  const meta = decoderFor(metaCharset(body))
  // a page cannot truly be UTF-16 if its <meta> is readable as ASCII: the standard reads it as UTF-8
  if (meta && !meta.encoding.startsWith('utf-16')) return meta.decode(body)
  return new TextDecoder('utf-8').decode(body)
}
