import type { CatalogIndex } from './catalog-index'
import { decodePhoto, type DecodedPhoto } from './decode'
import { CARD_ASPECT, coverage, detectCards, dist, type Point, type Quad } from './detect'
import { cardBorder, cardLayout } from './layout'
import { parseCard, parsePhoto, type PhotoReading } from './parse'
import { isConfident, nameLanguage, rankCandidates } from './rank'
import { readCard, readPhoto, type ReadImage, unturnPoint } from './read'
import type { TextReader } from './reader'
import type { CardReading, DraftResult, PhotoAnalysis, ReadText } from './types'
import { cropJpeg, rotateQuarter, toFullResolution, warpCard } from './warp'

export interface AnalyzeOptions {
  index: CatalogIndex
  /** The text reader (`OCR_ENGINE`): PaddleOCR or tesseract. */
  ocr: TextReader
  maxCandidates: number
  confidenceThreshold: number
  maxPixels: number
}

/**
 * Photo bytes in, drafts out; no request state, so it can run in a queue worker. Each card found
 * goes decode → detect → warp → read → parse → rank once. A photo with no card outline (a
 * close-up, a fanned stack) is read whole: one draft per collector number, or one for the photo.
 * Throws InvalidImageError for bytes that are not a usable image.
 */
export async function analyzePhoto(bytes: Buffer, options: AnalyzeOptions): Promise<PhotoAnalysis> {
  const started = performance.now()
  const timings: Record<string, number> = {}
  let mark = started
  const lap = (name: string) => {
    const now = performance.now()
    timings[name] = Math.round(now - mark)
    mark = now
  }

  const photo = await decodePhoto(bytes, options.maxPixels)
  lap('decode')
  const found = detectCards(photo.small.rgb, photo.small.width, photo.small.height)
  const quads = found.map(d => toFullResolution(d.quad, photo.small.scale))
  const whole = quads.length === 0 ? wholeImageQuad(photo.width, photo.height) : null
  if (whole) quads.push(whole)
  lap('detect')

  // A photo of one or two cards may be a fanned stack taken for a card: its short lines are read too.
  const shortLines = quads.length <= 2
  const read = await Promise.all(quads.map(q => analyzeCard(photo, q, options, shortLines)))
  // A cell a binder page leaves for a card whose outline was not found: a card only if one was read there.
  let cards = read.flatMap((outcomes, i) => outcomes.filter(c => !found[i]?.inferred || proves(c)))
  // Numbers no card gave (a stack whose top card alone was found, a thumb over an outline, a
  // close-up with no outline read as one card): read the rest of the photo, give each number to
  // the card it lies in, or to the nearest card lacking one; the others are cards of their own.
  if (cards.length === 0 || (cards.length <= 2 && cards.some(c => c.quad && c.reading.numbers.length === 0))) {
    // Lines on cards that read a number are not read again.
    const done = cards.filter(c => c.quad && c.reading.numbers.length > 0).map(c => c.quad!)
    cards = withPhotoNumbers(cards, await readWholePhoto(photo, options, at => !done.some(q => inside(q, at))), options)
  }
  cards = onePerCard(cards)
  lap('read')
  const drafts = cards.length > 0 ? cards.map(c => c.draft) : [emptyDraft()]
  timings.total = Math.round(performance.now() - started)
  return { width: photo.width, height: photo.height, drafts, timings }
}

interface CardOutcome {
  draft: DraftResult
  reading: CardReading
  /** Where its card lies in the photo (null for a number read off a photo with no outline). */
  quad: Quad | null
  /** For a number read off the whole photo: where it was printed, in the photo's pixels. */
  at?: Point | null
}

async function analyzeCard(photo: DecodedPhoto, quad: Quad, options: AnalyzeOptions, shortLines: boolean): Promise<CardOutcome[]> {
  try {
    const card = await warpCard(photo, quad)
    const read = await readCard(card, options.ocr, shortLines)
    const parsed = parseCard(read.lines, read.width, read.height, options.index)
    // A card prints one number: several make it a fanned stack taken for one card.
    if ((parsed.numberRows ?? 0) >= 2) return stackDrafts(read, options)
    const upright = rotateQuarter(card, read.turns)
    const reading: CardReading = { ...parsed, border: cardBorder(upright), layout: cardLayout(upright) }
    // Its corners from the card's own top-left: turned by 180° when read upside down.
    const oriented = read.turns === 2 ? [quad[2], quad[3], quad[0], quad[1]] as Quad : quad
    const crop = { bytes: await cropJpeg(upright), contentType: 'image/jpeg' as const, width: upright.width, height: upright.height }
    return [{ draft: { ...rankedDraft(reading, read, options), quad: round(oriented), crop }, reading, quad }]
  }
  catch (error) {
    return [{ draft: failedDraft(round(quad), error), reading: EMPTY_READING, quad }]
  }
}

/** The lines of a stack taken for one card, parsed as a photo's: one card per number row. */
function stackDrafts(read: ReadImage, options: AnalyzeOptions): CardOutcome[] {
  return parsePhoto(read.lines, read.width, options.index)
    .filter(p => p.reading.numbers.length > 0)
    .map(p => ({ draft: rankedDraft(p.reading, read, options), reading: p.reading, quad: null }))
}

async function readWholePhoto(photo: DecodedPhoto, options: AnalyzeOptions, keep?: (at: Point) => boolean): Promise<CardOutcome[]> {
  try {
    const read = await readPhoto({ rgb: photo.rgb, width: photo.width, height: photo.height }, options.ocr, keep)
    return parsePhoto(read.lines, read.width, options.index).map((p: PhotoReading) => ({
      draft: rankedDraft(p.reading, read, options),
      reading: p.reading,
      quad: null,
      at: p.at && unturnPoint(read, p.at),
    }))
  }
  catch (error) {
    return [{ draft: failedDraft(null, error), reading: EMPTY_READING, quad: null }]
  }
}

/**
 * The whole photo's readings joined to the cards found: a number inside a card's outline, or
 * near a card that read none, completes that card's reading (name and number together); the
 * others are cards of their own. Readings of no number only count when no card was found.
 */
function withPhotoNumbers(cards: CardOutcome[], photoReadings: CardOutcome[], options: AnalyzeOptions): CardOutcome[] {
  if (cards.length === 0) return photoReadings
  const out = [...cards]
  for (const p of photoReadings) {
    if (p.reading.numbers.length === 0 || !p.at) continue
    const at = p.at
    const owner = out.findIndex(c => c.quad && inside(c.quad, at))
    const near = owner >= 0 ? owner : out.findIndex(c => c.quad && c.reading.numbers.length === 0 && distanceTo(c.quad, at) < cardSide(c.quad))
    if (near < 0) {
      out.push(p)
      continue
    }
    const card = out[near]!
    if (card.reading.numbers.length > 0) continue
    const reading = withNumberOf(card.reading, p.reading)
    out[near] = { ...card, reading, draft: { ...card.draft, ...rankedFields(reading, options), read: readText(reading, { ...card.draft.read.raw, ...p.draft.read.raw }) } }
  }
  return out
}

/** A card's reading with a number read around it, and what was read with that number where the card had none. */
export function withNumberOf(card: CardReading, row: CardReading): CardReading {
  return {
    ...card,
    numbers: row.numbers,
    // Both: a card read off a wrong outline may have read noise for its name.
    names: [...new Set([...card.names, ...row.names])],
    hp: card.hp ?? row.hp,
    setCode: card.setCode ?? row.setCode,
    lang: card.lang ?? row.lang,
    numberSide: card.numberSide ?? row.numberSide,
    illustrator: card.illustrator ?? row.illustrator,
    copyrightYear: card.copyrightYear ?? row.copyrightYear,
    rarity: card.rarity ?? row.rarity,
  }
}

/**
 * One draft per card: an outline that read nothing a card prints (a card's art box or inner
 * frame, a slab's label) gives way to a card it overlaps that did, and of two overlapping
 * outlines that read the same card (a card and its inner frame) the better read is kept.
 */
export function onePerCard(cards: CardOutcome[]): CardOutcome[] {
  const overlap = (a: Quad, b: Quad) => Math.max(coverage(a, b), coverage(b, a)) >= 0.5
  const first = (c: CardOutcome) => c.draft.candidates[0]
  return cards.filter((c, i) => !c.quad || !cards.some((other, j) => j !== i && other.quad && overlap(c.quad!, other.quad)
    && (proves(c)
      ? first(other)?.cardId === first(c)?.cardId && (first(other)!.score > first(c)!.score || (first(other)!.score === first(c)!.score && j < i))
      : proves(other))))
}

/** Whether what was read shows a card is there: a number the catalogue knows, or a name it knows (what a score of 0.3 takes). */
function proves(card: CardOutcome): boolean {
  return (card.draft.candidates[0]?.score ?? 0) >= PROOF
}
const PROOF = 0.3

function rankedFields(reading: CardReading, options: AnalyzeOptions): Pick<DraftResult, 'candidates' | 'confident'> {
  // Rank at least two so the margin over the runner-up can be judged, then keep what was asked.
  const ranked = rankCandidates(options.index, reading, Math.max(2, options.maxCandidates))
  return {
    candidates: ranked.slice(0, Math.max(1, options.maxCandidates)),
    // A card printed in a script no catalogue language uses is not in the catalogue.
    confident: !reading.foreign && isConfident(ranked, options.confidenceThreshold),
  }
}

function rankedDraft(reading: CardReading, read: ReadImage, options: AnalyzeOptions): DraftResult {
  const ranked = rankedFields(reading, options)
  const first = ranked.candidates[0] && options.index.byId.get(ranked.candidates[0].cardId)
  const lang = reading.lang ?? (first ? nameLanguage(options.index, first, reading.names) : null)
  const raw = { text: read.lines.map(l => l.text).join('\n') }
  return { quad: null, crop: null, read: readText({ ...reading, lang }, raw), ...ranked, status: 'pending', failureReason: null }
}

function readText(reading: CardReading, raw: Record<string, string>): ReadText {
  const number = reading.numbers.find(n => n.printedTotal !== null) ?? reading.numbers[0]
  return {
    name: reading.names[0] ?? null,
    hp: reading.hp,
    number: number?.number ?? null,
    printedTotal: number?.printedTotal ?? null,
    setCode: reading.setCode,
    lang: reading.lang,
    raw,
  }
}

const EMPTY_READING: CardReading = { names: [], numbers: [], setCode: null, hp: null, lang: null }
const EMPTY_READ: ReadText = { name: null, hp: null, number: null, printedTotal: null, setCode: null, lang: null, raw: {} }

function emptyDraft(): DraftResult {
  return { quad: null, crop: null, read: EMPTY_READ, candidates: [], confident: false, status: 'pending', failureReason: null }
}

function failedDraft(quad: [number, number][] | null, error: unknown): DraftResult {
  return { ...emptyDraft(), quad, status: 'failed', failureReason: `Card could not be read: ${(error as Error)?.message ?? String(error)}` }
}

const round = (q: Quad): [number, number][] => q.map(([x, y]) => [Math.round(x * 10) / 10, Math.round(y * 10) / 10])

/** A photo that is itself one card (a scan, a tight crop): its corners. */
function wholeImageQuad(width: number, height: number): Quad | null {
  const aspect = Math.min(width, height) / Math.max(width, height)
  if (Math.abs(aspect - CARD_ASPECT) > 0.06) return null
  const q: Quad = [[0, 0], [width, 0], [width, height], [0, height]]
  return width > height ? [q[1], q[2], q[3], q[0]] : q
}

function inside(q: Quad, [x, y]: Point): boolean {
  let sign = 0
  for (let i = 0; i < 4; i++) {
    const [ax, ay] = q[i]!, [bx, by] = q[(i + 1) % 4]!
    const s = Math.sign((bx - ax) * (y - ay) - (by - ay) * (x - ax))
    if (s !== 0 && sign !== 0 && s !== sign) return false
    if (s !== 0) sign = s
  }
  return true
}

const cardSide = (q: Quad) => Math.max(dist(q[0], q[1]), dist(q[1], q[2]))

function distanceTo(q: Quad, p: Point): number {
  const centre: Point = [(q[0][0] + q[2][0]) / 2, (q[0][1] + q[2][1]) / 2]
  return dist(centre, p)
}
