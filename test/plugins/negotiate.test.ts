import t from 'tap'
import { BoundedCache, createOutputNegotiator, NEGOTIATION_CACHE_SIZE } from '../../src/negotiate.js'

t.test('the memory of negotiated Accept headers is bounded, oldest first', async (t) => {
  const cache = new BoundedCache<string, number>(3)
  for (const [i, key] of ['a', 'b', 'c', 'd'].entries()) cache.set(key, i)
  t.same([...cache.keys()], ['b', 'c', 'd'], 'the fourth header pushes out the first')
  cache.set('c', 9)
  t.same(
    [...cache.entries()],
    [
      ['b', 1],
      ['c', 9],
      ['d', 3]
    ],
    'a header already remembered takes no room'
  )
  t.equal(NEGOTIATION_CACHE_SIZE, 256)
})

t.test('answers stay right after more distinct Accept headers than it remembers', async (t) => {
  const choose = createOutputNegotiator(['json', 'csv', 'html'])
  const answers = new Set<string>()
  for (let i = 0; i < NEGOTIATION_CACHE_SIZE * 4; i++) answers.add(choose(`text/csv;q=0.${(i % 9) + 1}, application/x-${i};q=1`, undefined))
  t.same([...answers], ['csv'], 'every one of 1 024 distinct headers answered csv')
  t.equal(choose('text/html, application/json;q=0.5', undefined), 'html')
  t.equal(choose('application/json', undefined), 'json')
  t.equal(choose(undefined, 'csv'), 'csv', 'output= wins over Accept')
  let refused: unknown
  try {
    choose('image/png', undefined)
  } catch (err) {
    refused = err
  }
  t.equal((refused as { statusCode?: number } | undefined)?.statusCode, 406, 'nothing acceptable: 406')
})
