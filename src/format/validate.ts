// Makes a schema-valid body into a report document, or throws a 422 listing every fault that depends on
// the format (which the JSON schema cannot see). Only bodies the JSON schema has validated come here: what
// the schema has checked (texts' lengths, whole counts, bounds) is not checked again (checkShape's
// `schemaValidated`); imports, which never meet the schema, call checkShape for all of it.
import type { Static } from 'typebox'
import { unprocessable } from '../errors.js'
import type { ReportReplaceSchema } from '../schemas/report.js'
import { checkShape, type ReportInput } from './document.js'

const SCHEMA_VALIDATED = { schemaValidated: true }

/** A report body as its schema (ReportInput or ReportReplace) has validated it; the tables are checked here. */
export type ReportBody = Static<typeof ReportReplaceSchema> | Partial<ReportInput>

export function toReportInput(body: ReportBody, key: { agencyId?: number; year?: number } = {}, base = ''): ReportInput {
  const input = { scope: 'own', publishedAt: null, title: null, sourceUrl: null, ...body, ...key } as ReportInput
  const errors = checkShape(input, base, SCHEMA_VALIDATED)
  if (errors.length) throw unprocessable('The report does not match its format; see errors.', errors)
  return input
}

/** The same for each report of a batch, collecting every item's faults before throwing. */
export function toReportInputs(bodies: ReportBody[]): ReportInput[] {
  const errors = []
  const inputs: ReportInput[] = []
  for (let i = 0; i < bodies.length; i++) {
    const input = { scope: 'own', publishedAt: null, title: null, sourceUrl: null, ...bodies[i] } as ReportInput
    errors.push(...checkShape(input, `/reports/${i}`, SCHEMA_VALIDATED))
    inputs.push(input)
  }
  if (errors.length) throw unprocessable('Some reports do not match their format; nothing was written. See errors.', errors)
  return inputs
}
