// The text of a section: its lines joined back into paragraphs. PDF layers and copied pages break
// lines (and pages) in the middle of sentences; a line is joined to the next unless it ends a
// sentence or reads like a sub-heading.
import { startsWithEnumerator } from './normalize.js'
import type { Item } from './types.js'

const SENTENCE_END = /[。！？!?；;：:…][”’"'）)]*$/u
const SUBHEADING = /^(?:[（(][一二三四五六七八九十]+[）)]|[一二三四五六七八九十]+[、.．]|[一二三四五六七八九十]是|\d+[.．、](?!\d))/u
/** Page furniture that follows an article on a web page. */
const CHROME = /\s*(?:附件下载|附件[:：]?|【?打印(?:本页|此页)?】?|【?关闭(?:窗口|本页)?】?|扫一扫.*|分享到[:：]?.*|返回顶部)\s*$/u

// Both patterns end at the end of the text: they are tried on its end only, so that a long line
// costs no more than a short one.
const END = 200
const endsSentence = (line: string) => SENTENCE_END.test(line.slice(-END))
const isChrome = (line: string) => line.length <= END && CHROME.test(line) && line.replace(CHROME, '') === ''
const withoutChrome = (text: string) => text.slice(0, -END) + text.slice(-END).replace(CHROME, '')

export function sectionText(items: Item[], exclude: Set<Item> = new Set(), linesAreParagraphs = false): string | null {
  const lines = items
    .filter((item) => !exclude.has(item))
    .map((item) =>
      (item.kind === 'text'
        ? item.text
        : item.cells
            .map((c) => c.text)
            .filter(Boolean)
            .join(' ')
      ).trim()
    )
    .filter(Boolean)
  while (lines.length > 0 && isChrome(lines[lines.length - 1])) lines.pop()
  const paragraphs: string[] = []
  let previous = ''
  for (const line of lines) {
    // a sub-heading standing alone: numbered, short, with no sentence in it
    const headingLike = (text: string) => text.length <= 30 && startsWithEnumerator(text) && !/[。；;！？!?]/u.test(text)
    const fresh = linesAreParagraphs || paragraphs.length === 0 || endsSentence(previous) || headingLike(previous) || SUBHEADING.test(line)
    if (fresh) paragraphs.push(line)
    else {
      const glue = /[A-Za-z]$/.test(previous) && /^[A-Za-z]/.test(line) ? ' ' : ''
      paragraphs[paragraphs.length - 1] += glue + line
    }
    previous = line
  }
  const text = withoutChrome(paragraphs.join('\n')).trim()
  return text === '' ? null : text
}
