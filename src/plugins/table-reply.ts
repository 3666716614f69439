// Tables for spreadsheets: routes whose rows an office opens in Excel or WPS answer JSON, CSV or XLSX.
// `output` decides when given (a browser link); otherwise the Accept header's preference, JSON by default.
import { Type, type TSchema } from 'typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { CSV_TYPE, bomQuery, csvContent, nextUrl, quality, sendCsv } from './csv-reply.js'
import { XLSX_TYPE, renderXlsx } from '../render/xlsx.js'
import type { Column } from '../aggregates/csv.js'
import { plainAmount } from '../format/money.js'

export type TableOutput = 'json' | 'csv' | 'xlsx'

/** Querystring properties of a route that answers JSON, CSV or XLSX. */
export const tableQuery = {
  output: Type.Optional(
    Type.Union([Type.Literal('json'), Type.Literal('csv'), Type.Literal('xlsx')], {
      description:
        '`csv` or `xlsx` (an Excel/WPS workbook) whatever the Accept header says (for browser links); `json` likewise forces JSON'
    })
  ),
  bom: bomQuery
}

/** The 200 response of a route that serves JSON, CSV or XLSX. */
export function jsonCsvOrXlsx(json: TSchema, description: string): TSchema {
  return {
    description,
    content: {
      'application/json': { schema: json },
      'text/csv': csvContent,
      [XLSX_TYPE]: {
        schema: Type.String({
          format: 'binary',
          description: 'An XLSX workbook: one sheet, the same columns as the CSV; code columns are text, text cells never formulas'
        })
      }
    }
  } as unknown as TSchema
}

/** The representation to send. Sets `Vary: Accept` when the header decided. */
export function tableOutput(request: FastifyRequest, reply: FastifyReply): TableOutput {
  const output = (request.query as { output?: TableOutput } | undefined)?.output
  if (output !== undefined) return output
  reply.header('vary', 'Accept')
  const accept = request.headers.accept
  if (!accept) return 'json'
  const json = quality(accept, 'application/json')
  const csv = quality(accept, 'text/csv')
  const xlsx = quality(accept, XLSX_TYPE)
  if (xlsx > json && xlsx >= csv) return 'xlsx'
  if (csv > json) return 'csv'
  return 'json'
}

export interface TableReply<T> {
  /** ASCII file name without extension, e.g. `aggregates` */
  basename: string
  /** the XLSX sheet's name */
  sheet: string
  columns: ReadonlyArray<Column<T>>
  rows: readonly T[]
  bom?: boolean
  next?: string | null
  request?: FastifyRequest
}

/** The rows as CSV or XLSX, with a download file name and, for a paged list, `Link: <…>; rel="next"`. */
export function sendTable<T>(reply: FastifyReply, output: 'csv' | 'xlsx', table: TableReply<T>): FastifyReply {
  const basename = table.basename.replace(/[^A-Za-z0-9._-]+/g, '') || 'table'
  // a sum too large for a double's digits is written as its exact decimal (a number cell in XLSX)
  const columns = table.columns.map((c) => ({ ...c, value: (row: T) => plainAmount(c.value(row)) }))
  if (output === 'csv') {
    return sendCsv(reply, {
      filename: `${basename}.csv`,
      columns,
      rows: table.rows,
      bom: table.bom,
      next: table.next,
      request: table.request
    })
  }
  const body = renderXlsx([
    {
      name: table.sheet,
      header: columns.map((c) => c.header),
      types: columns.map((c) => (c.type === 'string' ? 'text' : 'number')),
      rows: table.rows.map((row) => columns.map((c) => c.value(row)))
    }
  ])
  reply.code(200).type(XLSX_TYPE).header('content-disposition', `attachment; filename="${basename}.xlsx"`)
  if (table.next && table.request) reply.header('link', `<${nextUrl(table.request, table.next)}>; rel="next"`)
  return reply.send(Buffer.from(body.buffer, body.byteOffset, body.byteLength))
}

export { CSV_TYPE }
