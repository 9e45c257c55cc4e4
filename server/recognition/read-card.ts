import sharp from 'sharp'
import { findTextLines, type TextLine } from './lines'
import { type OcrPool, PSM } from './ocr-pool'
import { type CardNumber, parseCardNumbers, parseHp, parseSetCode } from './parse'
import type { CardReading } from './rank'
import type { ReadText } from './types'
import { bandPng, type RgbImage, rotate180 } from './warp'

/** What the catalogue prints, to validate readings: set codes and printed totals. */
export interface KnownValues {
  setCodes: ReadonlySet<string>
  totals: ReadonlySet<number>
}

/** Words of the name band that are never (part of) a card name. */
const NOT_NAME = new Set([
  'hp', 'pv', 'kp', 'ps', 'stage', 'basic', 'base', 'de', 'niveau', 'trainer', 'dresseur', 'item', 'objet',
  'supporter', 'stadium', 'stade', 'outil', 'tool', 'pokemon', 'evolves', 'from', 'evolue', 'ability', 'talent',
  'energy', 'energie', 'special', 'speciale', 'put', 'on', 'the', 'of', 'sur', 'le', 'la',
])

/**
 * Runs of 1–4 words of each OCR line that may be the printed name, longest first. OCR glues
 * icons and HP to the name, so every run is tried against the catalogue.
 */
export function nameQueries(text: string): string[] {
  const out = new Set<string>()
  for (const line of text.split('\n')) {
    const tokens = line.split(/\s+/)
      .map(t => t.replace(/[^\p{L}\p{N}'’.\-♀♂]/gu, '').replace(/^[.\-']+|[.\-']+$/g, ''))
      .filter(t => t.length >= 2 && /\p{L}/u.test(t))
    for (let n = Math.min(4, tokens.length); n >= 1; n--) {
      for (let i = 0; i + n <= tokens.length; i++) {
        const run = tokens.slice(i, i + n)
        if (run.every(t => NOT_NAME.has(t.toLowerCase()))) continue
        const q = run.join(' ')
        if (q.replace(/[^\p{L}]/gu, '').length >= 3) out.add(q)
      }
    }
  }
  return [...out].slice(0, 24)
}

/** HP printed at the top right when no `HP`/`PV` label was read: the last multiple of 10 in the line. */
function looseHp(text: string): number | null {
  const firstLine = text.split('\n').find(l => /\d/.test(l)) ?? ''
  const nums = [...firstLine.matchAll(/(?<!\d)(\d{2,3})(?!\d)/g)].map(m => Number(m[1]))
  const hp = nums.reverse().find(n => n >= 30 && n <= 340 && n % 10 === 0)
  return hp ?? null
}

async function linePng(img: RgbImage, line: TextLine): Promise<Buffer> {
  // Tesseract reads best around 30–40 px text height; pad so glyphs do not touch the border.
  const pad = Math.round(line.height * 0.35)
  const left = Math.max(0, line.x - pad), top = Math.max(0, line.y - pad)
  const width = Math.min(img.width - left, line.width + 2 * pad), height = Math.min(img.height - top, line.height + 2 * pad)
  const scale = Math.min(3, Math.max(1, 36 / line.height))
  return sharp(img.rgb, { raw: { width: img.width, height: img.height, channels: 3 } })
    .extract({ left, top, width, height })
    .greyscale()
    .resize(Math.round(width * scale), Math.round(height * scale), { kernel: 'cubic' })
    .normalise()
    .png({ compressionLevel: 1 })
    .toBuffer()
}

export interface BottomRead {
  numbers: CardNumber[]
  setCode: string | null
  lang: string | null
  /** Where the number was printed: bottom-left (2011 on) or bottom-right (older cards). */
  side: 'left' | 'right' | null
  text: string
}

/**
 * The bottom row: modern cards print `PAL EN 012/193` bottom-left, legacy ones `58/102`
 * bottom-right. Text lines are located and read one by one, the likeliest first (the lowest line
 * touching each edge), stopping as soon as a number parses.
 */
export async function readBottom(img: RgbImage, ocr: OcrPool, known: KnownValues): Promise<BottomRead> {
  const W = img.width
  const lines = findTextLines(img, { x0: 0.02, y0: 0.86, x1: 0.98, y1: 0.99 }, { minHeight: 9, maxHeight: 42 })
    // Flavour text and the copyright line sit in the middle; the number hugs an edge.
    .filter(l => (l.x < W * 0.3 || l.x + l.width > W * 0.7) && l.width < W * 0.75)
  const sideOf = (l: TextLine): 'left' | 'right' => (l.x < W * 0.3 ? 'left' : 'right')
  const lowest = (side: 'left' | 'right') => lines.filter(l => sideOf(l) === side).sort((a, b) => b.y - a.y)
  const left = lowest('left'), right = lowest('right')
  const rounds: TextLine[][] = [
    [left[0], right[0]].filter((l): l is TextLine => !!l),
    [...left.slice(1, 3), ...right.slice(1, 3)],
  ]
  const texts: string[] = []
  for (const round of rounds) {
    if (round.length === 0) continue
    const read = await Promise.all(round.map(async l =>
      ({ line: l, text: (await ocr.recognize({ image: await linePng(img, l), psm: PSM.SINGLE_LINE })).text.trim() })))
    let side: 'left' | 'right' | null = null
    for (const r of read) {
      if (!r.text) continue
      texts.push(r.text)
      if (!side && parseCardNumbers(r.text, known.totals).length > 0) side = sideOf(r.line)
    }
    if (side) {
      const text = texts.join('\n')
      const code = parseSetCode(text, known.setCodes)
      return { numbers: parseCardNumbers(text, known.totals), setCode: code?.code ?? null, lang: code?.lang ?? null, side, text }
    }
  }
  const text = texts.join('\n')
  const code = parseSetCode(text, known.setCodes)
  return { numbers: [], setCode: code?.code ?? null, lang: code?.lang ?? null, side: null, text }
}

export interface CardRead {
  read: ReadText
  reading: CardReading
  /** The card turned the right way up. */
  image: RgbImage
  /** Whether the card was turned by 180°. */
  turned: boolean
}

/**
 * Reads one straightened card. The bottom row is read as it is and, when no number parses,
 * turned by 180° (orientation is whatever makes the number readable); then the name band of the
 * chosen side.
 */
export async function readCardText(card: RgbImage, ocr: OcrPool, known: KnownValues): Promise<CardRead> {
  let image = card
  let turned = false
  // Both at once (two workers); Promise.all so a failure of one never goes unhandled.
  let [bottom, name] = await Promise.all([readBottom(card, ocr, known), readNameBand(card, ocr)])
  if (bottom.numbers.length === 0) {
    const flipped = rotate180(card)
    const [b2, n2] = await Promise.all([readBottom(flipped, ocr, known), readNameBand(flipped, ocr)])
    const better = b2.numbers.length > 0 || (n2.confidence > name.confidence + 15 && n2.text.replace(/\W/g, '').length >= 4)
    if (better) {
      image = flipped
      turned = true
      bottom = b2
      name = n2
    }
  }
  const hpRead = parseHp(name.text)
  const hp = hpRead?.hp ?? looseHp(name.text)
  const lang = bottom.lang ?? hpRead?.lang ?? null
  const names = nameQueries(name.text)
  const first = bottom.numbers[0]
  return {
    image,
    turned,
    reading: { names, numbers: bottom.numbers, setCode: bottom.setCode, hp, lang, numberSide: bottom.side },
    read: {
      name: names[0] ?? null,
      hp,
      number: first?.number ?? null,
      printedTotal: first?.printedTotal ?? null,
      setCode: bottom.setCode,
      lang,
      raw: { name: name.text.trim(), bottom: bottom.text },
    },
  }
}

async function readNameBand(img: RgbImage, ocr: OcrPool): Promise<{ text: string, confidence: number }> {
  const png = await bandPng(img, { x0: 0.03, y0: 0.02, x1: 0.97, y1: 0.165, scale: 1 })
  const r = await ocr.recognize({ image: png, psm: PSM.SINGLE_BLOCK })
  return { text: r.text, confidence: r.confidence }
}

export interface PhotoNumber {
  number: CardNumber
  alternatives: CardNumber[]
  setCode: string | null
  lang: string | null
  line: string
}

/**
 * A photo with no whole card (a close-up of the bottom row, a fanned stack): sparse OCR over the
 * whole photo, words grouped into lines, and every distinct collector number found is one card.
 */
export async function readPhotoNumbers(img: RgbImage, ocr: OcrPool, known: KnownValues): Promise<{ found: PhotoNumber[], text: string }> {
  // Work on a copy of at most 2000 px: close-up print is large, a fanned stack's is not tiny.
  const scale = Math.min(1, 2000 / Math.max(img.width, img.height))
  const small: RgbImage = scale === 1
    ? img
    : {
        rgb: await sharp(img.rgb, { raw: { width: img.width, height: img.height, channels: 3 } })
          .resize(Math.round(img.width * scale), Math.round(img.height * scale)).raw().toBuffer(),
        width: Math.round(img.width * scale),
        height: Math.round(img.height * scale),
      }
  const side = Math.max(small.width, small.height)
  const lines = findTextLines(small, { x0: 0, y0: 0, x1: 1, y1: 1 }, { minHeight: Math.max(8, side * 0.006), maxHeight: side * 0.08 })
    // A number line is short: number, code box, rarity; long lines are prose.
    .filter(l => l.width <= l.height * 22)
    .sort((a, b) => b.y - a.y)
    .slice(0, 24)
  const texts = await Promise.all(lines.map(async l =>
    (await ocr.recognize({ image: await linePng(small, l), psm: PSM.SINGLE_LINE })).text.trim()))
  const found: PhotoNumber[] = []
  const seen = new Set<string>()
  // Top to bottom, as a person reads a stack.
  const ordered = lines.map((l, i) => ({ l, text: texts[i]! })).sort((a, b) => a.l.y - b.l.y)
  for (const { text: line } of ordered) {
    const numbers = parseCardNumbers(line, known.totals)
    const number = numbers.find(n => !n.loose) ?? numbers[0]
    if (!number) continue
    const key = `${number.number}/${number.printedTotal ?? ''}`
    if (seen.has(key)) continue
    seen.add(key)
    const code = parseSetCode(line, known.setCodes)
    // The alternatives of a damaged reading go along, so the ranking can choose among them.
    found.push({ number, alternatives: numbers, setCode: code?.code ?? null, lang: code?.lang ?? null, line })
  }
  return { found, text: ordered.map(o => o.text).filter(Boolean).join('\n') }
}
