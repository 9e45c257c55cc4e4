import { describe, expect, it } from 'vitest'
import { type CopyCandidate, pickCopy, planFill, trimPlaces } from '../../../server/binders/plan'

const copy = (userCardId: string, cardId: string, extra: Partial<CopyCandidate> = {}): CopyCandidate =>
  ({ userCardId, cardId, condition: 'NM', graded: false, free: 1, createdAt: 0, ...extra })

describe('pickCopy', () => {
  it('takes a raw card before a slab, the best condition, then the row added first', () => {
    expect(pickCopy([copy('slab', 'a', { graded: true }), copy('lp', 'a', { condition: 'LP' })])?.userCardId).toBe('lp')
    expect(pickCopy([copy('lp', 'a', { condition: 'LP' }), copy('nm', 'a', { createdAt: 5 })])?.userCardId).toBe('nm')
    expect(pickCopy([copy('late', 'a', { createdAt: 9 }), copy('early', 'a', { createdAt: 1 })])?.userCardId).toBe('early')
  })

  it('never takes a row with no copy left free', () => {
    expect(pickCopy([copy('placed', 'a', { free: 0 })])).toBeNull()
    expect(pickCopy([])).toBeNull()
  })
})

describe('planFill', () => {
  const cards = ['c1', 'c2', 'c3', 'c4', 'c5']
  const copies = new Map([['c1', [copy('r1', 'c1')]], ['c3', [copy('r3', 'c3', { free: 2 })]], ['c5', [copy('r5', 'c5')]]])

  it('with gaps, keeps the slot of each missing card empty', () => {
    const plan = planFill({ cards, start: 0, capacity: 9, gaps: true, occupied: new Set(), copies })
    expect(plan.placements).toEqual([{ index: 0, userCardId: 'r1' }, { index: 2, userCardId: 'r3' }, { index: 4, userCardId: 'r5' }])
    expect(plan).toMatchObject({ missing: 2, occupied: 0, didNotFit: 0 })
  })

  it('without gaps, packs the owned cards from the start, around taken slots', () => {
    const plan = planFill({ cards, start: 3, capacity: 9, gaps: false, occupied: new Set([4]), copies })
    expect(plan.placements).toEqual([{ index: 3, userCardId: 'r1' }, { index: 5, userCardId: 'r3' }, { index: 6, userCardId: 'r5' }])
    expect(plan.missing).toBe(2)
  })

  it('leaves taken slots alone and counts the cards past the last slot', () => {
    const plan = planFill({ cards, start: 1, capacity: 4, gaps: true, occupied: new Set([3]), copies })
    // c1 → 1, c2 → 2 (missing), c3 → 3 (taken), c4 → 4 (past the end, not owned), c5 → 5 (past the end, owned)
    expect(plan.placements).toEqual([{ index: 1, userCardId: 'r1' }])
    expect(plan).toMatchObject({ missing: 1, occupied: 1, didNotFit: 1 })
  })

  it('uses a row\'s copies one by one when a card appears twice', () => {
    const plan = planFill({ cards: ['c3', 'c3', 'c3'], start: 0, capacity: 9, gaps: false, occupied: new Set(), copies })
    expect(plan.placements.map(p => p.userCardId)).toEqual(['r3', 'r3'])
    expect(plan.missing).toBe(1)
  })
})

describe('trimPlaces', () => {
  const places = [
    { id: 'slot-old', kind: 'slot' as const, quantity: 1, placedAt: 1 },
    { id: 'slot-new', kind: 'slot' as const, quantity: 1, placedAt: 5 },
    { id: 'box', kind: 'box' as const, quantity: 3, placedAt: 2 },
  ]

  it('changes nothing while the row has copies enough', () => {
    expect(trimPlaces(places, 5)).toEqual([])
    expect(trimPlaces(places, 9)).toEqual([])
  })

  it('takes copies out of boxes before binder slots, the most recently placed first', () => {
    expect(trimPlaces(places, 3)).toEqual([{ id: 'box', keep: 1 }])
    expect(trimPlaces(places, 1)).toEqual([{ id: 'box', keep: 0 }, { id: 'slot-new', keep: 0 }])
    expect(trimPlaces(places, 0)).toEqual([{ id: 'box', keep: 0 }, { id: 'slot-new', keep: 0 }, { id: 'slot-old', keep: 0 }])
  })
})
