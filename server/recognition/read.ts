import type { Point, Quad } from './detect'
import { CARD_BANDS } from './parse'
import type { TextLine, TextReader } from './reader'
import { rotate180, rotateQuarter, type RgbImage } from './warp'

/** The lines read off an image, in the pixels of that image turned the way its text reads. */
export interface ReadImage {
  lines: TextLine[]
  width: number
  height: number
  /** Clockwise quarter turns from the image given to the way its text reads (a card upside down: 2). */
  turns: number
}

/** Long side at which a whole photo's text is detected (lines are read at full resolution). */
export const PHOTO_DETECT_SIDE = 1280

/** A number row as printed, padded or not (`012/193`, `58/102`): proof that text was read the right way up. */
const NUMBER_ROW = /\d{1,3} ?\/ ?\d{2,3}/

/** Lines at most this many times as long as tall: labels and number rows, not the attacks' prose. */
const SHORT_LINE = 12

/**
 * Reads a straightened card: its lines, the card turned the way its text reads. The warp leaves a
 * card upright or upside down; PaddleOCR's classifier tells which, line by line, and the card's way
 * up is the one most of its text agrees on; only its name band and the short lines of its bottom
 * rows are read (the long ones too when those show no number row), and with `shortLines` every
 * short line too (a fanned stack taken for one card shows its number rows there). A reader that
 * cannot tell (tesseract) reads the card turned too when the upright read shows no number row,
 * and keeps the read with more confident text.
 */
export async function readCard(card: RgbImage, reader: TextReader, shortLines = false): Promise<ReadImage> {
  const side = Math.max(card.width, card.height)
  if (reader.turnsLines) {
    // The way up from the lines' angles (weighed by their length), then only the name band and
    // the bottom rows are recognised: the attacks between them tell nothing the ranking uses.
    let turns = 0
    const short = (l: TextLine) => lineLength(l) <= SHORT_LINE * l.height
    const select = (found: TextLine[]) => {
      turns = wayUp(found, [0, 2], l => lineLength(l) / Math.max(1, l.height))
      return turnedBy(found, card.width, card.height, turns).lines.map(l => (inBands(l, card.height) ? short(l) || inNameBand(l, card.height) : shortLines && short(l)))
    }
    // The long lines at the bottom (flavour text, the copyright line) only when its short rows
    // showed no number row: they are a third of the recognition's cost.
    const more = (read: TextLine[]) => (read.some(l => NUMBER_ROW.test(l.text)) ? null : turnedBy(read, card.width, card.height, turns).lines.map(l => inBands(l, card.height)))
    return turnedBy(await reader.read(card, { detectSide: side, select, more, oneWay: true }), card.width, card.height, turns)
  }
  const lines = await reader.read(card, { detectSide: side })
  const upright = { lines, width: card.width, height: card.height, turns: 0 }
  if (lines.some(l => NUMBER_ROW.test(l.text))) return upright
  const turned = { lines: await reader.read(rotate180(card), { detectSide: side }), width: card.width, height: card.height, turns: 2 }
  return textWeight(turned.lines) > textWeight(upright.lines) ? turned : upright
}

/**
 * Reads a whole photo (no card outline: a close-up, a fanned stack, a scan): text detected on a
 * reduced copy, each line read from the full-resolution pixels. The photo's way up is the one most
 * of its text agrees on (sideways and upside-down photos too); a reader that cannot tell tries the
 * photo's four ways until one shows a number row. `keep`: which lines to read, by their middle.
 */
export async function readPhoto(photo: RgbImage, reader: TextReader, keep?: (at: Point) => boolean): Promise<ReadImage> {
  if (reader.turnsLines) {
    const middle = (l: TextLine): Point => [l.box.reduce((s, p) => s + p[0], 0) / 4, l.box.reduce((s, p) => s + p[1], 0) / 4]
    const select = keep && ((found: TextLine[]) => found.map(l => keep(middle(l))))
    const side = Math.min(PHOTO_DETECT_SIDE, Math.max(photo.width, photo.height))
    // A photo with no card outline is one card or a stack: its lines run one way.
    const lines = (await reader.read(photo, { detectSide: side, select, oneWay: true })).filter(l => l.text)
    return turnedBy(lines, photo.width, photo.height, wayUp(lines, [0, 1, 2, 3]))
  }
  let best: ReadImage | null = null
  for (const turns of [0, 2, 1, 3]) {
    const image = rotateQuarter(photo, turns)
    const read = { lines: await reader.read(image, { detectSide: PHOTO_DETECT_SIDE }), width: image.width, height: image.height, turns }
    if (read.lines.some(l => NUMBER_ROW.test(l.text))) return read
    if (!best || textWeight(read.lines) > textWeight(best.lines)) best = read
  }
  return best!
}

/** Confident characters read: letters and digits weighed by their line's score. */
function textWeight(lines: TextLine[]): number {
  return lines.reduce((sum, l) => sum + l.score * l.text.replace(/[^\p{L}\p{N}]/gu, '').length, 0)
}

function middleY(line: TextLine): number {
  return line.box.reduce((sum, p) => sum + p[1], 0) / 4
}

function inNameBand(line: TextLine, height: number): boolean {
  return middleY(line) < height * CARD_BANDS.name
}

function inBands(line: TextLine, height: number): boolean {
  return inNameBand(line, height) || middleY(line) > height * CARD_BANDS.bottom
}

const lineLength = (l: TextLine) => Math.hypot(l.box[1][0] - l.box[0][0], l.box[1][1] - l.box[0][1])

/**
 * Of the given clockwise quarter turns, the one that sets most text left to right (by the lines'
 * angles), text weighed by its characters read, or by `weight`.
 */
function wayUp(lines: TextLine[], turns: number[], weight = (l: TextLine) => l.score * l.text.length): number {
  const votes = [0, 0, 0, 0]
  for (const l of lines) votes[(4 - (Math.round(l.angle / 90) % 4)) % 4]! += weight(l)
  return turns.reduce((best, t) => (votes[t]! > votes[best]! ? t : best), turns[0]!)
}

/** The lines in the pixels of the image turned clockwise by `turns` quarters (each adds 90° to their angles). */
export function turnedBy(lines: TextLine[], width: number, height: number, turns: number): ReadImage {
  const t = ((turns % 4) + 4) % 4
  const map = (p: Point): Point => {
    const [x, y] = p
    if (t === 1) return [height - y, x]
    if (t === 2) return [width - x, height - y]
    if (t === 3) return [y, width - x]
    return [x, y]
  }
  return {
    lines: lines.map(l => ({ ...l, box: l.box.map(map) as Quad, angle: (l.angle + 90 * t) % 360 })),
    width: t % 2 ? height : width,
    height: t % 2 ? width : height,
    turns: t,
  }
}

/** A point of the turned image a read was made in, back in the pixels of the image given. */
export function unturnPoint(read: ReadImage, [x, y]: Point): Point {
  // The image given is the read's turned back by the same quarters, counter-clockwise.
  const { width, height } = read
  if (read.turns === 1) return [y, width - x]
  if (read.turns === 2) return [width - x, height - y]
  if (read.turns === 3) return [height - y, x]
  return [x, y]
}
