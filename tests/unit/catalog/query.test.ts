import { describe, expect, it } from 'vitest'
import { setMatches } from '../../../server/catalog/browse'
import { cardSummary, escapeLike, looksLikeSetToken, normalizeQuery, parseSearchQuery, pickName } from '../../../server/catalog/query'

describe('parseSearchQuery', () => {
  it('reads a plain name, folded', () => {
    expect(parseSearchQuery('  Dracaufeu ')).toEqual({ text: 'dracaufeu', name: 'dracaufeu' })
    expect(parseSearchQuery('Évoli')).toEqual({ text: 'evoli', name: 'evoli' })
    expect(parseSearchQuery('Charizard  ex')).toMatchObject({ name: 'charizard ex' })
    expect(parseSearchQuery('')).toEqual({ text: '' })
  })

  it('reads a collector number with its printed total', () => {
    expect(parseSearchQuery('12/193')).toMatchObject({ number: 12, localId: '12', localPrefix: '', printedTotal: 193 })
    expect(parseSearchQuery('012 / 193')).toMatchObject({ number: 12, localId: '012', printedTotal: 193 })
    expect(parseSearchQuery('12/193').name).toBeUndefined()
  })

  it('reads a set code before the number', () => {
    expect(parseSearchQuery('PAL 12')).toMatchObject({ setCode: 'PAL', number: 12, localId: '12' })
    expect(parseSearchQuery('pal 012/193')).toMatchObject({ setCode: 'PAL', number: 12, localId: '012', printedTotal: 193 })
    expect(parseSearchQuery('PAL 012/193').name).toBeUndefined()
    expect(parseSearchQuery('LOR:TG TG05')).toMatchObject({ setCode: 'LOR:TG', localId: 'TG05', localPrefix: 'TG', number: 5 })
    expect(parseSearchQuery('sv02 12')).toMatchObject({ setCode: 'SV02', number: 12 })
  })

  it('reads the language printed after the set code on non-English cards', () => {
    expect(parseSearchQuery('PAL FR 012/193')).toMatchObject({ setCode: 'PAL', language: 'fr', number: 12, printedTotal: 193 })
    expect(parseSearchQuery('PAL FR 012/193').name).toBeUndefined()
  })

  it('reads card ids and local ids', () => {
    expect(parseSearchQuery('sv02-012')).toEqual({ text: 'sv02-012', cardId: 'sv02-012' })
    expect(parseSearchQuery('swsh11tg-TG05')).toMatchObject({ cardId: 'swsh11tg-TG05' })
    expect(parseSearchQuery('TG05')).toMatchObject({ localId: 'TG05', localPrefix: 'TG', number: 5 })
    expect(parseSearchQuery('SWSH050')).toMatchObject({ localId: 'SWSH050', localPrefix: 'SWSH', number: 50 })
    expect(parseSearchQuery('swsh050').setCode).toBeUndefined()
  })

  it('keeps names with dashes, digits or long words as names', () => {
    expect(parseSearchQuery('Ho-Oh')).toEqual({ text: 'ho-oh', name: 'ho-oh' })
    expect(parseSearchQuery('Porygon2')).toEqual({ text: 'porygon2', name: 'porygon2' })
    // A long word before a number is a name, not a set code.
    expect(parseSearchQuery('Charizard 4/102')).toMatchObject({ name: 'charizard', number: 4, printedTotal: 102 })
    expect(parseSearchQuery('Charizard 4/102').setCode).toBeUndefined()
    expect(parseSearchQuery('Pikachu TG05')).toMatchObject({ name: 'pikachu', localId: 'TG05' })
  })

  it('offers a short word before a number as a set-code candidate, resolved later', () => {
    expect(parseSearchQuery('Mew 151')).toMatchObject({ setCode: 'MEW', number: 151 })
    expect(parseSearchQuery('Mew 151').name).toBeUndefined()
  })
})

describe('helpers', () => {
  it('normalizes spaces and slashes', () => {
    expect(normalizeQuery(' PAL   012 /  193 ')).toBe('PAL 012/193')
  })

  it('tells set tokens from name words', () => {
    expect(looksLikeSetToken('PAL')).toBe(true)
    expect(looksLikeSetToken('swsh12.5')).toBe(true)
    expect(looksLikeSetToken('LOR:TG')).toBe(true)
    expect(looksLikeSetToken('Charizard')).toBe(false)
    expect(looksLikeSetToken('12')).toBe(false)
  })

  it('escapes LIKE wildcards', () => {
    expect(escapeLike('100%_a\\b')).toBe('100\\%\\_a\\\\b')
  })

  it('picks the asked language, then the printed one, then English, then any', () => {
    const names = { en: 'Charizard', fr: 'Dracaufeu' }
    expect(pickName(names, 'fr')).toEqual({ name: 'Dracaufeu', lang: 'fr' })
    expect(pickName(names, 'de')).toEqual({ name: 'Charizard', lang: 'en' })
    expect(pickName(names, undefined, 'fr')).toEqual({ name: 'Dracaufeu', lang: 'fr' })
    expect(pickName({ fr: 'Phyllali' })).toEqual({ name: 'Phyllali', lang: 'fr' })
  })

  it('sums a card up in a language, its picture in English when the catalogue lacks that language', () => {
    const row = { card_id: 'sv02-012', names: { en: 'Charizard', fr: 'Dracaufeu' }, set_id: 'sv02', set_names: { en: 'Paldea Evolved', fr: 'Évolutions à Paldea' }, local_id: '012', printed_total: 193 }
    expect(cardSummary(row, 'fr')).toEqual({
      name: 'Dracaufeu',
      names: row.names,
      setId: 'sv02',
      setName: 'Évolutions à Paldea',
      localId: '012',
      printedTotal: 193,
      imageUrl: '/api/cards/sv02-012/image?lang=fr&size=low',
    })
    expect(cardSummary(row, 'de')).toMatchObject({ name: 'Charizard', setName: 'Paldea Evolved', imageUrl: '/api/cards/sv02-012/image?lang=en&size=low' })
    expect(cardSummary(row, undefined)).toMatchObject({ name: 'Charizard', imageUrl: '/api/cards/sv02-012/image?lang=en&size=low' })
    // A French-only card: its French name, but the picture is still asked for in English.
    expect(cardSummary({ ...row, names: { fr: 'Phyllali' }, printed_total: null }, 'ja')).toMatchObject({ name: 'Phyllali', printedTotal: null, imageUrl: '/api/cards/sv02-012/image?lang=en&size=low' })
  })

  it('matches sets by code, French code, id or a folded part of any name', () => {
    const set = { id: 'sv02', code: 'PAL', codeFr: 'EAP', names: { en: 'Paldea Evolved', fr: 'Évolutions à Paldea' } }
    expect(setMatches(set, 'pal')).toBe(true)
    expect(setMatches(set, 'EAP')).toBe(true)
    expect(setMatches(set, 'SV02')).toBe(true)
    expect(setMatches(set, 'evolutions a')).toBe(true)
    expect(setMatches(set, 'Obsidian')).toBe(false)
  })
})
