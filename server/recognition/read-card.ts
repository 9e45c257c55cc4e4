import sharp from 'sharp'
import { findTextLines, type TextLine } from './lines'
import { type OcrPool, type OcrWord, PSM } from './ocr-pool'
import { type CardNumber, parseCardNumbers, parseHp, parseSetCode } from './parse'
import type { CardReading } from './rank'
import type { ReadText } from './types'
import { bandPng, type RgbImage, rotate180 } from './warp'

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
  text: string
}

/**
 * The bottom row: modern cards print `PAL EN 012/193` bottom-left, legacy ones `58/102`
 * bottom-right. Text lines are located, the ones at the left and right edges read one by one.
 */
export async function readBottom(img: RgbImage, ocr: OcrPool, knownCodes: ReadonlySet<string>): Promise<BottomRead> {
  const lines = findTextLines(img, { x0: 0.02, y0: 0.86, x1: 0.98, y1: 0.99 }, { minHeight: 9, maxHeight: 42 })
    // Flavour text and the copyright line sit in the middle; the number hugs an edge.
    .filter(l => l.x < img.width * 0.3 || l.x + l.width > img.width * 0.7)
    .filter(l => l.width < img.width * 0.75)
    .slice(-6)
  const texts = await Promise.all(lines.map(async l =>
    (await ocr.recognize({ image: await linePng(img, l), psm: PSM.SINGLE_LINE })).text.trim()))
  const text = texts.filter(Boolean).join('\n')
  const numbers = parseCardNumbers(text)
  const code = parseSetCode(text, knownCodes)
  return { numbers, setCode: code?.code ?? null, lang: code?.lang ?? null, text }
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
export async function readCardText(card: RgbImage, ocr: OcrPool, knownCodes: ReadonlySet<string>): Promise<CardRead> {
  let image = card
  let turned = false
  const namePromise = readNameBand(card, ocr)
  let bottom = await readBottom(card, ocr, knownCodes)
  let name = await namePromise
  if (bottom.numbers.length === 0) {
    const flipped = rotate180(card)
    const [b2, n2] = await Promise.all([readBottom(flipped, ocr, knownCodes), readNameBand(flipped, ocr)])
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
    reading: { names, numbers: bottom.numbers, setCode: bottom.setCode, hp, lang },
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
  setCode: string | null
  lang: string | null
  line: string
}

/**
 * A photo with no whole card (a close-up of the bottom row, a fanned stack): sparse OCR over the
 * whole photo, words grouped into lines, and every distinct collector number found is one card.
 */
export async function readPhotoNumbers(img: RgbImage, ocr: OcrPool, knownCodes: ReadonlySet<string>): Promise<{ found: PhotoNumber[], text: string }> {
  const maxSide = 1800
  const scale = Math.min(1, maxSide / Math.max(img.width, img.height))
  const png = await sharp(img.rgb, { raw: { width: img.width, height: img.height, channels: 3 } })
    .resize(Math.round(img.width * scale), Math.round(img.height * scale))
    .greyscale()
    .normalise()
    .png({ compressionLevel: 1 })
    .toBuffer()
  const r = await ocr.recognize({ image: png, psm: PSM.SPARSE_TEXT, words: true })
  const lines = groupWords(r.words)
  const found: PhotoNumber[] = []
  const seen = new Set<string>()
  for (const line of lines) {
    for (const number of parseCardNumbers(line)) {
      const key = `${number.number}/${number.printedTotal ?? ''}`
      if (seen.has(key)) continue
      seen.add(key)
      const code = parseSetCode(line, knownCodes)
      found.push({ number, setCode: code?.code ?? null, lang: code?.lang ?? null, line })
    }
  }
  return { found, text: lines.join('\n') }
}

/** Words on one baseline (vertical overlap) become one line, left to right. */
function groupWords(words: OcrWord[]): string[] {
  const sorted = [...words].filter(w => w.text.trim()).sort((a, b) => a.bbox.y0 - b.bbox.y0)
  const lines: OcrWord[][] = []
  for (const w of sorted) {
    const cy = (w.bbox.y0 + w.bbox.y1) / 2
    const line = lines.find((l) => {
      const ref = l[l.length - 1]!
      return cy > ref.bbox.y0 && cy < ref.bbox.y1 && Math.abs(w.bbox.x0 - ref.bbox.x1) < (ref.bbox.y1 - ref.bbox.y0) * 6
    })
    if (line) line.push(w)
    else lines.push([w])
  }
  return lines.map(l => l.sort((a, b) => a.bbox.x0 - b.bbox.x0).map(w => w.text).join(' '))
}
