import { describe, expect, it } from 'vitest'
import { variantsOf } from '../../../server/catalog/source'
import { closestFinish, defaultFinish, finishesOf, isFinishOf } from '../../../shared/variants'

describe('finishes a card allows', () => {
  it('are its catalogue variants, plain first; any finish when the catalogue does not know them', () => {
    expect(finishesOf(['reverse', 'normal'])).toEqual(['normal', 'reverse'])
    expect(finishesOf(['holo', 'firstEdition'])).toEqual(['holo', 'first-edition'])
    expect(finishesOf([])).toContain('stamped')
    expect(finishesOf(null)).toHaveLength(8)
    expect(isFinishOf('holo', ['normal', 'reverse'])).toBe(false)
    expect(defaultFinish(['holo'])).toBe('holo')
    expect(defaultFinish(['reverse', 'holo', 'normal'])).toBe('normal')
    expect(defaultFinish([])).toBe('normal')
  })

  it('reads other apps\' loose "foil" and "normal" as the card\'s own', () => {
    expect(closestFinish('holo', ['normal', 'reverse'])).toBe('reverse')
    expect(closestFinish('reverse', ['holo'])).toBe('holo')
    expect(closestFinish('normal', ['holo'])).toBe('holo')
    expect(closestFinish('first-edition', ['normal'])).toBe('first-edition') // still refused afterwards
  })

  it('gives the 1st Edition sets their first edition', () => {
    expect(variantsOf({ setId: 'base1', variants: ['holo'] })).toEqual(['holo', 'firstEdition'])
    expect(variantsOf({ setId: 'base4', variants: ['holo'] })).toEqual(['holo'])
    expect(variantsOf({ setId: 'neo1', variants: null })).toEqual([])
  })
})
