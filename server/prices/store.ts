import { type Kysely, sql } from 'kysely'
import type { Database } from '../database/schema'
import type { PriceRow } from './tcgdex-pricing'

/** What one card's request came to. */
export type CardOutcome =
  | { cardId: string, status: 'priced', rows: PriceRow[] }
  | { cardId: string, status: 'unpriced' }
  | { cardId: string, status: 'failed', error: string }

/** `2026-03-01` in UTC: a price's history day. */
export const dayOf = (date: Date) => date.toISOString().slice(0, 10)

/**
 * Writes a batch of outcomes in one transaction: the latest price per card, source and variant, the
 * day's history row (a second fetch the same day replaces it), and when each card was checked.
 */
export async function storeOutcomes(db: Kysely<Database>, outcomes: CardOutcome[], fetchedAt: Date): Promise<void> {
  if (!outcomes.length) return
  const day = dayOf(fetchedAt)
  // One row per card, source and variant (a second one would fail the whole batch's upsert).
  const unique = new Map<string, CardOutcome>(outcomes.map(o => [o.cardId, o]))
  const rows = [...unique.values()].flatMap(o => (o.status === 'priced'
    ? o.rows.map(r => ({
        card_id: o.cardId,
        source: r.source,
        variant: r.variant,
        currency: r.currency,
        market: r.market,
        low: r.low,
        mid: r.mid,
        high: r.high,
        avg7: r.avg7,
        avg30: r.avg30,
        source_updated_at: r.sourceUpdatedAt,
        fetched_at: fetchedAt,
      }))
    : [])).filter((r, i, all) => all.findIndex(o => o.card_id === r.card_id && o.source === r.source && o.variant === r.variant) === i)
  const figures = ['currency', 'market', 'low', 'mid', 'high', 'avg7', 'avg30', 'source_updated_at', 'fetched_at'] as const
  const takeExcluded = Object.fromEntries(figures.map(f => [f, sql.ref(`excluded.${f}`)]))

  await db.transaction().execute(async (trx) => {
    if (rows.length) {
      await trx.insertInto('card_prices').values(rows)
        .onConflict(oc => oc.columns(['card_id', 'source', 'variant']).doUpdateSet(takeExcluded))
        .execute()
      await trx.insertInto('card_price_history').values(rows.map(r => ({ ...r, day })))
        .onConflict(oc => oc.columns(['card_id', 'source', 'variant', 'day']).doUpdateSet(takeExcluded))
        .execute()
    }
    await trx.insertInto('card_price_checks')
      .values([...unique.values()].map(o => ({ card_id: o.cardId, checked_at: fetchedAt, status: o.status, error: o.status === 'failed' ? o.error.slice(0, 500) : null })))
      .onConflict(oc => oc.column('card_id').doUpdateSet({ checked_at: sql.ref('excluded.checked_at'), status: sql.ref('excluded.status'), error: sql.ref('excluded.error') }))
      .execute()
  })
}
