// What a rendered report shows besides the document itself.
import type { ReportInput } from '../format/document.js'

export interface RenderMeta {
  /** the agency's full name, printed in the default title and under the report */
  agencyName: string | null
}

const TITLE_SUFFIX = '政府信息公开工作年度报告'

/** The report's own title, else the name the format gives it: 〔机关〕〔年〕年政府信息公开工作年度报告. */
export function reportTitle(doc: ReportInput, meta: RenderMeta): string {
  const title = doc.title?.trim()
  if (title) return title
  return `${meta.agencyName ?? ''}${doc.year}年${TITLE_SUFFIX}`
}

/** `2026-01-19` → `2026年1月19日`, as reports are dated; anything else is printed as given. */
export function printedDate(date: string | null): string | null {
  if (!date) return null
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date)
  return m ? `${m[1]}年${Number(m[2])}月${Number(m[3])}日` : date
}

/** A text section as paragraphs: one per non-blank line. */
export function paragraphs(text: string | null): string[] {
  if (!text) return []
  return text
    .split(/\r\n|\r|\n|\u2028|\u2029/)
    .map((line) => line.trim())
    .filter((line) => line !== '')
}
