import { basename } from 'node:path'
import { ImportError } from './errors'

/** One part of a multipart body, as h3's `readMultipartFormData` gives it. */
export interface UploadPart {
  name?: string
  filename?: string
  type?: string
  data: Buffer
}

export interface UploadLimits {
  maxFiles: number
  maxFileBytes: number
}

/** Recognises an image by its first bytes; null when it is not one (recognition's `sniffImageType`). */
export type SniffImage = (bytes: Buffer) => string | null

/** A photo accepted for import: its bytes and the type they really have (not the one declared). */
export interface UploadedPhoto {
  filename: string | null
  bytes: Buffer
  contentType: string
}

export const UPLOAD_FIELD = 'files'

// Room for the multipart boundaries and part headers around the files themselves.
const PART_OVERHEAD_BYTES = 2048
const BODY_OVERHEAD_BYTES = 64 * 1024

/** The largest body a valid upload can have: beyond it the request is refused before it is read. */
export function maxUploadBodyBytes(limits: UploadLimits): number {
  return limits.maxFiles * (limits.maxFileBytes + PART_OVERHEAD_BYTES) + BODY_OVERHEAD_BYTES
}

const megabytes = (bytes: number) => `${Math.round(bytes / 1024 / 102.4) / 10} MB`

export function tooLargeBody(limits: UploadLimits) {
  return new ImportError(413, `The upload is too large: at most ${limits.maxFiles} photos of ${megabytes(limits.maxFileBytes)} each`)
}

/** Refuses a declared `Content-Length` that no valid upload can reach (before reading a byte of it). */
export function checkContentLength(header: string | null | undefined, limits: UploadLimits): void {
  if (!header) return
  const length = Number(header)
  if (Number.isFinite(length) && length > maxUploadBodyBytes(limits)) throw tooLargeBody(limits)
}

/** A display name for an uploaded file: no directories, no control characters, bounded length. */
export function cleanFilename(name: string | undefined): string | null {
  if (!name) return null
  // eslint-disable-next-line no-control-regex
  const cleaned = basename(name.replaceAll('\\', '/')).replace(/[\u0000-\u001F\u007F]/g, '').trim().slice(0, 255)
  return cleaned || null
}

/**
 * Checks a whole upload before anything is written: no files → 400, too many or one too big → 413,
 * one that is not an image by its bytes → 415 (the whole request is refused, naming the file).
 */
export function validateUpload(parts: UploadPart[] | undefined, limits: UploadLimits, sniff: SniffImage): UploadedPhoto[] {
  // Browsers send an empty, nameless part for an empty file input: that is no file.
  const files = (parts ?? []).filter(p => p.name === UPLOAD_FIELD && (p.data.length > 0 || p.filename))
  if (files.length === 0) {
    throw new ImportError(400, `No photos: send one or more image files as multipart/form-data in the field "${UPLOAD_FIELD}"`)
  }
  if (files.length > limits.maxFiles) {
    throw new ImportError(413, `Too many photos: ${files.length} sent, at most ${limits.maxFiles} per upload`)
  }
  const label = (p: UploadPart, i: number) => (cleanFilename(p.filename) ?? `file ${i + 1}`)
  files.forEach((part, i) => {
    if (part.data.length > limits.maxFileBytes) {
      throw new ImportError(413, `${label(part, i)} is too large: ${megabytes(part.data.length)}, at most ${megabytes(limits.maxFileBytes)} per photo`)
    }
  })
  return files.map((part, i) => {
    const contentType = part.data.length > 0 ? sniff(part.data) : null
    if (!contentType) {
      throw new ImportError(415, `${label(part, i)} is not an image (JPEG, PNG, WebP, HEIC, AVIF, GIF or TIFF expected)`)
    }
    return { filename: cleanFilename(part.filename), bytes: part.data, contentType }
  })
}
