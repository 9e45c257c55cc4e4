import { type Kysely, sql } from 'kysely'
import type { CollectionListQuery } from '../../shared/schemas/collection'
import type { Database } from '../database/schema'
import { applyFilter, type CollectionItem, localizedName, selectItems, toItem, userCardsQuery } from './items'

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
}

const DESC_BY_DEFAULT = new Set(['updated', 'added', 'quantity'])

/** A page of the user's collection, filtered and sorted, with totals over the whole filter. */
export async function listCollection(db: Kysely<Database>, userId: string, query: CollectionListQuery): Promise<CollectionPage> {
  const filtered = applyFilter(userCardsQuery(db, userId), query)
  const dir = query.order ?? (DESC_BY_DEFAULT.has(query.sort) ? 'desc' : 'asc')
  const d = sql.raw(dir)

  let rows = selectItems(filtered)
  switch (query.sort) {
    case 'updated': rows = rows.orderBy(sql`uc.updated_at ${d}`); break
    case 'added': rows = rows.orderBy(sql`uc.created_at ${d}`); break
    case 'quantity': rows = rows.orderBy(sql`uc.quantity ${d}`).orderBy(sql`${localizedName} asc`); break
    case 'name': rows = rows.orderBy(sql`lower(${localizedName}) ${d}`).orderBy('s.release_date').orderBy('c.number'); break
    case 'number': rows = rows.orderBy(sql`c.number ${d} nulls last`).orderBy(sql`c.local_id ${d}`).orderBy('s.release_date'); break
    case 'set': rows = rows.orderBy(sql`s.release_date ${d} nulls last`).orderBy(sql`s.id ${d}`).orderBy('c.number').orderBy('c.local_id'); break
  }
  // A unique tie-breaker keeps pages stable.
  rows = rows.orderBy('uc.id').limit(query.pageSize).offset((query.page - 1) * query.pageSize)

  const [items, totals] = await Promise.all([
    rows.execute(),
    filtered.select([
      sql<number>`coalesce(sum(uc.quantity), 0)::int`.as('cards'),
      sql<number>`count(distinct uc.card_id)::int`.as('distinct'),
      sql<number>`count(*)::int`.as('rows'),
    ]).executeTakeFirstOrThrow(),
  ])

  return {
    items: items.map(toItem),
    total: totals.rows,
    page: query.page,
    pageSize: query.pageSize,
    totals: { cards: totals.cards, distinct: totals.distinct, rows: totals.rows },
  }
}
