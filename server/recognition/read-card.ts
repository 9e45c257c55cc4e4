import sharp from 'sharp'
import { type CatalogEntry, foldName, type NameIndex, type NumberCorner, printedNumber, printedSetCode, searchNames } from './catalog-index'
import { findTextLines, type TextLine } from './lines'
import { type OcrPool, PSM } from './ocr-pool'
import { type CardNumber, numberFragments, numberKey, parseCardNumbers, parseCopyrightYear, parseHp, parseIllustrator, parseRarityMark, parseSetCode, type RarityMark, unlabelledIllustrator } from './parse'
import type { CardReading } from './rank'
import type { ReadText } from './types'
import type { Quad } from './detect'
import { bandPng, type RgbImage, rotate180, rotate90 } from './warp'

/** What the catalogue prints, to validate readings: set codes and printed totals. */
export interface KnownValues {
  setCodes: ReadonlySet<string>
  totals: ReadonlySet<number>
  /** Printings by number (a `CatalogIndex` has them): which set codes could settle a tie. */
  byNumber?: ReadonlyMap<string, CatalogEntry[]>
  /** The catalogue's names (a `CatalogIndex` has them): a name it knows settles the orientation. */
  names?: NameIndex['names']
  trigrams?: NameIndex['trigrams']
  /** Printings by folded name, and by name without its suffix (a `CatalogIndex` has them). */
  byName?: ReadonlyMap<string, CatalogEntry[]>
  bySuffixless?: ReadonlyMap<string, CatalogEntry[]>
}

/** The closest catalogue name of each query that may count as a name read (none without a name index). */
function knownNames(known: KnownValues, queries: string[]): { name: string, similarity: number }[] {
  if (!known.names || !known.trigrams) return []
  const index = { names: known.names, trigrams: known.trigrams }
  const out: { name: string, similarity: number }[] = []
  for (const q of queries) {
    const folded = foldName(q)
    // Short runs match some name by chance, even noise read off a turned card (`iris` = `Iris`,
    // `PERL` ≈ `Perlu`): runs of 5+ letters count, under 6 letters only when read exactly.
    const letters = folded.replace(/[^a-z]/g, '').length
    if (letters < 5) continue
    const match = searchNames(index, folded, 1, 60)[0]
    if (match && (letters >= 6 || match.similarity >= 0.95)) out.push(match)
  }
  return out
}

/** Similarity of the best catalogue name for any of the queries (0 without a name index). */
export function knownNameSimilarity(known: KnownValues, queries: string[]): number {
  return Math.max(0, ...knownNames(known, queries).map(m => m.similarity))
}

/**
 * The corners where every printing of the names surely read prints its number (`Sprigatito`,
 * only printed since 2017: bottom left), or null when no name is sure or its printings use both.
 */
export function nameCorners(known: KnownValues, queries: string[]): NumberCorner[] | null {
  const sure = knownNames(known, queries).filter(m => m.similarity >= SURE_NAME)
  if (sure.length === 0 || !known.byName) return null
  const corners = new Set<NumberCorner>()
  for (const { name } of sure) {
    for (const entry of [...known.byName.get(name) ?? [], ...known.bySuffixless?.get(name) ?? []]) {
      for (const corner of printedNumber(entry).corners) corners.add(corner)
    }
  }
  return corners.size === 1 ? [...corners] : null
}

/** Words of the name band that are never (part of) a card name. */
const NOT_NAME = new Set([
  'hp', 'pv', 'kp', 'ps', 'stage', 'basic', 'base', 'de', 'niveau', 'trainer', 'dresseur', 'item', 'objet',
  'supporter', 'stadium', 'stade', 'outil', 'tool', 'pokemon', 'evolves', 'from', 'evolue', 'ability', 'talent',
  'energy', 'energie', 'special', 'speciale', 'put', 'on', 'the', 'of', 'sur', 'le', 'la',
])

/** Labels printed next to the name on its row (never at either end of a name). */
const EDGE_LABELS = new Set(['hp', 'pv', 'kp', 'ps', 'basic', 'base', 'stage', 'niveau'])

/**
 * Runs of 1–4 words of each OCR line that may be the printed name, longest first. OCR glues
 * icons and HP to the name, so every run is tried against the catalogue.
 */
export function nameQueries(text: string): string[] {
  const out = new Set<string>()
  // Each line as read, then with glued words apart (`(vmax}ScizorViriy`: the name and its suffix
  // logo read as one word).
  for (const tokens of text.split('\n').flatMap(l => [nameTokens(l), nameTokens(unglued(l))])) {
    for (let n = Math.min(4, tokens.length); n >= 1; n--) {
      for (let i = 0; i + n <= tokens.length; i++) {
        const run = tokens.slice(i, i + n)
        if (run.every(t => NOT_NAME.has(t.toLowerCase()) || t.length === 1)) continue
        // `BASIC Charmander HP`: the labels around the name are no part of it (shorter runs cover it).
        if (n > 1 && (EDGE_LABELS.has(run[0]!.toLowerCase()) || EDGE_LABELS.has(run[n - 1]!.toLowerCase()))) continue
        const q = run.join(' ')
        if (q.replace(/[^\p{L}]/gu, '').length >= 3) out.add(q)
      }
    }
  }
  return [...out].slice(0, 24)
}

/** The words of a line that may be (part of) a name, stray glyphs dropped. */
function nameTokens(line: string): string[] {
  return line.split(/\s+/)
    .map(t => t.replace(/[^\p{L}\p{N}'’.\-♀♂]/gu, '').replace(/^[.\-']+|[.\-']+$/g, ''))
    // One capital is a word of some names (`Mega Charizard X ex`, `Scizor V`, `M Gardevoir EX`).
    .filter(t => (t.length >= 2 || /^[A-Z]$/.test(t)) && /\p{L}/u.test(t))
}

/** A line split where OCR glued words: at a stray glyph and where a capital follows a small letter. */
export function unglued(line: string): string {
  return line.replace(/[^\p{L}\p{N}\s'’.\-♀♂]+/gu, ' ').replace(/(\p{Ll})(\p{Lu})/gu, '$1 $2')
}

/**
 * HP printed at the top right when no `HP`/`PV` label was read: the last multiple of 10 on the
 * first line with a digit, or on a line that holds the name (`namesCard`): the HP shares the
 * name's row, stray lines above it may hold digits too. The type symbol right of it is often
 * read as one or two more digits (`609` for `60 ◉`, `14014` for `140 ◉`).
 */
export function looseHp(text: string, namesCard: (line: string) => boolean = () => false): number | null {
  const plausible = (n: number) => n >= 30 && n <= 400 && n % 10 === 0
  const lines = text.split('\n')
  const firstWithDigit = lines.findIndex(l => /\d/.test(l))
  for (const [i, line] of lines.entries()) {
    if (i !== firstWithDigit && !(/\d/.test(line) && namesCard(line))) continue
    const nums = [...line.matchAll(/(?<!\d)(\d{2,5})(?!\d)/g)].map((m) => {
      const digits = m[1]!
      const cuts = [0, 1, 2].filter(cut => digits.length - cut >= 2)
      return cuts.map(cut => Number(digits.slice(0, digits.length - cut))).find(plausible) ?? null
    })
    const hp = nums.reverse().find(n => n !== null)
    if (hp) return hp
  }
  return null
}

/**
 * How a text line is prepared for tesseract. `plain`: grey, upscaled to ~36 px text, normalised.
 * `stretched`: the darkest and lightest greys clipped before normalising, a steeper stretch of the
 * rest, which rescues light or blurred print (grey digits on a silver border, a soft phone photo)
 * that `plain` reads as letters.
 * `lift`: `plain` brightened by that factor, so a coloured ground turns white and only dark
 * print stays (digits in a white halo on a purple or red band, which `plain` reads as blobs).
 */
export type LineVariant = 'plain' | 'stretched' | { lift: number }

/** Lifts tried one after the other on a line no other way read: how far the ground must be lifted varies. */
const LIFTS = [3, 2.2, 1.6]

/**
 * Whether a region is mostly dark: its median brightness is low (the text is the minority of
 * the pixels, so the median is the ground's).
 */
export function darkGround(img: RgbImage, left: number, top: number, width: number, height: number): boolean {
  const histogram = new Uint32Array(256)
  const step = Math.max(1, Math.floor(Math.sqrt((width * height) / 4000)))
  let count = 0
  for (let y = top; y < top + height; y += step) {
    for (let x = left; x < left + width; x += step) {
      const i = (y * img.width + x) * 3
      histogram[(img.rgb[i]! * 77 + img.rgb[i + 1]! * 150 + img.rgb[i + 2]! * 29) >> 8]!++
      count++
    }
  }
  let seen = 0
  for (let v = 0; v < 256; v++) {
    seen += histogram[v]!
    if (seen * 2 >= count) return v < DARK_GROUND
  }
  return false
}

/** Median brightness under which a line's ground is dark (white print on it). */
const DARK_GROUND = 96

async function linePng(img: RgbImage, line: TextLine, variant: LineVariant = 'plain', padX?: { left: number, right: number }): Promise<Buffer> {
  // Tesseract reads best around 30–40 px text height; pad so glyphs do not touch the border.
  const pad = Math.round(line.height * 0.35)
  const left = Math.max(0, padX ? padX.left : line.x - pad), top = Math.max(0, line.y - pad)
  const right = Math.min(img.width, padX ? padX.right : line.x + line.width + pad)
  const width = right - left, height = Math.min(img.height - top, line.height + 2 * pad)
  const scale = Math.min(3, Math.max(1, 36 / line.height))
  let pipeline = sharp(img.rgb, { raw: { width: img.width, height: img.height, channels: 3 } })
    .extract({ left, top, width, height })
    .greyscale()
    .resize(Math.round(width * scale), Math.round(height * scale), { kernel: 'cubic' })
  // Light print on a dark ground (V/ex banners, full-art bottoms): tesseract wants dark on light.
  if (darkGround(img, left, top, width, height)) pipeline = pipeline.negate()
  // Sharp applies `linear` before `normalise` whatever the call order: `stretched` clips the
  // extremes, then the rest is stretched; the lift, which must come after, needs a second pass.
  if (variant === 'stretched') pipeline = pipeline.linear(1.5, -60)
  pipeline = pipeline.normalise()
  if (typeof variant === 'object') {
    const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true })
    pipeline = sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } }).linear(variant.lift, 0)
  }
  return pipeline.png({ compressionLevel: 1 }).toBuffer()
}

/** A line with its local background taken out, scaled for its digits (about half its height). */
function localLinePng(img: RgbImage, line: TextLine): Promise<Buffer> {
  const pad = line.height * 0.35
  const region = {
    x0: Math.max(0, line.x - pad) / img.width,
    y0: Math.max(0, line.y - pad) / img.height,
    x1: Math.min(img.width, line.x + line.width + pad) / img.width,
    y1: Math.min(img.height, line.y + line.height + pad) / img.height,
  }
  return localContrastPng(img, region, Math.min(4, Math.max(1, 72 / line.height)), 6)
}

async function readLine(img: RgbImage, ocr: OcrPool, line: TextLine, variant: LineVariant = 'plain'): Promise<string> {
  return (await ocr.recognize({ image: await linePng(img, line, variant), psm: PSM.SINGLE_LINE })).text.trim()
}

/**
 * A reading the catalogue can vouch for: a total some set prints, or a set-naming promo number.
 * `007/007` parses but no set prints 7 cards with that layout: worth a second look.
 */
function trustworthy(numbers: CardNumber[], known: KnownValues): boolean {
  return numbers.some(n => !n.loose && (n.printedTotal === null ? n.prefix !== '' : known.totals.has(n.printedTotal)))
}

/**
 * Whether some printing of the catalogue carries this number over this total. Upside-down digits
 * parse as numbers too (`94/22`, `21/50`), but rarely as one a card prints.
 */
export function printedSomewhere(n: CardNumber, known: KnownValues): boolean {
  if (!known.byNumber || n.printedTotal === null || n.prefix || n.totalPrefix) return true
  return (known.byNumber.get(numberKey(n.number)) ?? []).some(e => e.printedTotal === n.printedTotal)
}

/**
 * Whether numbers read off a photo prove it lies the way it was read: a clean number (no repair:
 * `21020` off an upside-down `©2012` line) padded as cards print it, that some card prints.
 */
export function provesWayUp(numbers: CardNumber[], known: KnownValues): boolean {
  return numbers.some(n => !n.loose && printedSomewhere(n, known))
}

export interface BottomRead {
  numbers: CardNumber[]
  setCode: string | null
  lang: string | null
  /** Where the number was printed: bottom-left (2011 on) or bottom-right (older cards). */
  side: 'left' | 'right' | null
  text: string
}

/** The printings with the number read (the first clean one with a total) and its total. */
function printingsSharing(numbers: CardNumber[], known: KnownValues): CatalogEntry[] {
  const n = numbers.find(x => x.printedTotal !== null && !x.loose) ?? numbers.find(x => x.printedTotal !== null)
  return n ? (known.byNumber?.get(numberKey(n.number)) ?? []).filter(e => e.printedTotal === n.printedTotal) : []
}

/** Set codes printed on cards (Scarlet & Violet on, 2023): older cards show a set symbol. */
const CODE_BOX_ERA = '2023'

/**
 * The printed set codes that would tell apart the printings sharing the number read, when
 * there are several and at least two of them print a code box. Empty when nothing to settle.
 */
export function codesToSettle(numbers: CardNumber[], known: KnownValues): string[] {
  const same = printingsSharing(numbers, known)
  if (same.length < 2) return []
  const codes = new Set(same.filter(e => (e.releaseDate ?? '') >= CODE_BOX_ERA).map(printedSetCode).filter((c): c is string => !!c))
  return [...codes]
}

/** Letters of a code box read that match one of the expected codes (one letter may be misread). */
export function matchCode(text: string, codes: string[]): string | null {
  const words = text.toUpperCase().match(/[A-Z0-9]{3,4}/g) ?? []
  for (const exact of [true, false]) {
    const hits = new Set<string>()
    for (const w of words) {
      for (const c of codes) {
        for (let i = 0; i + 3 <= w.length; i++) {
          const part = w.slice(i, i + 3)
          const diff = [...part].filter((ch, k) => ch !== c[k]).length
          if (exact ? diff === 0 : diff === 1) hits.add(c)
        }
      }
    }
    if (hits.size === 1) return [...hits][0]!
    if (hits.size > 1) return null
  }
  return null
}

/**
 * The set-code box (`PAL EN`, white on a black box) left of the number: the left part of the
 * number row, inverted, upscaled, letters only (`lettersOnly`: an energy row's small box reads
 * better free, `svi` for `SVE`).
 */
async function readCodeBox(img: RgbImage, ocr: OcrPool, line: TextLine, numberAt: number, codes: string[], lettersOnly = true): Promise<string | null> {
  // The box sits left of the digits: inside the line when the line finder kept the row whole
  // (`G PAL EN 012/193`), just before it when it found the number alone (a close-up). Digits in
  // the crop would be read as letters, so it ends where the number starts.
  const pad = Math.round(line.height * 0.35)
  const end = line.x + Math.round(line.width * numberAt)
  const left = Math.max(0, numberAt < 0.15 ? line.x - line.height * 5 : line.x - pad), top = Math.max(0, line.y - pad)
  const width = Math.min(img.width - left, end - left)
  const height = Math.min(img.height - top, line.height + 2 * pad)
  if (width < line.height) return null
  const scale = Math.max(2, Math.min(4, 48 / line.height))
  const image = await sharp(img.rgb, { raw: { width: img.width, height: img.height, channels: 3 } })
    .extract({ left, top, width, height })
    .greyscale()
    .resize(Math.round(width * scale), Math.round(height * scale), { kernel: 'cubic' })
    .normalise()
    .png({ compressionLevel: 1 })
    .toBuffer()
  const r = await ocr.recognize({ image, psm: PSM.SINGLE_LINE, whitelist: lettersOnly ? 'ABCDEFGHIJKLMNOPQRSTUVWXYZ ' : undefined })
  return matchCode(r.text, codes)
}

/** Where the number starts in a line's text, as a fraction of the line (the glyphs are about even). */
function numberAt(text: string, numbers: CardNumber[]): number {
  const first = numbers.find(n => n.printedTotal !== null) ?? numbers[0]
  return first && text.length > 0 ? Math.min(1, first.index / text.length) : 0
}

/** Tallest single line of the bottom row (the number is ≈ 17–25 px on the canonical warp). */
const BOTTOM_LINE_MAX = 42

/**
 * Text lines of the bottom row. The illustrator line and the number row (with the dark set-code
 * box between them) often merge into one blob two lines tall: its lower half is the number row.
 */
export function bottomLines(img: RgbImage): TextLine[] {
  const out: TextLine[] = []
  // Each half on its own: the border and the dark bands of one half would set the threshold too
  // high for faint print in the other.
  const halves = [{ x0: 0.03, y0: 0.86, x1: 0.5, y1: 1 }, { x0: 0.5, y0: 0.86, x1: 0.97, y1: 1 }]
  for (const l of halves.flatMap(h => findTextLines(img, h, { minHeight: 9, maxHeight: BOTTOM_LINE_MAX * 2 }))) {
    if (l.height <= BOTTOM_LINE_MAX) out.push(l)
    else out.push({ ...l, y: l.y + Math.round(l.height * 0.45), height: Math.round(l.height * 0.55) })
  }
  return out
}

export interface BottomOptions {
  only?: 'first' | 'second'
  /** Most looks at the number corners (`CORNER_LOOKS`). */
  looks?: number
  /** The corners the name read says its printings print their number in. */
  cornersOf?: () => Promise<NumberCorner[] | null>
  /**
   * One corner after the other (bottom-left first), none after one that gave a number: for the
   * cards of a binder page, read all at once, whose other jobs keep every worker busy meanwhile.
   */
  oneByOne?: boolean
}

/** Reads each item: all at once, or (`oneByOne`) one after the other until one `suffices`. */
async function readEach<T, R>(items: T[], read: (item: T) => Promise<R>, oneByOne: boolean, suffices: (result: R) => boolean): Promise<R[]> {
  if (!oneByOne) return Promise.all(items.map(read))
  const out: R[] = []
  for (const item of items) {
    out.push(await read(item))
    if (suffices(out.at(-1)!)) break
  }
  return out
}

/**
 * The bottom row: modern cards print `PAL EN 012/193` bottom-left, legacy ones `58/102`
 * bottom-right. Text lines are located and read one by one, the likeliest first (the lowest line
 * touching each edge). A second round reads those two lines again with stretched contrast plus the
 * next lines up, unless the first round gave a number the catalogue vouches for; then up to
 * `looks` looks at the number corners as a whole (`CORNER_LOOKS`), while still no number: at the
 * corners `cornersOf` names when it names some (the name read meanwhile says where its printings
 * print their number), else at both. `only` runs one of the two rounds (the turned side of a card
 * is tried with the first round alone, and no corner look).
 */
export async function readBottom(img: RgbImage, ocr: OcrPool, known: KnownValues, options: BottomOptions = {}): Promise<BottomRead> {
  const { only, looks = CORNER_LOOKS.length, cornersOf, oneByOne = false } = options
  const W = img.width
  const lines = bottomLines(img)
    // Flavour text and the copyright line sit in the middle; the number hugs an edge.
    .filter(l => (l.x < W * NUMBER_EDGE || l.x + l.width > W * (1 - NUMBER_EDGE)) && l.width < W * 0.75)
  const sideOf = (l: TextLine): 'left' | 'right' => (l.x < W * NUMBER_EDGE ? 'left' : 'right')
  const lowest = (side: 'left' | 'right') => lines.filter(l => sideOf(l) === side).sort((a, b) => b.y - a.y)
  const left = lowest('left'), right = lowest('right')
  const first = [left[0], right[0]].filter((l): l is TextLine => !!l)
  const rounds: { line: TextLine, variant: LineVariant }[][] = [
    first.map(line => ({ line, variant: 'plain' as const })),
    [
      ...first.map(line => ({ line, variant: 'stretched' as const })),
      ...[left[1], right[1]].filter((l): l is TextLine => !!l).map(line => ({ line, variant: 'plain' as const })),
    ],
  ]
  const texts: string[] = []
  let side: 'left' | 'right' | null = null
  let numberLine: { line: TextLine, at: number } | null = null
  for (const round of only === 'first' ? rounds.slice(0, 1) : only === 'second' ? rounds.slice(1) : rounds) {
    if (round.length === 0) continue
    const read = await Promise.all(round.map(async r => ({ line: r.line, text: await readLine(img, ocr, r.line, r.variant) })))
    for (const r of read) {
      if (!r.text) continue
      texts.push(r.text)
      const parsed = side ? [] : parseCardNumbers(r.text, known.totals)
      if (parsed.length > 0) {
        side = sideOf(r.line)
        numberLine = { line: r.line, at: numberAt(r.text, parsed) }
      }
    }
    if (side && trustworthy(parseCardNumbers(texts.join('\n'), known.totals), known)) break
  }
  // Faint or blurred print the line finder missed: the corners where numbers are printed, read
  // as sparse text by tesseract's own layout analysis after a local contrast boost.
  // A second look, larger and gentler, only when the first found no number.
  let where: NumberCorner[] | null | undefined
  for (const look of only === 'first' ? [] : CORNER_LOOKS.slice(0, looks)) {
    if (side && trustworthy(parseCardNumbers(texts.join('\n'), known.totals), known)) break
    where ??= (await cornersOf?.()) ?? null
    const corners = await readEach(NUMBER_CORNERS.filter(c => !where || where.includes(c.side)), async corner => ({
      corner,
      text: (await ocr.recognize({ image: await localContrastPng(img, corner, look.scale, look.gain), psm: PSM.SPARSE_TEXT })).text.trim(),
    }), oneByOne, r => parseCardNumbers(r.text, known.totals).length > 0)
    for (const { corner, text } of corners) {
      if (!text) continue
      // Only the lines worth keeping: numbers, the set code, the illustrator (they tell printings apart).
      texts.push(...text.split('\n').filter(l => parseCardNumbers(l, known.totals).length > 0 || parseSetCode(l, known.setCodes) || parseIllustrator(l)))
      if (!side && parseCardNumbers(text, known.totals).length > 0) side = corner.side
    }
    if (side) break
  }
  const text = texts.join('\n')
  let code = parseSetCode(text, known.setCodes)
  const numbersRead = side ? parseCardNumbers(text, known.totals) : []
  // Same number and total in several sets (`196/198`: SVI and CRE): the white-on-black code box
  // left of the number settles it. Read on its own, inverted, only when it can decide something.
  const codes = code || !numberLine || side !== 'left' ? [] : codesToSettle(numbersRead, known)
  if (codes.length > 0) {
    const boxCode = await readCodeBox(img, ocr, numberLine!.line, numberLine!.at, codes)
    if (boxCode) {
      code = { code: boxCode, lang: null }
      texts.push(`[${boxCode}]`)
    }
  }
  const numbers = numbersRead
  // Readings the catalogue vouches for first (a clean `007/007` must not hide a stretched `007/091`).
  const ranked = [...numbers.filter(n => trustworthy([n], known)), ...numbers.filter(n => !trustworthy([n], known))]
  return { numbers: ranked, setCode: code?.code ?? null, lang: code?.lang ?? null, side, text: texts.join('\n') }
}

/**
 * A number row starts within this share of the card's width from its left edge, or ends within
 * it from the right edge (`H PAL EN 012/193` at about 0.04, `58/102` to about 0.95). The copyright
 * line below it is centred: a piece of it cut at the middle starts near 0.3.
 */
const NUMBER_EDGE = 0.2

/** How the number corners are looked at: upscale and local-contrast gain, one look after the other. */
const CORNER_LOOKS = [{ scale: 2.5, gain: 12 }, { scale: 3, gain: 8 }]

/** Where cards print their number: bottom-left (2011 on) and bottom-right (before). */
const NUMBER_CORNERS = [
  { side: 'left' as const, x0: 0.02, y0: 0.86, x1: 0.6, y1: 1 },
  { side: 'right' as const, x0: 0.45, y0: 0.88, x1: 0.98, y1: 1 },
]

/**
 * A region as grey with its local background taken out and the rest amplified: grey print on a
 * grey or coloured ground (a soft photo, a silver border) becomes dark on white, whatever the
 * ground's gradient. Light print on a dark ground is flipped first.
 */
export async function localContrastPng(img: RgbImage, region: { x0: number, y0: number, x1: number, y1: number }, scale = 2.5, gain = 12, flip = false): Promise<Buffer> {
  const left = Math.round(region.x0 * img.width), top = Math.round(region.y0 * img.height)
  const width = Math.round((region.x1 - region.x0) * img.width), height = Math.round((region.y1 - region.y0) * img.height)
  const w = Math.round(width * scale), h = Math.round(height * scale)
  const grey = await sharp(img.rgb, { raw: { width: img.width, height: img.height, channels: 3 } })
    .extract({ left, top, width, height })
    .greyscale()
    .resize(w, h, { kernel: 'cubic' })
    .raw()
    .toBuffer()
  // `flip`: the other guess, for a ground the median misjudges (a dark panel inside a light border).
  const sign = (darkGround(img, left, top, width, height) !== flip) ? -1 : 1
  // The ground: a box mean about two text heights wide.
  const mean = boxMean(grey, w, h, Math.round(10 * scale))
  const out = Buffer.alloc(w * h)
  for (let i = 0; i < out.length; i++) out[i] = Math.max(0, Math.min(255, Math.round(235 + sign * (grey[i]! - mean[i]!) * gain)))
  return sharp(out, { raw: { width: w, height: h, channels: 1 } }).png({ compressionLevel: 1 }).toBuffer()
}

/** Mean of each pixel's (2r+1)² neighbourhood (clipped at the edges), by an integral image. */
export function boxMean(grey: Uint8Array, w: number, h: number, r: number): Float32Array {
  const W1 = w + 1
  const sum = new Float64Array(W1 * (h + 1))
  for (let y = 0; y < h; y++) {
    let row = 0
    for (let x = 0; x < w; x++) {
      row += grey[y * w + x]!
      sum[(y + 1) * W1 + x + 1] = sum[y * W1 + x + 1]! + row
    }
  }
  const mean = new Float32Array(w * h)
  for (let y = 0; y < h; y++) {
    const ya = Math.max(0, y - r), yb = Math.min(h, y + r + 1)
    for (let x = 0; x < w; x++) {
      const xa = Math.max(0, x - r), xb = Math.min(w, x + r + 1)
      mean[y * w + x] = (sum[yb * W1 + xb]! - sum[ya * W1 + xb]! - sum[yb * W1 + xa]! + sum[ya * W1 + xa]!) / ((yb - ya) * (xb - xa))
    }
  }
  return mean
}

export interface CardRead {
  read: ReadText
  reading: CardReading
  /** The card turned the right way up. */
  image: RgbImage
  /** Whether the card was turned by 180°. */
  turned: boolean
  /** Whether the side kept proved the right way up (a number or a name the catalogue knows). */
  settled: boolean
}

/** Height of the tallest text line in a band of the card (0 when none). */
function tallestLine(img: RgbImage, y0: number, y1: number): TextLine | null {
  const lines = findTextLines(img, { x0: 0.02, y0, x1: 0.98, y1 }, { minHeight: 12, maxHeight: 80 })
  return lines.reduce<TextLine | null>((best, l) => (!best || l.height > best.height ? l : best), null)
}

/**
 * Which way up the card likely is, without OCR: the name row at the top is the tallest print of
 * the card's edges (≈ 4 mm), the bottom row the smallest (≈ 1.5 mm). Only orders the attempts.
 */
export function likelyTurned(card: RgbImage): boolean {
  const top = tallestLine(card, 0.01, 0.13)?.height ?? 0
  const bottom = tallestLine(card, 0.87, 0.99)?.height ?? 0
  return bottom > top * 1.25 && bottom >= 20
}

interface NameRead { text: string, confidence: number }

/** What a side's number row proves: 2 a clean number, 1 only a repaired one, 0 none. */
function numberStrength(bottom: BottomRead): number {
  return bottom.numbers.some(n => !n.loose) ? 2 : bottom.numbers.length > 0 ? 1 : 0
}

/** Lines of text (3+ glyphs, 3× as wide as tall) across the card. */
function linesAcross(card: RgbImage): number {
  return findTextLines(card, { x0: 0.02, y0: 0.02, x1: 0.98, y1: 0.98 }, { minHeight: 9, maxHeight: 60 })
    .filter(l => l.width >= l.height * 3 && (l.glyphs ?? 0) >= 3).length
}

/**
 * Whether the straightened card's text runs down it instead of across: the quad holds a card
 * turned a quarter, that is part of a card taken for a whole one (a thumb or a faint border
 * hid its outline, and the part between the art box and the bottom edge is card-shaped too).
 */
export function textRunsDown(card: RgbImage): boolean {
  return linesAcross(card) <= 1 && linesAcross(rotate90(card)) >= 3
}

/** A name read this close to a catalogue name is no accident of a turned card's noise. */
const SURE_NAME = 0.86

/** Under this tesseract confidence the name row is read again as a whole band. */
const WEAK_NAME_CONFIDENCE = 65

/**
 * The name row: the full width of the card at the height of the tallest text line of the top
 * band (name and HP share that row), read as one line. Falls back to the whole band when no
 * line is found.
 */
async function readNameRow(img: RgbImage, ocr: OcrPool, known: KnownValues, withBand = true, oneByOne = false): Promise<NameRead> {
  const y1 = Math.round(img.height * 0.11)
  const lines = findTextLines(img, { x0: 0.02, y0: 0.01, x1: 0.98, y1: 0.11 }, { minHeight: 14, maxHeight: 80 })
    // The art box's top edge is no text: too wide, or cut by the band's lower edge.
    .filter(l => l.width < img.width * 0.85 && l.y + l.height < y1 - 1)
  // A word is wider than tall (2+ letters); the round evolution portrait is not.
  const tallest = lines.filter(l => l.width >= l.height * 2)
    .reduce<TextLine | null>((best, l) => (!best || l.height > best.height ? l : best), null)
  if (!tallest || tallest.height < 18) return readNameBand(img, ocr, known, oneByOne)
  // Lines centred in the tallest line's row belong to it (`BASIC`, the name, `HP 70`); the
  // smaller `STAGE 1` / `Evolves from` lines above and below do not.
  const row = lines.filter((l) => {
    const c = l.y + l.height / 2
    return c > tallest.y && c < tallest.y + tallest.height && l.height <= tallest.height * 1.6
  })
  const y = Math.min(...row.map(l => l.y)), bottom = Math.max(...row.map(l => l.y + l.height))
  const span: TextLine = { x: 0, y, width: img.width, height: bottom - y }
  const image = await linePng(img, span, 'plain', { left: Math.round(img.width * 0.02), right: Math.round(img.width * 0.98) })
  const r = await ocr.recognize({ image, psm: PSM.SINGLE_LINE })
  // A low-confidence read that still names a catalogue card (icons lower the mean) is enough.
  if (!withBand || r.confidence >= WEAK_NAME_CONFIDENCE || knownNameSimilarity(known, nameQueries(r.text)) >= SURE_NAME) {
    return { text: r.text, confidence: r.confidence }
  }
  // A stylised frame (evolution portrait, banners) can hide the name row: the band as well.
  const band = await readNameBand(img, ocr, known, oneByOne)
  return { text: `${r.text.trim()}\n${band.text}`, confidence: Math.max(r.confidence, band.confidence) }
}

interface SideRead { bottom: BottomRead, name: NameRead }

/** `oneByOne` also reads the name band's second cut only when the first named no card. */
async function readSide(img: RgbImage, ocr: OcrPool, known: KnownValues, options: Omit<BottomOptions, 'cornersOf'> & { withBand?: boolean } = {}): Promise<SideRead> {
  // Both at once (two workers); Promise.all so a failure of one never goes unhandled.
  const reading = readNameRow(img, ocr, known, options.withBand ?? true, options.oneByOne)
  const [bottom, name] = await Promise.all([
    readBottom(img, ocr, known, { ...options, cornersOf: async () => nameCorners(known, nameQueries((await reading).text)) }),
    reading,
  ])
  return { bottom, name }
}

/**
 * How much more the other side's name must look like a catalogue name to win: the way up the
 * card lies in the photo is the likelier one (people photograph cards upright), so turning it
 * takes clear evidence, and keeping it upright takes none.
 */
const TURN_MARGIN = 0.1
const UPRIGHT_MARGIN = -0.02

/**
 * Reads one straightened card. The likelier orientation (from the text-line layout) is read
 * first; the other only when no number parsed there (orientation is whatever makes the number
 * readable, or failing that, the name). `onPage`: a card of a binder page, read the way up it
 * lies and nothing else, its number corners looked at one after the other (the cards of a page
 * lie the same way up, and a page has many: see analyzePhoto).
 */
export async function readCardText(card: RgbImage, ocr: OcrPool, known: KnownValues, options: { onPage?: boolean } = {}): Promise<CardRead> {
  const flipped = rotate180(card)
  const onPage = options.onPage ?? false
  const firstTurned = !onPage && likelyTurned(card)
  const order = firstTurned ? [flipped, card] : [card, flipped]
  let image = order[0]!
  let turned = firstTurned
  let { bottom, name } = await readSide(image, ocr, known, onPage ? { oneByOne: true } : {})
  // A name row the catalogue knows says the card is the right way up: the turned side would
  // only cost another round of OCR (the number is simply unreadable on this card).
  // A number repaired out of noise (`0668` → 06/68, an upside-down `143/198`) settles nothing.
  const proves = (side: { bottom: BottomRead, name: NameRead }) => numberStrength(side.bottom) === 2 || knownNameSimilarity(known, nameQueries(side.name.text)) >= SURE_NAME
  let settled = proves({ bottom, name })
  if (!settled && !onPage) {
    // The other side gets the plain first round only; its second round only once its name row
    // has shown it is the right way up. Its name band only when it is the photo's upright side.
    const otherUpright = firstTurned
    const other = await readSide(order[1]!, ocr, known, { only: 'first', withBand: otherUpright })
    // A name row that reads empty (a holo ground) says nothing either way: its band does.
    if (!other.name.text.trim()) other.name = await readNameBand(order[1]!, ocr, known)
    const sims = [name, other.name].map(n => knownNameSimilarity(known, nameQueries(n.text)))
    const strength = [numberStrength(bottom), numberStrength(other.bottom)]
    const better = strength[1]! > strength[0]! || (strength[1] === strength[0] && (otherUpright
      ? sims[1]! >= sims[0]! + UPRIGHT_MARGIN
      : sims[1]! > sims[0]! + TURN_MARGIN && other.name.text.replace(/\W/g, '').length >= 4))
    if (better) {
      image = order[1]!
      turned = !firstTurned
      bottom = other.bottom
      name = other.name
      // Now that this side is the right one: what its first look skipped (both at once).
      const weakName = name.confidence < WEAK_NAME_CONFIDENCE && knownNameSimilarity(known, nameQueries(name.text)) < SURE_NAME
      const [second, band] = await Promise.all([
        bottom.numbers.length === 0 ? readBottom(image, ocr, known, { only: 'second' }) : null,
        weakName ? readNameBand(image, ocr, known) : null,
      ])
      if (second) bottom = { ...second, text: [bottom.text, second.text].filter(Boolean).join('\n') }
      if (band) name = { text: `${name.text.trim()}\n${band.text}`, confidence: Math.max(name.confidence, band.confidence) }
      settled = proves({ bottom, name })
    }
  }
  const hpRead = parseHp(name.text)
  const hp = hpRead?.hp ?? looseHp(name.text, line => knownNameSimilarity(known, nameQueries(line)) >= SURE_NAME)
  const lang = bottom.lang ?? hpRead?.lang ?? null
  const names = nameQueries(name.text)
  const first = bottom.numbers[0]
  return {
    image,
    turned,
    settled,
    reading: { names, numbers: bottom.numbers, setCode: bottom.setCode, hp, lang, numberSide: bottom.side, illustrator: parseIllustrator(bottom.text) ?? unlabelledIllustrator(bottom.text), copyrightYear: parseCopyrightYear(bottom.text), numberFragments: bottom.numbers.length === 0 ? numberFragments(bottom.text) : [], rarity: parseRarityMark(bottom.text) },
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

/**
 * Two cuts of the name band (tesseract's layout analysis is fickle on a holo ground: one cut often
 * reads what the other misses), both with local contrast: a holo or full-art ground behind the
 * name defeats a global threshold.
 */
const NAME_BANDS = [
  { x0: 0.02, y0: 0.015, x1: 0.98, y1: 0.115 },
  { x0: 0.02, y0: 0.01, x1: 0.98, y1: 0.1 },
]

async function readNameBand(img: RgbImage, ocr: OcrPool, known: KnownValues, oneByOne = false): Promise<NameRead> {
  const read = async (flip: boolean) => {
    const reads = await readEach(NAME_BANDS, async band =>
      ocr.recognize({ image: await localContrastPng(img, band, 1, 4, flip), psm: PSM.SINGLE_BLOCK }), oneByOne, r => knownNameSimilarity(known, nameQueries(r.text)) >= SURE_NAME)
    return { text: reads.map(r => r.text.trim()).join('\n'), confidence: Math.max(...reads.map(r => r.confidence)) }
  }
  const first = await read(false)
  if (knownNameSimilarity(known, nameQueries(first.text)) >= SURE_NAME) return first
  // Light print on a dark panel inside a light border: the ground's median says light, the print
  // is lighter still. The other polarity, when the first named nothing.
  const other = await read(true)
  return { text: `${first.text}\n${other.text}`, confidence: Math.max(first.confidence, other.confidence) }
}

export interface PhotoNumber {
  number: CardNumber
  alternatives: CardNumber[]
  setCode: string | null
  lang: string | null
  line: string
  /** The illustrator printed above the number, when read. */
  illustrator: string | null
  /** The year of the copyright line below the number, when read. */
  copyrightYear: number | null
  /** The rarity mark after the number, when read. */
  rarity: RarityMark | null
}

/** Number-shaped lines read again with local contrast when a close-up gave no number at all. */
const CLOSE_UP_RETRIES = 4

/** Lines read past the last vouched number before the whole-photo pass ends. */
const QUIET_LINES = 4

/** Most split stack rows read joined again (`splitStackRows`). */
const MAX_SPLIT_ROWS = 4

/** Most rows of a fanned stack read (a whole binder page shows fewer). */
const MAX_STACK_ROWS = 24

/** How much of a photo the whole-photo pass may read. */
export interface PhotoNumberLimits {
  /**
   * Most text lines read (the lowest first: numbers sit at the bottom of cards), or a fanned
   * stack's aligned rows when more (up to MAX_STACK_ROWS). A count, not a time: on a loaded server
   * (the photos of a batch analysed side by side) the same lines are read, so the same cards found.
   */
  maxLines: number
  /** Quads (full-resolution corners) already read as cards: their lines are skipped. */
  exclude?: Quad[]
  /** Look for a fanned stack's aligned number rows (a photo where no whole card was found). */
  stacks?: boolean
}

function numberShaped(l: TextLine): number {
  const aspect = l.width / l.height
  return aspect >= 2.5 && aspect <= 14 ? 1 : 0
}

/** Width of a row's end, in line heights: `H TWM EN 010/167 ●` is about seven. */
const ROW_END = 8

function rowEnds(l: TextLine): TextLine[] {
  const width = Math.round(l.height * ROW_END)
  return [{ ...l, width }, { ...l, x: l.x + l.width - width, width }]
}

/** A stack row this many times the stack's usual row height holds more than the number row. */
const TALL_ROW = 1.3

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? 0
}

/**
 * Where to read a stack row again: the row, and when it is much taller than the stack's others
 * (merged with the illustrator line above it), its lowest `rowHeight` too, which holds the number.
 */
export function stackRowParts(row: TextLine, rowHeight: number): TextLine[] {
  if (rowHeight <= 0 || row.height <= rowHeight * TALL_ROW) return [row]
  return [row, { ...row, y: row.y + row.height - rowHeight, height: rowHeight }]
}

/**
 * Stack rows the line finder split in two (a short row, `SVE EN 007`: the code box and the
 * digits apart), put back together: pieces side by side on one row, joined when the whole lines
 * up with the stack's rows (`rows`, read ones) at their left edge and has their height.
 */
export function splitStackRows(lines: TextLine[], rows: TextLine[], tolerance: number): TextLine[] {
  const rowHeight = median(rows.map(r => r.height))
  const joined: TextLine[] = []
  for (const a of lines) {
    if (numberShaped(a) || !rows.some(r => Math.abs(r.x - a.x) <= tolerance)) continue
    for (const b of lines) {
      const gap = b.x - (a.x + a.width)
      const overlap = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y)
      if (b === a || gap < -a.height * 0.2 || gap > Math.max(a.height, b.height) * 0.6 || overlap < Math.min(a.height, b.height) * 0.5) continue
      const y = Math.min(a.y, b.y)
      const whole = { x: a.x, y, width: Math.max(a.x + a.width, b.x + b.width) - a.x, height: Math.max(a.y + a.height, b.y + b.height) - y }
      if (numberShaped(whole) && Math.abs(whole.height - rowHeight) <= rowHeight * 0.35) joined.push(whole)
    }
  }
  return joined
}

/** Fewest aligned number-shaped rows that make a fanned stack (each card shows its number row). */
const STACK_ROWS = 3

/**
 * For each line, how many number-shaped lines of about its height share its left or its right
 * edge: the number rows of a fanned stack line up down one side of the photo, stray print does not.
 */
export function alignedRows(lines: TextLine[], tolerance: number): number[] {
  const shaped = lines.filter(l => numberShaped(l))
  // Another row, about as tall: a line's own ends (`rowEnds`) share its edge but not another row.
  const similar = (a: TextLine, b: TextLine) => Math.abs(a.height - b.height) <= Math.max(a.height, b.height) * 0.35
    && (a === b || Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y) < Math.min(a.height, b.height) / 2)
  return lines.map((l) => {
    if (!numberShaped(l)) return 0
    const left = shaped.filter(o => similar(l, o) && Math.abs(o.x - l.x) <= tolerance).length
    const right = shaped.filter(o => similar(l, o) && Math.abs(o.x + o.width - l.x - l.width) <= tolerance).length
    return Math.max(left, right)
  })
}

function insideQuad(q: Quad, x: number, y: number): boolean {
  // Convex quad: the point is on the same side of every edge.
  let sign = 0
  for (let i = 0; i < 4; i++) {
    const [ax, ay] = q[i]!, [bx, by] = q[(i + 1) % 4]!
    const cross = (bx - ax) * (y - ay) - (by - ay) * (x - ax)
    if (cross === 0) continue
    if (sign === 0) sign = Math.sign(cross)
    else if (Math.sign(cross) !== sign) return false
  }
  return true
}

/**
 * A photo with no whole card (a close-up of the bottom row, a fanned stack): text lines over the
 * whole photo, the lowest first, and every distinct collector number found is one card. Bounded
 * in lines: an unreadable photo must not cost seconds of OCR.
 */
export async function readPhotoNumbers(img: RgbImage, ocr: OcrPool, known: KnownValues, limits: PhotoNumberLimits = { maxLines: 16 }): Promise<{ found: PhotoNumber[], text: string }> {
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
  const exclude = limits.exclude ?? []
  const candidates = findTextLines(small, { x0: 0, y0: 0, x1: 1, y1: 1 }, { minHeight: Math.max(8, side * 0.006), maxHeight: side * 0.08 })
    // A number row merged with the flavour text beside it: its two ends may hold the number.
    .flatMap(l => (l.width > l.height * ROW_END * 1.5 ? [l, ...rowEnds(l)] : [l]))
    // A number line is short: number, code box, rarity; long lines are prose.
    .filter(l => l.width <= l.height * 22)
    .filter(l => !exclude.some(q => insideQuad(q, (l.x + l.width / 2) / scale, (l.y + l.height / 2) / scale)))
  const rows = limits.stacks ? alignedRows(candidates, side * 0.015) : candidates.map(() => 0)
  const aligned = new Map(candidates.map((l, i) => [l, rows[i]!]))
  const inStack = (l: TextLine) => (aligned.get(l)! >= STACK_ROWS ? 1 : 0)
  const stackRows = candidates.filter(l => inStack(l)).length
  // Twice as many rows sharing an edge as a stack needs: plainly a fanned stack (a close-up's
  // prose lines up with fewer), so one number among its rows is enough to read them all.
  const stackNumbers = Math.max(0, ...rows) >= STACK_ROWS * 2 ? 1 : 2
  const lines = candidates
    // The rows of a fanned stack first, the tallest first (the number row, with its code box, is
    // taller than the illustrator and copyright lines that line up with it); then number-shaped
    // lines (`196/198`, `SVI EN 196/198`: 2.5–14 times as wide as tall; a lone glyph or a prose
    // line rarely holds a number), the lowest first.
    .sort((a, b) => inStack(b) - inStack(a) || inStack(a) * (b.height - a.height) || numberShaped(b) - numberShaped(a) || b.y - a.y)
    .slice(0, Math.max(limits.maxLines, Math.min(MAX_STACK_ROWS, stackRows)))
  const texts: string[] = []
  // As many lines at a time as there are workers.
  const batch = Math.max(1, ocr.size)
  // Once a number the catalogue vouches for is found, QUIET_LINES more lines without another
  // one end the pass: a close-up holds one card, a fanned stack yields numbers line after line.
  let lastFound = -1
  let foundCount = 0
  for (let i = 0; i < lines.length; i += batch) {
    // A stack's rows are all read once it has shown two numbers (one, when plainly a stack); the
    // quiet rule applies past them.
    if (lastFound >= 0 && (foundCount < stackNumbers || i >= stackRows) && i - lastFound >= QUIET_LINES) break
    const read = await Promise.all(lines.slice(i, i + batch).map(l => readLine(small, ocr, l)))
    read.forEach((text, k) => {
      if (trustworthy(parseCardNumbers(text, known.totals), known)) {
        lastFound = i + k + 1
        foundCount++
      }
    })
    texts.push(...read)
  }
  // Numbers among aligned rows (`stackNumbers`): a fanned stack. Its rows the plain read missed
  // are read again with local contrast, scaled for their digits (half the row: code box, `H`),
  // then lifted (`LIFTS`). No number at all (faint grey digits on a close-up): the first
  // number-shaped lines read, likewise, within the pass's bounds.
  const unread = (i: number) => parseCardNumbers(texts[i]!, known.totals).length === 0
  const readSoFar = lines.slice(0, texts.length).map((l, i) => i)
  const stack = foundCount >= stackNumbers
  const missed = stack
    ? readSoFar.filter(i => inStack(lines[i]!) && unread(i))
    : foundCount === 0
      ? readSoFar.filter(i => numberShaped(lines[i]!) && unread(i)).slice(0, Math.min(CLOSE_UP_RETRIES, limits.maxLines - texts.length))
      : []
  // Lines whose text came from the local-contrast read (read that way again when widened).
  const local = new Set<TextLine>()
  if (missed.length > 0) {
    const rowHeight = median(lines.filter(l => inStack(l)).map(l => l.height))
    for (let k = 0; k < missed.length; k += batch) {
      await Promise.all(missed.slice(k, k + batch).map(async (i) => {
        for (const part of stackRowParts(lines[i]!, rowHeight)) {
          const again = (await ocr.recognize({ image: await localLinePng(small, part), psm: PSM.SINGLE_LINE })).text.trim()
          const numbers = parseCardNumbers(again, known.totals)
          if (numbers.length > 0) {
            // A stack row only a second try could read: a second opinion, lifted. Where it
            // reads another number, both go on (the second as a repair) for the ranking to weigh.
            const other = stack ? await readLine(small, ocr, part, { lift: LIFTS[0]! }) : ''
            texts[i] = secondOpinion(again, numbers, other, known)
            lines[i] = part
            local.add(part)
            return
          }
        }
        // Digits in a white halo on a coloured band: the ground lifted to white, more and more,
        // until a clean number; else the first repaired one (`0787167204`: 078/167). Not on a
        // line the plain read found words in (`Slowing Perfume`): prose that lines up.
        for (const lift of /\p{Ll}{4,}/u.test(texts[i]!) ? [] : LIFTS) {
          const again = await readLine(small, ocr, lines[i]!, { lift })
          const numbers = parseCardNumbers(again, known.totals)
          if (numbers.length > 0 && unread(i)) texts[i] = again
          if (trustworthy(numbers, known)) {
            texts[i] = again
            return
          }
        }
      }))
    }
  }
  // A stack's rows the line finder split in two (short energy rows), put back together, read last.
  if (stack && limits.stacks) {
    const rows = lines.slice(0, texts.length).filter((l, i) => inStack(l) && !unread(i))
    const joined = splitStackRows(candidates, rows, side * 0.015).slice(0, MAX_SPLIT_ROWS)
    const read = await Promise.all(joined.map(l => readSplitRow(small, ocr, l, known)))
    lines.splice(texts.length, 0, ...joined)
    texts.push(...read)
  }
  const found: PhotoNumber[] = []
  const seen = new Set<string>()
  // Top to bottom, as a person reads a stack.
  const ordered = lines.slice(0, texts.length).map((l, i) => ({ l, text: texts[i]! })).sort((a, b) => a.l.y - b.l.y)
  for (const { l: row, text: read } of ordered) {
    let l = row
    let line = read
    let numbers = rowNumbers(line, known)
    let number = numbers.find(n => !n.loose) ?? numbers[0]
    if (!number) continue
    // A number that looks cut (`1/086`: large print in a thin face leaves glyphs outside the line
    // found; `005/16`: the total's end faint or beyond it): the row is read again, wider.
    if (!limits.stacks || !stack) {
      const wider = await readWider(small, ocr, l, number, known, local.has(l))
      if (wider) ({ l, line, numbers, number } = wider)
    }
    const key = `${number.number}/${number.printedTotal ?? ''}`
    if (seen.has(key)) continue
    seen.add(key)
    let code = parseSetCode(line, known.setCodes)
    const codes = code ? [] : codesToSettle(numbers, known)
    if (codes.length > 0) {
      const boxCode = await readCodeBox(small, ocr, l, numberAt(line, numbers), codes)
      if (boxCode) code = { code: boxCode, lang: null }
    }
    let illustrator = illustratorAbove(l, ordered)
    // A close-up's number that several printings share (`004/025`, Celebrations' Palkia and
    // McDonald's 2021 Turtwig): the illustrator tells them apart, when its line was not read.
    if (!illustrator && !stack && printingsSharing(numbers, known).length >= 2) {
      const done = new Set(lines.slice(0, texts.length))
      const unreadAbove = candidates.filter(c => !done.has(c) && isAbove(c, l)).sort((a, b) => b.y - a.y).slice(0, ILLUSTRATOR_LINES)
      const read = await Promise.all(unreadAbove.map(async c => ({ l: c, text: await readLine(small, ocr, c) })))
      illustrator = illustratorAbove(l, [...ordered, ...read])
    }
    // The alternatives of a damaged reading go along, so the ranking can choose among them.
    found.push({ number, alternatives: numbers, setCode: code?.code ?? null, lang: code?.lang ?? null, line, illustrator, copyrightYear: yearBelow(l, ordered), rarity: parseRarityMark(line) })
  }
  return { found, text: ordered.map(o => o.text).filter(Boolean).join('\n') }
}

/**
 * A row's text with a second reading's number appended when it differs (`075/167 +` and
 * `79/167 +` of a `079/167 ◆`); the first stays first. A second number the catalogue cannot vouch
 * for is noise.
 */
export function secondOpinion(first: string, numbers: CardNumber[], second: string, known: KnownValues): string {
  const others = parseCardNumbers(second, known.totals).filter(n => !numbers.some(m => sameNumber(m, n)) && trustworthy([n], known))
  return others.length > 0 ? `${first}\n${second}` : first
}

/** Two readings of one number and total (`079/167` and `79/167`). */
function sameNumber(a: CardNumber, b: CardNumber): boolean {
  return a.value === b.value && a.printedTotal === b.printedTotal
}

/** Codes of the sets that print `SVE EN 007`: a number after the code, no total (basic energies). */
const NUMBER_ONLY_CODES = ['SVE', 'MEE']

/**
 * A stack row the line finder split: the light-on-dark code box and grey digits, read as
 * sparse text with local contrast; three digits at its end and no number, the box is read on
 * its own against the energy codes. The code and digits must name a printing.
 */
async function readSplitRow(img: RgbImage, ocr: OcrPool, l: TextLine, known: KnownValues): Promise<string> {
  const text = (await ocr.recognize({ image: await localLinePng(img, l), psm: PSM.SPARSE_TEXT })).text.trim().replace(/\s+/g, ' ')
  const digits = text.match(/(?<![0-9])([0-9]{3})\W*$/)
  if (!digits || parseCardNumbers(text, known.totals).length > 0) return text
  const printed = new Set((known.byNumber?.get(numberKey(digits[1]!)) ?? []).map(printedSetCode))
  const codes = NUMBER_ONLY_CODES.filter(c => printed.has(c))
  // Tesseract reads this small box better free than held to capitals (`svi`).
  const code = codes.length > 0 ? await readCodeBox(img, ocr, l, digits.index! / text.length, codes, false) : null
  return code ? `${code} EN ${digits[1]}` : text
}

/** A row's numbers: its first reading's, then a second opinion's, as repairs. */
export function rowNumbers(text: string, known: KnownValues): CardNumber[] {
  const [first = '', ...rest] = text.split('\n')
  const numbers = parseCardNumbers(first, known.totals)
  for (const n of parseCardNumbers(rest.join('\n'), known.totals)) {
    if (!numbers.some(m => sameNumber(m, n))) numbers.push({ ...n, loose: true })
  }
  return numbers
}

/** The number row read again with more room on the side where its number looks cut, the way it was read. */
async function readWider(img: RgbImage, ocr: OcrPool, l: TextLine, number: CardNumber, known: KnownValues, localContrast = false) {
  const total = number.printedTotal
  if (total === null || number.prefix) return null
  const digits = String(total)
  // Fewer digits in the number than in the total (`1/086`): glyphs left of the line; more
  // (`005/16` for `005/189`: the total's end faint or beyond the line): right of it.
  const cutLeft = number.number.length < digits.length, cutRight = number.number.length > digits.length
  if (!cutLeft && !cutRight) return null
  const x = Math.max(0, Math.round(l.x - (cutLeft ? l.height * 2.5 : 0)))
  const end = Math.min(img.width, l.x + l.width + Math.round(l.height * (cutRight ? 2.5 : 0.5)))
  const wider: TextLine = { ...l, x, width: end - x }
  const image = localContrast ? await localLinePng(img, wider) : await linePng(img, wider)
  const line = (await ocr.recognize({ image, psm: PSM.SINGLE_LINE })).text.trim()
  const numbers = parseCardNumbers(line, known.totals)
  const longer = numbers.find(n => !n.loose && (cutLeft
    ? n.printedTotal === total && n.number.length > number.number.length && n.number.endsWith(number.number)
    : n.number === number.number && n.printedTotal !== null && String(n.printedTotal).length > digits.length && String(n.printedTotal).startsWith(digits[0]!)))
  return longer ? { l: wider, line, numbers: [longer, ...numbers.filter(n => n !== longer)], number: longer } : null
}

/** The copyright year of the card whose number row this is: the nearest copyright line below it. */
function yearBelow(row: TextLine, lines: { l: TextLine, text: string }[]): number | null {
  const below = lines.filter(({ l }) => l.y > row.y && l.y - row.y <= row.height * 8).sort((a, b) => a.l.y - b.l.y)
  for (const { text } of below) {
    const year = parseCopyrightYear(text)
    if (year) return year
  }
  return null
}

/** Where the illustrator is printed: a line just above a number row, about where it starts. */
function isAbove(l: TextLine, row: TextLine): boolean {
  const h = row.height
  return l.y < row.y && row.y - l.y <= h * 3 && l.x >= row.x - h * 3 && l.x <= row.x + h * 15
}

/** Unread lines above a close-up's number read for its illustrator (`Illus.` and the name may be found apart). */
const ILLUSTRATOR_LINES = 2

/**
 * The `Illus.` line printed just above a number row (same left edge, within two rows): it tells
 * apart the printings that share number and total (`197/189` in two sets).
 */
function illustratorAbove(row: TextLine, lines: { l: TextLine, text: string }[]): string | null {
  const above = lines.filter(({ l }) => isAbove(l, row))
  // Its words may have been found as separate lines: each printed row is put back together.
  const rows: { y: number, parts: { x: number, text: string }[] }[] = []
  for (const { l, text } of above) {
    const y = l.y + l.height / 2
    const same = rows.find(r => Math.abs(r.y - y) <= l.height / 2)
    if (same) same.parts.push({ x: l.x, text })
    else rows.push({ y, parts: [{ x: l.x, text }] })
  }
  for (const r of rows.sort((a, b) => b.y - a.y)) {
    const name = parseIllustrator(r.parts.sort((a, b) => a.x - b.x).map(p => p.text).join(' '))
    if (name) return name
  }
  return null
}
