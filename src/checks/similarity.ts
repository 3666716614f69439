// Text similarity for CY-07 (年年雷同): a report that copies last year's 存在的主要问题 with the
// year and figures changed is still a copy, so digits, punctuation and whitespace are removed
// before comparing, and the comparison is on character bigrams (Chinese has no word spaces).

/**
 * Keeps letters (Han characters, Latin letters) only: drops whitespace, punctuation, symbols, digits
 * and years written in Chinese numerals (二〇二四). Other Chinese numerals (一是、二是) are words.
 */
export function normalizeText(text: string): string {
  return text.replace(/[一二三四五六七八九]*〇[〇一二三四五六七八九]*/gu, '').replace(/[\s\p{P}\p{S}\p{N}]+/gu, '')
}

/**
 * The multiset of character bigrams (characters as the string iterator gives them: code points), sorted, each
 * bigram one number (first × 0x110000 + second: no two bigrams share one) rather than a two-character string.
 */
function bigrams(text: string): Float64Array {
  const grams = new Float64Array(text.length)
  let n = 0
  let previous = -1
  for (let i = 0; i < text.length; i++) {
    const c = text.codePointAt(i)!
    if (c > 0xffff) i++
    if (previous !== -1) grams[n++] = previous * 0x110000 + c
    previous = c
  }
  return grams.subarray(0, n).sort()
}

/**
 * Sørensen–Dice coefficient of the two texts' character-bigram multisets, after normalizeText:
 * 1 for identical texts, 0 for texts sharing no bigram.
 */
export function textSimilarity(a: string, b: string): number {
  return normalizedSimilarity(normalizeText(a), normalizeText(b))
}

/** textSimilarity of two texts normalizeText has already normalized. */
export function normalizedSimilarity(a: string, b: string): number {
  const x = bigrams(a)
  const y = bigrams(b)
  const size = x.length + y.length
  if (size === 0) return a === b ? 1 : 0
  // the multisets' intersection (each bigram as often as the rarer side has it): one merge of the sorted lists
  let shared = 0
  for (let i = 0, j = 0; i < x.length && j < y.length; ) {
    if (x[i] === y[j]) {
      shared++
      i++
      j++
    } else if (x[i] < y[j]) i++
    else j++
  }
  return (2 * shared) / size
}
