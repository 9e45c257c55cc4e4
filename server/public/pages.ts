import type { Kysely } from 'kysely'
import type { PublicPage, PublicCopy } from '../../shared/schemas/shares'
import type { CollectionItem } from '../../shared/types/collection'
import { getBinderView } from '../binders/binders'
import { pickName } from '../catalog/query'
import { listCollection } from '../collection/list'
import type { Database, LocalizedNames } from '../database/schema'
import { resolveSlug } from '../shares/shares'
import { listWants } from '../wants/wants'

export const PUBLIC_PAGE_SIZE = 48

/**
 * What the public page shows, copied field by field from the owner's own view (a whitelist: a field
 * added to collection rows later stays private until it is added here).
 */
function publicCopy(item: CollectionItem): PublicCopy {
  const c = item.card
  return {
    cardId: item.cardId,
    quantity: item.quantity,
    language: item.language,
    finish: item.finish,
    condition: item.condition,
    grader: item.grader,
    grade: item.grade,
    card: { name: c.name, names: c.names, setId: c.setId, setName: c.setName, setCode: c.setCode, localId: c.localId, printedTotal: c.printedTotal, rarity: c.rarity, imageUrl: c.imageUrl },
  }
}

/** A public link's page: the published collection (paged, filtered), want list or binder; null when the link is not live. */
export async function getPublicPage(db: Kysely<Database>, slug: string, query: { q?: string, set?: string, page: number, lang?: string }): Promise<PublicPage | null> {
  const share = await resolveSlug(db, slug)
  if (!share) return null
  const base = { kind: share.kind, owner: { name: share.ownerName } }
  if (share.kind === 'binder') {
    const binder = await getBinderView(db, share.binderId!, null, share.currency, query.lang)
    return binder && { ...base, binder }
  }
  if (share.kind === 'wants') {
    return { ...base, wants: await listWants(db, share.userId, share.currency, { lang: query.lang, withIds: false }) }
  }
  const [list, sets] = await Promise.all([
    listCollection(db, share.userId, { q: query.q, set: query.set, sort: 'set', page: query.page, pageSize: PUBLIC_PAGE_SIZE }, share.currency),
    db.selectFrom('sets').select(['sets.id', 'sets.name'])
      .where(eb => eb.exists(eb.selectFrom('user_cards as uc').innerJoin('cards as c', 'c.id', 'uc.card_id').select('uc.id').whereRef('c.set_id', '=', 'sets.id').where('uc.user_id', '=', share.userId)))
      .orderBy('sets.release_date', 'desc').execute(),
  ])
  return {
    ...base,
    collection: {
      items: list.items.map(publicCopy),
      total: list.total,
      page: list.page,
      pageSize: list.pageSize,
      totals: { cards: list.totals.cards, distinct: list.totals.distinct },
      sets: sets.map(s => ({ id: s.id, name: pickName(s.name as LocalizedNames, query.lang).name })),
    },
  }
}
