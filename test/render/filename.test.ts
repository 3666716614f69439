import t from 'tap'
import { renderFilename } from '../../src/render/index.js'
import { huzhuReport } from './reports.js'

t.test('file names are ASCII: report-<agencyId>-<year>.<ext>', async (t) => {
  const doc = huzhuReport()
  const meta = { agencyName: '互助县城市管理综合行政执法局' }
  t.equal(renderFilename(doc, meta, 'html'), 'report-42-2025.html')
  t.equal(renderFilename(doc, meta, 'md'), 'report-42-2025.md')
  t.equal(renderFilename(doc, meta, 'csv'), 'report-42-2025.csv')
  t.equal(renderFilename({ ...doc, scope: 'aggregate' }, meta, 'csv'), 'report-42-2025-aggregate.csv')
  t.match(renderFilename(doc, meta, 'html'), /^[\x21-\x7e]+$/)
})
