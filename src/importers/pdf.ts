// A PDF → its pages' positioned text and ruling lines (pdfjs-dist), for pdf-layout.ts to rebuild
// the tables from. Positions are taken through each page's viewport, so a page printed landscape or
// turned by /Rotate reads the same way as a portrait one.
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { getDocument, OPS, Util } from 'pdfjs-dist/legacy/build/pdf.mjs'
import type { PDFPageProxy } from 'pdfjs-dist/types/src/display/api.js'
import type { Glyph, PdfPage, Rule } from './pdf-layout.js'
import { DOCUMENT_MESSAGES as M, DocumentUnreadableError, tooManyPages } from './document-errors.js'

/** Reports run to a few dozen pages; a longer PDF is not one report. */
export const MAX_PDF_PAGES = 200

const pdfjsDir = dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'))

type Matrix = [number, number, number, number, number, number]

export async function readPdf(bytes: Uint8Array): Promise<PdfPage[]> {
  const task = getDocument({
    data: new Uint8Array(bytes),
    // Chinese PDFs often use the predefined CJK CMaps (UniGB-UCS2-H) and fonts that are not embedded
    cMapUrl: `${join(pdfjsDir, 'cmaps')}/`,
    cMapPacked: true,
    standardFontDataUrl: `${join(pdfjsDir, 'standard_fonts')}/`,
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    verbosity: 0
  })
  let doc
  try {
    doc = await task.promise
  } catch (err) {
    const name = (err as Error).name
    if (name === 'PasswordException') throw new DocumentUnreadableError(M.password)
    throw new DocumentUnreadableError(M.brokenPdf)
  }
  try {
    if (doc.numPages > MAX_PDF_PAGES) throw new DocumentUnreadableError(tooManyPages(doc.numPages, MAX_PDF_PAGES))
    const pages: PdfPage[] = []
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n)
      pages.push(await readPage(page))
      page.cleanup()
    }
    return pages
  } finally {
    await task.destroy()
  }
}

async function readPage(page: PDFPageProxy): Promise<PdfPage> {
  const viewport = page.getViewport({ scale: 1 })
  const view = viewport.transform as Matrix
  const content = await page.getTextContent()
  const glyphs: Glyph[] = []
  for (const item of content.items) {
    if (!('str' in item) || item.str.trim() === '') continue
    const m = Util.transform(view, item.transform) as Matrix
    // only text running left to right on the page (vertical text is not a report's)
    if (m[0] <= 0 || Math.abs(m[1]) > Math.abs(m[0]) * 0.05) continue
    const size = Math.hypot(m[2], m[3])
    const x0 = m[4]
    const y1 = m[5]
    const text = fromRadicals(item.str)
    // widths are in user space, which a viewport of scale 1 keeps
    glyphs.push({ text, x0, x1: x0 + item.width, y0: y1 - size, y1 })
  }
  const rules = rulesOf(await page.getOperatorList(), view)
  return { width: viewport.width, height: viewport.height, glyphs, rules }
}

/** Ruling lines: stroked straight segments, and filled rectangles thin enough to be a line. */
function rulesOf(list: { fnArray: number[]; argsArray: unknown[][] }, view: Matrix): Rule[] {
  const rules: Rule[] = []
  const stack: Matrix[] = []
  let ctm: Matrix = view
  const STROKE = new Set([OPS.stroke, OPS.closeStroke, OPS.fillStroke, OPS.eoFillStroke, OPS.closeFillStroke, OPS.closeEOFillStroke])
  const FILL = new Set([OPS.fill, OPS.eoFill, OPS.fillStroke, OPS.eoFillStroke, OPS.closeFillStroke, OPS.closeEOFillStroke])
  const point = (x: number, y: number): [number, number] => [ctm[0] * x + ctm[2] * y + ctm[4], ctm[1] * x + ctm[3] * y + ctm[5]]

  list.fnArray.forEach((fn, i) => {
    const args = list.argsArray[i]
    if (fn === OPS.save) stack.push(ctm)
    else if (fn === OPS.restore) ctm = stack.pop() ?? view
    else if (fn === OPS.transform) ctm = Util.transform(ctm, args as Matrix) as Matrix
    else if (fn === OPS.paintFormXObjectBegin) {
      stack.push(ctm)
      if (Array.isArray(args[0]) || ArrayBuffer.isView(args[0]))
        ctm = Util.transform(ctm, Array.from(args[0] as ArrayLike<number>) as Matrix) as Matrix
    } else if (fn === OPS.paintFormXObjectEnd) ctm = stack.pop() ?? view
    else if (fn === OPS.constructPath) {
      const [paint, [data]] = args as [number, [ArrayLike<number> | null]]
      if (!data || (!STROKE.has(paint) && !FILL.has(paint))) return
      for (const sub of subpaths(data)) {
        const points = sub.map(([x, y]) => point(x, y))
        if (STROKE.has(paint)) {
          for (let k = 1; k < points.length; k++) rules.push(segment(points[k - 1], points[k]))
        }
        if (FILL.has(paint) && points.length >= 3) {
          const xs = points.map((p) => p[0])
          const ys = points.map((p) => p[1])
          const box = { x0: Math.min(...xs), x1: Math.max(...xs), y0: Math.min(...ys), y1: Math.max(...ys) }
          // a border drawn as a thin filled rectangle is a line along its middle
          if (box.y1 - box.y0 <= 2.5 && box.x1 - box.x0 > 2.5)
            rules.push({ x0: box.x0, x1: box.x1, y0: (box.y0 + box.y1) / 2, y1: (box.y0 + box.y1) / 2 })
          else if (box.x1 - box.x0 <= 2.5 && box.y1 - box.y0 > 2.5)
            rules.push({ x0: (box.x0 + box.x1) / 2, x1: (box.x0 + box.x1) / 2, y0: box.y0, y1: box.y1 })
        }
      }
    }
  })
  return rules.filter((r) => Math.abs(r.x1 - r.x0) < 0.5 || Math.abs(r.y1 - r.y0) < 0.5)
}

const segment = (a: [number, number], b: [number, number]): Rule => ({ x0: a[0], y0: a[1], x1: b[0], y1: b[1] })

// the path operators of pdfjs's flattened path data
const MOVE = 0
const LINE = 1
const CURVE = 2
const QUADRATIC = 3
const CLOSE = 4

/** The straight-line subpaths of a path (a subpath with a curve is no ruling line). */
function subpaths(data: ArrayLike<number>): Array<Array<[number, number]>> {
  const out: Array<Array<[number, number]>> = []
  let current: Array<[number, number]> = []
  let curved = false
  const end = () => {
    if (!curved && current.length > 1) out.push(current)
    current = []
    curved = false
  }
  for (let i = 0; i < data.length; ) {
    const op = data[i]
    if (op === MOVE) {
      end()
      current.push([data[i + 1], data[i + 2]])
      i += 3
    } else if (op === LINE) {
      current.push([data[i + 1], data[i + 2]])
      i += 3
    } else if (op === CURVE) {
      curved = true
      i += 7
    } else if (op === QUADRATIC) {
      curved = true
      i += 5
    } else if (op === CLOSE) {
      if (current.length > 0) current.push(current[0])
      end()
      i += 1
    } else break
  }
  end()
  return out
}

/**
 * Some PDF writers map Chinese characters to their look-alike radicals (⼀ U+2F00 for 一, ⺠ U+2EA0
 * for 民): the text looks right and compares wrong. Kangxi radicals fold by NFKC; the simplified
 * radicals of the supplement have no decomposition and are mapped to the character they print.
 */
const SUPPLEMENT: Record<string, string> = Object.fromEntries(
  [
    ...'⺌小⺕彐⺗心⺠民⺤爫⺦丬⺨犭⺮竹⺷羊⻀艹⻄西⻅见⻆角⻈讠⻉贝⻋车⻐钅⻑長⻓长⻔门⻗雨⻘青⻙韦⻚页⻛风⻜飞⻝食⻠饣⻢马⻣骨⻤鬼⻥鱼⻦鸟⻧卤⻨麦⻩黄⻪黾⻬齐⻮齿⻰龙'
  ].flatMap((c, i, all) => (i % 2 === 0 ? [[c, all[i + 1]]] : []))
)
export const fromRadicals = (text: string): string => text.replace(/[\u2e80-\u2fdf]/gu, (c) => SUPPLEMENT[c] ?? c.normalize('NFKC'))
