import { type Kysely, sql } from 'kysely'
import { binderCapacity, isSlotOf, rowColOf, slotIndex, slotOfIndex } from '../../shared/binders'
import type { BinderFillInput, CopyPlace, FillResult, MoveInput, PlaceInput } from '../../shared/schemas/binders'
import { CollectionError } from '../collection/add'
import { retryConflicts } from '../database/retry'
import type { BinderLayout } from '../../shared/binders'
import type { Database } from '../database/schema'
import { lockBinder, setCardsInOrder } from './binders'
import { type CopyCandidate, planFill, trimPlaces } from './plan'

type Db = Kysely<Database>
type Slot = { binderId: string, page: number, slot: number }
type Box = { boxId: string }

const isSlot = (p: PlaceInput): p is Slot => !!p && 'binderId' in p
const isBox = (p: PlaceInput): p is Box => !!p && 'boxId' in p
const samePlace = (a: PlaceInput, b: PlaceInput) =>
  (a === null && b === null)
  || (isSlot(a) && isSlot(b) && a.binderId === b.binderId && a.page === b.page && a.slot === b.slot)
  || (isBox(a) && isBox(b) && a.boxId === b.boxId)

/** Another transaction changed what this one read before its locks: run it again (retryConflicts knows the code), else 409. */
function staleRead() {
  return Object.assign(new CollectionError(409, 'This slot changed meanwhile: reload and try again'), { code: '40001' })
}

/**
 * Locks the user's collection rows in id order (the order every writer of places uses), and answers
 * each one's quantity and how many of its copies are placed; a row that is not theirs is missing.
 */
async function lockRows(trx: Db, userId: string, ids: string[]) {
  const unique = [...new Set(ids)].sort()
  if (!unique.length) return new Map<string, { quantity: number, placed: number }>()
  const rows = await trx.selectFrom('user_cards').select(['id', 'quantity'])
    .where('user_id', '=', userId).where('id', 'in', unique).orderBy('id').forUpdate().execute()
  const placed = await trx.selectFrom('copy_places').select(['user_card_id', sql<number>`sum(quantity)::int`.as('n')])
    .where('user_card_id', 'in', unique).groupBy('user_card_id').execute()
  const placedOf = new Map(placed.map(p => [p.user_card_id, p.n]))
  return new Map(rows.map(r => [r.id, { quantity: r.quantity, placed: placedOf.get(r.id) ?? 0 }]))
}

const slotRow = (trx: Db, s: Slot) => trx.selectFrom('copy_places').select(['id', 'user_card_id'])
  .where('binder_id', '=', s.binderId).where('page', '=', s.page).where('slot', '=', s.slot)

function checkSlot(s: Slot, binder: { layout: BinderLayout, pages: number }) {
  if (!isSlotOf(binder.layout, binder.pages, s.page, s.slot)) {
    throw new CollectionError(422, `This binder has no slot ${s.slot} on page ${s.page}`)
  }
}

/**
 * Moves copies of one of the user's rows from one place to another, all or nothing. Binders are
 * locked first (every move in a binder waits for the one before), then the rows involved, in id
 * order, as the collection's own writers do; a 404 for a row, binder or box that is not theirs.
 */
export async function moveCopies(db: Db, userId: string, input: MoveInput): Promise<{ userCardIds: string[] }> {
  const { userCardId, from, to } = input
  const quantity = input.quantity
  if ((isSlot(from) || isSlot(to)) && quantity !== 1) throw new CollectionError(422, 'A binder slot holds one copy: move one at a time')
  if (samePlace(from, to)) return { userCardIds: [userCardId] }
  return retryConflicts(() => db.transaction().execute(async (trx) => {
    const binders = new Map<string, { layout: BinderLayout, pages: number }>()
    for (const id of [...new Set([from, to].filter(isSlot).map(s => s.binderId))].sort()) {
      binders.set(id, await lockBinder(trx, userId, id))
    }
    for (const s of [from, to].filter(isSlot)) checkSlot(s, binders.get(s.binderId)!)
    const boxIds = [...new Set([from, to].filter(isBox).map(b => b.boxId))]
    if (boxIds.length) {
      const found = await trx.selectFrom('boxes').select('id').where('user_id', '=', userId).where('id', 'in', boxIds).execute()
      if (found.length !== boxIds.length) throw new CollectionError(404, 'Box not found')
    }

    const occupant = isSlot(to) ? await slotRow(trx, to).executeTakeFirst() : undefined
    const rows = await lockRows(trx, userId, [userCardId, ...(occupant ? [occupant.user_card_id] : [])])
    const row = rows.get(userCardId)
    if (!row) throw new CollectionError(404, 'Collection row not found')
    // The binder lock keeps other moves out, but a row's own change (fewer copies, deleted) may have emptied the slot meanwhile.
    if (isSlot(to) && (await slotRow(trx, to).executeTakeFirst())?.id !== occupant?.id) throw staleRead()

    // Where the copies come from.
    let source: { id: string, quantity: number } | undefined
    if (from === null) {
      if (row.quantity - row.placed < quantity) {
        throw new CollectionError(409, row.quantity - row.placed > 0
          ? `Only ${row.quantity - row.placed} of these copies are not placed yet`
          : 'Every copy of this card is already placed: move it from where it is')
      }
    }
    else {
      const q = trx.selectFrom('copy_places').select(['id', 'quantity']).where('user_card_id', '=', userCardId)
      source = isSlot(from)
        ? await q.where('binder_id', '=', from.binderId).where('page', '=', from.page).where('slot', '=', from.slot).executeTakeFirst()
        : await q.where('box_id', '=', from.boxId).executeTakeFirst()
      if (!source) throw new CollectionError(409, 'This copy is no longer there: reload and try again')
      if (source.quantity < quantity) throw new CollectionError(409, `That box holds only ${source.quantity} of these copies`)
    }

    if (occupant && !isSlot(from)) throw new CollectionError(409, 'That slot already holds a card: move it first, or move a card from another slot to swap them')

    if (isSlot(from) && isSlot(to)) {
      // The slot's row moves with its copy; a swap moves the other one back. The unique slot is checked at commit.
      if (occupant) await trx.updateTable('copy_places').set({ binder_id: from.binderId, page: from.page, slot: from.slot, placed_at: sql`now()` }).where('id', '=', occupant.id).execute()
      await trx.updateTable('copy_places').set({ binder_id: to.binderId, page: to.page, slot: to.slot, placed_at: sql`now()` }).where('id', '=', source!.id).execute()
    }
    else {
      if (source && source.quantity > quantity) await trx.updateTable('copy_places').set({ quantity: source.quantity - quantity }).where('id', '=', source.id).execute()
      else if (source) await trx.deleteFrom('copy_places').where('id', '=', source.id).execute()
      if (isSlot(to)) {
        await trx.insertInto('copy_places').values({ user_id: userId, user_card_id: userCardId, binder_id: to.binderId, page: to.page, slot: to.slot }).execute()
      }
      else if (isBox(to)) {
        await trx.insertInto('copy_places').values({ user_id: userId, user_card_id: userCardId, box_id: to.boxId, quantity })
          .onConflict(oc => oc.constraint('copy_places_box_unique').doUpdateSet({ quantity: sql`copy_places.quantity + excluded.quantity`, placed_at: sql`now()` }))
          .execute()
      }
    }
    return { userCardIds: [userCardId, ...(occupant ? [occupant.user_card_id] : [])] }
  }))
}

/** Where the copies of each of these rows of the user are (rows with none are left out). */
export async function placesOf(db: Db, userId: string, userCardIds: string[]): Promise<Map<string, CopyPlace[]>> {
  const out = new Map<string, CopyPlace[]>()
  if (!userCardIds.length) return out
  const rows = await db.selectFrom('copy_places as cp')
    .leftJoin('binders as b', 'b.id', 'cp.binder_id')
    .leftJoin('boxes as x', 'x.id', 'cp.box_id')
    .select(['cp.user_card_id', 'cp.binder_id', 'cp.page', 'cp.slot', 'cp.box_id', 'cp.quantity', 'b.name as binder_name', 'b.layout', 'x.name as box_name'])
    .where('cp.user_id', '=', userId).where('cp.user_card_id', 'in', userCardIds)
    .orderBy('b.created_at').orderBy('cp.page').orderBy('cp.slot').orderBy('x.created_at')
    .execute()
  for (const r of rows) {
    const place: CopyPlace = r.binder_id
      ? { kind: 'slot', binderId: r.binder_id, binderName: r.binder_name!, page: r.page!, slot: r.slot!, ...rowColOf(r.layout as BinderLayout, r.slot!) }
      : { kind: 'box', boxId: r.box_id!, boxName: r.box_name!, quantity: r.quantity }
    out.set(r.user_card_id, [...(out.get(r.user_card_id) ?? []), place])
  }
  return out
}

/**
 * Fills the user's binder with a set's cards in number order (see planFill): their copies that are
 * placed nowhere go into the free slots from `startPage`/`startSlot`. With gaps the binder becomes the
 * set's binder, whose empty slots show the card each is meant for.
 */
export async function fillBinder(db: Db, userId: string, binderId: string, input: BinderFillInput): Promise<FillResult> {
  return retryConflicts(() => db.transaction().execute(async (trx) => {
    const binder = await lockBinder(trx, userId, binderId)
    if (!isSlotOf(binder.layout, binder.pages, input.startPage, input.startSlot)) {
      throw new CollectionError(422, `This binder has no slot ${input.startSlot} on page ${input.startPage}`)
    }
    const set = await trx.selectFrom('sets').select('id').where('id', '=', input.setId).executeTakeFirst()
    if (!set) throw new CollectionError(422, `Unknown set id: ${input.setId}`)
    const cards = (await setCardsInOrder(trx, set.id).execute()).map(c => c.id)
    const owned = await trx.selectFrom('user_cards as uc').innerJoin('cards as c', 'c.id', 'uc.card_id')
      .select(['uc.id']).where('uc.user_id', '=', userId).where('c.set_id', '=', set.id).execute()
    const rows = await lockRows(trx, userId, owned.map(r => r.id))
    const details = rows.size
      ? await trx.selectFrom('user_cards').select(['id', 'card_id', 'condition', 'grader', 'grade', 'created_at']).where('id', 'in', [...rows.keys()]).execute()
      : []
    const copies = new Map<string, CopyCandidate[]>()
    for (const d of details) {
      const r = rows.get(d.id)!
      const candidate = { userCardId: d.id, cardId: d.card_id, condition: d.condition, graded: !!(d.grader || d.grade), free: r.quantity - r.placed, createdAt: new Date(d.created_at as unknown as Date | string).getTime() }
      copies.set(d.card_id, [...(copies.get(d.card_id) ?? []), candidate])
    }
    const taken = await trx.selectFrom('copy_places').select(['page', 'slot']).where('binder_id', '=', binderId).execute()
    const layout = binder.layout
    const start = slotIndex(layout, input.startPage, input.startSlot)
    const plan = planFill({ cards, start, capacity: binderCapacity(layout, binder.pages), gaps: input.gaps, occupied: new Set(taken.map(t => slotIndex(layout, t.page!, t.slot!))), copies })
    for (let i = 0; i < plan.placements.length; i += 500) {
      await trx.insertInto('copy_places')
        .values(plan.placements.slice(i, i + 500).map(p => ({ user_id: userId, user_card_id: p.userCardId, binder_id: binderId, ...slotOfIndex(layout, p.index) })))
        .execute()
    }
    if (input.gaps) await trx.updateTable('binders').set({ set_id: set.id, set_offset: start, updated_at: sql`now()` }).where('id', '=', binderId).execute()
    return { placed: plan.placements.length, missing: plan.missing, occupied: plan.occupied, didNotFit: plan.didNotFit }
  }))
}

/**
 * Called by the collection's writers, inside their transaction, with the row already locked: a row
 * now holding fewer copies than its places give some places up (see trimPlaces).
 */
export async function trimPlacesOf(trx: Db, userCardId: string, quantity: number): Promise<void> {
  const places = await trx.selectFrom('copy_places').select(['id', 'binder_id', 'quantity', 'placed_at']).where('user_card_id', '=', userCardId).execute()
  const changes = trimPlaces(places.map(p => ({ id: p.id, kind: p.binder_id ? 'slot' : 'box', quantity: p.quantity, placedAt: new Date(p.placed_at).getTime() })), quantity)
  for (const c of changes) {
    if (c.keep === 0) await trx.deleteFrom('copy_places').where('id', '=', c.id).execute()
    else await trx.updateTable('copy_places').set({ quantity: c.keep }).where('id', '=', c.id).execute()
  }
}

/** Called when a row is merged into another (both locked): its places become the other's, a box's copies adding up. */
export async function movePlacesToRow(trx: Db, fromId: string, toId: string): Promise<void> {
  await trx.updateTable('copy_places').set({ user_card_id: toId }).where('user_card_id', '=', fromId).where('binder_id', 'is not', null).execute()
  const boxed = await trx.selectFrom('copy_places').select(['id', 'user_id', 'box_id', 'quantity']).where('user_card_id', '=', fromId).execute()
  for (const b of boxed) {
    await trx.deleteFrom('copy_places').where('id', '=', b.id).execute()
    await trx.insertInto('copy_places').values({ user_id: b.user_id, user_card_id: toId, box_id: b.box_id, quantity: b.quantity })
      .onConflict(oc => oc.constraint('copy_places_box_unique').doUpdateSet({ quantity: sql`copy_places.quantity + excluded.quantity` }))
      .execute()
  }
}
