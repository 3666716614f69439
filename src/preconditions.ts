// Conditional requests (RFC 9110 §13) over a resource's revision: its ETag is the revision in quotes, with the
// content coding appended when the answer was compressed (`"3+gzip"`, see plugins/compression.ts): every
// variant names the same revision.
import type { FastifyReply } from 'fastify'
import { preconditionFailed } from './errors.js'

export const etagOf = (revision: number) => `"${revision}"`
/** a revision's tag, of any encoded variant */
const STRONG_TAG = /^"(\d{1,15})(?:\+(?:br|gzip))?"$/
const ANY_TAG = /^(?:W\/)?"(\d{1,15})(?:\+(?:br|gzip))?"$/

export interface Preconditions {
  /** If-Match: the revision the writer holds; `*` (any existing) is returned as 'exists' */
  ifMatch?: number | 'exists'
  /** If-None-Match: * — only when nothing exists yet */
  createOnly?: boolean
}

/** Reads If-Match / If-None-Match of a write. An If-Match that names no revision of ours can never match. */
export function readPreconditions(headers: { 'if-match'?: string; 'if-none-match'?: string }): Preconditions {
  const result: Preconditions = {}
  const ifMatch = headers['if-match']
  if (ifMatch !== undefined) {
    if (ifMatch.trim() === '*') result.ifMatch = 'exists'
    else {
      const tags = ifMatch.split(',').map((t) => t.trim())
      const revision = tags.map((t) => STRONG_TAG.exec(t)?.[1]).find((r) => r !== undefined)
      if (revision === undefined)
        throw preconditionFailed(`If-Match ${ifMatch} names no revision of this resource (ETags look like "3").`, null)
      result.ifMatch = Number(revision)
    }
  }
  if (headers['if-none-match']?.trim() === '*') result.createOnly = true
  return result
}

/** Whether a GET's If-None-Match already holds this revision (then: 304). */
export function notModified(ifNoneMatch: string | undefined, revision: number): boolean {
  if (ifNoneMatch === undefined) return false
  const wanted = String(revision)
  return ifNoneMatch.split(',').some((t) => {
    const v = t.trim()
    return v === '*' || ANY_TAG.exec(v)?.[1] === wanted
  })
}

/**
 * A 304 with no body at all: sending `null` would set `Content-Length: 4` on an answer that may carry no
 * bytes, and a client that believes the header waits for them.
 */
export function sendNotModified(reply: FastifyReply): FastifyReply {
  return (reply as FastifyReply).code(304).send()
}
