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
export const UnauthorizedError = createError<[string]>('NIANBAO_UNAUTHORIZED', '%s', 401)
export const ForbiddenError = createError<[string]>('NIANBAO_FORBIDDEN', '%s', 403)
export const BadRequestError = createError<[string]>('NIANBAO_BAD_REQUEST', '%s', 400)
export const UnsupportedMediaTypeError = createError<[string]>('NIANBAO_UNSUPPORTED_MEDIA_TYPE', '%s', 415)
export const ContentTooLargeError = createError<[string]>('NIANBAO_CONTENT_TOO_LARGE', '%s', 413)
const ServiceBusy = createError<[string]>('NIANBAO_BUSY', '%s', 503)

/** A 503 for work the server has no room for now, with the seconds to wait before retrying (Retry-After). */
export function serviceBusy(detail: string, retryAfter: number): Error {
  const err = new ServiceBusy(detail) as Error & { retryAfter?: number }
  err.retryAfter = retryAfter
  return err
}
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

/** A 409 naming what in the body conflicts with the stored state (a batch's item, an import's report). */
export function conflict(detail: string, errors: FieldError[]): Error {
  const err = new ConflictError(detail) as Error & { errors?: FieldError[] }
  err.errors = errors
  return err
}

const PreconditionFailed = createError<[string]>('NIANBAO_PRECONDITION_FAILED', '%s', 412)

/** A 412 that tells the writer the current revision, so it can re-read and retry. */
export function preconditionFailed(detail: string, currentRevision: number | null): Error {
  const err = new PreconditionFailed(detail) as Error & { currentRevision?: number | null }
  err.currentRevision = currentRevision
  return err
}
