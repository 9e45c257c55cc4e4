import { describe, expect, it } from 'vitest'
import { draftLanguage, nameSimilarity } from '../../../shared/draft-language'

const sprigatito = { name: 'Poussacha', names: { en: 'Sprigatito', fr: 'Poussacha', de: 'Felori' } }
const ultraBall = { name: 'Ultra Ball', names: { en: 'Ultra Ball', fr: 'Hyper Ball' } }
const pikachu = { name: 'Pikachu', names: { en: 'Pikachu', fr: 'Pikachu', de: 'Pikachu' } }

describe('draftLanguage', () => {
  it('takes the language read off the card first', () => {
    expect(draftLanguage({ lang: 'FR', name: 'Ultra Ball' }, ultraBall)).toBe('fr')
    expect(draftLanguage({ lang: 'en' }, sprigatito)).toBe('en')
  })

  it('ignores a read language the collection does not know', () => {
    expect(draftLanguage({ lang: 'xx' }, sprigatito)).toBe('fr')
  })

  it('else the language of the candidate name that matched', () => {
    expect(draftLanguage({ lang: null, name: 'Poussacha' }, sprigatito)).toBe('fr')
    expect(draftLanguage({ lang: null }, ultraBall)).toBe('en')
    expect(draftLanguage({ lang: null }, { name: 'Hyper Ball', names: ultraBall.names })).toBe('fr')
  })

  it('else the language whose name the read name is clearly closest to (OCR slips included)', () => {
    // A candidate named in English (nothing told the ranker otherwise) but read in French.
    expect(draftLanguage({ name: 'Hyper Bal1' }, { name: 'Ultra Ball', names: { en: 'Ultra Ball', fr: 'Hyper Ball' } })).toBe('fr')
    expect(draftLanguage({ name: 'Sprigatlto' }, { name: 'Pikachu', names: sprigatito.names })).toBe('en')
  })

  it('says English when nothing tells the languages apart, whatever the UI language', () => {
    expect(draftLanguage({ lang: null, name: 'Pikachu' }, pikachu)).toBe('en')
    expect(draftLanguage({ lang: null, name: 'Ho-oh' }, { name: 'Ho-oh', names: { de: 'Ho-Oh', en: 'Ho-oh', fr: 'Ho-Oh' } })).toBe('en')
    expect(draftLanguage({ lang: null, name: 'Basie Women Co Ari' }, { ...sprigatito, name: 'Sprigatito' })).toBe('en')
    expect(draftLanguage({})).toBe('en')
  })
})

describe('nameSimilarity', () => {
  it('is 1 for the same name folded, low for unrelated ones', () => {
    expect(nameSimilarity('Évoli', 'evoli')).toBe(1)
    expect(nameSimilarity('Pikachu', 'Dracaufeu')).toBeLessThan(0.2)
  })
})
