// Lists as CSV: any list route can answer `Accept: text/csv` (or `?output=csv`, for a browser's address
// bar) with the same rows it serves as JSON. Spread `csvQuery` into the querystring schema, describe the
// 200 with `jsonOrCsv`, and in the handler: `if (wantsCsv(request, reply)) return sendCsv(reply, {...})`.
import { Type, type TSchema } from 'typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { toCsv, type CsvField } from '../render/index.js'

export const CSV_TYPE = 'text/csv; charset=utf-8'

/** The `bom` query parameter of every route that can answer CSV. */
export const bomQuery = Type.Optional(
  Type.Boolean({ default: false, description: 'CSV only: start with a UTF-8 byte order mark, so that Excel reads the Chinese text' })
)

/** Querystring properties of a list that can be sent as CSV. */
export const csvQuery = {
  output: Type.Optional(
    Type.Union([Type.Literal('json'), Type.Literal('csv')], {
      description: '`csv` sends the list as CSV whatever the Accept header says (for browsers); `json` likewise forces JSON'
    })
  ),
  bom: bomQuery
}

/** The `text/csv` content of a 200 response: what every CSV nianbao sends is (sendCsv writes them all). */
export const csvContent = {
  schema: Type.String({
    description:
      'RFC 4180 CSV, UTF-8, CRLF line ends, a header line with Chinese column names; blank cells are empty fields; ' +
      'a text cell starting with =, +, -, @, tab or CR (or their full-width forms) gets a leading apostrophe so that no spreadsheet runs it as a formula'
  })
}

/** The 200 response of a list route that serves JSON or CSV. */
export function jsonOrCsv(json: TSchema, description: string): TSchema {
  return { description, content: { 'application/json': { schema: json }, 'text/csv': csvContent } } as unknown as TSchema
}

/** The q-value an Accept header gives a media type (most specific matching range wins; absent header: 1 for all). */
export function quality(accept: string, type: string): number {
  const [major] = type.split('/')
  let best = -1
  let q = 0
  for (const part of accept.split(',')) {
    const [range, ...params] = part.trim().toLowerCase().split(';')
    const specificity = range === type ? 3 : range === `${major}/*` ? 2 : range === '*/*' ? 1 : 0
    if (specificity === 0 || specificity < best) continue
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='))
    const value = qParam ? Number(qParam.slice(2)) : 1
    if (specificity > best || value > q) q = Number.isFinite(value) ? value : 0
    best = specificity
  }
  return q
}

/**
 * Whether to answer with CSV: `output` decides when given; otherwise CSV only when the Accept header
 * prefers text/csv to application/json (a browser's `*\/*` keeps JSON). Sets `Vary: Accept` either way.
 */
export function wantsCsv(request: FastifyRequest, reply: FastifyReply): boolean {
  const output = (request.query as { output?: string } | undefined)?.output
  if (output !== undefined) return output === 'csv'
  reply.header('vary', 'Accept')
  const accept = request.headers.accept
  if (!accept) return false
  return quality(accept, 'text/csv') > quality(accept, 'application/json')
}

export interface CsvColumn<T> {
  /** the header, in Chinese */
  header: string
  value: (row: T) => CsvField
}

export interface CsvList<T> {
  /** ASCII file name offered to save the download as, e.g. `aggregates-2025.csv` */
  filename: string
  columns: ReadonlyArray<CsvColumn<T>>
  rows: readonly T[]
  /** from the `bom` query parameter */
  bom?: boolean
  /** the cursor of the next page, if any: sent as a `Link: <…>; rel="next"` header */
  next?: string | null
  request?: FastifyRequest
}

/** The request's own URL with `cursor` set to the next page's. */
export function nextUrl(request: FastifyRequest, cursor: string): string {
  const url = new URL(request.url, 'http://x')
  url.searchParams.set('cursor', cursor)
  return `${url.pathname}?${url.searchParams.toString()}`
}

export function sendCsv<T>(reply: FastifyReply, list: CsvList<T>): FastifyReply {
  const text = toCsv(
    list.columns.map((c) => c.header),
    list.rows.map((row) => list.columns.map((c) => c.value(row))),
    { bom: list.bom === true }
  )
  const filename = list.filename.replace(/[^A-Za-z0-9._-]+/g, '') || 'list.csv'
  reply.code(200).type(CSV_TYPE).header('content-disposition', `attachment; filename="${filename}"`)
  if (list.next && list.request) reply.header('link', `<${nextUrl(list.request, list.next)}>; rel="next"`)
  return reply.send(text)
}
