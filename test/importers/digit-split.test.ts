import t from 'tap'
import { splitGroups, totalRules } from '../../src/importers/digit-split.js'

const cuts = (groups: string[], n: number, rules = {}) => {
  const outcome = splitGroups(groups, n, rules)
  return 'splits' in outcome ? outcome.splits.map((s) => s.map((p) => p.text).join('|')) : 'too many'
}

t.test('every cut, no leading zeros, never across a printed space', async (t) => {
  t.same(cuts(['000'], 3), ['0|0|0'])
  t.same(cuts(['693665'], 3).length, 10, '行政规范性文件 693665: ten cuts, nothing decides')
  t.same(cuts(['105'], 2), ['10|5'], '1|05 has a leading zero')
  t.same(cuts(['500000', '5'], 7), ['5|0|0|0|0|0|5'])
  t.same(cuts(['12', '3'], 2), ['12|3'], 'a space the page printed is a cell boundary')
  t.same(cuts(['24252.311082'], 1), ['24252.311082'])
  t.same(cuts(['1.5', '2'], 3), [], 'a decimal is never cut')
  t.same(cuts(['12'], 3), [], 'too few digits')
})

t.test('sum rules cut table rows', async (t) => {
  t.same(cuts(['640020470'], 7, totalRules(7)), ['64|0|0|2|0|4|70'])
  t.same(cuts(['101000011'], 7, totalRules(7)), ['1|0|10|0|0|0|11', '10|1|0|0|0|0|11'])
  t.same(cuts(['9000001'], 7, totalRules(7)), [])
  t.same(cuts(['10203120001200000'], 15, totalRules(5)), ['1|0|2|0|3|12|0|0|0|12|0|0|0|0|0'], 'pingtan table 四')
  t.equal(cuts(['1'.repeat(40)], 20), 'too many', 'a search too large gives up rather than guessing')
})
