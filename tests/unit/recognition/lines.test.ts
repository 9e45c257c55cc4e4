import { describe, expect, it } from 'vitest'
import { findTextLines } from '../../../server/recognition/lines'

/** A white image with dark rectangles. */
function image(width: number, height: number, boxes: [number, number, number, number][]) {
  const rgb = Buffer.alloc(width * height * 3, 245)
  for (const [x0, y0, w, h] of boxes) {
    for (let y = y0; y < y0 + h; y++) for (let x = x0; x < x0 + w; x++) rgb.fill(30, (y * width + x) * 3, (y * width + x) * 3 + 3)
  }
  return { rgb, width, height }
}

describe('findTextLines', () => {
  it('finds a row of glyphs as one line and counts them, but not a long bar (a card or sleeve edge)', () => {
    // Eight "glyphs" 14 px tall, 4 px apart, at y = 40; a 300 × 14 px bar at y = 120.
    const glyphs = Array.from({ length: 8 }, (_, i) => [30 + i * 14, 40, 10, 14] as [number, number, number, number])
    const img = image(400, 200, [...glyphs, [40, 120, 300, 14]])
    const lines = findTextLines(img, { x0: 0, y0: 0, x1: 1, y1: 1 }, { minHeight: 9, maxHeight: 40 })
    expect(lines).toHaveLength(1)
    expect(lines[0]!.y).toBeLessThan(45)
    expect(lines[0]!.y + lines[0]!.height).toBeGreaterThan(50)
    expect(lines[0]!.width).toBeGreaterThan(100)
    expect(lines[0]!.glyphs).toBeGreaterThanOrEqual(6)
  })
})
