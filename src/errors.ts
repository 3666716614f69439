// Typed domain errors. Domain code and repositories throw these; one error handler turns them into
// RFC 9457 problem details.
import createError from '@fastify/error'

export interface FieldError {
  pointer?: string
  parameter?: string
  message: string
  /** strict-mode refusals also carry the finding */
  rule?: string
  cells?: string[]
  expected?: number | null
  actual?: number | null
}

export const NotFoundError = createError<[string]>('NIANBAO_NOT_FOUND', '%s', 404)
export const ConflictError = createError<[string]>('NIANBAO_CONFLICT', '%s', 409)
export const BadRequestError = createError<[string]>('NIANBAO_BAD_REQUEST', '%s', 400)
const Unprocessable = createError<[string]>('NIANBAO_UNPROCESSABLE', '%s', 422)

/** A 422 carrying the list of faults, each pointing into the body. */
export function unprocessable(detail: string, errors: FieldError[]): Error {
  const err = new Unprocessable(detail) as Error & { errors?: FieldError[] }
  err.errors = errors
  return err
}

/** A 400 naming the query parameters at fault. */
export function badParameters(detail: string, errors: FieldError[]): Error {
  const err = new BadRequestError(detail) as Error & { errors?: FieldError[] }
  err.errors = errors
  return err
}
