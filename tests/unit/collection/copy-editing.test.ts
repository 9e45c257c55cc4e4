import { describe, expect, it } from 'vitest'
import { copyPatch, detailsOf, fieldsOf, profitOf } from '../../../composables/useCopyEditing'
import type { CollectionItem } from '../../../shared/types/collection'

const item: CollectionItem = {
  id: 'u1', cardId: 'base1-4', quantity: 2, condition: 'NM', language: 'en', finish: 'holo',
  grader: null, grade: null, certNumber: null, location: 'Binder A', notes: null, pricePaid: 300, pricePaidCurrency: 'EUR',
  acquiredAt: null, sourceDraftId: null, version: 1, createdAt: '', updatedAt: '',
  card: { id: 'base1-4', name: 'Charizard', names: {}, setId: 'base1', setName: 'Base Set', setCode: null, localId: '4', printedTotal: 102, rarity: null, imageUrl: null, variants: ['holo'] },
  price: { currency: 'EUR', unit: 397.58, total: 795.16, fetchedAt: '' },
}

describe('copy editing', () => {
  it('sends only what changed, trimmed, empty text clearing a field', () => {
    expect(copyPatch(item, fieldsOf(item), detailsOf(item))).toEqual({})
    expect(copyPatch(item, { ...fieldsOf(item), language: 'fr' }, { ...detailsOf(item), location: '  ', grader: 'PSA', grade: ' 10 ' }))
      .toEqual({ language: 'fr', location: null, grader: 'PSA', grade: '10' })
    // No price, no currency.
    expect(copyPatch(item, fieldsOf(item), { ...detailsOf(item), pricePaid: null })).toEqual({ pricePaid: null, pricePaidCurrency: null })
  })

  it('gives profit or loss only in the market\'s own currency', () => {
    expect(profitOf(item)).toBe(195.16)
    expect(profitOf({ ...item, pricePaid: 500 })).toBe(-204.84)
    expect(profitOf({ ...item, pricePaidCurrency: 'USD' })).toBeNull()
    expect(profitOf({ ...item, price: null })).toBeNull()
  })
})
