// The hostile import bodies of the security review, by shape: each is what one anonymous caller may send to
// POST /v1/imports within the body limit. Shared by bench/hostile-imports.ts and the tests.

export interface HostileBody {
  name: string
  contentType: string
  body: Buffer
}

const MiB = 1024 * 1024

/** 15 MiB of text on one line: headings' words over and over, never a line break. */
export function singleLineText(bytes = 15 * MiB): HostileBody {
  const unit = '一、总体情况 二、主动公开政府信息情况 三、收到和处理政府信息公开申请情况 四、政府信息公开行政复议、行政诉讼情况 '
  const one = Buffer.from(unit)
  return { name: `${(bytes / MiB).toFixed(1)} MiB single-line text`, contentType: 'text/plain; charset=utf-8', body: repeatTo(one, bytes) }
}

/** 13 MB of character references in one paragraph. */
export function htmlEntities(bytes = 13_000_000): HostileBody {
  const head = Buffer.from('<!doctype html><html><head><meta charset="utf-8"><title>2025年政府信息公开工作年度报告</title></head><body><p>')
  const tail = Buffer.from('</p></body></html>')
  const entities = repeatTo(Buffer.from('&amp;&#x4e00;&lt;&#20108;&nbsp;'), bytes - head.length - tail.length)
  return { name: `${(bytes / 1e6).toFixed(1)} MB of HTML entities`, contentType: 'text/html; charset=utf-8', body: Buffer.concat([head, entities, tail]) }
}

/** A 6.5 MB table of rows with a label and numbers, under the report's headings. */
export function bigTable(bytes = 6_500_000): HostileBody {
  const head = Buffer.from(
    '<!doctype html><html><head><meta charset="utf-8"><title>2025年政府信息公开工作年度报告</title></head><body><p>一、总体情况</p><p>二、主动公开政府信息情况</p><table>'
  )
  const tail = Buffer.from('</table><p>三、收到和处理政府信息公开申请情况</p></body></html>')
  const rows = repeatTo(Buffer.from('<tr><td>规章</td><td>1</td><td>2</td><td>3</td><td>本年新收政府信息公开申请数量</td><td>4</td></tr>'), bytes - head.length - tail.length)
  return { name: `${(bytes / 1e6).toFixed(1)} MB table`, contentType: 'text/html; charset=utf-8', body: Buffer.concat([head, rows, tail]) }
}

/** 200 KB of bytes that are not valid GBK, declared as a GBK page. */
export function badGbk(bytes = 200_000, seed = 1): HostileBody {
  const body = Buffer.alloc(bytes)
  let x = seed
  for (let i = 0; i < bytes; i++) {
    x = (x * 1103515245 + 12345) >>> 0
    // lead bytes without valid trail bytes, and stray high bytes
    body[i] = i % 2 === 0 ? 0x81 + ((x >>> 16) % 0x7e) : (x >>> 8) & 0x3f
  }
  return { name: `${bytes / 1000} KB of bad GBK`, contentType: 'text/html; charset=gbk', body }
}

export const HOSTILE_SHAPES = [singleLineText, htmlEntities, bigTable, badGbk]

/** Whole copies of `unit` (never a character cut in two), as many as fit in `bytes`. */
function repeatTo(unit: Buffer, bytes: number): Buffer {
  const out = Buffer.alloc(Math.max(0, Math.floor(bytes / unit.length) * unit.length))
  for (let at = 0; at < out.length; at += unit.length) unit.copy(out, at)
  return out
}
