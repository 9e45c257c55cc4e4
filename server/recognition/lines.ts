import { useCv, withMats } from './cv'
import type { RgbImage } from './warp'

export interface TextLine {
  x: number
  y: number
  width: number
  height: number
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
      lines.push({ x: r.x + left, y: r.y + top, width: r.width, height: r.height })
    }
  })
  return lines.sort((a, b) => a.y - b.y || a.x - b.x)
}
