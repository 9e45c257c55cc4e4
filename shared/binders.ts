// Binder geometry, shared by the server and the pages: pages are numbered from 1, slots from 1 in
// reading order (left to right, then top to bottom), as a collector counts the pockets of a page.

export const BINDER_LAYOUTS = ['3x3', '3x4', '2x2'] as const
export type BinderLayout = (typeof BINDER_LAYOUTS)[number]
export const MAX_BINDER_PAGES = 200

/** Columns × rows: 3 × 3 (9-pocket), 3 × 4 (12-pocket, three across and four down), 2 × 2 (4-pocket). */
export const LAYOUT_GRID: Record<BinderLayout, { cols: number, rows: number }> = {
  '3x3': { cols: 3, rows: 3 },
  '3x4': { cols: 3, rows: 4 },
  '2x2': { cols: 2, rows: 2 },
}

export const slotsPerPage = (layout: BinderLayout) => LAYOUT_GRID[layout].cols * LAYOUT_GRID[layout].rows

export const binderCapacity = (layout: BinderLayout, pages: number) => slotsPerPage(layout) * pages

/** The slot at a row and column (both from 1). */
export function slotAt(layout: BinderLayout, row: number, col: number): number {
  const { cols } = LAYOUT_GRID[layout]
  return (row - 1) * cols + col
}

/** The row and column (both from 1) of a slot. */
export function rowColOf(layout: BinderLayout, slot: number): { row: number, col: number } {
  const { cols } = LAYOUT_GRID[layout]
  return { row: Math.floor((slot - 1) / cols) + 1, col: ((slot - 1) % cols) + 1 }
}

/** A page and slot as one 0-based index over the whole binder (set binders count in it). */
export const slotIndex = (layout: BinderLayout, page: number, slot: number) => (page - 1) * slotsPerPage(layout) + slot - 1

export function slotOfIndex(layout: BinderLayout, index: number): { page: number, slot: number } {
  const n = slotsPerPage(layout)
  return { page: Math.floor(index / n) + 1, slot: (index % n) + 1 }
}

export function isSlotOf(layout: BinderLayout, pages: number, page: number, slot: number): boolean {
  return Number.isInteger(page) && Number.isInteger(slot) && page >= 1 && page <= pages && slot >= 1 && slot <= slotsPerPage(layout)
}
