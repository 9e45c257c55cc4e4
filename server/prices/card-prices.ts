import { type Kysely, sql } from 'kysely'
import type { CardPrices, MarketPrice, PriceSource } from '../../shared/schemas/prices'
import type { Database } from '../database/schema'
import { dayOf } from './store'

const money = (v: string | null) => (v === null ? null : Number(v))
const iso = (v: Date | string | null) => (v === null ? null : new Date(v).toISOString())

/** A card's latest market prices per source and variant, when it was last asked for, and its price history. */
export async function getCardPrices(db: Kysely<Database>, cardId: string, days = 90, now = new Date()): Promise<CardPrices> {
  const [latest, check, history] = await Promise.all([
    db.selectFrom('card_prices').selectAll().where('card_id', '=', cardId).orderBy('source').orderBy('variant').execute(),
    db.selectFrom('card_price_checks').select(['checked_at', 'status']).where('card_id', '=', cardId).executeTakeFirst(),
    db.selectFrom('card_price_history').select(['day', 'source', 'variant', sql<string | null>`market::text`.as('market')])
      .where('card_id', '=', cardId).where('day', '>=', dayOf(new Date(now.getTime() - days * 86_400_000)))
      .orderBy('day').orderBy('source').orderBy('variant').execute(),
  ])
  const prices: MarketPrice[] = latest.map(p => ({
    source: p.source,
    variant: p.variant,
    currency: p.currency,
    market: money(p.market),
    low: money(p.low),
    mid: money(p.mid),
    high: money(p.high),
    avg7: money(p.avg7),
    avg30: money(p.avg30),
    sourceUpdatedAt: iso(p.source_updated_at),
    fetchedAt: iso(p.fetched_at)!,
  }))
  return {
    prices,
    checkedAt: check ? iso(check.checked_at) : null,
    status: check?.status ?? null,
    history: history.map(h => ({ day: String(h.day), source: h.source as PriceSource, variant: h.variant, market: money(h.market) })),
  }
}
