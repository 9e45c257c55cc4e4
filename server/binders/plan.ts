// Pure decisions about places, kept apart from the database so that they are unit-tested alone.

const CONDITION_RANK: Record<string, number> = { NM: 0, LP: 1, MP: 2, HP: 3, DMG: 4 }

export interface CopyCandidate {
  userCardId: string
  cardId: string
  condition: string
  graded: boolean
  /** Copies of the row not in any place. */
  free: number
  createdAt: number
}

/**
 * Which row's copy goes into a binder slot when several could: a raw card before a slab (slabs do
 * not fit in pockets), the best condition first, then the row added first. Null when none is free.
 */
export function pickCopy<T extends CopyCandidate>(rows: T[]): T | null {
  const free = rows.filter(r => r.free > 0)
  free.sort((a, b) => Number(a.graded) - Number(b.graded)
    || (CONDITION_RANK[a.condition] ?? 9) - (CONDITION_RANK[b.condition] ?? 9)
    || a.createdAt - b.createdAt
    || a.userCardId.localeCompare(b.userCardId))
  return free[0] ?? null
}

export interface FillPlan {
  /** 0-based slot index over the binder → the row whose copy goes there. */
  placements: { index: number, userCardId: string }[]
  missing: number
  occupied: number
  didNotFit: number
}

/**
 * Fills a binder with a set's cards in number order from `start`: with `gaps`, card i goes to slot
 * start + i whether owned or not (a set binder keeps the place of each missing card); without, the
 * owned cards follow one another. Taken slots are never touched: with gaps the card of a taken slot is
 * counted as `occupied`, without gaps the next free slot is used.
 */
export function planFill(options: {
  cards: string[]
  start: number
  capacity: number
  gaps: boolean
  occupied: ReadonlySet<number>
  copies: ReadonlyMap<string, CopyCandidate[]>
}): FillPlan {
  const plan: FillPlan = { placements: [], missing: 0, occupied: 0, didNotFit: 0 }
  // The same row may hold several copies (a card owned twice, one per finish row…): use them up one by one.
  const used = new Map<string, number>()
  const take = (cardId: string) => {
    const rows = (options.copies.get(cardId) ?? []).map(r => ({ ...r, free: r.free - (used.get(r.userCardId) ?? 0) }))
    const row = pickCopy(rows)
    if (row) used.set(row.userCardId, (used.get(row.userCardId) ?? 0) + 1)
    return row
  }
  let next = options.start
  options.cards.forEach((cardId, i) => {
    if (options.gaps) {
      const index = options.start + i
      if (index >= options.capacity) {
        if (pickCopy(options.copies.get(cardId) ?? [])) plan.didNotFit++
        return
      }
      if (options.occupied.has(index)) {
        plan.occupied++
        return
      }
      const row = take(cardId)
      if (row) plan.placements.push({ index, userCardId: row.userCardId })
      else plan.missing++
      return
    }
    while (next < options.capacity && options.occupied.has(next)) next++
    const row = take(cardId)
    if (!row) {
      plan.missing++
      return
    }
    if (next >= options.capacity) {
      plan.didNotFit++
      return
    }
    plan.placements.push({ index: next++, userCardId: row.userCardId })
  })
  return plan
}

export interface PlacedCopies {
  id: string
  kind: 'slot' | 'box'
  quantity: number
  placedAt: number
}

/**
 * When a row keeps fewer copies than its places hold (copies sold, traded, miscounted), which places
 * give them up: boxes before binder slots (a binder's order is the work of its owner), the most
 * recently placed first. Returns the places to change with the quantity each keeps (0: removed).
 */
export function trimPlaces(places: PlacedCopies[], quantity: number): { id: string, keep: number }[] {
  let excess = places.reduce((n, p) => n + p.quantity, 0) - quantity
  if (excess <= 0) return []
  const order = [...places].sort((a, b) => Number(a.kind === 'slot') - Number(b.kind === 'slot') || b.placedAt - a.placedAt || b.id.localeCompare(a.id))
  const out: { id: string, keep: number }[] = []
  for (const place of order) {
    if (excess <= 0) break
    const taken = Math.min(place.quantity, excess)
    excess -= taken
    out.push({ id: place.id, keep: place.quantity - taken })
  }
  return out
}
