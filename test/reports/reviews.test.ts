// A finding's values key is stored with it and with its reviews, and a review applies while the key is the
// one reviewed: the digest must stay the same text across versions (these were computed by the first one).
import t from 'tap'
import { valuesKeyOf } from '../../src/reports/reviews.js'

t.test('the values key digests the cells, expected and actual as it always has', async (t) => {
  const doc = { proactive: { regulations: { made: 3, repealed: null } }, sections: { overview: '概述' } }
  const cells = ['proactive.regulations.made', 'proactive.regulations.repealed', 'sections.overview']
  t.equal(valuesKeyOf({ cells, expected: 5, actual: 3 }, doc), 'a792afdcf3883f4c')
  t.equal(valuesKeyOf({ cells: [], expected: null, actual: null }, doc), 'd21882c2ad57dc0d')
  t.not(valuesKeyOf({ cells, expected: 5, actual: 4 }, doc), 'a792afdcf3883f4c', 'another actual value, another key')
})
