// Rendering a report back out: printable HTML, Markdown, CSV, and the generic CSV writer of list endpoints.
export type { RenderMeta } from './meta.js'
export { renderHtml } from './html.js'
export { renderMarkdown } from './markdown.js'
export { renderReportCsv, toCsv, type CsvField } from './csv.js'
export { renderFilename } from './filename.js'
export { renderReportXlsx } from './report-xlsx.js'
