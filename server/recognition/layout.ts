import type { TextLine } from './reader'
import type { RgbImage } from './warp'

/** The colour of a card's border: yellow until Scarlet & Violet, silver from it (March 2023). */
export type CardBorder = 'yellow' | 'silver'

/** Mean saturation (0–1) and hue (degrees) of the border strips down both long sides. */
function borderStats(img: RgbImage): { saturation: number, hue: number } {
  let sx = 0, sy = 0, sat = 0, n = 0
  const x0 = Math.round(img.width * 0.008), x1 = Math.round(img.width * 0.024)
  for (let y = Math.round(img.height * 0.2); y < img.height * 0.8; y += 2) {
    for (const xs of [[x0, x1], [img.width - x1, img.width - x0]] as const) {
      for (let x = xs[0]; x < xs[1]; x++) {
        const i = (y * img.width + x) * 3
        const r = img.rgb[i]! / 255, g = img.rgb[i + 1]! / 255, b = img.rgb[i + 2]! / 255
        const max = Math.max(r, g, b), min = Math.min(r, g, b)
        const s = max === 0 ? 0 : (max - min) / max
        let h = 0
        if (max !== min) {
          if (max === r) h = ((g - b) / (max - min)) % 6
          else if (max === g) h = (b - r) / (max - min) + 2
          else h = (r - g) / (max - min) + 4
        }
        // Hue averaged as a vector, weighted by saturation (grey pixels have no hue).
        sx += Math.cos(h * Math.PI / 3) * s
        sy += Math.sin(h * Math.PI / 3) * s
        sat += s
        n++
      }
    }
  }
  const hue = ((Math.atan2(sy, sx) * 180) / Math.PI + 360) % 360
  return { saturation: n ? sat / n : 0, hue }
}

/**
 * Thresholds from labelled photos: printed yellow reads 0.5–0.8 saturation at 42–60°, silver
 * 0.04–0.17 whatever the hue. A sleeve, a warm light or a full art's edge falls in between
 * (0.1–0.35), and a quad that took in the table reads anything: only clear cases count.
 */
const YELLOW_SATURATION = 0.45
const YELLOW_HUES = [35, 65]
const SILVER_SATURATION = 0.08

/** The border's colour when it is clear, else null. */
export function cardBorder(img: RgbImage): CardBorder | null {
  const { saturation, hue } = borderStats(img)
  if (saturation >= YELLOW_SATURATION && hue >= YELLOW_HUES[0]! && hue <= YELLOW_HUES[1]!) return 'yellow'
  return saturation <= SILVER_SATURATION ? 'silver' : null
}

/** A card with a plain text box under its art window, or art over its whole face (full art, illustration rare). */
export type CardLayout = 'plain' | 'full-art'

/** The text box's place on an upright card (shares of its width and height). */
const TEXT_BOX = { x0: 0.08, x1: 0.92, y0: 0.56, y1: 0.86 }
const GRID = { columns: 6, rows: 4 }

/**
 * How much the text box's ground varies at the scale of the card, its text masked out: the
 * spread (standard deviation, 0–255) of the mean colours of a 6 × 4 grid of cells over it. A plain
 * text box is one flat colour (foil and a photo's light shift it a little); art is many.
 */
export function textBoxVariation(img: RgbImage, lines: TextLine[]): number {
  const boxes = lines.map((l) => {
    const xs = l.box.map(p => p[0]), ys = l.box.map(p => p[1]), pad = l.height * 0.3
    return [Math.min(...xs) - pad, Math.min(...ys) - pad, Math.max(...xs) + pad, Math.max(...ys) + pad]
  })
  const masked = (x: number, y: number) => boxes.some(([x0, y0, x1, y1]) => x >= x0! && x <= x1! && y >= y0! && y <= y1!)
  const cells: number[][] = []
  const w = img.width * (TEXT_BOX.x1 - TEXT_BOX.x0) / GRID.columns, h = img.height * (TEXT_BOX.y1 - TEXT_BOX.y0) / GRID.rows
  for (let r = 0; r < GRID.rows; r++) {
    for (let c = 0; c < GRID.columns; c++) {
      const sum = [0, 0, 0]
      let n = 0
      const x0 = img.width * TEXT_BOX.x0 + c * w, y0 = img.height * TEXT_BOX.y0 + r * h
      for (let y = Math.round(y0); y < y0 + h; y += 3) {
        for (let x = Math.round(x0); x < x0 + w; x += 3) {
          if (masked(x, y)) continue
          const i = (y * img.width + x) * 3
          for (let k = 0; k < 3; k++) sum[k]! += img.rgb[i + k]!
          n++
        }
      }
      if (n > 10) cells.push(sum.map(v => v / n))
    }
  }
  if (cells.length < 6) return 0
  const mean = [0, 1, 2].map(k => cells.reduce((s, c) => s + c[k]!, 0) / cells.length)
  const variance = cells.reduce((s, c) => s + c.reduce((t, v, k) => t + (v - mean[k]!) ** 2, 0), 0) / (cells.length * 3)
  return Math.sqrt(variance)
}

/** Variation under which the text box is plain, over which it is art (measured on labelled photos). */
const PLAIN_VARIATION = 12
const ART_VARIATION = 22

/** The card's layout when its text box's ground makes it clear, else null. */
export function cardLayout(img: RgbImage, lines: TextLine[]): CardLayout | null {
  const variation = textBoxVariation(img, lines)
  return variation <= PLAIN_VARIATION ? 'plain' : variation >= ART_VARIATION ? 'full-art' : null
}
