import { describe, expect, it } from 'vitest'
import { cardImagePath, localizedImagePath, tcgdexAssetUrl } from '../../../server/card-images/urls'

describe('card picture URLs', () => {
  it('points the UI at the app\'s own route', () => {
    expect(cardImagePath('sv02-012', 'fr')).toBe('/api/cards/sv02-012/image?lang=fr&size=low')
    expect(cardImagePath('exu-%3F', 'en', 'high')).toBe('/api/cards/exu-%253F/image?lang=en&size=high')
  })

  it('shows the picture in the asked language only when the catalogue names the card in it', () => {
    const names = { en: 'Sprigatito', fr: 'Poussacha' }
    expect(localizedImagePath('sv02-012', names, 'fr')).toBe(cardImagePath('sv02-012', 'fr'))
    expect(localizedImagePath('sv02-012', names, 'de')).toBe(cardImagePath('sv02-012', 'en'))
    expect(localizedImagePath('sv02-012', names, null)).toBe(cardImagePath('sv02-012', 'en'))
  })

  it('builds TCGdex asset URLs, keeping an id that is already escaped', () => {
    expect(tcgdexAssetUrl('https://assets.tcgdex.net/', 'fr', 'sv', 'sv02', '012', 'low')).toBe('https://assets.tcgdex.net/fr/sv/sv02/012/low.webp')
    expect(tcgdexAssetUrl('https://assets.tcgdex.net', 'en', 'ex', 'exu', '?', 'high')).toBe('https://assets.tcgdex.net/en/ex/exu/%3F/high.webp')
    expect(tcgdexAssetUrl('https://assets.tcgdex.net', 'en', 'ex', 'exu', '%3F', 'low')).toBe('https://assets.tcgdex.net/en/ex/exu/%3F/low.webp')
  })
})
