import { type Kysely, sql } from 'kysely'
import { type CollectionAddInput, MAX_QUANTITY } from '../../shared/schemas/collection'
import type { Database, UserCardRow } from '../database/schema'
import { paidCurrency } from '../prices/currency'
import { fulfilWants } from '../wants/wants'
import { finishForCard } from './finish'

export class CollectionError extends Error {
  constructor(readonly statusCode: 404 | 409 | 422, message: string) {
    super(message)
    this.name = 'CollectionError'
  }
}

/**
 * Adds copies of a card to a user's collection: a new row, or more quantity on the row of the same
 * card, condition, language, finish and grading, whose location, notes, price and date become the
 * ones given (those not given are kept). The copies come off the want list. Runs inside the caller's
 * transaction, or in its own.
 */
export async function addCardToCollection(
  db: Kysely<Database>,
  userId: string,
  input: CollectionAddInput,
  sourceDraftId: string | null = null,
): Promise<UserCardRow> {
  if (!db.isTransaction) return db.transaction().execute(trx => addCardToCollection(trx, userId, input, sourceDraftId))
  const card = await db.selectFrom('cards').select(['id', 'variants']).where('id', '=', input.cardId).executeTakeFirst()
  if (!card) throw new CollectionError(422, `Unknown card id: ${input.cardId}`)
  const finish = finishForCard(card, input.finish)

  const row = await db.insertInto('user_cards')
    .values({
      user_id: userId,
      card_id: input.cardId,
      quantity: input.quantity,
      condition: input.condition,
      language: input.language,
      finish,
      grader: input.grader,
      grade: input.grade,
      cert_number: input.certNumber,
      location: input.location,
      notes: input.notes,
      price_paid: input.pricePaid,
      price_paid_currency: await paidCurrency(db, userId, input.pricePaid, input.pricePaidCurrency),
      acquired_at: input.acquiredAt,
      source_draft_id: sourceDraftId,
    })
    .onConflict(oc => oc
      .expression(sql`user_id, card_id, condition, language, finish, coalesce(grader, ''), coalesce(grade, ''), coalesce(cert_number, '')`)
      .doUpdateSet({
        quantity: sql`user_cards.quantity + excluded.quantity`,
        location: sql`coalesce(excluded.location, user_cards.location)`,
        notes: sql`coalesce(excluded.notes, user_cards.notes)`,
        price_paid: sql`coalesce(excluded.price_paid, user_cards.price_paid)`,
        // The currency goes with the price it was given for.
        price_paid_currency: sql`case when excluded.price_paid is not null then excluded.price_paid_currency else user_cards.price_paid_currency end`,
        acquired_at: sql`coalesce(excluded.acquired_at, user_cards.acquired_at)`,
        version: sql`user_cards.version + 1`,
        updated_at: sql`now()`,
      })
      .where(sql<boolean>`user_cards.quantity + excluded.quantity <= ${MAX_QUANTITY}`))
    .returningAll()
    .executeTakeFirst()
  if (!row) throw new CollectionError(422, `Quantity would exceed ${MAX_QUANTITY}`)
  await fulfilWants(db, userId, card.id, finish, input.quantity)
  return row
}
