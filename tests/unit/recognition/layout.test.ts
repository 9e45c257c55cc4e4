import { describe, expect, it } from 'vitest'
import { cardBorder, cardLayout, frameEdge } from '../../../server/recognition/layout'
import { CARD_H, CARD_W, type RgbImage } from '../../../server/recognition/warp'

/** A card of one border colour around a busy face (the face must not count). */
function card(border: [number, number, number], face: [number, number, number] = [30, 120, 200]): RgbImage {
  const rgb = Buffer.alloc(CARD_W * CARD_H * 3)
  const edge = Math.round(CARD_W * 0.035)
  for (let y = 0; y < CARD_H; y++) {
    for (let x = 0; x < CARD_W; x++) {
      const inBorder = x < edge || x >= CARD_W - edge || y < edge || y >= CARD_H - edge
      const c = inBorder ? border : face
      // A little noise, as a photo has.
      const n = ((x * 7 + y * 13) % 11) - 5
      rgb.set(c.map(v => Math.max(0, Math.min(255, v + n))), (y * CARD_W + x) * 3)
    }
  }
  return { rgb, width: CARD_W, height: CARD_H }
}

describe('cardBorder', () => {
  it('tells a yellow border (before 2023) from a silver one, and says nothing when it is unclear', () => {
    expect(cardBorder(card([236, 200, 60]))).toBe('yellow')
    expect(cardBorder(card([196, 198, 200]))).toBe('silver')
    // A sleeve's haze or a warm light: neither.
    expect(cardBorder(card([200, 180, 150]))).toBeNull()
    // A red table taken in with the card: not yellow.
    expect(cardBorder(card([200, 40, 40]))).toBeNull()
  })
})

describe('cardLayout', () => {
  /** A card face: art (seeded noise) over `artTo` of its height, a flat light text box below it. */
  function face(artTo: number): RgbImage {
    const rgb = Buffer.alloc(CARD_W * CARD_H * 3)
    let seed = 7
    const noise = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648
      return seed / 2147483648
    }
    for (let y = 0; y < CARD_H; y++) {
      for (let x = 0; x < CARD_W; x++) {
        const art = y < artTo * CARD_H
        // Art: blotches of colour; the text box: a pale flat ground with a little photo noise.
        const c = art ? [80 + 120 * noise(), 60 + 150 * noise(), 90 + 100 * noise()] : [226 + 4 * noise(), 222 + 4 * noise(), 200 + 4 * noise()]
        rgb.set(c.map(Math.round), (y * CARD_W + x) * 3)
      }
    }
    return { rgb, width: CARD_W, height: CARD_H }
  }

  it('tells a card framing its art window above a plain text box from art over the whole card', () => {
    expect(frameEdge(face(0.48))).toBeGreaterThan(40)
    expect(cardLayout(face(0.48))).toBe('plain')
    expect(frameEdge(face(1))).toBeLessThan(20)
    expect(cardLayout(face(1))).toBe('full-art')
  })
})
