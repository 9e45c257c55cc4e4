import { useCv, withMats } from './cv'

export type Point = [number, number]
export type Quad = [Point, Point, Point, Point]

/** A card is 63 × 88 mm. */
export const CARD_ASPECT = 63 / 88

export interface DetectedCard {
  /** Corners in the input image, clockwise from the card's top-left (short edge first; may be upside down). */
  quad: Quad
  score: number
  area: number
  /** Share of edge pixels inside (print on a card; none in an empty pocket). */
  texture?: number
}

export interface DetectOptions {
  /** Smallest card as a share of the image area. */
  minAreaFraction?: number
}

function dist(a: Point, b: Point) {
  return Math.hypot(a[0] - b[0], a[1] - b[1])
}

function polygonArea(q: Point[]): number {
  let s = 0
  for (let i = 0; i < q.length; i++) {
    const [x1, y1] = q[i]!
    const [x2, y2] = q[(i + 1) % q.length]!
    s += x1 * y2 - x2 * y1
  }
  return Math.abs(s) / 2
}

function isConvex(q: Point[]): boolean {
  let sign = 0
  for (let i = 0; i < q.length; i++) {
    const a = q[i]!, b = q[(i + 1) % q.length]!, c = q[(i + 2) % q.length]!
    const cross = (b[0] - a[0]) * (c[1] - b[1]) - (b[1] - a[1]) * (c[0] - b[0])
    if (cross !== 0) {
      if (sign === 0) sign = Math.sign(cross)
      else if (Math.sign(cross) !== sign) return false
    }
  }
  return true
}

/**
 * Orders corners clockwise (in image coordinates, y down) from the top-left, then turns the order
 * so the first edge is a SHORT edge: a sideways card then starts at its own top-left or
 * bottom-right (the 180° ambiguity is settled later by reading the text).
 */
export function orderQuad(points: Point[]): Quad {
  const cx = points.reduce((s, p) => s + p[0], 0) / 4
  const cy = points.reduce((s, p) => s + p[1], 0) / 4
  const sorted = [...points].sort((a, b) => Math.atan2(a[1] - cy, a[0] - cx) - Math.atan2(b[1] - cy, b[0] - cx))
  // atan2 ascending with y down is clockwise on screen; start at the top-left (smallest x + y).
  let start = 0
  for (let i = 1; i < 4; i++) if (sorted[i]![0] + sorted[i]![1] < sorted[start]![0] + sorted[start]![1]) start = i
  let q = [0, 1, 2, 3].map(i => sorted[(start + i) % 4]!) as Quad
  const top = dist(q[0], q[1]) + dist(q[2], q[3])
  const side = dist(q[1], q[2]) + dist(q[3], q[0])
  if (top > side) q = [q[1], q[2], q[3], q[0]]
  return q
}

/** Short side over long side (both averaged over opposite edges), and how parallel the opposite edges are. */
function shapeOf(q: Quad) {
  const a = dist(q[0], q[1]), b = dist(q[1], q[2]), c = dist(q[2], q[3]), d = dist(q[3], q[0])
  const short = (a + c) / 2, long = (b + d) / 2
  const parallel = Math.min(a, c) / Math.max(a, c) * Math.min(b, d) / Math.max(b, d)
  return { aspect: short / long, parallel }
}

function pointInQuad(p: Point, q: Point[]): boolean {
  let inside = false
  for (let i = 0, j = q.length - 1; i < q.length; j = i++) {
    const [xi, yi] = q[i]!, [xj, yj] = q[j]!
    if ((yi > p[1]) !== (yj > p[1]) && p[0] < (xj - xi) * (p[1] - yi) / (yj - yi) + xi) inside = !inside
  }
  return inside
}

/** Share of quad `a` covered by quad `b`, estimated on a 16 × 16 sample grid. */
function coverage(a: Quad, b: Quad): number {
  let inA = 0, inBoth = 0
  const xs = a.map(p => p[0]), ys = a.map(p => p[1])
  const x0 = Math.min(...xs), x1 = Math.max(...xs), y0 = Math.min(...ys), y1 = Math.max(...ys)
  for (let i = 0; i < 16; i++) {
    for (let j = 0; j < 16; j++) {
      const p: Point = [x0 + (x1 - x0) * (i + 0.5) / 16, y0 + (y1 - y0) * (j + 0.5) / 16]
      if (!pointInQuad(p, a)) continue
      inA++
      if (pointInQuad(p, b)) inBoth++
    }
  }
  return inA ? inBoth / inA : 0
}

function centre(q: Quad): Point {
  return [q.reduce((s, p) => s + p[0], 0) / 4, q.reduce((s, p) => s + p[1], 0) / 4]
}

/**
 * Finds every card-shaped quadrilateral (63:88, convex, parallel sides) in an RGB image. Several
 * edge maps are combined because no single one finds every card: Canny at two thresholds
 * (dilated, to close the rounded corners), Otsu on brightness in both polarities (light cards on
 * dark binder pages and the reverse) and Otsu on saturation (yellow borders on grey tables).
 */
export function detectCards(rgb: Buffer, width: number, height: number, options: DetectOptions = {}): DetectedCard[] {
  const { cv } = useCv()
  const imageArea = width * height
  const minArea = imageArea * (options.minAreaFraction ?? 0.012)
  const found: DetectedCard[] = []

  withMats((track) => {
    const src = track(new cv.Mat(height, width, cv.CV_8UC3))
    src.data.set(rgb)
    const gray = track(new cv.Mat())
    cv.cvtColor(src, gray, cv.COLOR_RGB2GRAY)
    const blurred = track(new cv.Mat())
    cv.GaussianBlur(gray, blurred, new cv.Size(5, 5), 0)
    const hsv = track(new cv.Mat())
    cv.cvtColor(src, hsv, cv.COLOR_RGB2HSV)
    const channels = track(new cv.MatVector())
    cv.split(hsv, channels)
    const saturation = track(channels.get(1))
    cv.GaussianBlur(saturation, saturation, new cv.Size(5, 5), 0)
    const kernel = track(cv.getStructuringElement(cv.MORPH_RECT, new cv.Size(3, 3)))

    const maps: unknown[] = []
    for (const [lo, hi] of [[10, 40], [30, 90], [60, 180]] as const) {
      const edges = track(new cv.Mat())
      cv.Canny(blurred, edges, lo, hi)
      cv.dilate(edges, edges, kernel, new cv.Point(-1, -1), 1)
      maps.push(edges)
    }
    for (const [img, type] of [[blurred, cv.THRESH_BINARY], [blurred, cv.THRESH_BINARY_INV], [saturation, cv.THRESH_BINARY]] as const) {
      const bin = track(new cv.Mat())
      cv.threshold(img, bin, 0, 255, type + cv.THRESH_OTSU)
      cv.morphologyEx(bin, bin, cv.MORPH_OPEN, kernel)
      maps.push(bin)
    }

    const textureMap = maps[2]
    for (const map of maps) {
      const contours = track(new cv.MatVector())
      const hierarchy = track(new cv.Mat())
      cv.findContours(map, contours, hierarchy, cv.RETR_LIST, cv.CHAIN_APPROX_SIMPLE)
      const n = contours.size()
      for (let i = 0; i < n; i++) {
        const contour = contours.get(i)
        try {
          const area = cv.contourArea(contour)
          // Outlines filling the frame are the photo's own border, not a card.
          if (area < minArea || area > imageArea * 0.9) continue
          const candidate = quadOfContour(cv, contour, area)
          if (candidate && !touchesFrame(candidate.quad, width, height)) found.push(candidate)

        }
        finally {
          contour.delete()
        }
      }
    }
    // An empty binder pocket is card-shaped too; a card has print (edges) inside.
    const texture = textureMap as { data: Uint8Array, cols: number }
    for (const c of found) c.texture = edgeDensity(texture.data, width, height, c.quad)
  })
  return suppress(found.filter(c => (c.texture ?? 1) >= MIN_TEXTURE))
}

const MIN_TEXTURE = 0.015

/** Two corners on the photo's edge: the frame itself or a card cut by it, not a whole card. */
function touchesFrame(q: Quad, width: number, height: number): boolean {
  const m = Math.max(width, height) * 0.012
  return q.filter(([x, y]) => x < m || y < m || x > width - 1 - m || y > height - 1 - m).length >= 2
}

/** Share of edge pixels in the inner 70 % of a quad, sampled on a grid. */
function edgeDensity(edges: Uint8Array, width: number, height: number, q: Quad): number {
  let hits = 0, total = 0
  const N = 40
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < N; j++) {
      const u = 0.15 + 0.7 * (i + 0.5) / N, v = 0.15 + 0.7 * (j + 0.5) / N
      // Bilinear point of the quad at (u, v).
      const x = (1 - u) * (1 - v) * q[0][0] + u * (1 - v) * q[1][0] + u * v * q[2][0] + (1 - u) * v * q[3][0]
      const y = (1 - u) * (1 - v) * q[0][1] + u * (1 - v) * q[1][1] + u * v * q[2][1] + (1 - u) * v * q[3][1]
      const xi = Math.round(x), yi = Math.round(y)
      if (xi < 0 || yi < 0 || xi >= width || yi >= height) continue
      total++
      if (edges[yi * width + xi]) hits++
    }
  }
  return total ? hits / total : 0
}

function quadOfContour(cv: ReturnType<typeof useCv>['cv'], contour: unknown, contourArea: number): DetectedCard | null {
  return withMats((track) => {
    const hull = track(new cv.Mat())
    cv.convexHull(contour, hull, false, true)
    const hullArea = cv.contourArea(hull)
    const peri = cv.arcLength(hull, true)
    const approx = track(new cv.Mat())
    cv.approxPolyDP(hull, approx, 0.02 * peri, true)
    let points: Point[] | null = null
    if (approx.rows === 4) {
      points = []
      for (let k = 0; k < 4; k++) points.push([approx.data32S[k * 2], approx.data32S[k * 2 + 1]])
    }
    else if (approx.rows >= 5 && approx.rows <= 8) {
      // Rounded corners or a thumb over an edge: the minimum-area rectangle of the hull.
      const rect = cv.minAreaRect(hull)
      const rectPoints = cv.RotatedRect.points(rect) as { x: number, y: number }[]
      points = rectPoints.map(p => [p.x, p.y] as Point)
      if (hullArea / polygonArea(points) < 0.9) return null
    }
    if (!points || !isConvex(points)) return null
    const quad = orderQuad(points)
    const { aspect, parallel } = shapeOf(quad)
    if (aspect < 0.6 || aspect > 0.84 || parallel < 0.72) return null
    const quadArea = polygonArea(quad)
    const fill = Math.min(contourArea, hullArea) / quadArea
    if (fill < 0.8) return null
    const score = fill * (1 - Math.abs(aspect - CARD_ASPECT) / CARD_ASPECT) * Math.sqrt(parallel)
    return { quad, score, area: quadArea }
  })
}

/**
 * Keeps one quad per card: drops outlines that hold two or more other cards (a binder page, a
 * row of cards is card-shaped too), then non-maximum suppression where, among near-equal
 * outlines of one card (card, sleeve, inner frame), the outermost good one wins.
 */
function suppress(found: DetectedCard[]): DetectedCard[] {
  const candidates = found.filter(c => c.score > 0.55)
  const containers = new Set<DetectedCard>()
  for (const outer of candidates) {
    const inner = candidates.filter(c => c !== outer && c.area < outer.area * 0.6 && pointInQuad(centre(c.quad), outer.quad))
    // Two or more distinct cards inside (their centres apart) make this a page, not a card.
    const distinct: DetectedCard[] = []
    for (const c of inner) if (!distinct.some(d => coverage(c.quad, d.quad) > 0.5)) distinct.push(c)
    if (distinct.length >= 2) containers.add(outer)
  }
  // Outermost first: an art box or inner frame inside a card must not win over the card.
  const pool = candidates.filter(c => !containers.has(c)).sort((a, b) => b.area - a.area)
  const kept: DetectedCard[] = []
  for (const c of pool) {
    const overlapping = kept.findIndex(k => coverage(c.quad, k.quad) > 0.5 || coverage(k.quad, c.quad) > 0.5)
    if (overlapping === -1) {
      kept.push(c)
      continue
    }
    const k = kept[overlapping]!
    // A slightly smaller, clearly better outline is the card inside its sleeve or pocket.
    if (c.area > k.area * 0.7 && c.score > k.score + 0.05) kept[overlapping] = c
  }
  // Reading order: rows top to bottom, then left to right.
  return kept.sort((a, b) => {
    const ca = centre(a.quad), cb = centre(b.quad)
    const rowHeight = Math.sqrt(Math.min(a.area, b.area)) * 0.6
    return Math.abs(ca[1] - cb[1]) > rowHeight ? ca[1] - cb[1] : ca[0] - cb[0]
  })
}
