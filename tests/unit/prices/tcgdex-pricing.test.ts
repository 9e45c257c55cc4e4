import { describe, expect, it } from 'vitest'
import { loadRecordedCards } from '../../support/tcgdex-stub'
import { pricesFromTcgdex } from '../../../server/prices/tcgdex-pricing'

const cards = loadRecordedCards()
const pick = (rows: ReturnType<typeof pricesFromTcgdex>) => rows.map(r => [r.source, r.variant, r.currency, r.market])

describe('pricesFromTcgdex', () => {
  it('reads Cardmarket plain and foil figures and TCGplayer printings of a normal + reverse card', () => {
    const rows = pricesFromTcgdex(cards.get('swsh3-136')!.pricing, ['normal', 'reverse'])
    expect(pick(rows)).toEqual([
      ['cardmarket', 'normal', 'EUR', 0.08],
      ['cardmarket', 'reverse', 'EUR', 0.21],
      ['tcgplayer', 'normal', 'USD', 0.09],
      ['tcgplayer', 'reverse', 'USD', 0.23],
    ])
    expect(rows[0]).toMatchObject({ low: 0.02, mid: 0.08, avg7: 0.08, avg30: 0.08, sourceUpdatedAt: '2025-08-05T00:42:15.000Z' })
    expect(rows[2]).toMatchObject({ low: 0.02, mid: 0.17, high: 25.09 })
  })

  it('gives a holo-only card the plain Cardmarket figures and drops the empty foil ones', () => {
    expect(pick(pricesFromTcgdex(cards.get('base1-4')!.pricing, ['holo']))).toEqual([
      ['cardmarket', 'holo', 'EUR', 397.58],
      ['tcgplayer', 'holo', 'USD', 561.37],
    ])
  })

  it('maps TCGplayer\'s other printing names', () => {
    const rows = pricesFromTcgdex({
      tcgplayer: {
        unit: 'USD',
        'unlimited-holofoil': { marketPrice: 518.99 },
        '1st-edition-holofoil': { marketPrice: 1085.03 },
        'reverse-holofoil': { midPrice: 2 },
      },
    }, ['holo', 'firstEdition'])
    expect(pick(rows)).toEqual([
      ['tcgplayer', 'holo', 'USD', 518.99],
      ['tcgplayer', 'reverse', 'USD', 2],
      ['tcgplayer', 'first-edition', 'USD', 1085.03],
    ])
  })

  it('falls back to averages when Cardmarket has no trend, and ignores junk', () => {
    expect(pick(pricesFromTcgdex({ cardmarket: { avg30: 3.5, avg: 'n/a', trend: null } }, ['normal']))).toEqual([['cardmarket', 'normal', 'EUR', 3.5]])
    expect(pricesFromTcgdex({ cardmarket: { avg: 0, low: -1 }, tcgplayer: { normal: { marketPrice: 'x' } } }, ['normal'])).toEqual([])
    expect(pricesFromTcgdex(null, ['normal'])).toEqual([])
    expect(pricesFromTcgdex('pricing', ['normal'])).toEqual([])
    expect(pricesFromTcgdex({ cardmarket: [1, 2] }, ['normal'])).toEqual([])
  })

  it('gives one row per finish even to a card printed reverse only', () => {
    expect(pick(pricesFromTcgdex({ cardmarket: { trend: 1, 'trend-holo': 2 } }, ['reverse']))).toEqual([['cardmarket', 'reverse', 'EUR', 1]])
  })

  it('treats a card whose variants are unknown as printed plain and reverse', () => {
    expect(pick(pricesFromTcgdex(cards.get('sv02-012')!.pricing, []))).toEqual([
      ['cardmarket', 'normal', 'EUR', 0.1],
      ['cardmarket', 'reverse', 'EUR', 0.31],
      ['tcgplayer', 'normal', 'USD', 0.12],
      ['tcgplayer', 'reverse', 'USD', 0.38],
    ])
  })
})
