import type { Kysely } from 'kysely'
import type { Finish } from '../../shared/schemas/collection'
import { defaultFinish, finishesOf, isFinishOf } from '../../shared/variants'
import type { Database } from '../database/schema'
import { CollectionError } from './add'

/**
 * The finish a copy of this card gets: the one asked for when the card was printed in it (422
 * otherwise, naming the card's finishes), else the card's plain printing.
 */
export function finishForCard(card: { id: string, variants: string[] | null }, finish: Finish | undefined): Finish {
  if (finish === undefined) return defaultFinish(card.variants)
  if (!isFinishOf(finish, card.variants)) {
    throw new CollectionError(422, `Card ${card.id} is not printed in finish "${finish}" (its finishes: ${finishesOf(card.variants).join(', ')})`)
  }
  return finish
}

/** finishForCard for a card known by id (a PATCH that changes a copy's finish). */
export async function checkFinishOfCard(db: Kysely<Database>, cardId: string, finish: Finish): Promise<void> {
  const card = await db.selectFrom('cards').select(['id', 'variants']).where('id', '=', cardId).executeTakeFirstOrThrow()
  finishForCard(card, finish)
}
