import { type Kysely, sql } from 'kysely'
import { binderCapacity, type BinderLayout, LAYOUT_GRID } from '../../shared/binders'
import type { BinderCreate, BinderPatch, BinderSummary, BinderView, BoxSummary, BoxView, ExpectedCard } from '../../shared/schemas/binders'
import type { PriceCurrency } from '../../shared/schemas/prices'
import { pickName } from '../catalog/query'
import { CollectionError } from '../collection/add'
import type { Database, LocalizedNames } from '../database/schema'
import { placedCardsQuery, toSlotCard } from './slot-cards'

type Db = Kysely<Database>

const round2 = (n: number) => Math.round(n * 100) / 100

/** What the copies in each of the user's binders or boxes number and are worth. */
async function placeTotals(db: Db, userId: string, currency: PriceCurrency, column: 'binder_id' | 'box_id') {
  const rows = await placedCardsQuery(db, currency).clearSelect()
    .select([
      `cp.${column} as id`,
      sql<number>`sum(cp.quantity)::int`.as('copies'),
      sql<string>`coalesce(sum(cp.quantity * p.market), 0)::text`.as('value'),
      sql<number>`coalesce(sum(cp.quantity) filter (where p.market is not null), 0)::int`.as('priced'),
    ])
    .where('cp.user_id', '=', userId).where(`cp.${column}`, 'is not', null)
    .groupBy(`cp.${column}`)
    .execute()
  return new Map(rows.map(r => [r.id as string, { copies: r.copies, value: { total: round2(Number(r.value)), currency, pricedCopies: r.priced } }]))
}

const emptyValue = (currency: string) => ({ total: 0, currency, pricedCopies: 0 })

function binderColumns(db: Db) {
  return db.selectFrom('binders as b').leftJoin('sets as s', 's.id', 'b.set_id')
    .select(['b.id', 'b.name', 'b.layout', 'b.pages', 'b.set_id', 'b.set_offset', 's.name as set_names'])
}

/** The user's binders, oldest first, with how full each is and what it holds is worth. */
export async function listBinders(db: Db, userId: string, currency: PriceCurrency, lang?: string): Promise<BinderSummary[]> {
  const [rows, totals, shared] = await Promise.all([
    binderColumns(db).where('b.user_id', '=', userId).orderBy('b.created_at').orderBy('b.id').execute(),
    placeTotals(db, userId, currency, 'binder_id'),
    db.selectFrom('shares').select('binder_id').where('user_id', '=', userId).where('kind', '=', 'binder').execute(),
  ])
  const sharedIds = new Set(shared.map(s => s.binder_id))
  return rows.map((r) => {
    const t = totals.get(r.id)
    return {
      id: r.id,
      name: r.name,
      layout: r.layout,
      pages: r.pages,
      capacity: binderCapacity(r.layout, r.pages),
      filled: t?.copies ?? 0,
      setId: r.set_id,
      setName: r.set_names ? pickName(r.set_names as LocalizedNames, lang).name : null,
      value: t?.value ?? emptyValue(currency),
      shared: sharedIds.has(r.id),
    }
  })
}

export async function createBinder(db: Db, userId: string, input: BinderCreate): Promise<string> {
  const row = await db.insertInto('binders').values({ user_id: userId, name: input.name, layout: input.layout, pages: input.pages })
    .returning('id').executeTakeFirstOrThrow()
  return row.id
}

/** The user's binder row locked against moves and changes until the transaction ends; 404 when not theirs. */
export async function lockBinder(trx: Db, userId: string, id: string) {
  const row = await trx.selectFrom('binders').select(['id', 'layout', 'pages', 'name'])
    .where('id', '=', id).where('user_id', '=', userId).forNoKeyUpdate().executeTakeFirst()
  if (!row) throw new CollectionError(404, 'Binder not found')
  return row
}

/**
 * Renames a binder, or changes its pages or layout. A layout changes only while the binder is empty
 * (slots would move under the cards); pages go only while they are empty. 409 otherwise.
 */
export async function updateBinder(db: Db, userId: string, id: string, patch: BinderPatch): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const binder = await lockBinder(trx, userId, id)
    const used = await trx.selectFrom('copy_places').select([sql<number>`count(*)::int`.as('n'), sql<number | null>`max(page)`.as('last')])
      .where('binder_id', '=', id).executeTakeFirstOrThrow()
    if (patch.layout && patch.layout !== binder.layout && used.n > 0) {
      throw new CollectionError(409, 'Take the cards out of this binder before changing its page layout')
    }
    if (patch.pages !== undefined && used.last !== null && patch.pages < used.last) {
      throw new CollectionError(409, `Page ${used.last} still holds cards: empty it before removing it`)
    }
    await trx.updateTable('binders')
      .set({
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.layout !== undefined ? { layout: patch.layout } : {}),
        ...(patch.pages !== undefined ? { pages: patch.pages } : {}),
        // A set binder's order no longer holds on another layout.
        ...(patch.layout && patch.layout !== binder.layout ? { set_id: null, set_offset: null } : {}),
        updated_at: sql`now()`,
      })
      .where('id', '=', id).execute()
  })
}

/** Deletes a binder; the cards it held stay in the collection, placed nowhere. False when not theirs. */
export async function deleteBinder(db: Db, userId: string, id: string): Promise<boolean> {
  const res = await db.deleteFrom('binders').where('id', '=', id).where('user_id', '=', userId).executeTakeFirst()
  return Number(res.numDeletedRows) > 0
}

/**
 * A binder with every filled slot (card picture, copy, price) and, for a set binder, the card each
 * slot is meant for. `owner` null reads the binder whoever owns it (a public link already checked)
 * and leaves out the owner's row ids. Null when it is not there.
 */
export async function getBinderView(db: Db, binderId: string, owner: string | null, currency: PriceCurrency, lang?: string): Promise<BinderView | null> {
  const row = await binderColumns(db).select('b.user_id').where('b.id', '=', binderId)
    .$if(owner !== null, q => q.where('b.user_id', '=', owner!)).executeTakeFirst()
  if (!row) return null
  const withIds = owner !== null
  const placed = await placedCardsQuery(db, currency).where('cp.binder_id', '=', binderId).orderBy('cp.page').orderBy('cp.slot').execute()
  const slots = placed.map(p => ({ page: p.page!, slot: p.slot!, card: toSlotCard(p, currency, { withIds }) }))
  const priced = slots.filter(s => s.card.price)
  const layout = row.layout as BinderLayout
  return {
    binder: {
      ...(withIds ? { id: row.id } : {}),
      name: row.name,
      layout,
      ...LAYOUT_GRID[layout],
      pages: row.pages,
      capacity: binderCapacity(layout, row.pages),
      filled: slots.length,
      setId: row.set_id,
      setName: row.set_names ? pickName(row.set_names as LocalizedNames, lang).name : null,
      setOffset: row.set_offset,
      ...(withIds
        ? {
            value: { total: round2(priced.reduce((n, s) => n + s.card.price!.unit, 0)), currency, pricedCopies: priced.length },
            shared: !!(await db.selectFrom('shares').select('id').where('binder_id', '=', binderId).executeTakeFirst()),
          }
        : {}),
    },
    slots: withIds ? slots : slots.map(s => ({ ...s, card: { ...s.card, price: undefined } })),
    expected: row.set_id && row.set_offset !== null ? await expectedCards(db, row.set_id, row.set_offset, binderCapacity(layout, row.pages), lang) : [],
  }
}

/** A set's cards in number order (the order of its page and of a set binder). */
export function setCardsInOrder(db: Db, setId: string) {
  return db.selectFrom('cards as c').innerJoin('sets as s', 's.id', 'c.set_id')
    .select(['c.id', 'c.name', 'c.local_id', 's.printed_total'])
    .where('c.set_id', '=', setId)
    .orderBy(sql`c.number asc nulls last`).orderBy('c.local_id')
}

async function expectedCards(db: Db, setId: string, offset: number, capacity: number, lang?: string): Promise<ExpectedCard[]> {
  const cards = await setCardsInOrder(db, setId).execute()
  return cards.map((c, i) => ({
    index: offset + i,
    cardId: c.id,
    name: pickName(c.name as LocalizedNames, lang).name,
    names: c.name as LocalizedNames,
    localId: c.local_id,
    printedTotal: c.printed_total,
  })).filter(c => c.index < capacity)
}

export async function listBoxes(db: Db, userId: string, currency: PriceCurrency): Promise<BoxSummary[]> {
  const [rows, totals] = await Promise.all([
    db.selectFrom('boxes').select(['id', 'name']).where('user_id', '=', userId).orderBy('created_at').orderBy('id').execute(),
    placeTotals(db, userId, currency, 'box_id'),
  ])
  return rows.map(r => ({ id: r.id, name: r.name, copies: totals.get(r.id)?.copies ?? 0, value: totals.get(r.id)?.value ?? emptyValue(currency) }))
}

export async function createBox(db: Db, userId: string, name: string): Promise<string> {
  return (await db.insertInto('boxes').values({ user_id: userId, name }).returning('id').executeTakeFirstOrThrow()).id
}

export async function renameBox(db: Db, userId: string, id: string, name: string): Promise<boolean> {
  const res = await db.updateTable('boxes').set({ name, updated_at: sql`now()` }).where('id', '=', id).where('user_id', '=', userId).executeTakeFirst()
  return Number(res.numUpdatedRows) > 0
}

export async function deleteBox(db: Db, userId: string, id: string): Promise<boolean> {
  const res = await db.deleteFrom('boxes').where('id', '=', id).where('user_id', '=', userId).executeTakeFirst()
  return Number(res.numDeletedRows) > 0
}

export async function getBoxView(db: Db, userId: string, id: string, currency: PriceCurrency): Promise<BoxView | null> {
  const box = await db.selectFrom('boxes').select(['id', 'name']).where('id', '=', id).where('user_id', '=', userId).executeTakeFirst()
  if (!box) return null
  const rows = await placedCardsQuery(db, currency).where('cp.box_id', '=', id)
    .orderBy('s.release_date').orderBy(sql`c.number nulls last`).orderBy('c.local_id').orderBy('uc.id').execute()
  const items = rows.map(r => ({ userCardId: r.user_card_id, quantity: r.placed, card: toSlotCard(r, currency, { withIds: true, quantity: r.placed }) }))
  const priced = items.filter(i => i.card.price)
  return {
    box: {
      id: box.id,
      name: box.name,
      copies: items.reduce((n, i) => n + i.quantity, 0),
      value: { total: round2(priced.reduce((n, i) => n + i.card.price!.total, 0)), currency, pricedCopies: priced.reduce((n, i) => n + i.quantity, 0) },
    },
    items,
  }
}
