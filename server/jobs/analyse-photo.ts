import { type Kysely, sql } from 'kysely'
import type { Database } from '../database/schema'
import type { AnalyzeFn } from '../imports/batches'
import { type PhotoOutcome, recordPhotoOutcome } from '../imports/outcome'
import { invalidImageReason, isInvalidImageError, REASONS } from '../imports/reasons'
import type { ImageStore } from '../storage/image-store'
import type { JobContext, PhotoJob } from './queue'

export interface PhotoJobDeps {
  db: Kysely<Database>
  store: Pick<ImageStore, 'get' | 'remove'>
  analyze: AnalyzeFn
  ttlSeconds: number
  /** Runs of one photo, crashes of its worker included, before it is failed. */
  maxAttempts: number
  now?: () => Date
  log?: (message: string, error?: unknown) => void
}

export type PhotoJobResult = 'analyzed' | 'failed' | 'skipped'

/**
 * Analyses one queued photo and records its drafts. Safe to run twice, or after a worker died
 * half-way: a settled photo is skipped, and the drafts are written once (`recordPhotoOutcome`).
 * Throws only for what may pass (the image store down, an unexpected analysis error before the
 * last attempt), so that the queue retries it; everything else settles the photo with a reason.
 */
export async function analysePhotoJob(deps: PhotoJobDeps, job: PhotoJob, context?: JobContext): Promise<PhotoJobResult> {
  // Each run is counted before it starts: a photo that kills its worker is still counted.
  const image = await deps.db.updateTable('import_images')
    .set({ status: 'analyzing', attempts: sql`attempts + 1`, updated_at: sql`now()` })
    .where('id', '=', job.imageId).where('status', 'in', ['queued', 'analyzing'])
    .returning(['id', 'attempts', 'expires_at'])
    .executeTakeFirst()
  if (!image) return 'skipped'

  const settle = async (outcome: PhotoOutcome): Promise<PhotoJobResult> => {
    if (context?.signal.aborted) return 'skipped'
    return (await recordPhotoOutcome(deps.db, job.imageId, outcome)) ? outcome.status : 'skipped'
  }
  const release = () => deps.store.remove(job.imageId).catch(() => {})

  if (image.attempts > deps.maxAttempts) return settle({ status: 'failed', reason: REASONS.crashed })

  const now = deps.now?.() ?? new Date()
  const stored = await deps.store.get(job.imageId, deps.ttlSeconds)
  if (!stored) {
    const expired = new Date(image.expires_at).getTime() <= now.getTime()
    return settle({ status: 'failed', reason: expired ? REASONS.expiredBeforeAnalysis : REASONS.lost, released: true })
  }

  // The read restarted the photo's time to live: the expiry shown (and the reconciler) follow it.
  await deps.db.updateTable('import_images').set({ expires_at: new Date(now.getTime() + deps.ttlSeconds * 1000) })
    .where('id', '=', job.imageId).execute()

  try {
    const analysis = await deps.analyze(stored.bytes)
    return await settle({ status: 'analyzed', width: analysis.width, height: analysis.height, drafts: analysis.drafts })
  }
  catch (error) {
    if (isInvalidImageError(error)) {
      // Bytes that cannot be decoded are not kept: they only took room from everyone's photos.
      const result = await settle({ status: 'failed', reason: invalidImageReason(error), released: true })
      if (result === 'failed') await release()
      return result
    }
    deps.log?.(`[analysis] photo ${job.imageId}, run ${image.attempts} of ${deps.maxAttempts}`, error)
    if (image.attempts >= deps.maxAttempts) return settle({ status: 'failed', reason: REASONS.notAnalysed })
    throw error
  }
}
