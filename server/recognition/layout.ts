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

/** Where a plain card's art window ends, as shares of the card's height, and the width a frame edge spans. */
const ART_WINDOW_BOTTOM = { y0: 0.38, y1: 0.62 }
const ACROSS = { x0: 0.12, x1: 0.88 }

/**
 * How strongly one straight edge runs across the card below its art: for each row, the median
 * (signed) brightness step from the rows above to the rows below, across the card's width; the
 * largest. A plain card frames its art window with such an edge; art, or text over it, steps
 * here and there along a row, which leaves the median near zero.
 */
export function frameEdge(img: RgbImage): number {
  const grey = (x: number, y: number) => {
    const i = (y * img.width + x) * 3
    return 0.299 * img.rgb[i]! + 0.587 * img.rgb[i + 1]! + 0.114 * img.rgb[i + 2]!
  }
  const x0 = Math.round(img.width * ACROSS.x0), x1 = Math.round(img.width * ACROSS.x1)
  let best = 0
  for (let y = Math.round(img.height * ART_WINDOW_BOTTOM.y0); y < img.height * ART_WINDOW_BOTTOM.y1; y++) {
    const steps: number[] = []
    for (let x = x0; x < x1; x += 2) steps.push(grey(x, y + 3) - grey(x, y - 3))
    steps.sort((a, b) => a - b)
    best = Math.max(best, Math.abs(steps[steps.length >> 1]!))
  }
  return best
}

/** Edge strength over which the card frames its art, under which it has none (measured on labelled photos). */
const FRAMED = 60
const UNFRAMED = 20

/** The card's layout when its art window's frame makes it clear, else null. */
export function cardLayout(img: RgbImage): CardLayout | null {
  const edge = frameEdge(img)
  return edge >= FRAMED ? 'plain' : edge <= UNFRAMED ? 'full-art' : null
}
