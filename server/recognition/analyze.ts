import sharp from 'sharp'
import { cardBorder } from './border'
import type { CatalogIndex } from './catalog-index'
import { decodePhoto, type DecodedPhoto } from './decode'
import { CARD_ASPECT, cardsAround, coverage, detectCards, dist, type Point, type Quad } from './detect'
import { seeNumber } from './number-match'
import type { OcrPool } from './ocr-pool'
import { type CardReading, isConfident, rankCandidates } from './rank'
import { type PhotoNumberLimits, provesWayUp, readCardText, readPhotoNumbers, textRunsDown } from './read-card'
import type { DraftResult, PhotoAnalysis, ReadText } from './types'
import { cropJpeg, type RgbImage, toFullResolution, warpCard } from './warp'

export interface AnalyzeOptions {
  index: CatalogIndex
  ocr: OcrPool
  maxCandidates: number
  confidenceThreshold: number
  maxPixels: number
}

const EMPTY_READ: ReadText = { name: null, hp: null, number: null, printedTotal: null, setCode: null, lang: null, raw: {} }

function rankDraft(options: AnalyzeOptions, reading: CardReading) {
  // Rank at least two so the margin over the runner-up can be judged, then keep what was asked.
  const ranked = rankCandidates(options.index, reading, Math.max(2, options.maxCandidates))
  return { candidates: ranked.slice(0, Math.max(1, options.maxCandidates)), confident: isConfident(ranked, options.confidenceThreshold) }
}

function failedDraft(quad: [number, number][] | null, error: unknown): DraftResult {
  return {
    quad,
    crop: null,
    read: EMPTY_READ,
    candidates: [],
    confident: false,
    status: 'failed',
    failureReason: `Card could not be read: ${(error as Error)?.message ?? String(error)}`,
  }
}

const round = (q: Quad): [number, number][] => q.map(([x, y]) => [Math.round(x * 10) / 10, Math.round(y * 10) / 10])

/** The card's corners in the photo, starting at its own top-left (turned by 180° when read upside down). */
function orientedQuad(q: Quad, turned: boolean): Quad {
  return turned ? [q[2], q[3], q[0], q[1]] : q
}

/** `grown`: read from a part of a card grown to the card (`cardsAround`, `cardAroundArtBox`). */
export interface CardOutcome { draft: DraftResult, reading?: CardReading, settled: boolean, grown?: boolean }

async function analyzeCard(photo: DecodedPhoto, quad: Quad, options: AnalyzeOptions, onPage = false, aroundArt?: Quad): Promise<CardOutcome> {
  try {
    const outcome = await readQuad(photo, quad, options, onPage)
    // Nothing proven: it may be an art box, its card's outline lost on a table of its colour.
    // The card around it is kept only when its read proves it.
    if (outcome.settled || !aroundArt || !mostlyInside(aroundArt, photo)) return outcome
    const around = await readCard(await warpCard(photo, aroundArt), aroundArt, options, onPage)
    return around.settled ? { ...around, grown: true } : outcome
  }
  catch (error) {
    return { draft: failedDraft(round(quad), error), settled: true }
  }
}

async function readQuad(photo: DecodedPhoto, quad: Quad, options: AnalyzeOptions, onPage: boolean): Promise<CardOutcome> {
  const card = await warpCard(photo, quad)
  // A binder page's cells are whole cards (the grid vouches for them).
  if (onPage || !textRunsDown(card)) return readCard(card, quad, options, onPage)
  // Part of a card taken for a whole one: the card it belongs to, grown on either side (both
  // read, the one the catalogue knows better kept).
  const wholes = cardsAround(quad).filter(q => mostlyInside(q, photo))
  const outcomes = await Promise.all(wholes.map(async q => readCard(await warpCard(photo, q), q, options, onPage)))
  const best = outcomes.sort((a, b) => topScore(b) - topScore(a))[0]
  return best ? { ...best, grown: true } : readCard(card, quad, options, onPage)
}

async function readCard(card: RgbImage, quad: Quad, options: AnalyzeOptions, onPage: boolean): Promise<CardOutcome> {
  const read = await readCardText(card, options.ocr, options.index, { onPage })
  // Printings the reading cannot tell apart: which of their numbers is printed there.
  const seenNumbers = seeNumber(read.image, options.index, read.reading)
  const reading = { ...read.reading, border: cardBorder(read.image), ...(seenNumbers ? { seenNumbers } : {}) }
  const { candidates, confident } = rankDraft(options, reading)
  const bytes = await cropJpeg(read.image)
  const draft: DraftResult = {
    quad: round(orientedQuad(quad, read.turned)),
    crop: { bytes, contentType: 'image/jpeg', width: read.image.width, height: read.image.height },
    read: seenNumbers ? { ...read.read, raw: { ...read.read.raw, seenNumber: seenNumbers.join(' ') } } : read.read,
    candidates,
    confident,
    status: 'pending',
    failureReason: null,
  }
  return { draft, reading, settled: read.settled }
}

const topScore = (o: CardOutcome) => o.draft.candidates[0]?.score ?? 0

/** Share of a grown card's quad another draft's covers beyond which both are one card. */
const SAME_CARD = 0.6

/**
 * One draft per card: a card's art box and its text box are each card-shaped, turned a quarter
 * (half a card is 44 × 63 mm), and each grows to the whole card; the better read is kept.
 */
export function oneDraftPerCard(outcomes: CardOutcome[]): CardOutcome[] {
  const quad = (o: CardOutcome) => o.draft.quad as Quad | null
  return outcomes.filter((o, i) => !o.grown || !outcomes.some((other, j) => {
    const a = quad(o), b = quad(other)
    if (j === i || !a || !b || Math.max(coverage(a, b), coverage(b, a)) < SAME_CARD) return false
    return topScore(other) > topScore(o) || (topScore(other) === topScore(o) && j < i)
  }))
}

/** Every corner in the photo, or outside it by less than a tenth of the card (a card may stick out a little). */
function mostlyInside(q: Quad, photo: { width: number, height: number }): boolean {
  const slack = 0.1 * Math.max(dist(q[0], q[1]), dist(q[1], q[2]))
  return q.every(([x, y]) => x >= -slack && y >= -slack && x <= photo.width + slack && y <= photo.height + slack)
}

/** Cards from which a photo is taken for a binder page (its cards lie the same way up). */
const PAGE_CARDS = 4

/**
 * Every card of the photo. On a binder page, each card is first read the way up it lies; only
 * when fewer than half of them prove it (a number, a known name) are the unproven ones read
 * turned, as page cards too (a binder page costs no turned reads otherwise). A card whose turned
 * read proves it is taken turned. When more cards proved the page turned than upright (its
 * cards lie the same way up), all are taken turned, and those that proved upright (a stray number
 * off upside-down print) are read turned too, kept upright only when that proves nothing.
 */
async function analyzeCards(photo: DecodedPhoto, found: Quad[], options: AnalyzeOptions, hints: CardHint[] = []): Promise<CardOutcome[]> {
  const outcomes = await readCards(photo, found, options, hints)
  // A cell a grid left for a card whose outline was not found: a card only if one was read there.
  return outcomes.filter((o, i) => !hints[i]?.inferred || o.settled)
}

/** What detection adds to a card's quad, at the photo's full resolution. */
interface CardHint { aroundArt?: Quad, inferred?: boolean }

async function readCards(photo: DecodedPhoto, found: Quad[], options: AnalyzeOptions, hints: CardHint[]): Promise<CardOutcome[]> {
  if (found.length < PAGE_CARDS) return oneDraftPerCard(await Promise.all(found.map((q, i) => analyzeCard(photo, q, options, false, hints[i]?.aroundArt))))
  const quads = samePageWay(found)
  const readTurned = (i: number) => analyzeCard(photo, orientedQuad(quads[i]!, true), options, true)
  const upright = await Promise.all(quads.map(q => analyzeCard(photo, q, options, true)))
  const proven = upright.filter(o => o.settled).length
  if (proven * 2 >= quads.length) return upright
  const turned = await Promise.all(upright.map((o, i) => (o.settled ? null : readTurned(i))))
  if (turned.filter(o => o?.settled).length <= proven) return upright.map((o, i) => (turned[i]?.settled ? turned[i]! : o))
  const all = await Promise.all(turned.map((o, i) => o ?? readTurned(i)))
  return all.map((o, i) => (o.settled || !upright[i]!.settled ? o : upright[i]!))
}

/**
 * A page's quads all the same way up. Each starts on a short side, but which of the two is
 * arbitrary on a page photographed sideways; its cards lie one way, so the quads pointing against
 * most of them are turned.
 */
export function samePageWay(quads: Quad[]): Quad[] {
  const up = (q: Quad): Point => [q[0][0] + q[1][0] - q[2][0] - q[3][0], q[0][1] + q[1][1] - q[2][1] - q[3][1]]
  const first = up(quads[0]!)
  const along = quads.map(q => up(q)[0] * first[0] + up(q)[1] * first[1] > 0)
  const most = along.filter(Boolean).length * 2 >= quads.length
  return quads.map((q, i) => (along[i] === most ? q : orientedQuad(q, true)))
}

/** The part of an (oriented) card quad above its bottom row: no collector number there. */
function abovePrint(q: Quad): Quad {
  const at = (a: Point, b: Point, t: number): Point => [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t]
  return [q[0], q[1], at(q[1], q[2], 0.84), at(q[0], q[3], 0.84)]
}

/** A photo that is itself one card (a scan, a tight crop): its corners. */
function wholeImageQuad(width: number, height: number): Quad | null {
  const aspect = Math.min(width, height) / Math.max(width, height)
  if (Math.abs(aspect - CARD_ASPECT) > 0.06) return null
  const q: Quad = [[0, 0], [width, 0], [width, height], [0, height]]
  return width > height ? [q[1], q[2], q[3], q[0]] as Quad : q
}

/**
 * Photo bytes in, drafts out; no request state, so it can run in a queue worker. Every card found
 * is one draft; a photo without a whole card is read as it is (one draft per collector number,
 * or one empty draft). Throws InvalidImageError for bytes that are not a usable image.
 */
export async function analyzePhoto(bytes: Buffer, options: AnalyzeOptions): Promise<PhotoAnalysis> {
  const timings: Record<string, number> = {}
  const started = performance.now()
  let mark = started
  const lap = (name: string) => {
    const now = performance.now()
    timings[name] = Math.round(now - mark)
    mark = now
  }

  // OCR calls per photo: the load-independent measure of reading cost (timings.ocr).
  let ocrCalls = 0
  const pool = options.ocr
  const ocr: OcrPool = {
    size: pool.size,
    warmUp: () => pool.warmUp(),
    close: () => pool.close(),
    recognize: (job) => {
      ocrCalls++
      return pool.recognize(job)
    },
  }
  options = { ...options, ocr }

  const photo = await decodePhoto(bytes, options.maxPixels)
  lap('decode')
  const detected = detectCards(photo.small.rgb, photo.small.width, photo.small.height)
  lap('detect')

  let drafts: DraftResult[]
  const quads = detected.map(d => toFullResolution(d.quad, photo.small.scale))
  if (quads.length === 0) {
    const whole = wholeImageQuad(photo.width, photo.height)
    if (whole) quads.push(whole)
  }
  if (quads.length > 0) {
    const hints = detected.map(d => ({ aroundArt: d.aroundArt && toFullResolution(d.aroundArt, photo.small.scale), inferred: d.inferred }))
    const outcomes = await analyzeCards(photo, quads, options, hints)
    const readings = new Map(outcomes.filter(o => o.reading).map(o => [o.draft, o.reading!]))
    drafts = outcomes.map(o => o.draft)
    // No number on any card found (a fanned stack whose top card was taken for a whole card, a
    // thumb over the number): look for numbers in the rest of the photo and in the cards' own
    // bottom rows at the photo's resolution (sharper than the warp of a large card), within a
    // small budget. Names and attacks above the bottom row are skipped.
    if (quads.length <= 2 && drafts.every(d => d.status === 'pending' && !d.read.number)) {
      // A photo taken for one card by its shape alone (a fanned stack, a close-up) is searched whole.
      const byShape = detected.length === 0
      const exclude = byShape ? [] : drafts.map(d => (d.quad ? abovePrint(d.quad as Quad) : null)).filter((q): q is Quad => !!q)
      const whole = await readWholePhoto(photo, options, { exclude, ...(byShape ? NO_CARD : OUTSIDE_CARDS) })
      const withNumbers = whole.filter(d => d.read.number)
      if (withNumbers.length === 1 && drafts.length === 1) {
        // One card, one number: the card's name and the photo's number together.
        const reading = withPhotoNumber(readings.get(drafts[0]!)!, wholeReadings.get(withNumbers[0]!)!)
        const { candidates, confident } = rankDraft(options, reading)
        drafts = [{ ...drafts[0]!, candidates, confident, read: { ...drafts[0]!.read, number: withNumbers[0]!.read.number, printedTotal: withNumbers[0]!.read.printedTotal, raw: { ...drafts[0]!.read.raw, ...withNumbers[0]!.read.raw } } }]
      }
      else if (withNumbers.length > 1) {
        drafts = withNumbers
      }
    }
  }
  else {
    drafts = await readWholePhoto(photo, options, NO_CARD)
  }
  lap('read')
  timings.ocr = ocrCalls
  timings.total = Math.round(performance.now() - started)
  return { width: photo.width, height: photo.height, drafts, timings }
}

/**
 * Bounds of the whole-photo pass (lines read): generous when no card was found
 * (a close-up or a fanned stack is all there is), small around detected cards.
 */
const NO_CARD = { maxLines: 20, stacks: true }
const OUTSIDE_CARDS = { maxLines: 6 }

/**
 * A photo of no card that gave no number may be a close-up or a stack photographed upside down
 * or sideways: it is read turned these ways, each with a smaller pass, until one gives numbers.
 */
const TURNS = [180, 90, 270]
const TURNED = { maxLines: 8, stacks: true }

/** The photo turned by `angle`°, at most 2000 px a side (the size the whole-photo pass reads at). */
async function turnedPhoto(image: RgbImage, angle: number): Promise<RgbImage> {
  const { data, info } = await sharp(image.rgb, { raw: { width: image.width, height: image.height, channels: 3 } })
    .rotate(angle)
    .resize(2000, 2000, { fit: 'inside', withoutEnlargement: true })
    .raw()
    .toBuffer({ resolveWithObject: true })
  return { rgb: data, width: info.width, height: info.height }
}

/**
 * A card's reading with the number the whole-photo pass found for it, and what was read around
 * that number (set code, illustrator, copyright year, rarity) where the card's own read had none.
 */
export function withPhotoNumber(card: CardReading, row: CardReading): CardReading {
  return {
    ...card,
    numbers: row.numbers,
    setCode: card.setCode ?? row.setCode,
    lang: card.lang ?? row.lang,
    illustrator: card.illustrator ?? row.illustrator,
    copyrightYear: card.copyrightYear ?? row.copyrightYear,
    rarity: card.rarity ?? row.rarity,
  }
}

/** Readings behind whole-photo drafts (to combine with a card's name). */
const wholeReadings = new WeakMap<DraftResult, CardReading>()

async function readWholePhoto(photo: DecodedPhoto, options: AnalyzeOptions, limits: PhotoNumberLimits): Promise<DraftResult[]> {
  const image: RgbImage = { rgb: photo.rgb, width: photo.width, height: photo.height }
  try {
    let { found, text } = await readPhotoNumbers(image, options.ocr, options.index, limits)
    const clean = (numbers: typeof found) => provesWayUp(numbers.map(f => f.number), options.index)
    for (const angle of limits.stacks ? TURNS : []) {
      if (clean(found)) break
      const turned = await readPhotoNumbers(await turnedPhoto(image, angle), options.ocr, options.index, TURNED)
      if (clean(turned.found) || (found.length === 0 && turned.found.length > 0)) ({ found, text } = turned)
    }
    if (found.length === 0) {
      return [{ quad: null, crop: null, read: { ...EMPTY_READ, raw: { photo: text } }, candidates: [], confident: false, status: 'pending', failureReason: null }]
    }
    return found.map((f) => {
      const reading: CardReading = { names: [], numbers: f.alternatives, setCode: f.setCode, hp: null, lang: f.lang, numberSide: null, illustrator: f.illustrator, copyrightYear: f.copyrightYear, rarity: f.rarity }
      const { candidates, confident } = rankDraft(options, reading)
      const read: ReadText = {
        name: null,
        hp: null,
        number: f.number.number,
        printedTotal: f.number.printedTotal,
        setCode: f.setCode,
        lang: f.lang,
        raw: { photo: f.line },
      }
      const draft: DraftResult = { quad: null, crop: null, read, candidates, confident, status: 'pending', failureReason: null }
      wholeReadings.set(draft, reading)
      return draft
    })
  }
  catch (error) {
    return [failedDraft(null, error)]
  }
}

export type { Point }
