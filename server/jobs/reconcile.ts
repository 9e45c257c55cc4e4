import { type Kysely, sql } from 'kysely'
import type { Database } from '../database/schema'
import { recordPhotoOutcome } from '../imports/outcome'
import { REASONS } from '../imports/reasons'
import type { ImageStore } from '../storage/image-store'
import type { AnalysisQueue } from './queue'

export interface ReconcileDeps {
  db: Kysely<Database>
  queue: Pick<AnalysisQueue, 'enqueue' | 'holds'>
  store: Pick<ImageStore, 'remove'>
  /** A photo untouched this long while its job is unknown to the queue has lost its job. */
  graceSeconds: number
  maxAttempts: number
  /** An upload that received no part for this long died with its process. */
  staleUploadSeconds: number
  now?: () => Date
  log?: (message: string, error?: unknown) => void
}

export interface ReconcileResult {
  requeued: number
  failed: number
  /** Uploads that died half-way, removed with their bytes. */
  dropped: number
}

const BATCH = 200

/**
 * Nothing stays "analysing" forever, and nothing is orphaned. Safe to run from every process at
 * once, as often as wanted:
 * - a waiting photo whose job the queue no longer holds (Redis lost it, or the queue failed it) is
 *   queued again, or failed once it has had its runs;
 * - a waiting photo past its expiry that no queue holds is failed with a reason (the analysis was
 *   unavailable for the photo's whole lifetime);
 * - an upload that stopped receiving (its process died) is deleted, bytes included.
 */
export async function reconcile(deps: ReconcileDeps): Promise<ReconcileResult> {
  const now = deps.now?.() ?? new Date()
  const before = (seconds: number) => new Date(now.getTime() - seconds * 1000)
  const untouchedFor = (seconds: number) => sql<boolean>`updated_at < ${before(seconds)}`
  const result: ReconcileResult = { requeued: 0, failed: 0, dropped: 0 }

  const waiting = await deps.db.selectFrom('import_images')
    .select(['id', 'attempts', 'expires_at'])
    .where('status', 'in', ['queued', 'analyzing'])
    .where(untouchedFor(deps.graceSeconds))
    .orderBy('updated_at').limit(BATCH)
    .execute()
  for (const image of waiting) {
    const held = await deps.queue.holds(image.id)
    if (held) continue
    const expired = new Date(image.expires_at).getTime() < before(deps.graceSeconds).getTime()
    if (expired || (held === false && image.attempts >= deps.maxAttempts)) {
      const reason = expired ? REASONS.expiredBeforeAnalysis : REASONS.notAnalysed
      if (await recordPhotoOutcome(deps.db, image.id, { status: 'failed', reason, released: expired })) result.failed++
      continue
    }
    if (held === null) continue
    try {
      await deps.queue.enqueue([{ imageId: image.id }])
      await deps.db.updateTable('import_images').set({ updated_at: sql`now()` }).where('id', '=', image.id).execute()
      result.requeued++
    }
    catch (error) {
      deps.log?.('[analysis] could not queue a photo again', error)
    }
  }

  const stale = await deps.db.selectFrom('import_batches').select('id')
    .where('status', '=', 'receiving').where(untouchedFor(deps.staleUploadSeconds))
    .limit(BATCH).execute()
  for (const batch of stale) {
    if (await dropUpload(deps, batch.id)) result.dropped++
  }
  if (result.requeued || result.failed || result.dropped) deps.log?.(`[analysis] reconciled: ${JSON.stringify(result)}`)
  return result
}

/** Deletes an upload that never completed, and its bytes (the rows first name them, so none is orphaned). */
export async function dropUpload(deps: Pick<ReconcileDeps, 'db' | 'store'>, batchId: string): Promise<boolean> {
  const images = await deps.db.selectFrom('import_images').select('id').where('batch_id', '=', batchId).execute()
  try {
    await Promise.all(images.map(i => deps.store.remove(i.id)))
  }
  catch {
    return false // the store is down: the rows keep naming the bytes until the next try
  }
  const deleted = await deps.db.deleteFrom('import_batches').where('id', '=', batchId).where('status', '=', 'receiving').executeTakeFirst()
  return Number(deleted.numDeletedRows) > 0
}
