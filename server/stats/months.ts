/** Every month from the first to the last (`YYYY-MM`), so that a chart over time has no holes. */
export function monthRange(first: string, last: string): string[] {
  const out: string[] = []
  let [y, m] = first.split('-').map(Number) as [number, number]
  const [ly, lm] = last.split('-').map(Number) as [number, number]
  while (y < ly || (y === ly && m <= lm)) {
    out.push(`${y}-${String(m).padStart(2, '0')}`)
    if (++m > 12) {
      m = 1
      y++
    }
  }
  return out
}

function monthBefore(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number]
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`
}

/**
 * Copies added per month with the running total, every month from the one before the first (when
 * the collection was empty: a line starts from zero) to `now` included.
 */
export function addedOverTime(rows: { month: string, copies: number }[], now: Date): { month: string, copies: number, total: number }[] {
  if (!rows.length) return []
  const byMonth = new Map(rows.map(r => [r.month, r.copies]))
  const months = [...byMonth.keys()].sort()
  const current = now.toISOString().slice(0, 7)
  let total = 0
  return monthRange(monthBefore(months[0]!), months.at(-1)! > current ? months.at(-1)! : current).map((month) => {
    const copies = byMonth.get(month) ?? 0
    total += copies
    return { month, copies, total }
  })
}
