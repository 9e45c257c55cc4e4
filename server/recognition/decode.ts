import sharp, { type Metadata } from 'sharp'
import { InvalidImageError } from './types'

export type ImageType = 'image/jpeg' | 'image/png' | 'image/webp' | 'image/heic' | 'image/avif' | 'image/gif' | 'image/tiff'

/** The image type by its magic bytes (never by name or declared type); null when it is none of these. */
export function sniffImageType(bytes: Buffer): ImageType | null {
  if (bytes.length < 12) return null
  if (bytes[0] === 0xFF && bytes[1] === 0xD8 && bytes[2] === 0xFF) return 'image/jpeg'
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))) return 'image/png'
  const ascii = (from: number, to: number) => bytes.toString('latin1', from, to)
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'image/webp'
  if (ascii(0, 6) === 'GIF87a' || ascii(0, 6) === 'GIF89a') return 'image/gif'
  if (ascii(0, 4) === 'II*\0' || ascii(0, 4) === 'MM\0*') return 'image/tiff'
  if (ascii(4, 8) === 'ftyp') {
    const brand = ascii(8, 12)
    if (brand === 'avif' || brand === 'avis') return 'image/avif'
    if (['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'mif1', 'msf1'].includes(brand)) return 'image/heic'
  }
  return null
}

/** A decoded photo: full-resolution RGB pixels (EXIF orientation applied) and a small working copy. */
export interface DecodedPhoto {
  type: ImageType
  width: number
  height: number
  /** Full resolution, 3 channels, row-major. */
  rgb: Buffer
  /** Working copy for detection, longest side ≤ `workingSide`. */
  small: { rgb: Buffer, width: number, height: number, scale: number }
}

/** Longest side of the detection copy: cards stay ≥ ~150 px wide even in binder pages. */
export const WORKING_SIDE = 1000

/**
 * Decodes with EXIF orientation. The pixel cap is checked on the header before any pixel is
 * decoded (a 30 kB PNG can claim 100 000 × 100 000 px).
 */
export async function decodePhoto(bytes: Buffer, maxPixels: number, workingSide = WORKING_SIDE): Promise<DecodedPhoto> {
  const type = sniffImageType(bytes)
  if (!type) throw new InvalidImageError('Not an image: the bytes are not JPEG, PNG, WebP, HEIC, AVIF, GIF or TIFF', 415)
  let meta: Metadata
  try {
    meta = await sharp(bytes, { limitInputPixels: false }).metadata()
  }
  catch {
    throw new InvalidImageError(`Corrupt ${type} image: its header cannot be read`, 422)
  }
  if (!meta.width || !meta.height) throw new InvalidImageError(`Corrupt ${type} image: no dimensions`, 422)
  const pixels = meta.width * meta.height * Math.max(1, meta.pages ?? 1)
  if (pixels > maxPixels) {
    throw new InvalidImageError(`Image too large: ${meta.width}×${meta.height} px exceeds the ${maxPixels} pixel limit`, 413)
  }
  try {
    // failOn 'error' refuses truncated files instead of returning half-grey pixels.
    const { data, info } = await sharp(bytes, { failOn: 'error', limitInputPixels: maxPixels, pages: 1 })
      .rotate()
      .removeAlpha()
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true })
    const rgb = info.channels === 3 ? data : toRgb(data, info.channels)
    const scale = Math.min(1, workingSide / Math.max(info.width, info.height))
    const sw = Math.max(1, Math.round(info.width * scale))
    const sh = Math.max(1, Math.round(info.height * scale))
    const small = scale === 1
      ? rgb
      : await sharp(rgb, { raw: { width: info.width, height: info.height, channels: 3 } }).resize(sw, sh, { kernel: 'linear' }).raw().toBuffer()
    return { type, width: info.width, height: info.height, rgb, small: { rgb: small, width: sw, height: sh, scale: sw / info.width } }
  }
  catch (error) {
    if (error instanceof InvalidImageError) throw error
    throw new InvalidImageError(`Corrupt or truncated ${type} image: ${(error as Error).message.split('\n')[0]}`, 422)
  }
}

function toRgb(data: Buffer, channels: number): Buffer {
  const pixels = data.length / channels
  const out = Buffer.alloc(pixels * 3)
  for (let i = 0; i < pixels; i++) {
    const v = data[i * channels]!
    if (channels >= 3) {
      out[i * 3] = v
      out[i * 3 + 1] = data[i * channels + 1]!
      out[i * 3 + 2] = data[i * channels + 2]!
    }
    else {
      out[i * 3] = out[i * 3 + 1] = out[i * 3 + 2] = v
    }
  }
  return out
}
