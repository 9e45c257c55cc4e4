import { type Kysely, sql } from 'kysely'
import type { Finish } from '../../shared/schemas/collection'
import { type PriceCurrency, SOURCE_OF_CURRENCY } from '../../shared/schemas/prices'
import { matchesMissingFilter, type MissingFilter, type WantAdd, type WantItem, type WantList, type WantPatch } from '../../shared/schemas/wants'
import { defaultFinish } from '../../shared/variants'
import { cardSummary } from '../catalog/query'
import { CollectionError } from '../collection/add'
import { finishForCard } from '../collection/finish'
import type { Database } from '../database/schema'

type Db = Kysely<Database>
const round2 = (n: number) => Math.round(n * 100) / 100

export type WantSort = 'added' | 'name' | 'set' | 'price'

/**
 * A user's want list with each card's market price in `currency` (the finish wanted, else the card's
 * plain printing) and the total. `withIds` false leaves out the entry ids and dates (a public page).
 */
export async function listWants(db: Db, userId: string, currency: PriceCurrency, options: { lang?: string, sort?: WantSort, withIds?: boolean } = {}): Promise<WantList> {
  const withIds = options.withIds ?? true
  const rows = await db.selectFrom('wants as w')
    .innerJoin('cards as c', 'c.id', 'w.card_id')
    .innerJoin('sets as s', 's.id', 'c.set_id')
    .select([
      'w.id', 'w.card_id', 'w.finish', 'w.quantity', 'w.note', 'w.created_at', 'c.name as names', 'c.local_id', 'c.rarity', 'c.variants', 'c.number',
      's.id as set_id', 's.name as set_names', 's.code as set_code', 's.printed_total', 's.release_date',
      sql<number>`coalesce((select sum(uc.quantity) from user_cards uc where uc.user_id = w.user_id and uc.card_id = w.card_id), 0)::int`.as('owned'),
    ])
    .where('w.user_id', '=', userId)
    .execute()
  const prices = rows.length
    ? await db.selectFrom('card_prices').select(['card_id', 'variant', sql<string>`market::text`.as('market'), 'fetched_at'])
      .where('source', '=', SOURCE_OF_CURRENCY[currency]).where('market', 'is not', null)
      .where('card_id', 'in', [...new Set(rows.map(r => r.card_id))]).execute()
    : []
  const priceOf = new Map(prices.map(p => [`${p.card_id}|${p.variant}`, p]))

  const items: (WantItem & { order: { set: string, number: number, created: number } })[] = rows.map((r) => {
    const p = priceOf.get(`${r.card_id}|${r.finish ?? defaultFinish(r.variants)}`)
    const unit = p ? Number(p.market) : null
    return {
      ...(withIds ? { id: r.id, createdAt: new Date(r.created_at).toISOString() } : {}),
      cardId: r.card_id,
      finish: r.finish,
      quantity: r.quantity,
      // Notes are the owner's own (who offered it, at what price): never on a public page.
      note: withIds ? r.note : null,
      ...(withIds ? { owned: r.owned } : {}),
      card: {
        id: r.card_id,
        ...cardSummary(r, options.lang),
        setCode: r.set_code,
        rarity: r.rarity,
        ...(withIds ? { variants: r.variants } : {}),
      },
      price: unit === null ? null : { currency, unit, total: round2(unit * r.quantity), fetchedAt: new Date(p!.fetched_at).toISOString() },
      order: { set: `${r.release_date ?? '9999'}|${r.set_id}`, number: r.number ?? Number.MAX_SAFE_INTEGER, created: new Date(r.created_at).getTime() },
    }
  })
  const byName = (a: WantItem, b: WantItem) => a.card.name.localeCompare(b.card.name)
  switch (options.sort ?? 'set') {
    case 'added': items.sort((a, b) => b.order.created - a.order.created || byName(a, b)); break
    case 'name': items.sort((a, b) => byName(a, b) || a.cardId.localeCompare(b.cardId)); break
    case 'price': items.sort((a, b) => (b.price?.unit ?? -1) - (a.price?.unit ?? -1) || byName(a, b)); break
    default: items.sort((a, b) => a.order.set.localeCompare(b.order.set) || a.order.number - b.order.number || a.card.localId.localeCompare(b.card.localId) || (a.finish ?? '').localeCompare(b.finish ?? ''))
  }
  const priced = items.filter(i => i.price)
  return {
    items: items.map(({ order: _, ...item }) => item),
    totals: {
      entries: items.length,
      copies: items.reduce((n, i) => n + i.quantity, 0),
      value: round2(priced.reduce((n, i) => n + i.price!.total, 0)),
      pricedEntries: priced.length,
      currency,
    },
  }
}

/** More copies wanted of a card: a new entry, or more on the entry of the same card and finish (9999 at most). */
export async function addWant(db: Db, userId: string, input: WantAdd): Promise<string> {
  const card = await db.selectFrom('cards').select(['id', 'variants']).where('id', '=', input.cardId).executeTakeFirst()
  if (!card) throw new CollectionError(422, `Unknown card id: ${input.cardId}`)
  if (input.finish) finishForCard(card, input.finish)
  const row = await db.insertInto('wants')
    .values({ user_id: userId, card_id: card.id, finish: input.finish, quantity: input.quantity, note: input.note })
    .onConflict(oc => oc.expression(sql`user_id, card_id, coalesce(finish, '')`).doUpdateSet({
      quantity: sql`wants.quantity + excluded.quantity`,
      note: sql`coalesce(excluded.note, wants.note)`,
      updated_at: sql`now()`,
    }).where(sql<boolean>`wants.quantity + excluded.quantity <= 9999`))
    .returning('id').executeTakeFirst()
  if (!row) throw new CollectionError(422, 'The quantity wanted would exceed 9999')
  return row.id
}

/**
 * "Add all missing": every card of the set the user owns no copy of, matching the filter, joins the
 * want list (one copy, any finish), unless it is on it already.
 */
export async function addMissing(db: Db, userId: string, setId: string, filter: MissingFilter): Promise<{ added: number, alreadyWanted: number }> {
  const set = await db.selectFrom('sets').select(['id', 'printed_total']).where('id', '=', setId).executeTakeFirst()
  if (!set) throw new CollectionError(422, `Unknown set id: ${setId}`)
  const cards = await db.selectFrom('cards as c').select(['c.id', 'c.number', 'c.rarity', 'c.category'])
    .where('c.set_id', '=', set.id)
    .where(eb => eb.not(eb.exists(eb.selectFrom('user_cards as uc').select(sql`1`.as('one')).whereRef('uc.card_id', '=', 'c.id').where('uc.user_id', '=', userId))))
    .execute()
  const chosen = cards.filter(c => matchesMissingFilter({ number: c.number, printedTotal: set.printed_total, rarity: c.rarity, category: c.category }, filter))
  if (!chosen.length) return { added: 0, alreadyWanted: 0 }
  const wanted = new Set((await db.selectFrom('wants').select('card_id').where('user_id', '=', userId)
    .where('card_id', 'in', chosen.map(c => c.id)).execute()).map(w => w.card_id))
  const fresh = chosen.filter(c => !wanted.has(c.id))
  if (fresh.length) {
    await db.insertInto('wants').values(fresh.map(c => ({ user_id: userId, card_id: c.id, finish: null, quantity: 1, note: null })))
      .onConflict(oc => oc.expression(sql`user_id, card_id, coalesce(finish, '')`).doNothing()).execute()
  }
  return { added: fresh.length, alreadyWanted: chosen.length - fresh.length }
}

export async function updateWant(db: Db, userId: string, id: string, patch: WantPatch): Promise<boolean> {
  const res = await db.updateTable('wants')
    .set({ ...(patch.quantity !== undefined ? { quantity: patch.quantity } : {}), ...(patch.note !== undefined ? { note: patch.note } : {}), updated_at: sql`now()` })
    .where('id', '=', id).where('user_id', '=', userId).executeTakeFirst()
  return Number(res.numUpdatedRows) > 0
}

export async function deleteWant(db: Db, userId: string, id: string): Promise<boolean> {
  const res = await db.deleteFrom('wants').where('id', '=', id).where('user_id', '=', userId).executeTakeFirst()
  return Number(res.numDeletedRows) > 0
}

/**
 * Copies just added to the collection come off the want list: first the entry for their own finish,
 * then the any-finish entry; an entry whose wanted quantity is reached leaves the list. Run it in the
 * transaction that adds them. Returns how many wanted copies were crossed off.
 */
export async function fulfilWants(trx: Db, userId: string, cardId: string, finish: Finish, quantity: number): Promise<number> {
  const entries = await trx.selectFrom('wants').select(['id', 'finish', 'quantity'])
    .where('user_id', '=', userId).where('card_id', '=', cardId)
    .where(eb => eb.or([eb('finish', '=', finish), eb('finish', 'is', null)]))
    .orderBy(sql`finish is null`).forUpdate().execute()
  let left = quantity
  for (const entry of entries) {
    if (left <= 0) break
    const taken = Math.min(entry.quantity, left)
    left -= taken
    if (taken === entry.quantity) await trx.deleteFrom('wants').where('id', '=', entry.id).execute()
    else await trx.updateTable('wants').set({ quantity: entry.quantity - taken, updated_at: sql`now()` }).where('id', '=', entry.id).execute()
  }
  return quantity - left
}
