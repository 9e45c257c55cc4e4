import { type Kysely, sql } from 'kysely'
import type { DraftDto, DraftSelectInput } from '../../shared/schemas/imports'
import type { ScanPlacement } from '../../shared/schemas/binders'
import { lockScanOfDraft, placeScannedCopy } from '../binders/scan'
import { addCardToCollection } from '../collection/add'
import type { Database, UserCardRow } from '../database/schema'
import { DRAFT_COLUMNS, toDraftDto, toUserCardDto, type UserCardDto } from './dto'
import { ImportError, notFound } from './errors'

export interface DraftSelection {
  draft: DraftDto
  /** The collection row the card went into (null only if that row was deleted since). */
  userCard: UserCardDto | null
  /** For a draft of a binder page scan: the pocket its copy went into, or why not (absent otherwise). */
  place?: ScanPlacement
}

/** One of the user's drafts; 404 for another user's or an unknown id. */
export async function getDraft(db: Kysely<Database>, userId: string, draftId: string): Promise<DraftDto> {
  const row = await db.selectFrom('card_drafts').select(DRAFT_COLUMNS)
    .select(sql<boolean>`card_drafts.crop is not null`.as('has_crop'))
    .where('id', '=', draftId).where('user_id', '=', userId)
    .executeTakeFirst()
  if (!row) throw notFound('Draft')
  // Its number across the batch, as the batch shows it (photo order, then card order).
  const { n } = await db.selectFrom('card_drafts').select(sql<number>`count(*)::int`.as('n'))
    .where('batch_id', '=', row.batch_id).where('position', '<', row.position)
    .executeTakeFirstOrThrow()
  return { ...toDraftDto(row), position: n }
}

/** The straightened card kept with the draft (it outlives the photo); 404 when there is none. */
export async function getDraftCrop(db: Kysely<Database>, userId: string, draftId: string): Promise<{ bytes: Buffer, contentType: string }> {
  const row = await db.selectFrom('card_drafts').select(['crop', 'crop_type'])
    .where('id', '=', draftId).where('user_id', '=', userId)
    .executeTakeFirst()
  if (!row) throw notFound('Draft')
  if (!row.crop) throw new ImportError(404, 'This draft has no card crop (the card could not be located in the photo)')
  return { bytes: Buffer.from(row.crop), contentType: row.crop_type ?? 'image/jpeg' }
}

async function lockDraft(trx: Kysely<Database>, userId: string, draftId: string) {
  // The row lock makes concurrent selects of one draft queue up: the second sees it selected.
  const row = await trx.selectFrom('card_drafts').select(['id', 'status', 'user_card_id'])
    .where('id', '=', draftId).where('user_id', '=', userId)
    .forUpdate()
    .executeTakeFirst()
  if (!row) throw notFound('Draft')
  return row
}

/**
 * Adds the chosen card to the user's collection and marks the draft selected, in one transaction.
 * Selecting a draft again adds nothing and answers the first result; a dismissed draft → 409. A
 * draft of a binder page scan also puts its copy in its pocket, when free.
 */
export async function selectDraft(db: Kysely<Database>, userId: string, draftId: string, input: DraftSelectInput): Promise<DraftSelection> {
  return db.transaction().execute(async (trx) => {
    const draft = await lockDraft(trx, userId, draftId)
    if (draft.status === 'dismissed') {
      throw new ImportError(409, 'This draft was dismissed, so no card can be selected for it')
    }

    const scan = draft.status === 'pending' || draft.status === 'failed' ? await lockScanOfDraft(trx, userId, draftId) : null
    let userCard: UserCardRow | undefined
    let place: ScanPlacement | undefined
    if (draft.status === 'selected') {
      userCard = draft.user_card_id
        ? await trx.selectFrom('user_cards').selectAll()
            .where('id', '=', draft.user_card_id).where('user_id', '=', userId)
            .executeTakeFirst()
        : undefined
    }
    else {
      userCard = await addCardToCollection(trx, userId, input, draftId)
      await trx.updateTable('card_drafts')
        .set({
          status: 'selected',
          selected_card_id: input.cardId,
          user_card_id: userCard.id,
          // What was added, the finish the card's variants decided included.
          selection: JSON.stringify({ ...input, finish: userCard.finish }),
          updated_at: sql`now()`,
        })
        .where('id', '=', draftId)
        .execute()
      if (scan) place = await placeScannedCopy(trx, userId, scan, draftId, userCard.id)
    }
    return { draft: await getDraft(trx, userId, draftId), userCard: userCard ? toUserCardDto(userCard) : null, ...(place ? { place } : {}) }
  })
}

/** Sets a draft aside (nothing is added); a selected draft cannot be dismissed (409). Repeating it is harmless. */
export async function dismissDraft(db: Kysely<Database>, userId: string, draftId: string): Promise<DraftDto> {
  return db.transaction().execute(async (trx) => {
    const draft = await lockDraft(trx, userId, draftId)
    if (draft.status === 'selected') {
      throw new ImportError(409, 'This draft was already added to the collection; remove the card from the collection instead')
    }
    if (draft.status !== 'dismissed') {
      await trx.updateTable('card_drafts').set({ status: 'dismissed', updated_at: sql`now()` })
        .where('id', '=', draftId).execute()
    }
    return getDraft(trx, userId, draftId)
  })
}
