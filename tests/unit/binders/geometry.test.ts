import { describe, expect, it } from 'vitest'
import { binderCapacity, isSlotOf, rowColOf, slotAt, slotIndex, slotOfIndex, slotsPerPage } from '../../../shared/binders'

describe('binder geometry', () => {
  it('counts the pockets of each layout (columns × rows)', () => {
    expect([slotsPerPage('3x3'), slotsPerPage('3x4'), slotsPerPage('2x2')]).toEqual([9, 12, 4])
    expect(binderCapacity('3x4', 10)).toBe(120)
  })

  it('numbers slots in reading order, row and column from 1', () => {
    expect(slotAt('3x3', 1, 1)).toBe(1)
    expect(slotAt('3x3', 2, 1)).toBe(4)
    expect(slotAt('3x4', 4, 3)).toBe(12)
    expect(rowColOf('3x4', 12)).toEqual({ row: 4, col: 3 })
    expect(rowColOf('2x2', 3)).toEqual({ row: 2, col: 1 })
    for (let slot = 1; slot <= 12; slot++) {
      const { row, col } = rowColOf('3x4', slot)
      expect(slotAt('3x4', row, col)).toBe(slot)
    }
  })

  it('turns a page and slot into one index over the binder and back', () => {
    expect(slotIndex('3x3', 1, 1)).toBe(0)
    expect(slotIndex('3x3', 2, 1)).toBe(9)
    expect(slotOfIndex('3x3', 17)).toEqual({ page: 2, slot: 9 })
    expect(slotOfIndex('2x2', 4)).toEqual({ page: 2, slot: 1 })
  })

  it('knows which slots a binder has', () => {
    expect(isSlotOf('2x2', 3, 3, 4)).toBe(true)
    expect(isSlotOf('2x2', 3, 4, 1)).toBe(false)
    expect(isSlotOf('2x2', 3, 1, 5)).toBe(false)
    expect(isSlotOf('3x3', 3, 0, 1)).toBe(false)
  })
})
