import type { Kysely } from 'kysely'
import type { PriceCurrency } from '../../shared/schemas/prices'
import type { Database } from '../database/schema'

/** The currency a user's collection is valued in (EUR unless they chose USD). */
export async function getUserCurrency(db: Kysely<Database>, userId: string): Promise<PriceCurrency> {
  const row = await db.selectFrom('users').select('price_currency').where('id', '=', userId).executeTakeFirst()
  return row?.price_currency ?? 'EUR'
}

export async function setUserCurrency(db: Kysely<Database>, userId: string, currency: PriceCurrency): Promise<void> {
  await db.updateTable('users').set({ price_currency: currency }).where('id', '=', userId).execute()
}

/** The currency of a purchase price: as given, else (a price given alone) the user's own; none without a price. */
export async function paidCurrency(db: Kysely<Database>, userId: string, pricePaid: number | null, currency: string | null | undefined): Promise<string | null> {
  if (pricePaid === null) return null
  return currency ?? await getUserCurrency(db, userId)
}
