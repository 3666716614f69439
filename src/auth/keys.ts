// API keys: `nbk_` and 32 random bytes. Only the key's SHA-256 is stored; a presented key is found by its
// hash and the hashes are compared in constant time. Roles and scopes decide what a key may write.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'

export const ROLES = ['admin', 'submitter', 'reviewer', 'reader'] as const
export type Role = (typeof ROLES)[number]

export interface ApiKey {
  id: number
  name: string
  role: Role
  /** submitters: GB/T 2260 prefixes they may write in; reviewers: review in */
  regions: string[]
  /** submitters: agencies they may write, wherever they are; reviewers: review */
  agencies: number[]
}

export const newKey = () => `nbk_${randomBytes(32).toString('base64url')}`
export const hashKey = (key: string) => createHash('sha256').update(key).digest('hex')
/** A bootstrap key chosen by a deployment must still be hard to guess. */
export const MIN_KEY_LENGTH = 16

export function keyMatches(key: string, storedHash: string): boolean {
  const a = Buffer.from(hashKey(key), 'hex')
  const b = Buffer.from(storedHash, 'hex')
  return a.length === b.length && timingSafeEqual(a, b)
}

/** Whether a key may write this agency (its current region, and the new one when it moves). */
export function mayWrite(key: ApiKey, agency: { id?: number; regionCode: string }): boolean {
  if (key.role === 'admin') return true
  if (key.role !== 'submitter') return false
  return covers(key, agency)
}

/**
 * Whether a scope (a key's, or what it may read) covers an agency — by its id or its region — or a region: the one
 * scope test, for writes, reviews, reads of a report and filters of aggregates alike.
 */
export function covers(scope: { regions: string[]; agencies: number[] }, target: { id?: number; regionCode?: string }): boolean {
  if (target.id !== undefined && scope.agencies.includes(target.id)) return true
  const region = target.regionCode
  return region !== undefined && scope.regions.some((prefix) => region.startsWith(prefix))
}

/** Whether a key may review (accept, return, confirm or dismiss findings of) the reports of this agency. */
export function mayReview(key: ApiKey, agency: { id?: number; regionCode: string }): boolean {
  if (key.role === 'admin') return true
  return key.role === 'reviewer' && covers(key, agency)
}

/**
 * Which reports never accepted a reader may see (README: Who reads what): every one for an admin, those of
 * its scope for a submitter or a reviewer, none for a reader key or a request without a key. Accepted
 * reports are public.
 */
export type Visibility = { all: true } | { all: false; regions: string[]; agencies: number[] }

export function visibilityOf(key: ApiKey | null): Visibility {
  if (key?.role === 'admin') return { all: true }
  if (key && (key.role === 'submitter' || key.role === 'reviewer')) return { all: false, regions: key.regions, agencies: key.agencies }
  return { all: false, regions: [], agencies: [] }
}

/** Whether a reader may see a report of this agency in this state. */
export function mayRead(visibility: Visibility, state: string | null, agency: { id: number; regionCode: string } | undefined): boolean {
  if (visibility.all || state === 'accepted') return true
  return agency !== undefined && covers(visibility, agency)
}

/**
 * Who is writing: recorded in the history, and asked before each agency is touched. Without an id, only
 * the key's regions count: that is how a destination region (an agency that moves) or the region that
 * issued a USCC is asked about — a key scoped to one agency does not cover the rest of its region.
 */
export interface Actor {
  keyId: number | null
  keyName: string | null
  /** the key's role; `system` for the service itself (start-up sample data, command-line tools) */
  role: Role | 'system'
  /** whether the agency (or, without id, the region) is inside what the key may write */
  may(agency: { id?: number; regionCode: string }): boolean
  /** throws a 403 when the agency is outside what the key may write */
  check(agency: { id?: number; regionCode: string }): void
  /** whether the key may review the reports of the agency (accept, return; confirm or dismiss findings) */
  mayReview(agency: { id?: number; regionCode: string }): boolean
}

/** The actor of the service itself (start-up sample data, command-line tools): may write anything. */
export const SYSTEM_ACTOR: Actor = {
  keyId: null,
  keyName: 'system',
  role: 'system',
  may: () => true,
  check: () => {},
  mayReview: () => true
}
