// Hostile import bodies of every shape the security review used, mixed at random: lines without end,
// character references, tables of many rows, nesting thousands deep, bytes that are not valid in their
// declared charset, files that only start like a PDF or a DOCX, sections past their limit (all refused). Whatever the
// shape: the answer is a 2xx or a problem+json 4xx (or a 503 with Retry-After when the pool is full) —
// never another 5xx — a refused import changes not one byte of the database, and /healthz is answered
// between them. The pool's budget is short here, so that the slow shapes end at it.
import t from 'tap'
import fc from 'fast-check'
import { createHash } from 'node:crypto'
import { buildTestApp, json } from '../helper.js'
import { SECTION_MAX_LENGTH } from '../../src/format/registry.js'
import { HOSTILE } from '../fixtures/hostile.js'

const app = await buildTestApp({ imports: { workers: 1, queue: 2, timeoutMs: 1500 } })
t.teardown(() => app.close())

async function digest(): Promise<string> {
  const hash = createHash('sha256')
  for (const table of ['agencies', 'reports', 'report_cells', 'report_revisions', 'findings', 'rollup', 'idempotency_keys']) {
    for (const row of (await app.engine.all(`SELECT * FROM ${table}`)).map((r) => JSON.stringify(r)).sort()) hash.update(row)
  }
  return hash.digest('hex')
}

const HEAD = '<!doctype html><html><head><meta charset="utf-8"><title>2025年政府信息公开工作年度报告</title></head><body>'
const headings = '一、总体情况\n二、主动公开政府信息情况\n三、收到和处理政府信息公开申请情况\n四、政府信息公开行政复议、行政诉讼情况\n'

/** One hostile body: its media type and bytes, from a shape and a size. */
const hostile = fc.oneof(
  fc.record({ name: fc.constantFrom(...Object.keys(HOSTILE)), bytes: fc.integer({ min: 100, max: 400_000 }) }).map(({ name, bytes }) => ({
    shape: name,
    ...HOSTILE[name](bytes)
  })),
  fc
    .record({ n: fc.integer({ min: 1_000, max: 400_000 }), unit: fc.constantFrom('一、总体情况 ', '行政许可3960181', '，', 'a', '表三') })
    .map(({ n, unit }) => ({
      shape: 'one long line',
      contentType: 'text/plain; charset=utf-8',
      body: Buffer.from(unit.repeat(Math.ceil(n / unit.length)))
    })),
  fc
    .record({
      n: fc.integer({ min: 1_000, max: 200_000 }),
      entity: fc.constantFrom('&amp;', '&#x4e00;', '&#20108;', '&nbsp;', '&#xD800;', '&#0;', '&bogus;')
    })
    .map(({ n, entity }) => ({
      shape: 'character references',
      contentType: 'text/html; charset=utf-8',
      body: Buffer.from(`${HEAD}<p>${entity.repeat(n)}</p></body></html>`)
    })),
  fc.record({ rows: fc.integer({ min: 10, max: 20_000 }), cells: fc.integer({ min: 1, max: 12 }) }).map(({ rows, cells }) => ({
    shape: 'a table',
    contentType: 'text/html; charset=utf-8',
    body: Buffer.from(
      `${HEAD}<p>二、主动公开政府信息情况</p><table>${`<tr>${'<td>规章 1</td>'.repeat(cells)}</tr>`.repeat(rows)}</table></body></html>`
    )
  })),
  fc
    .record({ depth: fc.integer({ min: 100, max: 5_000 }), tag: fc.constantFrom('div', 'table', 'span', 'td', 'li') })
    .map(({ depth, tag }) => ({
      shape: 'deep nesting',
      contentType: 'text/html; charset=utf-8',
      body: Buffer.from(`${HEAD}${`<${tag}>`.repeat(depth)}一、总体情况${`</${tag}>`.repeat(depth)}</body></html>`)
    })),
  fc
    .record({
      bytes: fc.uint8Array({ minLength: 1, maxLength: 200_000 }),
      charset: fc.constantFrom('gbk', 'gb18030', 'utf-8', 'big5', 'x-unknown'),
      html: fc.boolean()
    })
    .map(({ bytes, charset, html }) => ({
      shape: 'bytes in a declared charset',
      contentType: `${html ? 'text/html' : 'text/plain'}; charset=${charset}`,
      body: Buffer.from(bytes)
    })),
  fc
    .record({
      head: fc.constantFrom('%PDF-1.7\n', 'PK\u0003\u0004word/document.xml', '\u00d0\u00cf\u0011\u00e0\u00a1\u00b1\u001a\u00e1'),
      tail: fc.uint8Array({ maxLength: 50_000 }),
      type: fc.constantFrom(
        'application/pdf',
        'application/octet-stream',
        'application/vnd.openxmlformats-officedocument.wordprocessingml.document'
      )
    })
    .map(({ head, tail, type }) => ({
      shape: 'a file that only starts right',
      contentType: type,
      body: Buffer.concat([Buffer.from(head, 'latin1'), Buffer.from(tail)])
    })),
  fc.integer({ min: 1, max: 50_000 }).map((extra) => ({
    shape: 'a section past its limit',
    contentType: 'text/plain; charset=utf-8',
    body: Buffer.from(
      `2025年互助县城市管理综合行政执法局政府信息公开工作年度报告\n${headings.split('\n')[0]}\n${'公'.repeat(SECTION_MAX_LENGTH + extra)}\n${headings.split('\n').slice(1).join('\n')}`
    )
  }))
)

t.test('hostile imports: a 2xx or a problem, never a crash, nothing changed by a refusal, /healthz answered', async (t) => {
  const seen = new Map<string, Set<number>>()
  await fc.assert(
    fc.asyncProperty(hostile, fc.boolean(), async ({ shape, contentType, body }, commit) => {
      const before = await digest()
      const res = await app.inject({
        method: 'POST',
        url: `/v1/imports${commit ? '?commit=true' : ''}`,
        headers: { 'content-type': contentType },
        payload: body
      })
      seen.set(shape, (seen.get(shape) ?? new Set()).add(res.statusCode))
      if (res.statusCode >= 500) {
        if (res.statusCode !== 503) return false
        if (!res.headers['retry-after']) return false
      }
      if (res.statusCode >= 400) {
        if (!String(res.headers['content-type']).startsWith('application/problem+json')) return false
        const problem = json(res)
        if (problem.status !== res.statusCode || /at \w+ \(|node_modules|\.ts:\d/.test(res.body)) return false
        if ((await digest()) !== before) return false
      }
      const health = await app.inject('/healthz')
      return health.statusCode === 200
    }),
    { numRuns: 40, seed: Number(process.env.FUZZ_SEED ?? 20261204) }
  )
  t.ok(seen.size >= 6, `shapes tried: ${[...seen].map(([s, codes]) => `${s} → ${[...codes].join('/')}`).join('; ')}`)
  t.same(app.importPool.stats().busy, 0, 'no import left running')
})
