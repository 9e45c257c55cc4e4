import { type Kysely, sql } from 'kysely'
import { type CollectionPatch, MAX_QUANTITY } from '../../shared/schemas/collection'
import { retryConflicts } from '../database/retry'
import type { Database, UserCardRow, UserCardUpdate } from '../database/schema'
import { CollectionError } from './add'
import { paidCurrency } from '../prices/currency'
import { movePlacesToRow, trimPlacesOf } from '../binders/places'
import { checkFinishOfCard } from './finish'
import { type CollectionItem, getUserCard } from './items'

export interface UpdateResult {
  item: CollectionItem
  /** Set when the patch made this row the same kind as another one and the two were merged. */
  mergedFrom: string | null
}

const IDENTITY = ['condition', 'language', 'finish', 'grader', 'grade', 'certNumber'] as const

const sameKind = (row: UserCardRow, kind: Pick<UserCardRow, 'condition' | 'language' | 'finish' | 'grader' | 'grade' | 'cert_number'>) =>
  row.condition === kind.condition && row.language === kind.language && row.finish === kind.finish
  && (row.grader ?? '') === (kind.grader ?? '') && (row.grade ?? '') === (kind.grade ?? '') && (row.cert_number ?? '') === (kind.cert_number ?? '')

/**
 * Changes one row of the user's collection; undefined when the row is not theirs.
 *
 * `quantityDelta` adds to the quantity as stored (concurrent +1s all count); `expectedVersion`, when
 * given, refuses the change (409) if the row changed since the client read it.
 *
 * When the patch changes the row's kind (condition, language, finish, grading) onto a row of the same
 * card that already exists, the two are merged in one transaction: the quantities add up (422 above
 * MAX_QUANTITY), fields given in the patch win, otherwise the surviving row keeps its own values and
 * takes the moved row's where it had none; drafts pointing at the moved row follow it. The answer is
 * the surviving row, with `mergedFrom` naming the id that disappeared.
 *
 * Every row of the card is locked first, in id order, so that crossed merges (A onto B while B onto
 * A) wait for each other instead of deadlocking; a conflict Postgres still reports is retried.
 */
export async function updateUserCard(db: Kysely<Database>, userId: string, id: string, patch: CollectionPatch, expectedVersion?: number): Promise<UpdateResult | undefined> {
  return retryConflicts(() => db.transaction().execute(async (trx) => {
    const rows = await trx.selectFrom('user_cards').selectAll()
      .where('user_id', '=', userId)
      .where('card_id', '=', eb => eb.selectFrom('user_cards').select('card_id').where('id', '=', id).where('user_id', '=', userId))
      .orderBy('id').forUpdate().execute()
    const row = rows.find(r => r.id === id)
    if (!row) return undefined
    if (expectedVersion !== undefined && row.version !== expectedVersion) {
      throw new CollectionError(409, `This row changed since you read it (version ${row.version}, not ${expectedVersion}): reload it and try again`)
    }
    if (patch.finish !== undefined && patch.finish !== row.finish) await checkFinishOfCard(trx, row.card_id, patch.finish)

    const next = {
      condition: patch.condition ?? row.condition,
      language: patch.language ?? row.language,
      finish: patch.finish ?? row.finish,
      grader: patch.grader !== undefined ? patch.grader : row.grader,
      grade: patch.grade !== undefined ? patch.grade : row.grade,
      cert_number: patch.certNumber !== undefined ? patch.certNumber : row.cert_number,
    }
    const identityChanged = IDENTITY.some(k => patch[k] !== undefined) && !sameKind(row, next)

    const details: UserCardUpdate = {}
    if (patch.location !== undefined) details.location = patch.location
    if (patch.notes !== undefined) details.notes = patch.notes
    if (patch.pricePaid !== undefined) details.price_paid = patch.pricePaid
    if (patch.pricePaid !== undefined || patch.pricePaidCurrency !== undefined) {
      const price = patch.pricePaid !== undefined ? patch.pricePaid : (row.price_paid === null ? null : Number(row.price_paid))
      details.price_paid_currency = await paidCurrency(trx, userId, price, patch.pricePaidCurrency !== undefined ? patch.pricePaidCurrency : row.price_paid_currency)
    }
    if (patch.acquiredAt !== undefined) details.acquired_at = patch.acquiredAt
    const quantity = patch.quantityDelta !== undefined ? row.quantity + patch.quantityDelta : patch.quantity ?? row.quantity
    if (quantity < 1 || quantity > MAX_QUANTITY) {
      throw new CollectionError(422, `The quantity would become ${quantity}: it must stay between 1 and ${MAX_QUANTITY} (delete the row to remove it)`)
    }

    const twin = identityChanged ? rows.find(r => r.id !== id && sameKind(r, next)) : undefined
    if (!twin) {
      await trx.updateTable('user_cards')
        .set({ ...next, ...details, quantity, version: sql`version + 1`, updated_at: sql`now()` })
        .where('id', '=', id).execute()
      // Fewer copies than the binders and boxes hold: some places give theirs up.
      if (quantity < row.quantity) await trimPlacesOf(trx, id, quantity)
      return { item: (await getUserCard(trx, userId, id))!, mergedFrom: null }
    }

    const merged = twin.quantity + quantity
    if (merged > MAX_QUANTITY) {
      throw new CollectionError(422, `Merging into the existing row would make ${merged} copies (at most ${MAX_QUANTITY})`)
    }
    await trx.updateTable('card_drafts').set({ user_card_id: twin.id }).where('user_card_id', '=', id).execute()
    await movePlacesToRow(trx, id, twin.id)
    await trx.deleteFrom('user_cards').where('id', '=', id).execute()
    await trx.updateTable('user_cards')
      .set({
        quantity: merged,
        location: details.location !== undefined ? details.location : (twin.location ?? row.location),
        notes: details.notes !== undefined ? details.notes : (twin.notes ?? row.notes),
        price_paid: details.price_paid !== undefined ? details.price_paid : (twin.price_paid ?? row.price_paid),
        price_paid_currency: details.price_paid_currency !== undefined ? details.price_paid_currency : (twin.price_paid !== null ? twin.price_paid_currency : row.price_paid_currency),
        acquired_at: details.acquired_at !== undefined ? details.acquired_at : (twin.acquired_at ?? row.acquired_at),
        source_draft_id: twin.source_draft_id ?? row.source_draft_id,
        version: sql`version + 1`,
        updated_at: sql`now()`,
      })
      .where('id', '=', twin.id).execute()
    if (quantity < row.quantity) await trimPlacesOf(trx, twin.id, merged)
    return { item: (await getUserCard(trx, userId, twin.id))!, mergedFrom: id }
  }))
}

/** Deletes one row of the user's collection and returns it (for undo); undefined when not theirs. */
export async function deleteUserCard(db: Kysely<Database>, userId: string, id: string): Promise<CollectionItem | undefined> {
  return db.transaction().execute(async (trx) => {
    const item = await getUserCard(trx, userId, id)
    if (!item) return undefined
    await trx.deleteFrom('user_cards').where('id', '=', id).where('user_id', '=', userId).execute()
    return item
  })
}
