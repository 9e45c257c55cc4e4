import { describe, expect, it } from 'vitest'
import { matchesMissingFilter } from '../../../shared/schemas/wants'

const card = (number: number | null, rarity: string | null, category = 'Pokemon') => ({ number, printedTotal: 165, rarity, category })

describe('add all missing: the filter', () => {
  it('takes everything without a filter', () => {
    expect(matchesMissingFilter(card(200, 'Hyper rare'), {})).toBe(true)
    expect(matchesMissingFilter(card(null, null), {})).toBe(true)
  })

  it('keeps regular cards: numbered within the printed total', () => {
    expect(matchesMissingFilter(card(165, 'Common'), { regularOnly: true })).toBe(true)
    expect(matchesMissingFilter(card(166, 'Illustration rare'), { regularOnly: true })).toBe(false)
    expect(matchesMissingFilter(card(null, 'Promo'), { regularOnly: true })).toBe(false)
  })

  it('keeps only the rarities and categories asked for', () => {
    expect(matchesMissingFilter(card(3, 'Rare'), { rarities: ['Rare', 'Double rare'] })).toBe(true)
    expect(matchesMissingFilter(card(3, 'Common'), { rarities: ['Rare'] })).toBe(false)
    expect(matchesMissingFilter(card(3, null), { rarities: ['Rare'] })).toBe(false)
    expect(matchesMissingFilter(card(3, 'Common', 'Trainer'), { categories: ['Pokemon'] })).toBe(false)
    expect(matchesMissingFilter(card(3, 'Common', 'Trainer'), { categories: ['Trainer'], regularOnly: true })).toBe(true)
  })
})
