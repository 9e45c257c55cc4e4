import { describe, expect, it } from 'vitest'
import { addedOverTime, monthRange } from '../../../server/stats/months'

describe('copies added over time', () => {
  it('lists every month between two, across years', () => {
    expect(monthRange('2024-11', '2025-02')).toEqual(['2024-11', '2024-12', '2025-01', '2025-02'])
    expect(monthRange('2025-03', '2025-03')).toEqual(['2025-03'])
  })

  it('starts from the empty month before, fills the months without additions up to now, with a running total', () => {
    expect(addedOverTime([{ month: '2025-12', copies: 3 }, { month: '2026-02', copies: 2 }], new Date('2026-03-15T00:00:00Z'))).toEqual([
      { month: '2025-11', copies: 0, total: 0 },
      { month: '2025-12', copies: 3, total: 3 },
      { month: '2026-01', copies: 0, total: 3 },
      { month: '2026-02', copies: 2, total: 5 },
      { month: '2026-03', copies: 0, total: 5 },
    ])
    expect(addedOverTime([{ month: '2026-01', copies: 1 }], new Date('2026-01-02T00:00:00Z')).map(a => a.month)).toEqual(['2025-12', '2026-01'])
    expect(addedOverTime([], new Date())).toEqual([])
  })
})
