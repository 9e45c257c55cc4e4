import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Quad } from './detect'
import type { RgbImage } from './warp'

/** One line of text found and read in an image. */
export interface TextLine {
  text: string
  /** Mean confidence of its characters, in [0, 1]. */
  score: number
  /** Its corners in the image read, clockwise from the text's own top-left. */
  box: Quad
  /** Direction its text runs, in degrees clockwise from left-to-right (90: downwards; 180: upside down). */
  angle: number
  /** Height of its letters (the box's short side), px of the image read. */
  height: number
}

export interface ReadOptions {
  /** Long side at which text is detected (lines are still read from the full-resolution pixels). */
  detectSide?: number
  /**
   * Which of the lines found (box and angle known, no text yet) to recognise; the others come back
   * with no text. A reader that finds and reads lines in one step (tesseract) reads them all.
   */
  select?: (lines: TextLine[]) => boolean[]
  /**
   * After the selected lines are read (the others have no text yet): which further lines to read.
   * A reader that reads every line at once (tesseract) never asks.
   */
  more?: (lines: TextLine[]) => boolean[] | null
  /** Every line of the image runs the same way (a straightened card): which way is decided for all at once. */
  oneWay?: boolean
}

/** A text reader: every line of an image, with its box, angle and text. Engines: `paddle`, `tesseract`. */
export interface TextReader {
  readonly engine: OcrEngine
  /** Photos worth analysing at once with this reader. */
  readonly size: number
  /** Whether it reads upside-down lines the right way up itself (PaddleOCR's direction classifier). */
  readonly turnsLines: boolean
  read: (image: RgbImage, options?: ReadOptions) => Promise<TextLine[]>
  /** Loads the models now (a missing or broken one rejects here, not on the first photo). */
  warmUp: () => Promise<void>
  close: () => Promise<void>
}

export type OcrEngine = 'paddle' | 'tesseract'
export const OCR_ENGINES: readonly OcrEngine[] = ['paddle', 'tesseract']

export class OcrError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'OcrError'
  }
}

/** The direction (degrees, [0, 360)) of the edge from a to b. */
export function edgeAngle(a: [number, number], b: [number, number]): number {
  return ((Math.atan2(b[1] - a[1], b[0] - a[0]) * 180) / Math.PI + 360) % 360
}

/**
 * A file of an npm package, found in `node_modules` as installed or as Nitro's tracer copied it
 * into `.output/server/node_modules` (where the package's own package.json may be missing).
 */
export function packageFile(pkg: string, ...path: string[]): string {
  const rel = join(pkg, ...path)
  // This module's place (bundled, it may not be known while the bundle loads), the entry script's, the working directory.
  for (const start of [dirname(fileURLToPath(import.meta.url)), dirname(process.argv[1] ?? '.'), process.cwd()]) {
    for (let dir = resolve(start); ; dir = dirname(dir)) {
      const candidate = join(dir, 'node_modules', rel)
      if (existsSync(candidate)) return candidate
      if (dirname(dir) === dir) break
    }
  }
  try {
    const candidate = join(dirname(createRequire(import.meta.url).resolve(`${pkg}/package.json`)), ...path)
    if (existsSync(candidate)) return candidate
  }
  catch { /* not resolvable */ }
  throw new OcrError(`OCR model file missing: ${rel} (is the package installed?)`)
}
