import { type Kysely, sql } from 'kysely'
import type { z } from 'zod'
import type { unplacedQuerySchema } from '../../shared/schemas/binders'
import type { CollectionItem } from '../../shared/types/collection'
import { applyFilter, selectItems, toItem, userCardsQuery } from '../collection/items'
import type { Database } from '../database/schema'

const placedCount = sql<number>`coalesce((select sum(cp.quantity) from copy_places cp where cp.user_card_id = uc.id), 0)::int`

/** The user's rows with copies placed nowhere (what can go into a slot or a box), newest first. */
export async function listUnplaced(db: Kysely<Database>, userId: string, query: z.output<typeof unplacedQuerySchema>) {
  const filtered = applyFilter(userCardsQuery(db, userId), { q: query.q, set: query.set })
    .where(sql<boolean>`uc.quantity > ${placedCount}`)
  const [rows, total] = await Promise.all([
    selectItems(filtered).select(placedCount.as('placed'))
      .orderBy('uc.updated_at', 'desc').orderBy('uc.id')
      .limit(query.pageSize).offset((query.page - 1) * query.pageSize).execute(),
    filtered.select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow(),
  ])
  const items: (CollectionItem & { unplaced: number })[] = rows.map(r => ({ ...toItem(r), unplaced: r.quantity - r.placed }))
  return { items, total: total.n, page: query.page, pageSize: query.pageSize }
}
