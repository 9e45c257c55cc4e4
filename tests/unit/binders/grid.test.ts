import { describe, expect, it } from 'vitest'
import { gridPositions, type Point, type Quad } from '../../../server/binders/grid'
import labels from '../../fixtures/labels.json'

const W = 63
const H = 88
/** A card's quad at a pocket of an upright page (pitch: card + 6), turned by `degrees` about `pivot`, with a little jitter. */
function card(row: number, col: number, degrees = 0, pivot: Point = [0, 0], jitter = 0): Quad {
  const x = 20 + (col - 1) * (W + 6) + jitter
  const y = 30 + (row - 1) * (H + 6) - jitter
  const corners: Point[] = [[x, y], [x + W, y], [x + W, y + H], [x, y + H]]
  const r = degrees * Math.PI / 180
  return corners.map(([px, py]) => {
    const dx = px - pivot[0]
    const dy = py - pivot[1]
    return [pivot[0] + dx * Math.cos(r) - dy * Math.sin(r), pivot[1] + dx * Math.sin(r) + dy * Math.cos(r)] as Point
  })
}
const page3x3 = { cols: 3, rows: 3 }
const cells = (list: ({ row: number, col: number } | null)[]) => list.map(c => (c ? `${c.row}.${c.col}` : null))

describe('grid positions of a binder page', () => {
  it('places a full 3 × 3 page, whatever order the cards were found in', () => {
    const order = [[2, 2], [1, 1], [3, 3], [1, 3], [2, 1], [3, 2], [1, 2], [2, 3], [3, 1]] as const
    expect(cells(gridPositions(order.map(([r, c], i) => card(r, c, 0, [0, 0], (i % 3) - 1)), page3x3))).toEqual(order.map(([r, c]) => `${r}.${c}`))
  })

  it('reads a page photographed turned, sideways or upside down in the cards\' own axes', () => {
    const order = [[1, 1], [1, 2], [2, 1], [2, 2], [3, 3]] as const
    for (const degrees of [10, -25, 90, 180, 270]) {
      expect(cells(gridPositions(order.map(([r, c]) => card(r, c, degrees, [150, 150])), page3x3)), `${degrees}°`).toEqual(order.map(([r, c]) => `${r}.${c}`))
    }
  })

  it('keeps an empty pocket between two cards, and counts from the first row and column found', () => {
    expect(cells(gridPositions([card(1, 1), card(1, 3), card(3, 2)], page3x3))).toEqual(['1.1', '1.3', '3.2'])
    // Only the first two pockets filled: a page filled in order.
    expect(cells(gridPositions([card(1, 2), card(1, 1)], page3x3))).toEqual(['1.2', '1.1'])
  })

  it('leaves out what it cannot place: no outline, past the layout, a second outline in one pocket', () => {
    expect(cells(gridPositions([null, card(1, 1), undefined], page3x3))).toEqual([null, '1.1', null])
    expect(cells(gridPositions([card(1, 1), card(1, 2), card(2, 1), card(3, 1)], { cols: 2, rows: 2 }))).toEqual(['1.1', '1.2', '2.1', null])
    // A card's art box found besides the card: the card keeps the pocket, whichever came first.
    const artBox: Quad = card(1, 1).map(([x, y]) => [x + (x > 50 ? -8 : 8), y + (y > 70 ? -30 : 10)] as Point)
    expect(cells(gridPositions([artBox, card(1, 2), card(1, 1)], page3x3))).toEqual([null, '1.2', '1.1'])
    expect(cells(gridPositions([card(1, 1), card(1, 2), artBox], page3x3))).toEqual(['1.1', '1.2', null])
    expect(cells(gridPositions([], page3x3))).toEqual([])
  })

  it('places the four cards of the photographed 2 × 2 page as they lie', () => {
    const photo = labels.find(l => l.file === 'syn1-013.jpg')!
    const found = gridPositions(photo.cards.map(c => c.quad as Quad), { cols: 2, rows: 2 })
    expect(Object.fromEntries(photo.cards.map((c, i) => [c.cardId, cells(found)[i]]))).toEqual({ 'ex3-3': '1.1', 'xy7-53': '1.2', 'bw4-52': '2.1', 'sv04-076': '2.2' })
  })
})
