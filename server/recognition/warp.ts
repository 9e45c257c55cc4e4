import sharp from 'sharp'
import { useCv, withMats } from './cv'
import type { DecodedPhoto } from './decode'
import type { Point, Quad } from './detect'

/** Canonical straightened card: 63 × 88 mm at ≈ 11.4 px/mm, enough for the 1.5 mm collector number. */
export const CARD_W = 720
export const CARD_H = 1006

export interface RgbImage {
  rgb: Buffer
  width: number
  height: number
}

/** Maps a quad found on the working copy back to full-resolution coordinates. */
export function toFullResolution(quad: Quad, scale: number): Quad {
  return quad.map(([x, y]) => [x / scale, y / scale] as Point) as Quad
}

/**
 * Straightens one card from the FULL-RESOLUTION pixels (the number is lost on the small copy).
 * Only the card's bounding box is handed to OpenCV, pre-shrunk when the card is much larger than
 * the canonical size, so a 12 MP photo never becomes one big Mat.
 */
export async function warpCard(photo: DecodedPhoto, fullQuad: Quad): Promise<RgbImage> {
  const xs = fullQuad.map(p => p[0]), ys = fullQuad.map(p => p[1])
  const left = Math.max(0, Math.floor(Math.min(...xs)) - 2)
  const top = Math.max(0, Math.floor(Math.min(...ys)) - 2)
  const right = Math.min(photo.width, Math.ceil(Math.max(...xs)) + 2)
  const bottom = Math.min(photo.height, Math.ceil(Math.max(...ys)) + 2)
  const bw = Math.max(1, right - left), bh = Math.max(1, bottom - top)
  const cardLong = Math.max(...fullQuad.map((p, i) => Math.hypot(p[0] - fullQuad[(i + 1) % 4]![0], p[1] - fullQuad[(i + 1) % 4]![1])))
  const shrink = Math.min(1, (CARD_H * 1.25) / cardLong)
  let region = sharp(photo.rgb, { raw: { width: photo.width, height: photo.height, channels: 3 } })
    .extract({ left, top, width: bw, height: bh })
  const rw = Math.max(1, Math.round(bw * shrink)), rh = Math.max(1, Math.round(bh * shrink))
  if (shrink < 1) region = region.resize(rw, rh, { kernel: 'linear' })
  const pixels = await region.raw().toBuffer()
  const sx = rw / bw, sy = rh / bh
  const local = fullQuad.map(([x, y]) => [(x - left) * sx, (y - top) * sy])

  const { cv } = useCv()
  return withMats((track) => {
    const src = track(new cv.Mat(rh, rw, cv.CV_8UC3))
    src.data.set(pixels)
    const from = track(cv.matFromArray(4, 1, cv.CV_32FC2, local.flat()))
    const to = track(cv.matFromArray(4, 1, cv.CV_32FC2, [0, 0, CARD_W, 0, CARD_W, CARD_H, 0, CARD_H]))
    const m = track(cv.getPerspectiveTransform(from, to))
    const out = track(new cv.Mat())
    cv.warpPerspective(src, out, m, new cv.Size(CARD_W, CARD_H), cv.INTER_LINEAR, cv.BORDER_REPLICATE)
    return { rgb: Buffer.from(out.data), width: CARD_W, height: CARD_H }
  })
}

/** The image turned clockwise by `turns` quarter turns. */
export function rotateQuarter(img: RgbImage, turns: number): RgbImage {
  const t = ((turns % 4) + 4) % 4
  if (t === 0) return img
  const { rgb, width, height } = img
  const out = Buffer.alloc(rgb.length)
  const [w2, h2] = t === 2 ? [width, height] : [height, width]
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [nx, ny] = t === 1 ? [height - 1 - y, x] : t === 2 ? [width - 1 - x, height - 1 - y] : [y, width - 1 - x]
      rgb.copy(out, (ny * w2 + nx) * 3, (y * width + x) * 3, (y * width + x) * 3 + 3)
    }
  }
  return { rgb: out, width: w2, height: h2 }
}

export const rotate180 = (img: RgbImage) => rotateQuarter(img, 2)

/** JPEG of the straightened card, kept with the draft for review. */
export async function cropJpeg(img: RgbImage): Promise<Buffer> {
  return sharp(img.rgb, { raw: { width: img.width, height: img.height, channels: 3 } }).jpeg({ quality: 85 }).toBuffer()
}
