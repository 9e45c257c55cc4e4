import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { decodePhoto } from '../../../server/recognition/decode'
import { CARD_ASPECT, completeGrid, type DetectedCard, detectCards, type Gradient, orderQuad, type Point, type Quad, refineCard } from '../../../server/recognition/detect'

/** A plain RGB canvas with filled convex polygons drawn on it (scanline fill, no dependency). */
function canvas(width: number, height: number, background: [number, number, number]) {
  const rgb = Buffer.alloc(width * height * 3)
  for (let i = 0; i < width * height; i++) rgb.set(background, i * 3)
  const fill = (poly: Point[], colour: [number, number, number]) => {
    for (let y = 0; y < height; y++) {
      const xs: number[] = []
      for (let i = 0; i < poly.length; i++) {
        const [x1, y1] = poly[i]!, [x2, y2] = poly[(i + 1) % poly.length]!
        if ((y1 <= y && y2 > y) || (y2 <= y && y1 > y)) xs.push(x1 + (y - y1) * (x2 - x1) / (y2 - y1))
      }
      xs.sort((a, b) => a - b)
      for (let k = 0; k + 1 < xs.length; k += 2) {
        for (let x = Math.max(0, Math.ceil(xs[k]!)); x <= Math.min(width - 1, Math.floor(xs[k + 1]!)); x++) rgb.set(colour, (y * width + x) * 3)
      }
    }
  }
  return { rgb, width, height, fill }
}

/** A card-shaped quad: centre, width in px, rotation in degrees. */
function cardQuad(cx: number, cy: number, w: number, deg: number): Quad {
  const h = w / CARD_ASPECT, a = deg * Math.PI / 180
  const corners: Point[] = [[-w / 2, -h / 2], [w / 2, -h / 2], [w / 2, h / 2], [-w / 2, h / 2]]
  return corners.map(([x, y]) => [cx + x * Math.cos(a) - y * Math.sin(a), cy + x * Math.sin(a) + y * Math.cos(a)]) as Quad
}

/** Inner point (u, v in 0–1) of a quad. */
function at(q: Quad, u: number, v: number): Point {
  const x = (1 - u) * (1 - v) * q[0][0] + u * (1 - v) * q[1][0] + u * v * q[2][0] + (1 - u) * v * q[3][0]
  const y = (1 - u) * (1 - v) * q[0][1] + u * (1 - v) * q[1][1] + u * v * q[2][1] + (1 - u) * v * q[3][1]
  return [x, y]
}

/** A card with print inside: a yellow border, an art box and a text box with a few "lines" of text. */
function drawCard(c: ReturnType<typeof canvas>, q: Quad) {
  c.fill(q, [230, 200, 40])
  c.fill([at(q, 0.05, 0.04), at(q, 0.95, 0.04), at(q, 0.95, 0.96), at(q, 0.05, 0.96)], [235, 235, 225])
  c.fill([at(q, 0.08, 0.11), at(q, 0.92, 0.11), at(q, 0.92, 0.46), at(q, 0.08, 0.46)], [90, 140, 200])
  c.fill([at(q, 0.1, 0.2), at(q, 0.5, 0.2), at(q, 0.5, 0.4), at(q, 0.1, 0.4)], [200, 80, 60])
  for (let k = 0; k < 8; k++) {
    const v = 0.52 + k * 0.05
    c.fill([at(q, 0.1, v), at(q, 0.8 - (k % 3) * 0.1, v), at(q, 0.8 - (k % 3) * 0.1, v + 0.02), at(q, 0.1, v + 0.02)], [40, 40, 40])
  }
}

const centre = (q: Quad | Point[]) => [q.reduce((s, p) => s + p[0], 0) / 4, q.reduce((s, p) => s + p[1], 0) / 4] as Point
/** Largest distance between matching corners (both ordered the same way). */
function cornerError(found: Quad, truth: Quad): number {
  const t = orderQuad(truth)
  // The 180° ambiguity is settled later by reading; compare both turns.
  const turns = [found, [found[2], found[3], found[0], found[1]] as Quad]
  return Math.min(...turns.map(f => Math.max(...f.map((p, i) => Math.hypot(p[0] - t[i]![0], p[1] - t[i]![1])))))
}

describe('detectCards', () => {
  it('a card fitted from edges a finger breaks wins over its crisper art box, and two cards side by side stay two', async () => {
    // A generated photo (make-card-photos.py): a finger over the card's left edge.
    const photo = await decodePhoto(readFileSync(resolve(import.meta.dirname, '../../fixtures/finger-over-edge.jpg')), 40_000_000)
    const found = detectCards(photo.small.rgb, photo.small.width, photo.small.height)
    expect(found).toHaveLength(1)
    const truth: Quad = [[223.7, 547.2], [813.0, 317.2], [1139.8, 1110.5], [603.1, 1397.7]]
    const quad = found[0]!.quad.map(([x, y]) => [x / photo.small.scale, y / photo.small.scale]) as Quad
    expect(cornerError(quad, truth)).toBeLessThan(25)
    // Two cards side by side are no parts of the outline fitted around both.
    const pair = await decodePhoto(readFileSync(resolve(import.meta.dirname, '../../fixtures/two-cards-side-by-side.jpg')), 40_000_000)
    expect(detectCards(pair.small.rgb, pair.small.width, pair.small.height)).toHaveLength(2)
  })

  it('finds a card with little print (a basic energy), not only its art box', () => {
    const c = canvas(700, 900, [200, 205, 200])
    const truth = cardQuad(350, 460, 420, 6)
    // A yellow border, one flat colour inside, and a landscape art box with a little print: the
    // card's inside is too plain for a card by itself, its art box is not.
    c.fill(truth, [225, 190, 40])
    c.fill([at(truth, 0.05, 0.04), at(truth, 0.95, 0.04), at(truth, 0.95, 0.96), at(truth, 0.05, 0.96)], [215, 120, 175])
    c.fill([at(truth, 0.08, 0.11), at(truth, 0.92, 0.11), at(truth, 0.92, 0.5), at(truth, 0.08, 0.5)], [160, 170, 190])
    for (const u of [0.4, 0.55]) {
      c.fill([at(truth, u, 0.2), at(truth, u + 0.025, 0.2), at(truth, u + 0.025, 0.42), at(truth, u, 0.42)], [70, 60, 90])
    }
    const found = detectCards(c.rgb, c.width, c.height)
    expect(found).toHaveLength(1)
    expect(cornerError(found[0]!.quad, truth)).toBeLessThan(12)
  })

  it('finds a card whose long edge a thumb crosses, corners from its straight edges', () => {
    const c = canvas(900, 700, [50, 60, 140])
    const truth = cardQuad(430, 350, 330, -14)
    drawCard(c, truth)
    // A skin-coloured thumb from the right frame edge over the card's right edge.
    c.fill([[520, 190], [900, 130], [900, 210], [530, 250]], [230, 180, 150])
    const found = detectCards(c.rgb, c.width, c.height)
    expect(found).toHaveLength(1)
    expect(cornerError(found[0]!.quad, truth)).toBeLessThan(12)
  })

  it('finds a card whose corner a thumb hides (three sides seen)', () => {
    const c = canvas(800, 800, [235, 235, 235])
    const truth = cardQuad(400, 420, 380, 4)
    drawCard(c, truth)
    // The thumb covers the top-left corner and runs off the frame.
    c.fill([[0, 80], [260, 150], [280, 290], [0, 230]], [220, 160, 130])
    const found = detectCards(c.rgb, c.width, c.height)
    expect(found).toHaveLength(1)
    const [x, y] = centre(found[0]!.quad)
    const [tx, ty] = centre(truth)
    expect(Math.hypot(x - tx, y - ty)).toBeLessThan(25)
    expect(found[0]!.area).toBeGreaterThan(380 * (380 / CARD_ASPECT) * 0.85)
  })

  it('keeps two cards lying side by side as two cards, not one sideways container', () => {
    const c = canvas(1000, 700, [70, 40, 40])
    const left = cardQuad(365, 350, 260, 3), right = cardQuad(635, 364, 260, 3)
    drawCard(c, left)
    drawCard(c, right)
    const found = detectCards(c.rgb, c.width, c.height)
    expect(found).toHaveLength(2)
    expect(cornerError(found[0]!.quad, left)).toBeLessThan(10)
    expect(cornerError(found[1]!.quad, right)).toBeLessThan(10)
  })

  it('snaps a rough outline (a rectangle reaching over a card stand) onto the card\'s own edges', () => {
    const c = canvas(800, 900, [45, 45, 50])
    const truth = orderQuad(cardQuad(400, 420, 420, 3))
    drawCard(c, truth)
    // The grey working copy the detector keeps (it takes the gradient where it probes).
    const grey = new Uint8Array(c.width * c.height)
    for (let i = 0; i < grey.length; i++) grey[i] = Math.round((c.rgb[i * 3]! + c.rgb[i * 3 + 1]! + c.rgb[i * 3 + 2]!) / 3)
    const g: Gradient = { grey, width: c.width, height: c.height }
    // The rough outline: bottom corners 30 px too low, the left side 12 px out.
    const rough: Quad = [[truth[0][0] - 12, truth[0][1]], truth[1], [truth[2][0], truth[2][1] + 30], [truth[3][0] - 12, truth[3][1] + 30]]
    const area = 420 * 420 / CARD_ASPECT
    const refined = refineCard({ quad: rough, score: 0.9, area, rough: true }, g)
    expect(cornerError(rough, truth)).toBeGreaterThan(25)
    expect(cornerError(refined.quad, truth)).toBeLessThan(6)
  })

  it('finds nothing in a photo of an untextured card-shaped patch (an empty pocket)', () => {
    const c = canvas(800, 800, [40, 40, 40])
    c.fill(cardQuad(400, 400, 300, 0), [200, 200, 200])
    expect(detectCards(c.rgb, c.width, c.height)).toHaveLength(0)
  })
})

describe('completeGrid', () => {
  const card = (x: number, y: number, w = 250, h = 350): DetectedCard => ({
    quad: [[x, y], [x + w, y], [x + w, y + h], [x, y + h]], score: 0.9, area: w * h,
  })

  it('gives the odd one out of a binder page the cell its row and column give it', () => {
    const page = [0, 1, 2].flatMap(r => [0, 1, 2].map(c => card(20 + c * 280, 20 + r * 380)))
    // Bottom-right card found only as its attack box: sideways, half the size, in its lower half.
    const part: DetectedCard = { quad: [[820, 1000], [580, 1000], [580, 830], [820, 830]], score: 0.8, area: 240 * 170 }
    const out = completeGrid([...page.slice(0, 8), part])
    expect(out.slice(0, 8)).toEqual(page.slice(0, 8))
    const xs = out[8]!.quad.map(p => p[0]), ys = out[8]!.quad.map(p => p[1])
    expect([Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)]).toEqual([580, 830, 780, 1130])
    // Upright, starting at its top-left like the others.
    expect(out[8]!.quad[0]).toEqual([580, 780])
  })

  it('leaves alone a few cards, or cards that do not agree on a size', () => {
    const few = [card(0, 0), card(300, 0), { quad: [[700, 300], [500, 300], [500, 150], [700, 150]] as Quad, score: 0.8, area: 30000 }]
    expect(completeGrid(few)).toEqual(few)
    const mixed = [card(0, 0), card(300, 0, 120, 170), card(600, 0, 400, 560), card(0, 600, 90, 120), card(300, 600)]
    expect(completeGrid(mixed)).toEqual(mixed)
  })
})
