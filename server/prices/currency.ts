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
