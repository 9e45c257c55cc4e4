import { type JoinBuilder, type Kysely, sql } from 'kysely'
import type { CollectionFilter, CollectionListQuery } from '../../shared/schemas/collection'
import { type PriceCurrency, SOURCE_OF_CURRENCY } from '../../shared/schemas/prices'
import type { Database } from '../database/schema'
import { applyFilter, type CollectionItem, type ItemRow, localizedName, selectItems, toItem, userCardsQuery } from './items'

export interface CollectionPage {
  items: CollectionItem[]
  total: number
  page: number
  pageSize: number
  totals: {
    /** Sum of quantities over the filter. */
    cards: number
    /** Distinct catalogue cards over the filter. */
    distinct: number
    rows: number
  }
  /** Market value of the copies over the filter (see prices/value.ts for what is valued). */
  value: { total: number, currency: PriceCurrency }
}

const DESC_BY_DEFAULT = new Set(['updated', 'added', 'quantity', 'price', 'value'])

/**
 * Joins `card_prices as p` to copies `uc`: the latest price of the card in the market of `currency`,
 * for the copy's own finish; none for graded copies (the market data is for raw cards).
 */
export const copyPriceJoin = (currency: PriceCurrency) => <J extends JoinBuilder<any, any>>(j: J): J => j
  .onRef('p.card_id', '=', 'uc.card_id')
  .on('p.source', '=', SOURCE_OF_CURRENCY[currency])
  .onRef('p.variant', '=', 'uc.finish')
  .on('p.market', 'is not', null)
  .on('uc.grader', 'is', null)
  .on('uc.grade', 'is', null) as J

/**
 * The user's rows joined with the market price each copy is valued at (`p`; see prices/value.ts):
 * the latest price of its card, in the market of `currency`, for its own finish; none for graded copies.
 * Applies the shared filters and the price range.
 */
export function pricedCopies(db: Kysely<Database>, userId: string, filter: Partial<CollectionFilter>, currency: PriceCurrency) {
  let q = applyFilter(userCardsQuery(db, userId), filter)
    .leftJoin('card_prices as p', copyPriceJoin(currency))
  if (filter.minPrice !== undefined) q = q.where('p.market', '>=', String(filter.minPrice))
  if (filter.maxPrice !== undefined) q = q.where('p.market', '<=', String(filter.maxPrice))
  return q
}

type PricedQuery = ReturnType<typeof pricedCopies>

/** Row columns plus the copy's price, for list and export. */
export function selectPricedItems(query: PricedQuery) {
  return selectItems(query as unknown as Parameters<typeof selectItems>[0])
    .select([sql<string | null>`p.market::text`.as('market_price'), sql<Date | null>`p.fetched_at`.as('price_fetched_at')])
}

export type PricedItemRow = ItemRow & { market_price: string | null, price_fetched_at: Date | null }

export function toPricedItem(row: PricedItemRow, currency: PriceCurrency): CollectionItem {
  const item = toItem(row)
  const unit = row.market_price === null ? null : Number(row.market_price)
  item.price = unit === null
    ? null
    : { currency, unit, total: Math.round(unit * row.quantity * 100) / 100, fetchedAt: new Date(row.price_fetched_at!).toISOString() }
  return item
}

/** A page of the user's collection, filtered and sorted, with totals (and value) over the whole filter. */
export async function listCollection(db: Kysely<Database>, userId: string, query: CollectionListQuery, currency: PriceCurrency = 'EUR'): Promise<CollectionPage> {
  const filtered = pricedCopies(db, userId, query, currency)
  const dir = query.order ?? (DESC_BY_DEFAULT.has(query.sort) ? 'desc' : 'asc')
  const d = sql.raw(dir)

  let rows = selectPricedItems(filtered)
  switch (query.sort) {
    case 'updated': rows = rows.orderBy(sql`uc.updated_at ${d}`); break
    case 'added': rows = rows.orderBy(sql`uc.created_at ${d}`); break
    case 'quantity': rows = rows.orderBy(sql`uc.quantity ${d}`).orderBy(sql`${localizedName} asc`); break
    case 'name': rows = rows.orderBy(sql`lower(${localizedName}) ${d}`).orderBy('s.release_date').orderBy('c.number'); break
    case 'number': rows = rows.orderBy(sql`c.number ${d} nulls last`).orderBy(sql`c.local_id ${d}`).orderBy('s.release_date'); break
    case 'set': rows = rows.orderBy(sql`s.release_date ${d} nulls last`).orderBy(sql`s.id ${d}`).orderBy('c.number').orderBy('c.local_id'); break
    // Unpriced copies last whichever the direction.
    case 'price': rows = rows.orderBy(sql`p.market ${d} nulls last`).orderBy(sql`${localizedName} asc`); break
    case 'value': rows = rows.orderBy(sql`p.market * uc.quantity ${d} nulls last`).orderBy(sql`${localizedName} asc`); break
  }
  // A unique tie-breaker keeps pages stable.
  rows = rows.orderBy('uc.id').limit(query.pageSize).offset((query.page - 1) * query.pageSize)

  const [items, totals] = await Promise.all([
    rows.execute(),
    filtered.select([
      sql<number>`coalesce(sum(uc.quantity), 0)::int`.as('cards'),
      sql<number>`count(distinct uc.card_id)::int`.as('distinct'),
      sql<number>`count(*)::int`.as('rows'),
      sql<string>`coalesce(sum(uc.quantity * p.market), 0)::text`.as('value'),
    ]).executeTakeFirstOrThrow(),
  ])

  return {
    items: items.map(r => toPricedItem(r as PricedItemRow, currency)),
    total: totals.rows,
    page: query.page,
    pageSize: query.pageSize,
    totals: { cards: totals.cards, distinct: totals.distinct, rows: totals.rows },
    value: { total: Number(totals.value), currency },
  }
}
