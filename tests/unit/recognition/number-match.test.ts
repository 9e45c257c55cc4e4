import { resolve } from 'node:path'
import sharp from 'sharp'
import { beforeAll, describe, expect, it } from 'vitest'
import { readCatalogFile } from '../../../server/catalog/source'
import { buildCatalogIndex, type CatalogIndex, catalogEntriesFromFile, printedNumber } from '../../../server/recognition/catalog-index'
import { matchPrintedNumbers, seeNumber } from '../../../server/recognition/number-match'
import { CARD_H, CARD_W, type RgbImage } from '../../../server/recognition/warp'

/**
 * A straightened card whose number is printed small and soft, as in a phone photo of a card
 * across the room: ≈ 12 px digits, blurred, in a font that is not one of the templates'.
 */
async function softNumberCard(number: string, corner: 'left' | 'right'): Promise<RgbImage> {
  const x = corner === 'left' ? 70 : 560
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${CARD_W}" height="${CARD_H}">
    <rect width="100%" height="100%" fill="#e7dcc4"/>
    <rect x="24" y="870" width="672" height="110" fill="#b98bd0"/>
    <text x="36" y="900" font-family="URW Gothic, sans-serif" font-size="12" fill="#333">Illus. Shinji Kanda</text>
    <text x="${x}" y="930" font-family="Nimbus Sans, sans-serif" font-size="17" fill="#3a3340">${number}</text>
    <text x="400" y="905" font-family="Nimbus Sans, sans-serif" font-size="11" fill="#333">It swims gracefully along the sea floor.</text>
  </svg>`
  const { data, info } = await sharp(Buffer.from(svg)).blur(1.3).removeAlpha().raw().toBuffer({ resolveWithObject: true })
  return { rgb: data, width: info.width, height: info.height }
}

let index: CatalogIndex
beforeAll(async () => {
  index = buildCatalogIndex(catalogEntriesFromFile(await readCatalogFile(resolve(import.meta.dirname, '../../../data/tcgdex-catalog.json.gz'))))
})

describe('printedNumber', () => {
  it('writes numbers as the cards print them, in the corner of their era', () => {
    const at = (id: string) => printedNumber(index.byId.get(id)!)
    expect(at('swsh12-061')).toEqual({ text: '061/195', corners: ['left'] })
    // From Sword & Shield (2020) on, numbers and totals have three digits, whatever the localId.
    expect(at('sv10.5b-130')).toEqual({ text: '130/086', corners: ['left'] })
    expect(at('swsh6-4').text).toBe('004/198')
    expect(at('sm1-4')).toEqual({ text: '4/149', corners: ['left'] })
    expect(at('ex7-30')).toEqual({ text: '30/109', corners: ['right'] })
    // Black & White and XY print it bottom right, beside the illustrator (Scizor-EX, BREAKpoint).
    expect(at('xy9-119')).toEqual({ text: '119/122', corners: ['right', 'left'] })
    expect(at('swshp-SWSH050').text).toBe('SWSH050')
  })
})

describe('matchPrintedNumbers', () => {
  it('finds the printed number among close ones a blurred read would confuse', async () => {
    const card = await softNumberCard('061/195', 'left')
    const numbers = ['061/195', '067/195', '081/195', '061/196', '016/195', '61/195'].map(text => ({ text, corners: ['left' as const] }))
    const scores = matchPrintedNumbers(card, numbers)
    const best = [...scores].sort((a, b) => b[1] - a[1])[0]!
    expect(best[0]).toBe('061/195')
  })

  it('looks in the corners each printing uses (bottom-right before 2017)', async () => {
    const card = await softNumberCard('30/109', 'right')
    const right = matchPrintedNumbers(card, [{ text: '30/109', corners: ['right'] }])
    const left = matchPrintedNumbers(card, [{ text: '30/109', corners: ['left'] }])
    expect(right.get('30/109')!).toBeGreaterThan(left.get('30/109')! + 0.1)
    expect(matchPrintedNumbers(card, [{ text: '30/109', corners: ['left', 'right'] }]).get('30/109')).toBe(right.get('30/109'))
  })
})

describe('seeNumber', () => {
  it('tells printings of the name read apart by the number printed on the card', async () => {
    const card = await softNumberCard('061/195', 'left')
    const reading = { names: ['Hypno'], numbers: [], setCode: null, hp: 110, lang: null }
    expect(seeNumber(card, index, reading)).toEqual(['061/195'])
  })

  it('sees nothing where no number matches well (a corner with no legible number)', async () => {
    const card = await softNumberCard('', 'left')
    const reading = { names: ['Hypno'], numbers: [], setCode: null, hp: 110, lang: null }
    expect(seeNumber(card, index, reading)).toBeNull()
  })

  it('compares only the printings of the illustrator read, when one was', async () => {
    // 061/195 printed, but `Illus. Miki Tanaka` read: Hypno of Evolving Skies alone is hers.
    const card = await softNumberCard('061/195', 'left')
    const reading = { names: ['Hypno'], numbers: [], setCode: null, hp: 110, lang: null, illustrator: 'Miki Tanaka' }
    expect(seeNumber(card, index, reading)).toBeNull()
  })

  it('has nothing to look for when the reading settles the printing, or names nothing', async () => {
    const card = await softNumberCard('061/195', 'left')
    expect(seeNumber(card, index, { names: [], numbers: [], setCode: null, hp: null, lang: null })).toBeNull()
    // Oddish, 4/147 read: one printing stands far ahead.
    expect(seeNumber(card, index, {
      names: ['Oddish'],
      numbers: [{ number: '4', prefix: '', value: 4, printedTotal: 147, totalPrefix: '', index: 0 }],
      setCode: null,
      hp: 50,
      lang: null,
    })).toBeNull()
  })
})
