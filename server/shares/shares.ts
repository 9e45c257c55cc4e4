import { randomBytes } from 'node:crypto'
import { type Kysely, sql } from 'kysely'
import { SLUG_PATTERN, type Share, type ShareCreate, type ShareKind } from '../../shared/schemas/shares'
import { CollectionError } from '../collection/add'
import type { Database } from '../database/schema'

type Db = Kysely<Database>

/** 144 random bits: a link nobody finds by guessing, short enough to paste. */
export const newSlug = () => randomBytes(18).toString('base64url')

const sharePath = (kind: ShareKind, slug: string) => `/u/${slug}/${kind}`

function toShare(row: { id: string, kind: ShareKind, binder_id: string | null, slug: string, created_at: Date | string }): Share {
  return { id: row.id, kind: row.kind, binderId: row.binder_id, slug: row.slug, path: sharePath(row.kind, row.slug), createdAt: new Date(row.created_at).toISOString() }
}

/**
 * Publishes the collection, the want list or one of the user's binders at a new unguessable link. A
 * thing already published gets a new link and its old one stops working at once (one row per thing).
 */
export async function publish(db: Db, userId: string, input: ShareCreate): Promise<Share> {
  const binderId = input.kind === 'binder' ? input.binderId : null
  if (binderId) {
    const binder = await db.selectFrom('binders').select('id').where('id', '=', binderId).where('user_id', '=', userId).executeTakeFirst()
    if (!binder) throw new CollectionError(404, 'Binder not found')
  }
  const row = await db.insertInto('shares').values({ user_id: userId, kind: input.kind, binder_id: binderId, slug: newSlug() })
    .onConflict(oc => oc.expression(sql`user_id, kind, coalesce(binder_id::text, '')`).doUpdateSet({ slug: sql`excluded.slug`, created_at: sql`now()` }))
    .returning(['id', 'kind', 'binder_id', 'slug', 'created_at'])
    .executeTakeFirstOrThrow()
  return toShare(row)
}

export async function listShares(db: Db, userId: string): Promise<Share[]> {
  const rows = await db.selectFrom('shares').select(['id', 'kind', 'binder_id', 'slug', 'created_at'])
    .where('user_id', '=', userId).orderBy('created_at').execute()
  return rows.map(toShare)
}

/** Stops sharing: the link answers 404 from now on. False when the share is not theirs. */
export async function revoke(db: Db, userId: string, id: string): Promise<boolean> {
  const res = await db.deleteFrom('shares').where('id', '=', id).where('user_id', '=', userId).executeTakeFirst()
  return Number(res.numDeletedRows) > 0
}

/** What a public link shows and whose it is; null for a slug that names no live share. */
export async function resolveSlug(db: Db, slug: string) {
  if (!SLUG_PATTERN.test(slug)) return null
  const row = await db.selectFrom('shares').innerJoin('users', 'users.id', 'shares.user_id')
    .select(['shares.user_id', 'shares.kind', 'shares.binder_id', 'users.name', 'users.price_currency'])
    .where('shares.slug', '=', slug).executeTakeFirst()
  return row ? { userId: row.user_id, kind: row.kind, binderId: row.binder_id, ownerName: row.name, currency: row.price_currency } : null
}
