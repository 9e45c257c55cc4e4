import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readCatalogFile } from '../../../server/catalog/source'
import { type CardOutcome, oneDraftPerCard, samePageWay, withPhotoNumber } from '../../../server/recognition/analyze'
import { cardsAround, type Quad } from '../../../server/recognition/detect'
import { parseCardNumbers } from '../../../server/recognition/parse'
import {
  analyzePhoto, buildCatalogIndex, type CatalogIndex, catalogEntriesFromFile, createOcrPool, decodePhoto, detectCards,
  InvalidImageError, type OcrPool,
} from '../../../server/recognition'

const fixtures = resolve(import.meta.dirname, '../../fixtures')
const photo = (file: string) => readFileSync(resolve(fixtures, file))
interface Label { file: string, cards: { cardId: string, quad: [number, number][] }[] }
const labels = JSON.parse(readFileSync(resolve(fixtures, 'labels.json'), 'utf8')) as Label[]
const label = (file: string) => labels.find(l => l.file === file)!
const centre = (q: [number, number][]): [number, number] => [q.reduce((s, p) => s + p[0], 0) / 4, q.reduce((s, p) => s + p[1], 0) / 4]

let index: CatalogIndex
let ocr: OcrPool
const options = () => ({ index, ocr, maxCandidates: 5, confidenceThreshold: 0.82, maxPixels: 60_000_000 })

beforeAll(async () => {
  index = buildCatalogIndex(catalogEntriesFromFile(await readCatalogFile(resolve(import.meta.dirname, '../../../data/tcgdex-catalog.json.gz'))))
  ocr = createOcrPool({ size: 2 })
})
afterAll(() => ocr?.close())

describe('detectCards', () => {
  it('finds every card of a multi-card photo, corners near the truth', async () => {
    const decoded = await decodePhoto(photo('syn1-013.jpg'), 60_000_000)
    const found = detectCards(decoded.small.rgb, decoded.small.width, decoded.small.height)
    const truth = label('syn1-013.jpg').cards
    expect(found).toHaveLength(truth.length)
    for (const card of truth) {
      const [tx, ty] = centre(card.quad)
      const near = found.some(({ quad }) => {
        const [x, y] = centre(quad.map(([px, py]) => [px / decoded.small.scale, py / decoded.small.scale]))
        return Math.hypot(x - tx, y - ty) < decoded.width * 0.02
      })
      expect(near, `card ${card.cardId}`).toBe(true)
    }
  })

  it('finds a single tilted card and nothing in a close-up of a card bottom', async () => {
    const single = await decodePhoto(photo('syn1-001.jpg'), 60_000_000)
    expect(detectCards(single.small.rgb, single.small.width, single.small.height)).toHaveLength(1)
    const closeUp = await decodePhoto(photo('syn1-035.jpg'), 60_000_000)
    expect(detectCards(closeUp.small.rgb, closeUp.small.width, closeUp.small.height)).toHaveLength(0)
  })
})

describe('cardsAround', () => {
  it('grows a card-shaped part of a card (its width, part of its height) to the two cards it can belong to', () => {
    // A part 630 wide and 450 tall, upright in the photo, corners starting on a short side as
    // detection gives them: its long sides are the card's width, the card is 880 tall.
    const part: [number, number][] = [[100, 600], [100, 150], [730, 150], [730, 600]]
    const [up, down] = cardsAround(part as never)
    const box = (q: [number, number][]) => [Math.min(...q.map(p => p[0])), Math.min(...q.map(p => p[1])), Math.max(...q.map(p => p[0])), Math.max(...q.map(p => p[1]))].map(Math.round)
    expect(box(up as never)).toEqual([100, -280, 730, 600])
    expect(box(down as never)).toEqual([100, 150, 730, 1030])
    // Each starts on a short side (630 wide), so the warp puts the card upright or upside down.
    for (const q of [down!, up!]) expect(Math.hypot(q[1][0] - q[0][0], q[1][1] - q[0][1])).toBeCloseTo(630, 0)
  })
})

describe('oneDraftPerCard', () => {
  const outcome = (quad: Quad, score: number, grown = true): CardOutcome => ({
    draft: { quad, crop: null, read: { name: null, hp: null, number: null, printedTotal: null, setCode: null, lang: null, raw: {} }, candidates: [{ cardId: `c${score}`, score } as never], confident: false, status: 'pending', failureReason: null },
    settled: false,
    grown,
  })
  // A card 630 × 880 found as its two halves, each grown to the card: nearly the same quad twice.
  const fromTop = outcome([[100, 1030], [100, 150], [730, 150], [730, 1030]], 0.5)
  const fromBottom = outcome([[110, 1040], [110, 160], [740, 160], [740, 1040]], 0.7)

  it('keeps the better of two grown drafts of one card', () => {
    expect(oneDraftPerCard([fromTop, fromBottom])).toEqual([fromBottom])
    expect(oneDraftPerCard([fromTop, { ...fromBottom, draft: { ...fromBottom.draft, candidates: [] } }])).toHaveLength(1)
  })

  it('keeps cards side by side, and drafts of whole outlines however they overlap', () => {
    const beside = outcome([[800, 1030], [800, 150], [1430, 150], [1430, 1030]], 0.9)
    expect(oneDraftPerCard([fromTop, beside])).toEqual([fromTop, beside])
    const whole = { ...fromBottom, grown: false }
    expect(oneDraftPerCard([whole, { ...fromTop, draft: { ...fromTop.draft, candidates: [{ cardId: 'x', score: 0.9 } as never] }, grown: false }])).toHaveLength(2)
  })
})

describe('withPhotoNumber', () => {
  it('takes the photo\'s number and what was read around it, keeping what the card itself read', () => {
    const card = { names: ['furfrou'], numbers: [], setCode: null, hp: 90, lang: 'en', illustrator: null, copyrightYear: null, rarity: null }
    const numbers = parseCardNumbers('22/30', new Set([30]))
    const row = { names: [], numbers, setCode: 'SVI', hp: null, lang: 'fr', illustrator: 'Ken Sugimori', copyrightYear: 2014, rarity: 'common' as const }
    expect(withPhotoNumber(card, row)).toEqual({ ...card, numbers, setCode: 'SVI', illustrator: 'Ken Sugimori', copyrightYear: 2014, rarity: 'common' })
  })
})

describe('samePageWay', () => {
  it('turns the quads of a sideways page that point against most of them', () => {
    // Sideways cards (long sides across), each starting on a short side: two point left, one right.
    const left = (x: number): Quad => [[x, 300], [x, 0], [x + 400, 0], [x + 400, 300]]
    const right = (x: number): Quad => [[x + 400, 0], [x + 400, 300], [x, 300], [x, 0]]
    expect(samePageWay([left(0), right(500), left(1000)])).toEqual([left(0), left(500), left(1000)])
    expect(samePageWay([right(0), left(500), right(1000), right(1500)])).toEqual([right(0), right(500), right(1000), right(1500)])
  })
})

describe('analyzePhoto', () => {
  it('reads a French card: confident, right printing, crop and quad', async () => {
    const result = await analyzePhoto(photo('syn1-001.jpg'), options())
    expect(result.drafts).toHaveLength(1)
    const [draft] = result.drafts
    expect(draft!.candidates[0]!.cardId).toBe('sv04-048')
    expect(draft!.confident).toBe(true)
    expect(draft!.read).toMatchObject({ number: '048', printedTotal: 182 })
    expect(draft!.crop!.contentType).toBe('image/jpeg')
    expect(draft!.crop!.bytes.subarray(0, 2)).toEqual(Buffer.from([0xFF, 0xD8]))
    expect(draft!.quad).toHaveLength(4)
    expect(result.timings.total).toBeGreaterThan(0)
  })

  it('reads each card of a multi-card photo and an upside-down card', async () => {
    const multi = await analyzePhoto(photo('syn1-013.jpg'), options())
    expect(multi.drafts.map(d => d.candidates[0]?.cardId).sort()).toEqual(label('syn1-013.jpg').cards.map(c => c.cardId).sort())
    const upsideDown = await analyzePhoto(photo('syn1-023.jpg'), options())
    expect(upsideDown.drafts[0]!.candidates[0]!.cardId).toBe('swsh3-104')
    // The quad starts at the card's own top-left, near the truth's first corner.
    const q = upsideDown.drafts[0]!.quad!
    const truth = label('syn1-023.jpg').cards[0]!.quad
    expect(Math.hypot(q[0]![0] - truth[0]![0], q[0]![1] - truth[0]![1])).toBeLessThan(upsideDown.width * 0.05)
  })

  it('reads a card whose outline is lost on a table like it around its art box', async () => {
    // A silver-bordered French trainer on a light grey table beside two cards: only its art box is card-shaped.
    const result = await analyzePhoto(photo('art-box-on-like-table.jpg'), options())
    expect(result.drafts.map(d => d.candidates[0]?.cardId)).toEqual(['sv09-181', 'sv06-030', 'col1-68'])
  })

  it('reads the card of a binder page whose outline glare hid in the cell its neighbours leave', async () => {
    // A 2 × 2 page turned by 10°: the bottom-left card (Crabominable V, Fusion Strike 76/264) has no outline found.
    const decoded = await decodePhoto(photo('page-card-outline-lost.jpg'), 60_000_000)
    const found = detectCards(decoded.small.rgb, decoded.small.width, decoded.small.height)
    expect(found.filter(c => c.inferred)).toHaveLength(1)
    const result = await analyzePhoto(photo('page-card-outline-lost.jpg'), options())
    expect(result.drafts).toHaveLength(4)
    expect(result.drafts.some(d => d.candidates.slice(0, 5).some(c => c.cardId === 'swsh8-76'))).toBe(true)
  })

  it('reads a binder page photographed upside down the right way up', async () => {
    const turned = await sharp(photo('syn1-013.jpg')).rotate(180).jpeg({ quality: 92 }).toBuffer()
    const page = await analyzePhoto(turned, options())
    expect(page.drafts.map(d => d.candidates[0]?.cardId).sort()).toEqual(label('syn1-013.jpg').cards.map(c => c.cardId).sort())
  })

  it('reads a close-up with no whole card as it is, without claiming confidence', async () => {
    const result = await analyzePhoto(photo('syn1-035.jpg'), options())
    expect(result.drafts.length).toBeGreaterThanOrEqual(1)
    const ids = result.drafts.flatMap(d => d.candidates.map(c => c.cardId))
    expect(ids).toContain('bw7-142')
    expect(result.drafts.every(d => d.quad === null && !d.confident)).toBe(true)
  })

  it('reads the illustrator line above a close-up\'s number that two printings share', async () => {
    // `004/025`: McDonald's 2021 Turtwig (Illus. OOYAMA) and Celebrations' Palkia, both ©2021.
    const result = await analyzePhoto(photo('close-up-shared-number.jpg'), options())
    expect(result.drafts[0]!.candidates[0]).toMatchObject({ cardId: '2021swsh-4', reasons: expect.arrayContaining(['illustrator OOYAMA']) })
  })

  it('reads a close-up photographed upside down or sideways', async () => {
    for (const angle of [180, 90]) {
      const turned = await sharp(photo('syn1-035.jpg')).rotate(angle).jpeg({ quality: 92 }).toBuffer()
      const result = await analyzePhoto(turned, options())
      expect(result.drafts[0]!.candidates[0]?.cardId, `${angle}°`).toBe('bw7-142')
    }
  })

  it('bounds the OCR work per photo (timings.ocr counts the calls)', async () => {
    // A clean single card: bottom row and name row, a handful of calls at most.
    const single = await analyzePhoto(photo('syn1-001.jpg'), options())
    expect(single.timings.ocr).toBeGreaterThan(0)
    expect(single.timings.ocr).toBeLessThanOrEqual(8)
    // A close-up with no card: the whole-photo pass is capped (16 lines, plus a code-box read per number).
    const closeUp = await analyzePhoto(photo('syn1-035.jpg'), options())
    expect(closeUp.timings.ocr).toBeLessThanOrEqual(16 + closeUp.drafts.length)
  })

  it('a failing OCR worker fails the draft cleanly, never the photo', async () => {
    const broken: OcrPool = { size: 1, recognize: async () => { throw new Error('worker died') }, warmUp: async () => {}, close: async () => {} }
    const result = await analyzePhoto(photo('syn1-013.jpg'), { ...options(), ocr: broken })
    expect(result.drafts).toHaveLength(4)
    for (const d of result.drafts) {
      expect(d.status).toBe('failed')
      expect(d.failureReason).toMatch(/worker died/)
      expect(d.confident).toBe(false)
    }
  })

  it('refuses bytes that are not a usable image', async () => {
    await expect(analyzePhoto(Buffer.from('GIF? no, plain text'), options())).rejects.toBeInstanceOf(InvalidImageError)
    await expect(analyzePhoto(photo('syn1-001.jpg').subarray(0, 5000), options())).rejects.toMatchObject({ statusCode: 422 })
  })
})
