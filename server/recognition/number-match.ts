import glyphs from './number-glyphs.json'
import { type CatalogIndex, foldName, type NumberCorner, type PrintedNumber, printedNumber } from './catalog-index'
import { type CardReading, drawnBy, rankCandidates } from './rank'
import { type Cv, useCv, withMats } from './cv'
import type { RgbImage } from './warp'

/**
 * Verifies collector numbers instead of reading them. Tesseract misses small blurred digits
 * (≈ 12 px on the canonical warp) that a person still reads; but once the name has narrowed the
 * catalogue to a few printings, the question is only which of their numbers is printed there.
 * Each one is drawn in a plain sans, blurred like the photo, and slid over the number corner
 * (normalised cross-correlation): the printed one matches best.
 */

/** The number corners, as fractions of the card (a little wider than the print, for tilt). */
const CORNERS: Record<NumberCorner, { x0: number, y0: number, x1: number, y1: number }> = {
  left: { x0: 0.02, y0: 0.88, x1: 0.42, y1: 1 },
  right: { x0: 0.58, y0: 0.88, x1: 0.98, y1: 1 },
}

/** Digit heights tried, in pixels of the canonical 720 × 1006 warp (the print is ≈ 1–1.6 mm tall). */
const HEIGHTS = [12, 14, 16, 18]

/** Blur of the drawn number (the photo's softness at that scale), in pixels. */
const TEMPLATE_BLUR = 0.8

/** White kept around the drawn text, as a share of its height: the match sees the gaps too. */
const MARGIN = 0.15

interface Glyph { advance: number, left: number, width: number, pixels: Uint8Array }
interface Font { name: string, height: number, glyphs: Record<string, Glyph> }

let fonts: Font[] | undefined

function useFonts(): Font[] {
  fonts ??= glyphs.fonts.map(f => ({
    name: f.name,
    height: f.height,
    glyphs: Object.fromEntries(Object.entries(f.glyphs).map(([ch, g]) => [ch, { ...g, pixels: new Uint8Array(Buffer.from(g.data, 'base64')) }])),
  }))
  return fonts
}

/** The text drawn in one font at the glyphs' own size, with a white margin (null: a glyph is missing). */
function drawText(font: Font, text: string): { pixels: Uint8Array, width: number, height: number } | null {
  const parts = [...text.toUpperCase()].map(ch => font.glyphs[ch])
  if (parts.length === 0 || parts.some(g => !g)) return null
  const margin = Math.round(font.height * MARGIN)
  let pen = 0, start = 0, end = 0
  const placed = parts.map((g) => {
    const x = pen + g!.left
    start = Math.min(start, x)
    end = Math.max(end, x + g!.width)
    pen += g!.advance
    return { g: g!, x }
  })
  const width = end - start + 2 * margin
  const height = font.height + 2 * margin
  const pixels = new Uint8Array(width * height).fill(255)
  for (const { g, x } of placed) {
    const x0 = x - start + margin
    for (let y = 0; y < font.height; y++) {
      for (let i = 0; i < g.width; i++) {
        const at = (y + margin) * width + x0 + i
        // Ink over ink: italics overlap their neighbours' boxes.
        pixels[at] = Math.min(pixels[at]!, g.pixels[y * g.width + i]!)
      }
    }
  }
  return { pixels, width, height }
}

/** The corner of the card as one grey Mat. */
function cornerMat(cv: Cv, card: RgbImage, corner: NumberCorner, track: <M extends { delete: () => void }>(m: M) => M) {
  const r = CORNERS[corner]
  const left = Math.round(r.x0 * card.width), top = Math.round(r.y0 * card.height)
  const width = Math.round((r.x1 - r.x0) * card.width), height = Math.round((r.y1 - r.y0) * card.height)
  const grey = track(new cv.Mat(height, width, cv.CV_8UC1))
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = ((top + y) * card.width + left + x) * 3
      grey.data[y * width + x] = (card.rgb[i]! * 77 + card.rgb[i + 1]! * 150 + card.rgb[i + 2]! * 29) >> 8
    }
  }
  return grey
}

/**
 * How well each printed number matches the card's number corner: the best normalised
 * cross-correlation over fonts, sizes and positions, either polarity (light print on a dark
 * ground too). Scores are comparable between numbers of one card only.
 */
export function matchPrintedNumbers(card: RgbImage, numbers: PrintedNumber[]): Map<string, number> {
  const { cv } = useCv()
  const scores = new Map<string, number>()
  withMats((track) => {
    const regions = new Map<NumberCorner, { rows: number, cols: number }>()
    const result = track(new cv.Mat())
    for (const n of numbers) {
      for (const corner of n.corners) {
        const key = `${corner}:${n.text}`
        if (scores.has(key)) continue
        if (!regions.has(corner)) regions.set(corner, cornerMat(cv, card, corner, track))
        const region = regions.get(corner)!
        let best = -1
        for (const font of useFonts()) {
          const drawn = drawText(font, n.text)
          if (!drawn) continue
          const base = track(new cv.Mat(drawn.height, drawn.width, cv.CV_8UC1))
          base.data.set(drawn.pixels)
          for (const h of HEIGHTS) {
            const scale = h / font.height
            const size = new cv.Size(Math.max(1, Math.round(drawn.width * scale)), Math.max(1, Math.round(drawn.height * scale)))
            if (size.width >= region.cols || size.height >= region.rows) continue
            const template = track(new cv.Mat())
            cv.resize(base, template, size, 0, 0, cv.INTER_AREA)
            cv.GaussianBlur(template, template, new cv.Size(0, 0), TEMPLATE_BLUR)
            cv.matchTemplate(region, template, result, cv.TM_CCOEFF_NORMED)
            const { minVal, maxVal } = cv.minMaxLoc(result)
            best = Math.max(best, maxVal, -minVal)
          }
        }
        scores.set(key, best)
      }
    }
  })
  return new Map(numbers.map(n => [n.text, Math.max(-1, ...n.corners.map(corner => scores.get(`${corner}:${n.text}`) ?? -1))]))
}

/** Printings within this score of the first are told apart by their printed number. */
const CLOSE = 0.1
/** Most numbers compared for one card (≈ 9 ms each), the likeliest printings first. */
const MAX_NUMBERS = 24
/** Numbers within this of the best match are a tie the match cannot settle: all of them are seen. */
const TIE = 0.01
/** Most numbers seen at once (a tie of two printings of one set, `45/98` and `46/98`). */
const MAX_SEEN = 3
/** The numbers seen must beat every other number by this much to count. */
const MIN_MARGIN = 0.01
/**
 * Nor does a best match this weak: on labelled photos, numbers seen right matched at 0.59 or
 * more, wrong ones at 0.55 or less (digits in a white halo, an unread corner).
 */
const MIN_MATCH = 0.56

/**
 * The printed numbers the card's number corner looks most like (best first, more than one only
 * when they tie), among the printings the reading leaves close (several printings of the name
 * read, no number read to tell them apart); null when there is nothing to tell apart or no number
 * stands out.
 */
export function seeNumber(card: RgbImage, index: CatalogIndex, reading: CardReading): string[] | null {
  const ranked = rankCandidates(index, reading, 200)
  const first = ranked[0]
  if (!first) return null
  const close = ranked.filter(c => c.score >= first.score - CLOSE).map(c => index.byId.get(c.cardId)).filter(e => !!e)
  // An illustrator read tells more than a drawn number matched: only the printings it names are compared.
  const illustrator = reading.illustrator ? foldName(reading.illustrator) : null
  const drawn = illustrator ? close.filter(e => drawnBy(e, illustrator)) : []
  const numbers = new Map<string, PrintedNumber>()
  for (const entry of drawn.length > 0 ? drawn : close) {
    if (numbers.size >= MAX_NUMBERS) break
    const printed = printedNumber(entry)
    numbers.set(printed.text, printed)
  }
  if (numbers.size < 2) return null
  const order = [...matchPrintedNumbers(card, [...numbers.values()])].sort((a, b) => b[1] - a[1])
  const best = order[0]![1]
  const seen = order.filter(([, score]) => best - score < TIE)
  const next = order[seen.length]
  if (best < MIN_MATCH || seen.length > MAX_SEEN || (next && seen.at(-1)![1] - next[1] < MIN_MARGIN)) return null
  return seen.map(([text]) => text)
}
