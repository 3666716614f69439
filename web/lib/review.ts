// A finding's review in a list: its status as a badge, the explanation or the reviewer's reason under it.
import { h } from './dom.js'

export interface Reviewed {
  status: string
  review: { reason: string | null; explanation: string | null } | null
}

export function reviewCell(f: Reviewed, labels: Record<string, string>) {
  const text = f.review?.reason ?? f.review?.explanation
  return h(
    'span',
    { class: 'reviewed' },
    h('span', { class: `status st-${f.status}` }, labels[f.status] ?? f.status),
    text ? h('span', { class: 'review' }, text) : null
  )
}
