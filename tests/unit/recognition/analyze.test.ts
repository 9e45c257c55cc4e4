import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readCatalogFile } from '../../../server/catalog/source'
import { onePerCard, withNumberOf } from '../../../server/recognition/analyze'
import { parseCardNumbers } from '../../../server/recognition/parse'
import {
  analyzePhoto, buildCatalogIndex, type CatalogIndex, catalogEntriesFromFile, createTextReader, decodePhoto, detectCards,
  InvalidImageError, type TextReader,
} from '../../../server/recognition'

const fixtures = resolve(import.meta.dirname, '../../fixtures')
const photo = (file: string) => readFileSync(resolve(fixtures, file))
interface Label { file: string, cards: { cardId: string, quad: [number, number][] }[] }
const labels = JSON.parse(readFileSync(resolve(fixtures, 'labels.json'), 'utf8')) as Label[]
const label = (file: string) => labels.find(l => l.file === file)!
const centre = (q: [number, number][]): [number, number] => [q.reduce((s, p) => s + p[0], 0) / 4, q.reduce((s, p) => s + p[1], 0) / 4]

let index: CatalogIndex
let ocr: TextReader
const options = () => ({ index, ocr, maxCandidates: 5, confidenceThreshold: 0.82, maxPixels: 60_000_000 })

beforeAll(async () => {
  index = buildCatalogIndex(catalogEntriesFromFile(await readCatalogFile(resolve(import.meta.dirname, '../../../data/tcgdex-catalog.json.gz'))))
  ocr = createTextReader('paddle', { threads: 2 })
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

describe('withNumberOf', () => {
  it('takes the number read around a card and what came with it, keeping what the card itself read', () => {
    const card = { names: ['furfrou'], numbers: [], setCode: null, hp: 90, lang: 'en', illustrator: null, copyrightYear: null, rarity: null }
    const numbers = parseCardNumbers('22/30', new Set([30]))
    const row = { names: ['noise'], numbers, setCode: 'SVI', hp: 40, lang: 'fr', illustrator: 'Ken Sugimori', copyrightYear: 2014, rarity: 'common' as const }
    expect(withNumberOf(card, row)).toMatchObject({ ...card, names: ['furfrou', 'noise'], numbers, setCode: 'SVI', illustrator: 'Ken Sugimori', copyrightYear: 2014, rarity: 'common' })
  })
})

describe('analyzePhoto (PaddleOCR)', () => {
  it('reads a French card: confident, right printing, its language, crop and quad', async () => {
    const result = await analyzePhoto(photo('syn1-001.jpg'), options())
    expect(result.drafts).toHaveLength(1)
    const [draft] = result.drafts
    expect(draft!.candidates[0]!.cardId).toBe('sv04-048')
    expect(draft!.confident).toBe(true)
    expect(draft!.read).toMatchObject({ number: '048', printedTotal: 182, setCode: 'PAR', lang: 'fr' })
    expect(draft!.crop!.contentType).toBe('image/jpeg')
    expect(draft!.crop!.bytes.subarray(0, 2)).toEqual(Buffer.from([0xFF, 0xD8]))
    expect(draft!.quad).toHaveLength(4)
    expect(result.timings.total).toBeGreaterThan(0)
  })

  it('reads each card of a multi-card photo, and an upside-down card the right way up', async () => {
    const multi = await analyzePhoto(photo('syn1-013.jpg'), options())
    expect(multi.drafts.map(d => d.candidates[0]?.cardId).sort()).toEqual(label('syn1-013.jpg').cards.map(c => c.cardId).sort())
    const upsideDown = await analyzePhoto(photo('syn1-023.jpg'), options())
    expect(upsideDown.drafts[0]!.candidates[0]!.cardId).toBe('swsh3-104')
    // The quad starts at the card's own top-left, near the truth's first corner.
    const q = upsideDown.drafts[0]!.quad!
    const truth = label('syn1-023.jpg').cards[0]!.quad
    expect(Math.hypot(q[0]![0] - truth[0]![0], q[0]![1] - truth[0]![1])).toBeLessThan(upsideDown.width * 0.05)
  })

  it('reads a close-up with no whole card as it is, upright or sideways', async () => {
    for (const angle of [0, 90]) {
      const bytes = angle ? await sharp(photo('syn1-035.jpg')).rotate(angle).jpeg({ quality: 92 }).toBuffer() : photo('syn1-035.jpg')
      const result = await analyzePhoto(bytes, options())
      expect(result.drafts[0]!.candidates[0]?.cardId, `${angle}°`).toBe('bw7-142')
      expect(result.drafts.every(d => d.quad === null)).toBe(true)
    }
  })

  it('reads a close-up shaped like a card as a photo when the card it was taken for shows no number', async () => {
    // Cropped to a card's proportions (landscape): the photo is first taken for a card turned sideways.
    const bytes = await sharp(photo('syn1-035.jpg')).extract({ left: 0, top: 15, width: 1400, height: 1050 }).jpeg({ quality: 92 }).toBuffer()
    const result = await analyzePhoto(bytes, options())
    expect(result.drafts.map(d => d.candidates[0]?.cardId)).toContain('bw7-142')
  })

  it('a failing reader fails the draft cleanly, never the photo', async () => {
    const broken: TextReader = { engine: 'paddle', size: 1, turnsLines: true, read: async () => { throw new Error('worker died') }, warmUp: async () => {}, close: async () => {} }
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

describe('onePerCard', () => {
  const outcome = (quad: [number, number][], cardId: string | null, score: number) => ({
    draft: { quad, crop: null, read: { name: null, hp: null, number: null, printedTotal: null, setCode: null, lang: null, raw: {} }, candidates: cardId ? [{ cardId, score } as never] : [], confident: false, status: 'pending' as const, failureReason: null },
    reading: { names: [], numbers: [], setCode: null, hp: null, lang: null },
    quad: quad as never,
  })
  const card: [number, number][] = [[100, 100], [730, 100], [730, 980], [100, 980]]
  const frame: [number, number][] = [[130, 130], [700, 130], [700, 950], [130, 950]]
  const beside: [number, number][] = [[800, 100], [1430, 100], [1430, 980], [800, 980]]

  it('keeps one draft of a card found twice (its outline and its inner frame), and what read nothing gives way', () => {
    expect(onePerCard([outcome(card, 'sv03-205', 0.9), outcome(frame, 'sv03-205', 0.95)]).map(c => c.draft.candidates[0]!.score)).toEqual([0.95])
    expect(onePerCard([outcome(card, 'sv03-205', 0.9), outcome(frame, null, 0)])).toHaveLength(1)
    // Overlapping outlines of two cards (a fanned stack) and cards side by side stay.
    expect(onePerCard([outcome(card, 'sv06-010', 0.9), outcome(frame, 'sv06-126', 0.9), outcome(beside, 'sv06-010', 0.9)])).toHaveLength(3)
  })
})
