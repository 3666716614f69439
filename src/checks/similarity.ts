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

function bigrams(text: string): Map<string, number> {
  const chars = [...text]
  const counts = new Map<string, number>()
  for (let i = 0; i < chars.length - 1; i++) {
    const gram = chars[i] + chars[i + 1]
    counts.set(gram, (counts.get(gram) ?? 0) + 1)
  }
  return counts
}

/**
 * Sørensen–Dice coefficient of the two texts' character-bigram multisets, after normalizeText:
 * 1 for identical texts, 0 for texts sharing no bigram.
 */
export function textSimilarity(a: string, b: string): number {
  const x = bigrams(normalizeText(a))
  const y = bigrams(normalizeText(b))
  let size = 0
  let shared = 0
  for (const n of x.values()) size += n
  for (const n of y.values()) size += n
  if (size === 0) return normalizeText(a) === normalizeText(b) ? 1 : 0
  for (const [gram, n] of x) shared += Math.min(n, y.get(gram) ?? 0)
  return (2 * shared) / size
}
