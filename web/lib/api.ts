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

export async function api<T>(url: string, init?: RequestInit): Promise<T> {
  const res = await fetch(url, { ...init, headers: { accept: 'application/json', ...(init?.headers ?? {}) } })
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
