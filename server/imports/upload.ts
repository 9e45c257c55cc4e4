import { ImportError } from './errors'

export interface UploadLimits {
  maxFiles: number
  maxFileBytes: number
}

/** Recognises an image by its first bytes; null when it is not one (recognition's `sniffImageType`). */
export type SniffImage = (bytes: Buffer) => string | null

export const UPLOAD_FIELD = 'files'

// Room for the multipart boundaries and part headers around the files themselves.
const PART_OVERHEAD_BYTES = 2048
const BODY_OVERHEAD_BYTES = 64 * 1024

/** The largest body a valid upload can have: beyond it the request is refused before it is read. */
export function maxUploadBodyBytes(limits: UploadLimits): number {
  return limits.maxFiles * (limits.maxFileBytes + PART_OVERHEAD_BYTES) + BODY_OVERHEAD_BYTES
}

export const megabytes = (bytes: number) => `${Math.round(bytes / 1024 / 102.4) / 10} MB`

export function tooLargeBody(limits: UploadLimits) {
  return new ImportError(413, `The upload is too large: at most ${limits.maxFiles} photos of ${megabytes(limits.maxFileBytes)} each`)
}

/** Refuses a declared `Content-Length` that no valid upload can reach (before reading a byte of it). */
export function checkContentLength(header: string | null | undefined, limits: UploadLimits): void {
  if (!header) return
  const length = Number(header)
  if (Number.isFinite(length) && length > maxUploadBodyBytes(limits)) throw tooLargeBody(limits)
}

export const noPhotos = () =>
  new ImportError(400, `No photos: send one or more image files as multipart/form-data in the field "${UPLOAD_FIELD}"`)

export const tooManyPhotos = (sent: number, limits: UploadLimits) =>
  new ImportError(413, `Too many photos: ${sent} sent, at most ${limits.maxFiles} per upload`)

export const photoTooLarge = (label: string, limits: UploadLimits) =>
  new ImportError(413, `${label} is too large: at most ${megabytes(limits.maxFileBytes)} per photo`)

export const notAnImage = (label: string) =>
  new ImportError(415, `${label} is not an image (JPEG, PNG, WebP, HEIC, AVIF, GIF or TIFF expected)`)
