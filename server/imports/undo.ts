import { type Kysely, sql } from 'kysely'
import type { DraftDto } from '../../shared/schemas/imports'
import type { Database } from '../database/schema'
import { getDraft } from './drafts'
import { ImportError, notFound } from './errors'

/**
 * Takes back an added draft (the review tile's "Undo"): the copies its select added leave the
 * collection row they went into (the row goes when nothing is left of it) and the draft is pending
 * again, in one transaction. Undoing a draft that is not added → 409; a row deleted since takes
 * nothing away.
 */
export async function undoDraftSelection(db: Kysely<Database>, userId: string, draftId: string): Promise<DraftDto> {
  return db.transaction().execute(async (trx) => {
    const draft = await trx.selectFrom('card_drafts').select(['status', 'user_card_id', 'selection'])
      .where('id', '=', draftId).where('user_id', '=', userId)
      .forUpdate().executeTakeFirst()
    if (!draft) throw notFound('Draft')
    if (draft.status !== 'selected') throw new ImportError(409, 'This draft was not added to the collection, so there is nothing to undo')

    if (draft.user_card_id) {
      const row = await trx.selectFrom('user_cards').select(['id', 'quantity'])
        .where('id', '=', draft.user_card_id).where('user_id', '=', userId)
        .forUpdate().executeTakeFirst()
      const selection = (typeof draft.selection === 'string' ? JSON.parse(draft.selection) : draft.selection) as { quantity?: number } | null
      const added = Math.max(1, Number(selection?.quantity) || 1)
      if (row && row.quantity > added) {
        await trx.updateTable('user_cards')
          .set({ quantity: sql`quantity - ${added}`, version: sql`version + 1`, updated_at: sql`now()` })
          .where('id', '=', row.id).execute()
      }
      // Other drafts added to the same row keep their status; the foreign key clears their link.
      else if (row) await trx.deleteFrom('user_cards').where('id', '=', row.id).execute()
    }
    await trx.updateTable('card_drafts')
      .set({ status: 'pending', selected_card_id: null, user_card_id: null, selection: null, updated_at: sql`now()` })
      .where('id', '=', draftId).execute()
    return getDraft(trx, userId, draftId)
  })
}
