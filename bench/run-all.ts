// npm run bench [-- --duration 10 --rounds 2 --file data/bench.db]
// Every scenario in turn, one table at the end: start-up first, the batch writes last (they change the
// database, and put it back).
import { loadOptions, parseFlags } from './lib/args.js'
import { formatRow, TABLE_HEADER, type Row } from './lib/report.js'
import { main } from './lib/scenario.js'
import { startup } from './startup.js'
import { getReport } from './get-report.js'
import { getReportByKey } from './get-report-by-key.js'
import { listReports } from './list-reports.js'
import { aggregates } from './aggregates.js'
import { polling } from './polling.js'
import { compression } from './compression.js'
import { ceiling } from './ceiling.js'
import { batchWrite } from './batch-write.js'
import { writeFloor } from './write-floor.js'
import { hostileImports } from './hostile-imports.js'

main(async () => {
  const flags = parseFlags()
  const options = loadOptions(flags)
  const rows: Row[] = []
  rows.push(...(await startup(options, flags)))
  rows.push(...(await getReport(options)))
  rows.push(...(await getReportByKey(options)))
  rows.push(...(await listReports(options)))
  rows.push(...(await aggregates(options, flags)))
  rows.push(...(await polling(options)))
  rows.push(...(await compression(options)))
  // what the stack allows for the same answers, sent from memory
  rows.push(...(await ceiling(options)))
  // on its own fresh database: /healthz while hostile imports run
  rows.push(...(await hostileImports(flags)))
  // --reports is the batch size of the write scenario here, not the data set's
  rows.push(...(await batchWrite(options, flags)))
  // what a new report costs before any storage (a line of its own)
  await writeFloor()
  console.log(`\nAll scenarios (${process.version}):\n${TABLE_HEADER}\n${rows.map(formatRow).join('\n')}`)
})
