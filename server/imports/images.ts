import type { Kysely } from 'kysely'
import type { Database } from '../database/schema'
import type { ImageStore, StoredImage } from '../storage/image-store'
import { ImportError, notFound } from './errors'

export const PHOTO_EXPIRED_MESSAGE
  = 'This photo has expired: uploaded photos are kept for a limited time only. Its drafts and card crops can still be reviewed.'

export interface ReadPhotoDeps {
  db: Kysely<Database>
  store: Pick<ImageStore, 'get'>
  ttlSeconds: number
  now?: () => Date
}

/**
 * The bytes of one of the user's uploaded photos. Each read restarts the photo's time to live (and
 * the `expiresAt` the API shows); 404 for another user's or an unknown id, 410 once expired.
 */
export async function readPhoto(deps: ReadPhotoDeps, userId: string, imageId: string): Promise<StoredImage> {
  const row = await deps.db.selectFrom('import_images').select(['id', 'content_type'])
    .where('id', '=', imageId).where('user_id', '=', userId)
    .executeTakeFirst()
  if (!row) throw notFound('Photo')

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
  if (!image) throw new ImportError(410, PHOTO_EXPIRED_MESSAGE)

  const now = deps.now?.() ?? new Date()
  await deps.db.updateTable('import_images')
    .set({ expires_at: new Date(now.getTime() + deps.ttlSeconds * 1000) })
    .where('id', '=', imageId)
    .execute()
  return { bytes: image.bytes, contentType: image.contentType || row.content_type || 'application/octet-stream' }
}
