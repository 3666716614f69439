// The /v1 API, as the pages call it. A problem+json answer becomes an ApiError carrying its detail, which
// the page shows in Chinese context rather than failing silently.
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: { title?: string; detail?: string; errors?: Array<{ message: string; pointer?: string; parameter?: string }> } | null
  ) {
    super(problem?.detail ?? problem?.title ?? `HTTP ${status}`)
  }
}

// The API key a person entered (web/lib/key.ts has the form): kept in this tab's sessionStorage — gone when the
// tab closes — never in a URL, a cookie or a log; in the page's memory only when storage is refused.
const STORE = 'nianbao.apiKey'
let memory: string | null = null

export function currentKey(): string | null {
  try {
    return sessionStorage.getItem(STORE) ?? memory
  } catch {
    return memory
  }
}

export function rememberKey(key: string | null): void {
  memory = key
  try {
    if (key) sessionStorage.setItem(STORE, key)
    else sessionStorage.removeItem(STORE)
  } catch {
    // storage refused (a private window's policy): the key stays in this page's memory
  }
}

/** Request headers: JSON, and the entered key unless the caller names its own Authorization. */
export function headers(extra?: HeadersInit): Record<string, string> {
  const out: Record<string, string> = { accept: 'application/json', ...(extra as Record<string, string> | undefined) }
  const key = currentKey()
  if (key && out.authorization === undefined) out.authorization = `Bearer ${key}`
  return out
}

export async function api<T>(url: string, init?: RequestInit): Promise<T> {
  const sent = headers(init?.headers)
  let res = await fetch(url, { ...init, headers: sent })
  if (res.status === 401 && (init?.method ?? 'GET') === 'GET' && !(init?.headers as Record<string, string> | undefined)?.authorization) {
    // the entered key was revoked meanwhile: forget it and read as anyone may
    if (sent.authorization) {
      rememberKey(null)
      res = await fetch(url, { ...init, headers: headers(init?.headers) })
    }
  }
  const text = await res.text()
  if (!res.ok) {
    let problem = null
    try {
      problem = JSON.parse(text)
    } catch {
      // not JSON: the status says enough
    }
    throw new ApiError(res.status, problem)
  }
  return JSON.parse(text) as T
}

export function query(params: Record<string, string | number | boolean | undefined | null>): string {
  const q = new URLSearchParams()
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v))
  return q.toString()
}

export type Row = Record<string, string | number | null>
export interface Rows {
  rows: Row[]
  fields: Array<{ name: string; label: string; type: string; unit?: string }>
  metrics: Array<{ code: string; label: string; unit: string }>
}

/** GET /v1/aggregates as flat rows. */
export const aggregateRows = (params: Record<string, string | number | boolean | undefined | null>) =>
  api<Rows>(`/v1/aggregates?${query({ ...params, shape: 'rows' })}`)
