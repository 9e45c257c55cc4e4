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
  /** Corners only approximated (a minimum-area rectangle of a rounded or broken outline): worth snapping to the edges. */
  rough?: boolean
  /** No outline found: the cell a grid of cards leaves for it (`fillGrid`), to keep only if a card is read there. */
  inferred?: boolean
}

export interface DetectOptions {
  /** Smallest card as a share of the image area. */
  minAreaFraction?: number
}

export function dist(a: Point, b: Point) {
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
export function coverage(a: Quad, b: Quad): number {
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
  // Quads fitted from the straight edges of a broken outline: used only where no clean outline is.
  const fallback: DetectedCard[] = []
  let gradient: Gradient | undefined
  let printed: (q: Quad) => number = () => 0

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
    // Kept for snapping rough quads; the gradient is taken only where a side is probed.
    gradient = { grey: (blurred.data as Uint8Array).slice(), width, height }
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
          if (candidate) {
            if (!touchesFrame(candidate.quad, width, height)) found.push(candidate)
          }
          else {
            const fitted = quadFromLines(cv, contour, area)
            if (fitted && !touchesFrame(fitted.quad, width, height)) fallback.push(fitted)
          }

        }
        finally {
          contour.delete()
        }
      }
    }
    // An empty binder pocket is card-shaped too; a card has print (edges) inside.
    const texture = textureMap as { data: Uint8Array, cols: number }
    for (const c of [...found, ...fallback]) c.texture = edgeDensity(texture.data, width, height, c.quad)
    const textureData = texture.data.slice()
    printed = q => edgeDensity(textureData, width, height, q)
  })
  // A card with little print (a basic energy's flat colour) is no empty pocket: its art box, a
  // textured sideways part, lies inside it.
  const textured = (c: DetectedCard) => (c.texture ?? 1) >= MIN_TEXTURE
  const kept = suppress(found.filter(c => textured(c) || found.some(p => textured(p) && isPartOf(p, c))))
  let cards = kept
  for (const f of suppress(fallback.filter(textured))) {
    const overlapping = cards.filter(k => coverage(f.quad, k.quad) > 0.15 || coverage(k.quad, f.quad) > 0.15)
    // A card's art box and text box are sideways card shapes too: when a thumb hides the card's
    // outline, they are all that was found. Such parts (inside, half the size, turned by 90°) give
    // way to the fitted card; any other overlap means the fitted quad is the doubtful one.
    // Likewise a card's inner frame is card-shaped: the outermost good outline is the card.
    if (overlapping.every(k => isPartOf(k, f) || isInnerFrameOf(k, f))) cards = [...cards.filter(k => !overlapping.includes(k)), f]
  }
  const grid = completeGrid(cards === kept ? kept : readingOrder(cards))
  // Glare that hid the card's outline hides print too: a little is enough, the read decides.
  const filled = fillGrid(grid, q => !touchesFrame(q, width, height) && printed(q) >= MIN_TEXTURE / 4)
  return (filled === grid ? grid : readingOrder(filled)).map(c => (c.rough ? refineCard(c, gradient!) : c))
}

/** Fewest cards that make a grid (a binder page) whose odd one out is worth repairing. */
const GRID_CARDS = 4

function bounds(q: Quad) {
  const xs = q.map(p => p[0]), ys = q.map(p => p[1])
  return { x0: Math.min(...xs), x1: Math.max(...xs), y0: Math.min(...ys), y1: Math.max(...ys) }
}

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length

/**
 * On a binder page, a card whose outline was lost behind glare or a sleeve edge is often found as
 * one of its parts (the art box, the attack box: card-shaped, turned across, half the size). When
 * most cards agree on size and orientation, such an odd one out is replaced by the cell its row
 * and column neighbours give it, to be snapped onto its real edges.
 */
export function completeGrid(cards: DetectedCard[]): DetectedCard[] {
  if (cards.length < GRID_CARDS) return cards
  const upright = (c: DetectedCard) => Math.abs(longAxis(c.quad).dy) > Math.SQRT1_2
  const majority = cards.filter(upright).length * 2 >= cards.length
  const areas = cards.map(c => c.area).sort((a, b) => a - b)
  const medianArea = areas[Math.floor(areas.length / 2)]!
  const regular = (c: DetectedCard) => upright(c) === majority && c.area > medianArea * 0.75 && c.area < medianArea * 1.33
  const grid = cards.filter(regular)
  if (grid.length < GRID_CARDS - 1 || grid.length * 4 < cards.length * 3) return cards
  return cards.map((card) => {
    if (regular(card)) return card
    const b = bounds(card.quad)
    const [cx, cy] = centre(card.quad)
    const others = grid.map(c => ({ c, b: bounds(c.quad) }))
    const column = others.filter(o => o.b.x0 < cx && o.b.x1 > cx)
    const row = others.filter(o => o.b.y0 < b.y1 && o.b.y1 > b.y0 && (o.b.x1 < b.x0 || o.b.x0 > b.x1))
    if (column.length === 0 || row.length === 0) return card
    const cell = {
      x0: mean(column.map(o => o.b.x0)), x1: mean(column.map(o => o.b.x1)),
      y0: mean(row.map(o => o.b.y0)), y1: mean(row.map(o => o.b.y1)),
    }
    if (cy < cell.y0 || cy > cell.y1) return card
    const quad: Quad = majority
      ? [[cell.x0, cell.y0], [cell.x1, cell.y0], [cell.x1, cell.y1], [cell.x0, cell.y1]]
      : [[cell.x1, cell.y0], [cell.x1, cell.y1], [cell.x0, cell.y1], [cell.x0, cell.y0]]
    // No cell that overlaps a card already found.
    if (grid.some(o => coverage(quad, o.quad) > 0.2)) return card
    // Not snapped (`rough`): the page's sleeves and pocket seams are stronger edges than the card's.
    return { ...card, quad, area: polygonArea(quad), rough: false }
  })
}

/** Centres closer than this share of a card's size (across the axis) are in one row or column. */
const SAME_LINE = 0.5

/** Groups values into runs whose neighbours are closer than `gap`: the index of each value's run. */
function clusters(values: number[], gap: number): number[] {
  const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0])
  const out = new Array<number>(values.length)
  let run = 0
  order.forEach(([v, i], k) => {
    if (k > 0 && v - order[k - 1]![0] >= gap) run++
    out[i] = run
  })
  return out
}

/** `q`'s corners turned to start where `like`'s do (both clockwise), once both are moved to one centre. */
function alignCorners(q: Quad, like: Quad): Quad {
  const [qx, qy] = centre(q), [lx, ly] = centre(like)
  let best = q, bestError = Infinity
  for (let k = 0; k < 4; k++) {
    const turned = [0, 1, 2, 3].map(i => q[(i + k) % 4]!) as Quad
    const error = turned.reduce((s, p, i) => s + Math.hypot(p[0] - qx - like[i]![0] + lx, p[1] - qy - like[i]![1] + ly), 0)
    if (error < bestError) {
      best = turned
      bestError = error
    }
  }
  return best
}

/**
 * A binder page's card whose outline was not found at all (glare over it, a sleeve's edge): the
 * cell its row and column make, the fourth corner of the parallelogram of three cards around it,
 * when `holdsCard` (print inside it, within the photo). Marked `inferred`: only a card read there
 * keeps it.
 */
export function fillGrid(cards: DetectedCard[], holdsCard: (q: Quad) => boolean): DetectedCard[] {
  if (cards.length < 3) return cards
  const areas = cards.map(c => c.area).sort((a, b) => a - b)
  const medianArea = areas[Math.floor(areas.length / 2)]!
  const axis = longAxis(cards.find(c => c.area === medianArea)!.quad)
  const regular = cards.filter(c => c.area > medianArea * 0.75 && c.area < medianArea * 1.33 && angleBetween(longAxis(c.quad), axis) < 15)
  if (regular.length < 3) return cards
  const long = Math.sqrt(medianArea / CARD_ASPECT), short = long * CARD_ASPECT
  const centres = regular.map(c => centre(c.quad))
  const rows = clusters(centres.map(([x, y]) => x * axis.dx + y * axis.dy), long * SAME_LINE)
  const columns = clusters(centres.map(([x, y]) => y * axis.dx - x * axis.dy), short * SAME_LINE)
  const at = new Map<string, Quad>()
  for (let i = 0; i < regular.length; i++) {
    const key = `${rows[i]}:${columns[i]}`
    // Two cards in one cell: no grid.
    if (at.has(key)) return cards
    at.set(key, regular[i]!.quad)
  }
  const added: DetectedCard[] = []
  for (let r = 0; r <= Math.max(...rows); r++) {
    for (let c = 0; c <= Math.max(...columns); c++) {
      if (at.has(`${r}:${c}`)) continue
      // Any card of its row, one of its column, and the card where their column and row meet.
      const triple = regular.flatMap((inRow, i) => (rows[i] !== r ? [] : regular.flatMap((inColumn, j) => {
        const across = columns[j] === c ? at.get(`${rows[j]}:${columns[i]}`) : undefined
        return across ? [[inRow.quad, inColumn.quad, across] as const] : []
      })))[0]
      if (!triple) continue
      const [inRow, inColumn, across] = triple
      const a = alignCorners(inColumn, inRow), b = alignCorners(across, inRow)
      const quad = inRow.map((p, i) => [p[0] + a[i]![0] - b[i]![0], p[1] + a[i]![1] - b[i]![1]]) as Quad
      if (cards.some(k => coverage(quad, k.quad) > 0.2 || coverage(k.quad, quad) > 0.2) || !holdsCard(quad)) continue
      added.push({ quad, score: 0, area: polygonArea(quad), inferred: true })
    }
  }
  return added.length > 0 ? [...cards, ...added] : cards
}

/** The blurred grey working copy, whose gradient locates a card's edges. */
export interface Gradient { grey: Uint8Array, width: number, height: number }

/** Mean strength of the edge across the segment a→b (gradient along its normal), sampled. */
function edgeStrength(g: Gradient, a: Point, b: Point, nx: number, ny: number): number {
  let sum = 0, n = 0
  for (let k = 0; k < 24; k++) {
    const t = 0.1 + 0.8 * (k + 0.5) / 24
    const x = Math.round(a[0] + (b[0] - a[0]) * t), y = Math.round(a[1] + (b[1] - a[1]) * t)
    if (x < 1 || y < 1 || x >= g.width - 1 || y >= g.height - 1) continue
    // Sobel at (x, y).
    const w = g.width, p = g.grey, i = y * w + x
    const gx = p[i - w + 1]! + 2 * p[i + 1]! + p[i + w + 1]! - p[i - w - 1]! - 2 * p[i - 1]! - p[i + w - 1]!
    const gy = p[i + w - 1]! + 2 * p[i + w]! + p[i + w + 1]! - p[i - w - 1]! - 2 * p[i - w]! - p[i - w + 1]!
    sum += Math.abs(gx * nx + gy * ny)
    n++
  }
  return n >= 12 ? sum / n : 0
}

/**
 * Snaps each side of a quad onto the strongest straight edge within a few percent of it (both
 * ends move independently, so its angle can change too). Outlines from a convex hull or a
 * minimum-area rectangle sit a little off the card (a stand under it, a rounded corner, an inner
 * frame); the reader needs the card's own edges, since its name and number hug them. A side
 * moves only when the edge found is clearly stronger than where it was, and the refined quad
 * must still be card-shaped.
 */
export function refineCard(card: DetectedCard, g: Gradient): DetectedCard {
  const quad = snapSides(card.quad, card.area, g, 1.8)
  if (!quad) return card
  const area = polygonArea(quad)
  if (area < card.area * 0.8 || area > card.area * 1.2) return card
  return { ...card, quad, area }
}

/**
 * Each side of a quad moved onto the strongest straight edge within a tenth of its size, when
 * that edge is `gain` times stronger than where the side was; null when the result is no card shape.
 */
function snapSides(q: Quad, area: number, g: Gradient, gain: number): Quad | null {
  const [cx, cy] = centre(q)
  const reach = Math.max(3, Math.round(Math.sqrt(area) * 0.1))
  const step = Math.max(1, Math.round(reach / 12))
  const sides: EdgeLine[] = []
  for (let i = 0; i < 4; i++) {
    const a = q[i]!, b = q[(i + 1) % 4]!
    const len = dist(a, b)
    const dx = (b[0] - a[0]) / len, dy = (b[1] - a[1]) / len
    let nx = -dy, ny = dx
    // Outward normal.
    if ((a[0] + b[0]) / 2 * nx + (a[1] + b[1]) / 2 * ny < cx * nx + cy * ny) {
      nx = -nx
      ny = -ny
    }
    const base = edgeStrength(g, a, b, nx, ny)
    let best = { s: base, d0: 0, d1: 0 }
    const from = -reach
    for (let d0 = from; d0 <= reach; d0 += step) {
      for (let d1 = from; d1 <= reach; d1 += step) {
        const s = edgeStrength(g, [a[0] + nx * d0, a[1] + ny * d0], [b[0] + nx * d1, b[1] + ny * d1], nx, ny)
        if (s > best.s) best = { s, d0, d1 }
      }
    }
    const moved = best.s > base * gain ? best : { s: base, d0: 0, d1: 0 }
    const a2: Point = [a[0] + nx * moved.d0, a[1] + ny * moved.d0], b2: Point = [b[0] + nx * moved.d1, b[1] + ny * moved.d1]
    const l2 = dist(a2, b2)
    sides.push({ px: a2[0], py: a2[1], dx: (b2[0] - a2[0]) / l2, dy: (b2[1] - a2[1]) / l2, support: moved.s })
  }
  const corners = [0, 1, 2, 3].map(i => intersect(sides[(i + 3) % 4]!, sides[i]!))
  if (corners.some(p => !p)) return null
  const quad = corners as Quad
  if (!isConvex(quad)) return null
  const { aspect, parallel } = shapeOf(quad)
  if (aspect < 0.6 || aspect > 0.84 || parallel < 0.72) return null
  return quad
}

/** Direction of a quad's long axis (its first edge is a short one). */
function longAxis(q: Quad): { dx: number, dy: number } {
  const dx = (q[2][0] + q[3][0] - q[0][0] - q[1][0]) / 2, dy = (q[2][1] + q[3][1] - q[0][1] - q[1][1]) / 2
  const n = Math.hypot(dx, dy) || 1
  return { dx: dx / n, dy: dy / n }
}

/** `inner` is the frame inside `card` (same orientation, most of its size), and `card` a good outline too. */
function isInnerFrameOf(inner: DetectedCard, card: DetectedCard): boolean {
  return inner.area > card.area * 0.7 && inner.area < card.area && card.score >= inner.score - 0.1
    && angleBetween(longAxis(inner.quad), longAxis(card.quad)) < 20 && coverage(inner.quad, card.quad) > 0.9
}

/**
 * `part` lies inside `card`, is at most ~half its size and turned across it (an art or text box).
 * Two cards side by side make the same picture, but each of them is a better card outline than
 * their sideways container, and half its size; an art box is a worse one than its card, or a
 * third of it whatever its outline (a card fitted from broken edges scores lower than a crisp
 * art box).
 */
function isPartOf(part: DetectedCard, card: DetectedCard): boolean {
  return (part.score < card.score + 0.02 || part.area < card.area * ART_BOX_SHARE) && part.area < card.area * 0.65
    && angleBetween(longAxis(part.quad), longAxis(card.quad)) > 60 && coverage(part.quad, card.quad) > 0.85
}

/** Most of a card an art box covers (≈ 0.85 × 0.4 of it); two cards side by side are 0.4–0.5 of their container each. */
const ART_BOX_SHARE = 0.37

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
    let rough = false
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
      rough = true
    }
    if (!points || !isConvex(points)) return null
    const quad = orderQuad(points)
    const { aspect, parallel } = shapeOf(quad)
    if (aspect < 0.6 || aspect > 0.84 || parallel < 0.72) return null
    const quadArea = polygonArea(quad)
    const fill = Math.min(contourArea, hullArea) / quadArea
    if (fill < 0.8) return null
    const score = fill * (1 - Math.abs(aspect - CARD_ASPECT) / CARD_ASPECT) * Math.sqrt(parallel)
    return { quad, score, area: quadArea, rough }
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
    // The art box and text box of one card are sideways card shapes inside it: parts, not cards.
    const inner = candidates.filter(c => c !== outer && c.area < outer.area * 0.6 && pointInQuad(centre(c.quad), outer.quad) && !isPartOf(c, outer))
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
  return readingOrder(kept)
}

/** Reading order: rows top to bottom, then left to right. */
function readingOrder(kept: DetectedCard[]): DetectedCard[] {
  return kept.sort((a, b) => {
    const ca = centre(a.quad), cb = centre(b.quad)
    const rowHeight = Math.sqrt(Math.min(a.area, b.area)) * 0.6
    return Math.abs(ca[1] - cb[1]) > rowHeight ? ca[1] - cb[1] : ca[0] - cb[0]
  })
}

interface EdgeLine {
  /** A point on the line and its unit direction. */
  px: number
  py: number
  dx: number
  dy: number
  /** Total length of the contour segments along it. */
  support: number
}

/** Angle between two directions, ignoring their sense, in degrees (0–90). */
function angleBetween(a: { dx: number, dy: number }, b: { dx: number, dy: number }): number {
  return Math.acos(Math.min(1, Math.abs(a.dx * b.dx + a.dy * b.dy))) * 180 / Math.PI
}

function intersect(a: EdgeLine, b: EdgeLine): Point | null {
  const det = a.dx * b.dy - a.dy * b.dx
  if (Math.abs(det) < 1e-6) return null
  const t = ((b.px - a.px) * b.dy - (b.py - a.py) * b.dx) / det
  return [a.px + t * a.dx, a.py + t * a.dy]
}

/** Distance from a point to a line. */
function offLine(l: EdgeLine, x: number, y: number): number {
  return Math.abs((x - l.px) * l.dy - (y - l.py) * l.dx)
}

interface Segment { x0: number, y0: number, x1: number, y1: number, length: number, dx: number, dy: number }

/** Length of the segments that lie along the edge a→b (same direction, close to it, projected inside it). */
function edgeSupport(a: Point, b: Point, segments: Segment[], tolerance: number): number {
  const len = dist(a, b)
  if (len === 0) return 0
  const edge: EdgeLine = { px: a[0], py: a[1], dx: (b[0] - a[0]) / len, dy: (b[1] - a[1]) / len, support: 0 }
  let covered = 0
  for (const s of segments) {
    if (angleBetween(edge, s) > 6) continue
    if (offLine(edge, (s.x0 + s.x1) / 2, (s.y0 + s.y1) / 2) > tolerance) continue
    const t0 = (s.x0 - a[0]) * edge.dx + (s.y0 - a[1]) * edge.dy
    const t1 = (s.x1 - a[0]) * edge.dx + (s.y1 - a[1]) * edge.dy
    covered += Math.max(0, Math.min(len, Math.max(t0, t1)) - Math.max(0, Math.min(t0, t1)))
  }
  return Math.min(1, covered / len)
}

/**
 * A card whose outline is broken — a thumb over an edge or a corner, a finger holding it — is not
 * a clean quadrilateral contour, and its convex hull holds the thumb too. Its straight edges are
 * still there: the contour is simplified to segments, collinear segments are merged into lines,
 * and the quad is built from two pairs of near-parallel lines (or, when one side is hidden, from
 * three lines with the fourth placed by the 63:88 aspect). A quad is kept only when the contour
 * runs along most of its outline, so the art box or a thumb never makes a card.
 */
function quadFromLines(cv: ReturnType<typeof useCv>['cv'], contour: { data32S: Int32Array, rows: number }, contourArea: number): DetectedCard | null {
  if (contour.rows < 8) return null
  const size = Math.sqrt(contourArea)
  const segments: Segment[] = withMats((track) => {
    const approx = track(new cv.Mat())
    cv.approxPolyDP(contour, approx, Math.max(2, size * 0.012), true)
    const pts: Point[] = []
    for (let k = 0; k < approx.rows; k++) pts.push([approx.data32S[k * 2], approx.data32S[k * 2 + 1]])
    const out: Segment[] = []
    for (let k = 0; k < pts.length; k++) {
      const [x0, y0] = pts[k]!, [x1, y1] = pts[(k + 1) % pts.length]!
      const length = Math.hypot(x1 - x0, y1 - y0)
      if (length >= size * 0.08) out.push({ x0, y0, x1, y1, length, dx: (x1 - x0) / length, dy: (y1 - y0) / length })
    }
    return out
  })
  if (segments.length < 3 || segments.length > 60) return null
  const tolerance = Math.max(2, size * 0.025)

  // Collinear segments (the two pieces of an edge a thumb cuts) become one line.
  const lines: EdgeLine[] = []
  for (const s of [...segments].sort((a, b) => b.length - a.length)) {
    const mx = (s.x0 + s.x1) / 2, my = (s.y0 + s.y1) / 2
    const line = lines.find(l => angleBetween(l, s) < 5 && offLine(l, mx, my) < tolerance)
    if (line) line.support += s.length
    else lines.push({ px: mx, py: my, dx: s.dx, dy: s.dy, support: s.length })
  }
  const strong = lines.sort((a, b) => b.support - a.support).slice(0, 7).filter(l => l.support >= size * 0.2)
  if (strong.length < 3) return null

  let best: DetectedCard | null = null
  const consider = (points: (Point | null)[], inferred: boolean) => {
    if (points.some(p => !p)) return
    const pts = points as Point[]
    if (!isConvex(pts)) return
    const quad = orderQuad(pts)
    const { aspect, parallel } = shapeOf(quad)
    if (aspect < 0.6 || aspect > 0.84 || parallel < 0.72) return
    const area = polygonArea(quad)
    // The contour must be about card-sized: not a card inside a bigger blob's outline, nor a sliver of one.
    if (area > contourArea * 1.6 || area < contourArea * 0.45) return
    const sides = [0, 1, 2, 3].map(i => edgeSupport(quad[i]!, quad[(i + 1) % 4]!, segments, tolerance))
    const sorted = [...sides].sort((a, b) => b - a)
    // Three sides mostly seen; with four lines the fourth at least partly (a thumb cuts it).
    if (sorted[2]! < 0.55 || (!inferred && sorted[3]! < 0.2)) return
    const seen = sides.reduce((s, v) => s + v, 0) / 4
    const score = (inferred ? 0.85 : 0.95) * (1 - Math.abs(aspect - CARD_ASPECT) / CARD_ASPECT) * Math.sqrt(parallel) * (0.6 + 0.4 * seen)
    if (!best || score > best.score) best = { quad, score, area }
  }

  for (let i = 0; i < strong.length; i++) {
    for (let j = i + 1; j < strong.length; j++) {
      const a = strong[i]!, b = strong[j]!
      if (angleBetween(a, b) > 14) continue
      const gap = offLine(a, b.px, b.py)
      if (gap < size * 0.4) continue
      for (let k = 0; k < strong.length; k++) {
        if (k === i || k === j) continue
        const c = strong[k]!
        const cross = angleBetween(a, c)
        if (cross < 60) continue
        // Four lines: a second pair across the first.
        for (let m = k + 1; m < strong.length; m++) {
          if (m === i || m === j) continue
          const d = strong[m]!
          if (angleBetween(c, d) > 14 || angleBetween(a, d) < 60 || offLine(c, d.px, d.py) < size * 0.4) continue
          consider([intersect(a, c), intersect(b, c), intersect(b, d), intersect(a, d)], false)
        }
        // Three lines: the hidden side parallel to c, at the card's length (a, b long sides) or width
        // (a, b short sides), on the side of c where the contour lies.
        const ca = intersect(a, c), cb = intersect(b, c)
        if (!ca || !cb) continue
        const nx = -c.dy, ny = c.dx
        const side = Math.sign(centroidSide(segments, c, nx, ny)) || 1
        for (const length of [gap / CARD_ASPECT, gap * CARD_ASPECT]) {
          const shift = side * length
          const d: EdgeLine = { px: c.px + nx * shift, py: c.py + ny * shift, dx: c.dx, dy: c.dy, support: 0 }
          consider([ca, cb, intersect(b, d), intersect(a, d)], true)
        }
      }
    }
  }
  return best
}

/** Which side of line `c` (along its normal) the contour's segments mostly lie on. */
function centroidSide(segments: Segment[], c: EdgeLine, nx: number, ny: number): number {
  let s = 0
  for (const seg of segments) s += seg.length * (((seg.x0 + seg.x1) / 2 - c.px) * nx + ((seg.y0 + seg.y1) / 2 - c.py) * ny)
  return s
}
