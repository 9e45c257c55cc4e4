import { describe, expect, it } from 'vitest'
import { matchLevel, searchStart } from '../../../shared/review'

const candidates = [{ name: 'Sprigatito', names: { en: 'Sprigatito', fr: 'Poussacha' } }]

describe('searchStart', () => {
  it('starts with the number read, with its set code or printed total', () => {
    expect(searchStart({ number: '012', setCode: 'PAL', printedTotal: 193 }, candidates)).toBe('PAL 012')
    expect(searchStart({ number: '58', printedTotal: 102, name: 'Pikachu' }, candidates)).toBe('58/102')
    expect(searchStart({ number: 'TG05' }, candidates)).toBe('TG05')
  })

  it('else with the name read when it is a candidate\'s name (in any language, OCR slips allowed)', () => {
    expect(searchStart({ name: 'Poussacha' }, candidates)).toBe('Poussacha')
    expect(searchStart({ name: 'Sprigatlto' }, candidates)).toBe('Sprigatlto')
  })

  it('else empty: OCR noise is never the start of a search', () => {
    expect(searchStart({ name: 'Basie Women Co Ari' }, candidates)).toBe('')
    expect(searchStart({ name: 'Pikachu' }, [])).toBe('')
    expect(searchStart({}, candidates)).toBe('')
  })
})

describe('matchLevel', () => {
  it('is sure only for a confident draft\'s first candidate', () => {
    expect(matchLevel(0.95, true, true)).toBe('sure')
    expect(matchLevel(0.95, false, true)).toBe('likely')
    expect(matchLevel(0.95, true, false)).toBe('likely')
    expect(matchLevel(0.49, true, false)).toBe('unsure')
  })
})
