import { type Kysely, sql } from 'kysely'
import type { BatchStatus } from '../../shared/schemas/imports'
import type { Database } from '../database/schema'
import type { AnalyzedDraft } from './batches'
import { REASONS } from './reasons'

/** What became of one photo: its drafts, or a reason it has none. */
export type PhotoOutcome =
  | { status: 'analyzed', width: number, height: number, drafts: AnalyzedDraft[] }
  | { status: 'failed', reason: string, /** its bytes were removed from the store */ released?: boolean }

const EMPTY_READ = { name: null, hp: null, number: null, printedTotal: null, setCode: null, lang: null, raw: {} }

// A photo's drafts are ordered after the previous photo's: photo position × 1000 + card index.
export const CARDS_PER_PHOTO = 1000

function draftsOf(outcome: PhotoOutcome): AnalyzedDraft[] {
  const failed = (reason: string): AnalyzedDraft[] =>
    [{ quad: null, crop: null, read: EMPTY_READ, candidates: [], confident: false, status: 'failed', failureReason: reason }]
  if (outcome.status === 'failed') return failed(outcome.reason)
  // Still one draft for a photo with no card, so it shows up for review and can be matched by hand.
  if (outcome.drafts.length === 0) return failed(REASONS.noCard)
  return outcome.drafts.slice(0, CARDS_PER_PHOTO).map(d => d.status === 'failed' ? { ...d, failureReason: REASONS.cardUnreadable } : d)
}

/** A batch's status once none of its photos is waiting: every photo read, some, or none. */
export function settledStatus(counts: { pending: number, analyzed: number, failed: number }): BatchStatus {
  if (counts.pending > 0) return 'analyzing'
  if (counts.failed === 0) return 'ready'
  return counts.analyzed > 0 ? 'partial' : 'failed'
}

/**
 * Writes what became of one photo, exactly once: in one transaction, with the batch and the photo
 * locked, a photo already settled is left alone (a job that ran twice writes its drafts once);
 * otherwise its drafts replace any it had, and the batch settles when it was its last photo.
 * Answers false when there was nothing to write (already settled, or the batch is gone).
 */
export async function recordPhotoOutcome(db: Kysely<Database>, imageId: string, outcome: PhotoOutcome): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const ref = await trx.selectFrom('import_images').select(['batch_id']).where('id', '=', imageId).executeTakeFirst()
    if (!ref) return false
    // Batch first, then photo: the last two photos of a batch cannot both think the other still runs.
    const batch = await trx.selectFrom('import_batches').select(['id', 'status']).where('id', '=', ref.batch_id).forUpdate().executeTakeFirst()
    const image = await trx.selectFrom('import_images').select(['id', 'status', 'position', 'user_id'])
      .where('id', '=', imageId).forUpdate().executeTakeFirst()
    if (!batch || !image || !['queued', 'analyzing'].includes(image.status)) return false

    await trx.deleteFrom('card_drafts').where('image_id', '=', imageId).execute()
    // One insert per draft: crops are ~100 kB each.
    for (const [i, d] of draftsOf(outcome).entries()) {
      await trx.insertInto('card_drafts').values({
        batch_id: batch.id,
        image_id: imageId,
        user_id: image.user_id,
        position: image.position * CARDS_PER_PHOTO + i,
        quad: d.quad ? JSON.stringify(d.quad) : null,
        crop: d.crop?.bytes ?? null,
        crop_type: d.crop?.contentType ?? null,
        read: JSON.stringify(d.read),
        candidates: JSON.stringify(d.candidates),
        confident: d.confident,
        status: d.status,
        failure_reason: d.failureReason,
      }).execute()
    }
    await trx.updateTable('import_images').set({
      status: outcome.status,
      width: outcome.status === 'analyzed' ? outcome.width : null,
      height: outcome.status === 'analyzed' ? outcome.height : null,
      failure_reason: outcome.status === 'failed' ? outcome.reason : null,
      ...(outcome.status === 'failed' && outcome.released ? { kept: false } : {}),
      updated_at: sql`now()`,
    }).where('id', '=', imageId).execute()

    const counts = await trx.selectFrom('import_images')
      .select([
        sql<number>`(count(*) filter (where status in ('queued', 'analyzing', 'receiving')))::int`.as('pending'),
        sql<number>`(count(*) filter (where status = 'analyzed'))::int`.as('analyzed'),
        sql<number>`(count(*) filter (where status = 'failed'))::int`.as('failed'),
      ])
      .where('batch_id', '=', batch.id).executeTakeFirstOrThrow()
    await trx.updateTable('import_batches').set({ status: settledStatus(counts), updated_at: sql`now()` })
      .where('id', '=', batch.id).execute()
    return true
  })
}
