import { type Kysely, type SelectQueryBuilder, sql } from 'kysely'
import type { CollectionFilter } from '../../shared/schemas/collection'
import { collectionSearch } from './search'
import type { Database, LocalizedNames, UserCardRow } from '../database/schema'
import { localizedImagePath } from '../card-images/urls'
import type { CollectionItem, UserCard } from '../../shared/types/collection'

export type { CollectionCard, CollectionItem, UserCard } from '../../shared/types/collection'

type Joined = SelectQueryBuilder<Database & { uc: Database['user_cards'], c: Database['cards'], s: Database['sets'] }, 'uc' | 'c' | 's', object>

/** user_cards joined with its card and set, restricted to one user. */
export function userCardsQuery(db: Kysely<Database>, userId: string): Joined {
  return db.selectFrom('user_cards as uc')
    .innerJoin('cards as c', 'c.id', 'uc.card_id')
    .innerJoin('sets as s', 's.id', 'c.set_id')
    .where('uc.user_id', '=', userId) as unknown as Joined
}

/** Applies the shared filters; `q` is read as the catalogue search reads it (collection/search.ts). */
export function applyFilter(query: Joined, filter: Partial<CollectionFilter>): Joined {
  let q = query
  if (filter.set) {
    const set = filter.set
    q = q.where(eb => eb.or([eb('s.id', '=', set), eb(sql`upper(s.code)`, '=', set.toUpperCase())]))
  }
  if (filter.language) q = q.where('uc.language', '=', filter.language)
  if (filter.condition) q = q.where('uc.condition', '=', filter.condition)
  if (filter.finish) q = q.where('uc.finish', '=', filter.finish)
  if (filter.location) q = q.where(sql`lower(uc.location)`, '=', filter.location.toLowerCase())
  if (filter.q) q = q.where(collectionSearch(filter.q))
  return q
}

/** The localized card name: the copy's language if the catalogue has it. */
export const localizedName = sql<string>`coalesce(c.name ->> uc.language, c.name_en)`

export function selectItems(query: Joined) {
  return query.select([
    'uc.id', 'uc.card_id', 'uc.quantity', 'uc.condition', 'uc.language', 'uc.finish', 'uc.grader', 'uc.grade',
    'uc.cert_number', 'uc.location', 'uc.notes', 'uc.source_draft_id', 'uc.version', 'uc.created_at', 'uc.updated_at', 'uc.price_paid_currency',
    sql<string | null>`uc.price_paid::text`.as('price_paid'),
    sql<string | null>`uc.acquired_at::text`.as('acquired_at'),
    localizedName.as('card_name'),
    'c.name as card_names', 'c.local_id', 'c.rarity', 'c.set_id', 'c.variants',
    's.name_en as set_name', 's.code as set_code', 's.printed_total', 's.series_id',
  ])
}

export type ItemRow = Awaited<ReturnType<ReturnType<typeof selectItems>['execute']>>[number]

const iso = (v: unknown) => (v instanceof Date ? v : new Date(String(v))).toISOString()

type UserCardFields = Pick<UserCardRow, 'id' | 'card_id' | 'quantity' | 'condition' | 'language' | 'finish' | 'grader' | 'grade'
  | 'cert_number' | 'location' | 'notes' | 'price_paid' | 'price_paid_currency' | 'acquired_at' | 'source_draft_id' | 'version' | 'created_at' | 'updated_at'>

/** A user_cards row as the API answers it. */
export function toUserCard(row: UserCardFields): UserCard {
  return {
    id: row.id,
    cardId: row.card_id,
    quantity: row.quantity,
    condition: row.condition,
    language: row.language,
    finish: row.finish,
    grader: row.grader,
    grade: row.grade,
    certNumber: row.cert_number,
    location: row.location,
    notes: row.notes,
    pricePaid: row.price_paid === null ? null : Number(row.price_paid),
    pricePaidCurrency: row.price_paid_currency,
    acquiredAt: row.acquired_at,
    sourceDraftId: row.source_draft_id,
    version: row.version,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  }
}

export function toItem(row: ItemRow): CollectionItem {
  const names = row.card_names as LocalizedNames
  return {
    ...toUserCard(row),
    card: {
      id: row.card_id,
      name: row.card_name,
      names,
      setId: row.set_id,
      setName: row.set_name,
      setCode: row.set_code,
      localId: row.local_id,
      printedTotal: row.printed_total,
      rarity: row.rarity,
      // The picture in the copy's language when TCGdex has the card in it.
      imageUrl: localizedImagePath(row.card_id, names, row.language),
      variants: row.variants,
    },
  }
}

/** One row of the user's collection with its card, or undefined (another user's row included). */
export async function getUserCard(db: Kysely<Database>, userId: string, id: string): Promise<CollectionItem | undefined> {
  const row = await selectItems(userCardsQuery(db, userId).where('uc.id', '=', id)).executeTakeFirst()
  return row && toItem(row)
}
