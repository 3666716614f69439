// Makes a schema-valid body into a report document, or throws a 422 listing every fault that depends on
// the format (which the JSON schema cannot see).
import { unprocessable } from '../errors.js'
import { checkShape, type ReportInput } from './document.js'

export function toReportInput(body: Partial<ReportInput>, key: { agencyId?: number; year?: number } = {}, base = ''): ReportInput {
  const input = { scope: 'own', publishedAt: null, title: null, sourceUrl: null, ...body, ...key } as ReportInput
  const errors = checkShape(input, base)
  if (errors.length) throw unprocessable('The report does not match its format; see errors.', errors)
  return input
}

/** The same for each report of a batch, collecting every item's faults before throwing. */
export function toReportInputs(bodies: Array<Partial<ReportInput>>): ReportInput[] {
  const errors = []
  const inputs: ReportInput[] = []
  for (let i = 0; i < bodies.length; i++) {
    const input = { scope: 'own', publishedAt: null, title: null, sourceUrl: null, ...bodies[i] } as ReportInput
    errors.push(...checkShape(input, `/reports/${i}`))
    inputs.push(input)
  }
  if (errors.length) throw unprocessable('Some reports do not match their format; nothing was written. See errors.', errors)
  return inputs
}
