// Blank tables and blank table-二 cells (T0-01, T2-02). A blank is not a zero: the sum rules stay
// silent over a table with nothing in it, so a report whose tables are all blank would otherwise pass
// every check. The format asks for a number in every cell, 0 when nothing happened.
import { type CellDef, type TableCode, TABLES, TABLE_TITLES, cellsOf } from '../format/registry.js'
import type { ReportInput } from '../format/document.js'
import { type Finding, createFinding } from './finding.js'
import { cellLabelIn } from './labels.js'
import { type Flat, flatCells, indexOf, perFormat } from './flat.js'

const TABLE_CELLS = perFormat((format) => new Map(TABLES.map((table) => [table, cellsOf(format).filter((c) => c.table === table)])))
const TABLE_INDEXES = perFormat(
  (format) =>
    new Map(
      TABLES.map((table) => [
        table,
        TABLE_CELLS(format)
          .get(table)!
          .map((c) => indexOf(c.code))
      ])
    )
)

const cellsOfTable = (doc: ReportInput, table: TableCode): readonly CellDef[] => TABLE_CELLS(doc.format).get(table)!

/** The tables of the report in which every cell is blank. */
export function blankTables(doc: ReportInput, flat: Flat = flatCells(doc)): TableCode[] {
  const indexes = TABLE_INDEXES(doc.format)
  return TABLES.filter((table) => indexes.get(table)!.every((i) => flat[i] === null))
}

/** T0-01: one warning per table of which every cell is blank, naming every cell of it. */
export function checkT001(doc: ReportInput, flat: Flat = flatCells(doc)): Finding[] {
  return blankTables(doc, flat).map((table) => {
    const cells = cellsOfTable(doc, table)
    return createFinding(
      'T0-01',
      'warning',
      `“${TABLE_TITLES[table]}”整张表格空白：${cells.length} 个单元格均未填写（没有发生的事项应填 0，空白不视为 0）`,
      cells.map((c) => c.code),
      null,
      null
    )
  })
}

/**
 * T2-02: one info per blank table-二 cell. When the whole table is blank T0-01 already says so, and
 * a finding per cell would only repeat it.
 */
export function checkT202(doc: ReportInput, flat: Flat = flatCells(doc)): Finding[] {
  const cells = cellsOfTable(doc, 'proactive')
  const indexes = TABLE_INDEXES(doc.format).get('proactive')!
  const blank = cells.filter((_, i) => flat[indexes[i]] === null)
  if (blank.length === cells.length) return []
  return blank.map((cell) =>
    createFinding('T2-02', 'info', `“${cellLabelIn(cell.code, doc.format)}”为空：格式要求填写数字，没有发生的填 0`, [cell.code], null, null)
  )
}
