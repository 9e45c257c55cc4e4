/**
 * What a user reads when a photo or a card could not be analysed. Internals (library messages,
 * paths) stay in the server log: these say what happened and what to do.
 */
export const REASONS = {
  notAnImage: 'This file is not a photo that can be read (JPEG, PNG, WebP, HEIC, AVIF, GIF or TIFF expected).',
  damaged: 'This photo\'s file is damaged or incomplete (corrupt or truncated), so it could not be read. Try exporting or taking it again.',
  notAnalysed: 'This photo could not be analysed. Please try again, or add its cards by hand.',
  crashed: 'This photo stopped the analysis several times, so it was set aside. Please try another photo of these cards, or add them by hand.',
  lost: 'This photo was lost before it could be analysed (the photo storage restarted). Please upload it again.',
  expiredBeforeAnalysis: 'This photo expired before it could be analysed (the analysis was unavailable for too long). Please upload it again.',
  noCard: 'No card was found in this photo',
  cardUnreadable: 'This card could not be read: search for it by hand.',
} as const

// recognition's InvalidImageError (not an image 415, too many pixels 413, corrupt 422).
interface InvalidImage { name: string, message: string, statusCode?: number }

export const isInvalidImageError = (error: unknown): error is InvalidImage =>
  error instanceof Error && (error.name === 'InvalidImageError' || error.constructor.name === 'InvalidImageError')

const PIXELS = /(\d+)\s*[×x]\s*(\d+)\s*px/

/** The reason shown for a photo whose bytes recognition refused. */
export function invalidImageReason(error: InvalidImage): string {
  if (error.statusCode === 415) return REASONS.notAnImage
  if (error.statusCode === 413) {
    const size = error.message.match(PIXELS)
    return size
      ? `This photo is too large to analyse: ${size[1]}×${size[2]} px exceeds the limit. Send a smaller photo (a phone camera's photos fit).`
      : 'This photo is too large to analyse. Send a smaller photo (a phone camera\'s photos fit).'
  }
  return REASONS.damaged
}

// Bidirectional controls (U+202A–U+202E, U+2066–U+2069, marks) can make `gpj.exe` read as `exe.jpg`.
// eslint-disable-next-line no-control-regex
const UNSAFE_CHARACTERS = /[\u0000-\u001F\u007F\u200E\u200F\u061C\u202A-\u202E\u2066-\u2069]/g

/** A display name for an uploaded file: no directories, no control or bidi characters, bounded length. */
export function cleanFilename(name: string | undefined | null): string | null {
  if (!name) return null
  const base = name.replaceAll('\\', '/').split('/').pop() ?? ''
  const cleaned = base.replace(UNSAFE_CHARACTERS, '').trim().slice(0, 255)
  return cleaned || null
}
