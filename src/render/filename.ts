// File names for downloads: ASCII only, so that any Content-Disposition and any file system take them
// as they are (the Chinese agency name belongs in the document, not in the name).
import type { ReportInput } from '../format/document.js'
import type { RenderMeta } from './meta.js'

const safe = (part: string) => part.replace(/[^A-Za-z0-9_-]+/g, '') || 'x'

/** `report-<agencyId>-<year>.<ext>`, with `-aggregate` for a 本级政府 summary. */
export function renderFilename(doc: ReportInput, _meta: RenderMeta, ext: 'html' | 'md' | 'csv' | 'xlsx'): string {
  const scope = doc.scope === 'aggregate' ? '-aggregate' : ''
  return `report-${safe(String(doc.agencyId))}-${safe(String(doc.year))}${scope}.${safe(ext)}`
}
