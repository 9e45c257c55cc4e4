import { type Kysely, sql } from 'kysely'
import type { Database } from '../database/schema'
import { ImportError } from './errors'

export interface StoreLimits {
  /** Photo bytes kept at once, for everyone. */
  storeMaxBytes: number
  /** Photo bytes one user may keep at once. */
  userMaxBytes: number
}

export interface StoreUsage {
  userBytes: number
  storeBytes: number
}

const mb = (bytes: number) => `${Math.max(1, Math.round(bytes / 1024 / 1024))} MB`

/** Bytes of photos still kept (not expired, not released), the user's and everyone's. */
export async function storeUsage(db: Kysely<Database>, userId: string): Promise<StoreUsage> {
  const row = await db.selectFrom('import_images')
    .select([
      sql<number>`coalesce(sum(byte_size) filter (where user_id = ${userId}), 0)::bigint`.as('user_bytes'),
      sql<number>`coalesce(sum(byte_size), 0)::bigint`.as('store_bytes'),
    ])
    .where('kept', '=', true).where('expires_at', '>', sql<Date>`now()`)
    .executeTakeFirstOrThrow()
  return { userBytes: Number(row.user_bytes), storeBytes: Number(row.store_bytes) }
}

/**
 * Refuses (507) an upload that would take the user past their share or the store past its size:
 * a full store says no to new photos rather than dropping anyone's early.
 */
export function checkRoom(usage: StoreUsage, incomingBytes: number, limits: StoreLimits): void {
  if (usage.userBytes + incomingBytes > limits.userMaxBytes) {
    throw new ImportError(507, `Your photo storage is full: photos you uploaded recently take ${mb(usage.userBytes)} of your ${mb(limits.userMaxBytes)}, `
      + 'and they are kept for a limited time only. Review them, upload fewer photos at once, or try again later.')
  }
  if (usage.storeBytes + incomingBytes > limits.storeMaxBytes) {
    throw new ImportError(507, 'Photo storage is full right now (many photos are being analysed). Please try again in a few minutes.')
  }
}
