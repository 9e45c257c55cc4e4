import { useCv, withMats } from './cv'
import type { RgbImage } from './warp'

/** Fewest glyph-like blobs in a text line (small italic print merges into one or two blobs). */
const MIN_GLYPHS = 1

export interface TextLine {
  x: number
  y: number
  width: number
  height: number
  /** Glyph-like blobs in the line (a number row `H PAL EN 012/193` has many, a stray edge one). */
  glyphs?: number
}

/**
 * Boxes of text lines inside a region of an image (fractions of its size). Tesseract reads a
 * tightly cropped line far better than a band with art, borders and a dark code box around it,
 * so lines are located first: morphological gradient, Otsu, a wide horizontal close that merges
 * the characters of a line, then the bounding boxes of the blobs that have a text line's shape.
 */
export function findTextLines(img: RgbImage, region: { x0: number, y0: number, x1: number, y1: number }, opts: { minHeight: number, maxHeight: number }): TextLine[] {
  const { cv } = useCv()
  const left = Math.round(region.x0 * img.width), top = Math.round(region.y0 * img.height)
  const width = Math.round((region.x1 - region.x0) * img.width), height = Math.round((region.y1 - region.y0) * img.height)
  if (width < 8 || height < 8) return []
  const lines: TextLine[] = []
  withMats((track) => {
    const full = track(new cv.Mat(img.height, img.width, cv.CV_8UC3))
    full.data.set(img.rgb)
    const roi = track(full.roi(new cv.Rect(left, top, width, height)))
    const gray = track(new cv.Mat())
    cv.cvtColor(roi, gray, cv.COLOR_RGB2GRAY)
    const grad = track(new cv.Mat())
    const k3 = track(cv.getStructuringElement(cv.MORPH_ELLIPSE, new cv.Size(3, 3)))
    cv.morphologyEx(gray, grad, cv.MORPH_GRADIENT, k3)
    const bin = track(new cv.Mat())
    cv.threshold(grad, bin, 0, 255, cv.THRESH_BINARY + cv.THRESH_OTSU)
    // Glyph-sized blobs before the close: a text line is a row of them, a reflection or a card
    // edge is one long blob (and costs an OCR round for nothing).
    const labels = track(new cv.Mat())
    const stats = track(new cv.Mat())
    const centroids = track(new cv.Mat())
    const count = cv.connectedComponentsWithStats(bin, labels, stats, centroids, 8, cv.CV_32S)
    const glyphs: { x: number, y: number, h: number }[] = []
    for (let k = 1; k < count; k++) {
      const h = stats.intAt(k, cv.CC_STAT_HEIGHT), w = stats.intAt(k, cv.CC_STAT_WIDTH)
      if (h < 3 || w > h * 6) continue
      glyphs.push({ x: stats.intAt(k, cv.CC_STAT_LEFT) + w / 2, y: stats.intAt(k, cv.CC_STAT_TOP) + h / 2, h })
    }
    const wide = track(cv.getStructuringElement(cv.MORPH_RECT, new cv.Size(Math.max(9, Math.round(opts.minHeight * 1.2)), 1)))
    cv.morphologyEx(bin, bin, cv.MORPH_CLOSE, wide)
    const contours = track(new cv.MatVector())
    const hierarchy = track(new cv.Mat())
    cv.findContours(bin, contours, hierarchy, cv.RETR_EXTERNAL, cv.CHAIN_APPROX_SIMPLE)
    for (let i = 0; i < contours.size(); i++) {
      const c = contours.get(i)
      const r = cv.boundingRect(c)
      c.delete()
      if (r.height < opts.minHeight || r.height > opts.maxHeight) continue
      if (r.width < r.height * 1.2) continue
      const inside = glyphs.filter(g => g.x >= r.x && g.x <= r.x + r.width && g.y >= r.y && g.y <= r.y + r.height && g.h >= r.height * 0.3)
      if (inside.length < MIN_GLYPHS) continue
      lines.push({ x: r.x + left, y: r.y + top, width: r.width, height: r.height, glyphs: inside.length })
    }
  })
  return lines.sort((a, b) => a.y - b.y || a.x - b.x)
}
