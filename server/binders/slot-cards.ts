import { type Kysely, sql } from 'kysely'
import type { PriceCurrency } from '../../shared/schemas/prices'
import type { SlotCard } from '../../shared/schemas/binders'
import { cardSummary } from '../catalog/query'
import { copyPriceJoin } from '../collection/list'
import type { Database } from '../database/schema'

/** Places joined with their copy, card, set and the market price the copy is valued at (copyPriceJoin). */
export function placedCardsQuery(db: Kysely<Database>, currency: PriceCurrency) {
  return db.selectFrom('copy_places as cp')
    .innerJoin('user_cards as uc', 'uc.id', 'cp.user_card_id')
    .innerJoin('cards as c', 'c.id', 'uc.card_id')
    .innerJoin('sets as s', 's.id', 'c.set_id')
    .leftJoin('card_prices as p', copyPriceJoin(currency))
    .select([
      'cp.binder_id', 'cp.page', 'cp.slot', 'cp.box_id', 'cp.quantity as placed', 'uc.id as user_card_id', 'uc.card_id',
      'uc.language', 'uc.finish', 'uc.condition', 'uc.grader', 'uc.grade', 'c.name as names', 'c.local_id',
      's.id as set_id', 's.name as set_names', 's.printed_total',
      sql<string | null>`p.market::text`.as('market'), sql<Date | null>`p.fetched_at`.as('fetched_at'),
    ])
}

export type PlacedCardRow = Awaited<ReturnType<ReturnType<typeof placedCardsQuery>['execute']>>[number]

/** A placed copy as the views show it; `withIds` false drops what names the owner's rows (public pages). */
export function toSlotCard(row: PlacedCardRow, currency: PriceCurrency, options: { withIds: boolean, quantity?: number }): SlotCard {
  const unit = row.market === null ? null : Number(row.market)
  const quantity = options.quantity ?? 1
  return {
    ...(options.withIds ? { userCardId: row.user_card_id } : {}),
    cardId: row.card_id,
    ...cardSummary(row, row.language),
    language: row.language,
    finish: row.finish,
    condition: row.condition,
    grader: row.grader,
    grade: row.grade,
    price: unit === null ? null : { currency, unit, total: Math.round(unit * quantity * 100) / 100, fetchedAt: new Date(row.fetched_at!).toISOString() },
  }
}
