import { describe, expect, it } from 'vitest'
import { CatalogIndex, nameMatches, normLocalId, splitNumber } from '../../../server/collection/csv/resolve'

function catalogue() {
  const index = new CatalogIndex([
    { id: 'base1', code: 'BS', codeFr: 'BAS', tcgOnline: 'BS', names: { en: 'Base Set', fr: 'Set de Base' }, printedTotal: 102 },
    { id: 'sv02', code: 'PAL', codeFr: 'EAP', tcgOnline: null, names: { en: 'Paldea Evolved', fr: 'Évolutions à Paldea' }, printedTotal: 193 },
    { id: 'sv03.5', code: 'MEW', codeFr: '151', tcgOnline: null, names: { en: '151' }, printedTotal: 165 },
    { id: 'swsh9', code: 'BRS', codeFr: 'STS', tcgOnline: 'BRS', names: { en: 'Brilliant Stars' }, printedTotal: 172 },
  ])
  index.addCards([
    { id: 'base1-4', setId: 'base1', localId: '4', names: { en: 'Charizard', fr: 'Dracaufeu' } },
    { id: 'sv02-012', setId: 'sv02', localId: '012', names: { en: 'Sprigatito', fr: 'Poussacha' } },
    { id: 'sv02-013', setId: 'sv02', localId: '013', names: { en: 'Sprigatito', fr: 'Poussacha' } },
    { id: 'sv02-203', setId: 'sv02', localId: '203', names: { en: 'Iono', fr: 'Mashynn' } },
    { id: 'sv03.5-006', setId: 'sv03.5', localId: '006', names: { en: 'Charizard ex' } },
    { id: 'swsh9-TG05', setId: 'swsh9', localId: 'TG05', names: { en: 'Pikachu' } },
  ])
  return index
}

describe('card resolution', () => {
  const index = catalogue()

  it('uses the card id first, case-insensitively', () => {
    expect(index.resolve({ cardId: 'SV02-012' })).toMatchObject({ cardId: 'sv02-012' })
    expect(index.resolve({ cardId: 'nope-1' })).toMatchObject({ error: expect.stringMatching(/Unknown card id/) })
    // An unknown id with a set and number falls back to them.
    expect(index.resolve({ cardId: 'old-id', setCode: 'sv02', number: '12' })).toMatchObject({ cardId: 'sv02-012' })
  })

  it('finds the set by printed code, id (zero padding ignored) or name in any language', () => {
    expect(index.resolve({ setCode: 'PAL', number: '012/193' })).toMatchObject({ cardId: 'sv02-012' })
    expect(index.resolve({ setCode: 'SV2', number: '12' })).toMatchObject({ cardId: 'sv02-012' })
    expect(index.resolve({ setName: 'SV02: Paldea Evolved', number: '13/193' })).toMatchObject({ cardId: 'sv02-013' })
    expect(index.resolve({ setName: 'Evolutions a Paldea', number: '203' })).toMatchObject({ cardId: 'sv02-203' })
    expect(index.resolve({ setName: 'Scarlet & Violet 151', number: '6/165' })).toMatchObject({ cardId: 'sv03.5-006' })
    expect(index.resolve({ setCode: 'BRS', number: 'TG5/TG30', name: 'Pikachu' })).toMatchObject({ cardId: 'swsh9-TG05' })
  })

  it('checks the name against the numbered card', () => {
    expect(index.resolve({ setCode: 'BS', number: '4', name: 'Charizard - 4/102' })).toMatchObject({ cardId: 'base1-4' })
    expect(index.resolve({ setCode: 'BS', number: '4', name: 'Dracaufeu' })).toMatchObject({ cardId: 'base1-4' })
    expect(index.resolve({ setCode: 'BS', number: '4', name: 'Blastoise' })).toEqual({
      error: expect.stringMatching(/is "Charizard", not "Blastoise"/),
      code: 'wrongName',
      params: { set: 'BS', number: '4', found: 'Charizard', name: 'Blastoise' },
    })
    expect(index.resolve({ setCode: 'BS', number: '99' })).toMatchObject({ error: expect.stringMatching(/No card numbered 99/) })
  })

  it('falls back to number + printed total + name across sets when the set is unknown', () => {
    expect(index.resolve({ setName: 'Some Marketplace Name', number: '4/102', name: 'Charizard' })).toMatchObject({ cardId: 'base1-4' })
    expect(index.resolve({ number: '012/193' })).toMatchObject({ cardId: 'sv02-012' })
    expect(index.resolve({ setName: 'Nowhere', number: '4' })).toEqual({ error: 'Unknown set "Nowhere"', code: 'unknownSet', params: { value: 'Nowhere' } })
  })

  it('resolves set + name only when the name is unique in the set', () => {
    expect(index.resolve({ setName: 'Base Set', name: 'Charizard' })).toMatchObject({ cardId: 'base1-4' })
    expect(index.resolve({ setName: 'Paldea Evolved', name: 'Sprigatito' })).toMatchObject({ error: expect.stringMatching(/Several cards named/) })
    expect(index.resolve({ setName: 'Paldea Evolved', name: 'Mewtwo' })).toMatchObject({ error: expect.stringMatching(/No card named/) })
    expect(index.resolve({ name: 'Charizard' })).toMatchObject({ error: expect.stringMatching(/Cannot tell which card/) })
  })

  it('lists the sets whose cards a line needs', () => {
    expect(index.candidateSetIds({ setCode: 'PAL' })).toEqual(['sv02'])
    expect(index.candidateSetIds({ number: '4/102' })).toEqual(['base1'])
    expect(index.candidateSetIds({ name: 'x' })).toEqual([])
  })
})

describe('helpers', () => {
  it('normalises numbers and names', () => {
    expect(normLocalId('012')).toBe('12')
    expect(normLocalId('tg05')).toBe('TG5')
    expect(normLocalId('0')).toBe('0')
    expect(splitNumber('012/193')).toEqual({ local: '012', total: 193 })
    expect(splitNumber('TG05/TG30')).toEqual({ local: 'TG05', total: null })
    expect(nameMatches('Iono\'s Bellibolt ex', { en: 'Iono\'s Bellibolt ex' })).toBe(true)
    expect(nameMatches('Pikachu', { en: 'Raichu' })).toBe(false)
  })
})
