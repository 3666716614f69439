// Label keys: the fast paths (CJK ideographs, ASCII, a cache of other characters) give exactly the
// key of the plain definition, and a key's tail read from the end of a text equals the whole key's.
import t from 'tap'
import fc from 'fast-check'
import { keyed, keyOf, keyTail } from '../../src/importers/normalize.js'

const DROP = /[\s\p{P}\p{S}\u00a0\u3000]/u
/** The definition: each code point NFKC-folded and lower-cased, spaces, punctuation and symbols dropped. */
function definition(text: string): { key: string; map: number[] } {
  let key = ''
  const map: number[] = []
  let i = 0
  for (const ch of text) {
    for (const out of ch.normalize('NFKC').toLowerCase()) {
      if (DROP.test(out)) continue
      key += out
      for (let u = 0; u < out.length; u++) map.push(i)
    }
    i += ch.length
  }
  return { key, map }
}

const texts = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.string({ unit: fc.constantFrom(...'（一）予以公开 1.２３ＡＢ，、。㍻\u3000\u00a0\ud842\udfb7\ud800x'), maxLength: 80 })
)

t.test('keyed is the definition', async (t) => {
  fc.assert(
    fc.property(texts, (text) => {
      const { key, map } = keyed(text)
      t.same({ key, map: [...map] }, definition(text))
    }),
    { numRuns: 3000 }
  )
  t.equal(keyOf('（一） 予以公开'), '一予以公开')
  t.equal(keyOf('１２３ＡＢＣ'), '123abc')
})

t.test('keyTail is the end of the key', async (t) => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary', maxLength: 600 }), fc.integer({ min: 1, max: 200 }), (text, n) => {
      t.equal(keyTail(text, n), keyOf(text).slice(-n))
    }),
    { numRuns: 2000 }
  )
})
