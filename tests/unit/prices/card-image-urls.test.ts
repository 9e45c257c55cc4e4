import { describe, expect, it } from 'vitest'
import { cardImagePath, tcgdexAssetUrl } from '../../../server/card-images/urls'

describe('card picture URLs', () => {
  it('points the UI at the app\'s own route', () => {
    expect(cardImagePath('sv02-012', 'fr')).toBe('/api/cards/sv02-012/image?lang=fr&size=low')
    expect(cardImagePath('exu-%3F', 'en', 'high')).toBe('/api/cards/exu-%253F/image?lang=en&size=high')
  })

  it('builds TCGdex asset URLs, keeping an id that is already escaped', () => {
    expect(tcgdexAssetUrl('https://assets.tcgdex.net/', 'fr', 'sv', 'sv02', '012', 'low')).toBe('https://assets.tcgdex.net/fr/sv/sv02/012/low.webp')
    expect(tcgdexAssetUrl('https://assets.tcgdex.net', 'en', 'ex', 'exu', '?', 'high')).toBe('https://assets.tcgdex.net/en/ex/exu/%3F/high.webp')
    expect(tcgdexAssetUrl('https://assets.tcgdex.net', 'en', 'ex', 'exu', '%3F', 'low')).toBe('https://assets.tcgdex.net/en/ex/exu/%3F/low.webp')
  })
})
