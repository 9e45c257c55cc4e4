export type { Candidate, ReadText } from '../../shared/types/recognition'
import type { Candidate, ReadText } from '../../shared/types/recognition'
import type { CardBorder, CardLayout } from './layout'
import type { CardNumber, RarityMark } from './parse'

/** Everything the reader got from one card, in the form the ranking needs. */
export interface CardReading {
  /** Folded strings that may be the name (runs of OCR words), best guess first. */
  names: string[]
  numbers: CardNumber[]
  setCode: string | null
  hp: number | null
  lang: string | null
  /** Where the number was printed: bottom-right is the layout of cards before 2011. */
  numberSide?: 'left' | 'right' | null
  /** The `Illus.` line's name: printings of one name often differ by illustrator. */
  illustrator?: string | null
  /** The year of the copyright line (`©2020 Pokémon`): the set came out that year or early the next. */
  copyrightYear?: number | null
  /** The rarity mark read after the number (`parseRarityMark`). */
  rarity?: RarityMark | null
  /** The border's colour, when clear (`cardBorder`). */
  border?: CardBorder | null
  /** Whether the card shows a plain text box or art over its whole face (`cardLayout`). */
  layout?: CardLayout | null
  /** Printed mostly in a script no catalogue language uses (a Japanese print): never a sure match. */
  foreign?: boolean
  /** Distinct clean numbers read on the card: it prints one, the rows of a stack several. */
  numberRows?: number
}

export interface DraftResult {
  /** Card corners in the (EXIF-rotated) photo, clockwise from the card's own top-left; null when no card outline was found. */
  quad: [number, number][] | null
  crop: { bytes: Buffer, contentType: 'image/jpeg', width: number, height: number } | null
  read: ReadText
  candidates: Candidate[]
  confident: boolean
  status: 'pending' | 'failed'
  failureReason: string | null
}

export interface PhotoAnalysis {
  /** Size of the photo after EXIF orientation. */
  width: number
  height: number
  drafts: DraftResult[]
  /** Milliseconds per stage (`decode`, `detect`, `read`, `rank`, `total`). */
  timings: Record<string, number>
}

/** Bytes that cannot be analysed: not an image (415), too many pixels (413), corrupt (422). */
export class InvalidImageError extends Error {
  constructor(message: string, public statusCode: 415 | 413 | 422) {
    super(message)
    this.name = 'InvalidImageError'
  }
}
