export type { Candidate, ReadText } from '../../shared/types/recognition'
import type { Candidate, ReadText } from '../../shared/types/recognition'

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
