import { resolve } from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readCatalogFile } from '../../../server/catalog/source'
import { buildCatalogIndex, type CatalogIndex, catalogEntriesFromFile, createOcrPool, type OcrPool } from '../../../server/recognition'
import { likelyTurned, readCardText } from '../../../server/recognition/read-card'
import { CARD_H, CARD_W, type RgbImage, rotate180 } from '../../../server/recognition/warp'

/** A plain straightened card: a big name row on top, small print and the number at the bottom. */
async function drawnCard(): Promise<RgbImage> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${CARD_W}" height="${CARD_H}">
    <rect width="100%" height="100%" fill="#f3e7d0"/>
    <text x="40" y="68" font-family="DejaVu Sans" font-weight="bold" font-size="46" fill="#111">Charmander</text>
    <text x="500" y="68" font-family="DejaVu Sans" font-weight="bold" font-size="46" fill="#111">HP 70</text>
    <rect x="50" y="130" width="620" height="420" fill="#7aa35c"/>
    <text x="40" y="930" font-family="DejaVu Sans" font-size="16" fill="#222">Illus. GIDORA</text>
    <text x="40" y="975" font-family="DejaVu Sans" font-weight="bold" font-size="22" fill="#111">PAF EN 007/091</text>
    <text x="300" y="975" font-family="DejaVu Sans" font-size="13" fill="#222">©2024 Pokémon / Nintendo / Creatures</text>
  </svg>`
  const { data, info } = await sharp(Buffer.from(svg)).removeAlpha().raw().toBuffer({ resolveWithObject: true })
  return { rgb: data, width: info.width, height: info.height }
}

let index: CatalogIndex
let ocr: OcrPool
beforeAll(async () => {
  index = buildCatalogIndex(catalogEntriesFromFile(await readCatalogFile(resolve(import.meta.dirname, '../../../data/tcgdex-catalog.json.gz'))))
  ocr = createOcrPool({ size: 2 })
})
afterAll(() => ocr?.close())

describe('likelyTurned', () => {
  it('tells an upside-down card from the layout of its text lines alone', async () => {
    const card = await drawnCard()
    expect(likelyTurned(card)).toBe(false)
    expect(likelyTurned(rotate180(card))).toBe(true)
  })
})

describe('readCardText', () => {
  it('reads name row, HP and number, and turns an upside-down card the right way', async () => {
    const card = await drawnCard()
    for (const [img, turned] of [[card, false], [rotate180(card), true]] as const) {
      const read = await readCardText(img, ocr, index)
      expect(read.turned, JSON.stringify(read.read.raw)).toBe(turned)
      expect(read.read.hp, JSON.stringify(read.read.raw)).toBe(70)
      expect(read.read.name).toBe('Charmander')
      expect(read.read.hp).toBe(70)
      expect(read.read).toMatchObject({ number: '007', printedTotal: 91 })
      // The catalogue-vouched reading comes first.
      expect(read.reading.numbers[0]).toMatchObject({ value: 7, printedTotal: 91 })
    }
  }, 60_000)
})
