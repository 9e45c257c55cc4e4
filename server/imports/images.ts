import type { Kysely } from 'kysely'
import type { Database } from '../database/schema'
import type { ImageStore, StoredImage } from '../storage/image-store'
import { ImportError, notFound } from './errors'
import { REASONS } from './reasons'

const GONE_REASONS = new Set<string>([REASONS.lost, REASONS.expiredBeforeAnalysis])

export const PHOTO_EXPIRED_MESSAGE
  = 'This photo has expired: uploaded photos are kept for a limited time only. Its drafts and card crops can still be reviewed.'
export const PHOTO_NOT_KEPT_MESSAGE
  = 'This file could not be read as a photo, so it was not kept.'
export const PHOTO_LOST_MESSAGE
  = 'This photo is no longer stored: the photo storage was restarted before it expired. Its drafts and card crops can still be reviewed.'

export interface ReadPhotoDeps {
  db: Kysely<Database>
  store: Pick<ImageStore, 'get'>
  ttlSeconds: number
  now?: () => Date
}

/**
 * The bytes of one of the user's uploaded photos. Each read restarts the photo's time to live (and
 * the `expiresAt` the API shows); 404 for another user's or an unknown id, 410 once gone, saying why:
 * expired, not kept (it could not be decoded), or lost (the store restarted before its expiry).
 */
export async function readPhoto(deps: ReadPhotoDeps, userId: string, imageId: string): Promise<StoredImage> {
  const row = await deps.db.selectFrom('import_images').select(['id', 'content_type', 'kept', 'expires_at', 'status', 'failure_reason'])
    .where('id', '=', imageId).where('user_id', '=', userId)
    .executeTakeFirst()
  if (!row) throw notFound('Photo')
  if (row.status === 'receiving') throw notFound('Photo')
  // Released on purpose because the bytes could not be decoded (not lost, not expired).
  if (!row.kept && row.status === 'failed' && !GONE_REASONS.has(row.failure_reason ?? '')) throw new ImportError(410, PHOTO_NOT_KEPT_MESSAGE)

  let image: StoredImage | null
  try {
    image = await deps.store.get(imageId, deps.ttlSeconds)
  }
  catch (error) {
    if (error instanceof Error && error.name === 'ImageStoreUnavailableError') {
      throw new ImportError(503, 'Photo storage is unavailable right now. Please try again in a moment.')
    }
    throw error
  }
  const now = deps.now?.() ?? new Date()
  if (!image) {
    const expired = new Date(row.expires_at).getTime() <= now.getTime()
    if (row.kept) await deps.db.updateTable('import_images').set({ kept: false }).where('id', '=', imageId).execute()
    throw new ImportError(410, expired ? PHOTO_EXPIRED_MESSAGE : PHOTO_LOST_MESSAGE)
  }

  await deps.db.updateTable('import_images')
    .set({ expires_at: new Date(now.getTime() + deps.ttlSeconds * 1000) })
    .where('id', '=', imageId)
    .execute()
  return { bytes: image.bytes, contentType: image.contentType || row.content_type || 'application/octet-stream' }
}
