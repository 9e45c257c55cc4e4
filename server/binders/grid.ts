// Where the cards found on a photo of a binder page sit in the page's grid, from their outlines alone.
// Pure: unit-tested without photos.

export type Point = [number, number]
/** A card's corners in the photo: its own top-left, top-right, bottom-right, bottom-left. */
export type Quad = Point[]
export interface GridCell { row: number, col: number }

const sub = (a: Point, b: Point): Point => [a[0] - b[0], a[1] - b[1]]
const add = (a: Point, b: Point): Point => [a[0] + b[0], a[1] + b[1]]
const scale = (a: Point, k: number): Point => [a[0] * k, a[1] * k]
const dot = (a: Point, b: Point) => a[0] * b[0] + a[1] * b[1]
const norm = (a: Point) => Math.hypot(a[0], a[1])
const median = (values: number[]) => {
  const s = [...values].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2
}

interface Card { index: number, centre: Point, across: Point, down: Point }

function cardOf(quad: Quad, index: number): Card | null {
  if (quad.length !== 4 || quad.some(p => !Number.isFinite(p[0]) || !Number.isFinite(p[1]))) return null
  const [tl, tr, br, bl] = quad as [Point, Point, Point, Point]
  // The card's own axes, each the mean of its two parallel sides.
  const across = scale(add(sub(tr, tl), sub(br, bl)), 0.5)
  const down = scale(add(sub(bl, tl), sub(br, tr)), 0.5)
  if (norm(across) < 1 || norm(down) < 1) return null
  return { index, centre: scale(add(add(tl, tr), add(br, bl)), 0.25), across, down }
}

/**
 * Groups positions along one page axis into columns (or rows), numbered from 0 at the first one
 * found: positions closer than half a card belong together, and the gap between groups counts in
 * steps of the pitch (a card and its pocket's margin), so that an empty column between two is kept.
 */
function steps(positions: number[], cardSize: number): number[] {
  const order = positions.map((p, i) => ({ p, i })).sort((a, b) => a.p - b.p)
  const groups: { sum: number, members: number[] }[] = []
  let last = -Infinity
  for (const { p, i } of order) {
    if (p - last > cardSize / 2 || !groups.length) groups.push({ sum: 0, members: [] })
    const g = groups.at(-1)!
    g.sum += p
    g.members.push(i)
    last = p
  }
  const centres = groups.map(g => g.sum / g.members.length)
  // The pitch: the tightest spacing between neighbouring groups when one is a single step, else a card and a little.
  const gaps = centres.slice(1).map((c, i) => c - centres[i]!)
  const single = gaps.filter(g => g < cardSize * 1.5)
  const pitch = single.length ? median(single) : cardSize * 1.05
  const out = new Array<number>(positions.length)
  groups.forEach((g, k) => {
    const step = Math.round((centres[k]! - centres[0]!) / pitch)
    for (const i of g.members) out[i] = step
  })
  return out
}

/**
 * The row and column (from 1) of each card on a binder page of `cols` × `rows` pockets, or null for
 * a card that cannot be placed (no outline, outside the grid, or a second card in one pocket).
 *
 * The page's axes are the cards' own (so a page photographed turned or upside down still reads left
 * to right, top to bottom, as the recogniser gives each quad from its card's top-left). The first
 * row and column found are the page's first: a page filled in order, as binders are, has them.
 */
export function gridPositions(quads: (Quad | null | undefined)[], grid: { cols: number, rows: number }): (GridCell | null)[] {
  const cards = quads.map((q, i) => (q ? cardOf(q, i) : null)).filter((c): c is Card => !!c)
  const out: (GridCell | null)[] = quads.map(() => null)
  if (!cards.length) return out
  // The page's "across" axis: the cards' mean, each card's direction counted once.
  let axis = cards.reduce<Point>((s, c) => add(s, scale(c.across, 1 / norm(c.across))), [0, 0])
  if (norm(axis) < cards.length * 0.5) axis = [1, 0]
  axis = scale(axis, 1 / norm(axis))
  const downAxis: Point = [-axis[1], axis[0]]
  const width = median(cards.map(c => norm(c.across)))
  const height = median(cards.map(c => norm(c.down)))
  const cols = steps(cards.map(c => dot(c.centre, axis)), width)
  const rows = steps(cards.map(c => dot(c.centre, downAxis)), height)

  const taken = new Map<string, { card: Card, size: number }>()
  cards.forEach((card, k) => {
    const cell = { row: rows[k]! + 1, col: cols[k]! + 1 }
    if (cell.row > grid.rows || cell.col > grid.cols) return
    const key = `${cell.row}:${cell.col}`
    // Two outlines in one pocket (a card and a piece of it, its art box): the larger stays.
    const size = norm(card.across) * norm(card.down)
    const other = taken.get(key)
    if (other && other.size >= size) return
    if (other) out[other.card.index] = null
    taken.set(key, { card, size })
    out[card.index] = cell
  })
  return out
}
