import type { Kysely } from 'kysely'
import { type DatabaseHandle, openDatabase } from '../../server/database/connection'
import { migrateToLatest } from '../../server/database/migrate'
import type { Database } from '../../server/database/schema'

/** Catalogue rows the price tests need: the recorded TCGdex cards and the ones the stub misbehaves on. */
export const TEST_CARDS = [
  { id: 'swsh3-136', set: 'swsh3', serie: 'swsh', local: '136', name: { en: 'Furret', fr: 'Fouinar' }, variants: ['normal', 'reverse'] },
  { id: 'base1-4', set: 'base1', serie: 'base', local: '4', name: { en: 'Charizard', fr: 'Dracaufeu' }, variants: ['holo'] },
  { id: 'base1-1', set: 'base1', serie: 'base', local: '1', name: { en: 'Alakazam', fr: 'Alakazam' }, variants: ['holo'] },
  { id: 'base1-58', set: 'base1', serie: 'base', local: '58', name: { en: 'Pikachu', fr: 'Pikachu' }, variants: ['normal'] },
  { id: 'sv02-012', set: 'sv02', serie: 'sv', local: '012', name: { en: 'Sprigatito', fr: 'Poussacha' }, variants: ['normal', 'reverse'] },
  { id: 'sv03.5-199', set: 'sv03.5', serie: 'sv', local: '199', name: { en: 'Charizard ex', fr: 'Dracaufeu-ex' }, variants: ['holo'] },
  { id: 'sv01-025', set: 'sv01', serie: 'sv', local: '025', name: { en: 'Toedscool', fr: 'Terracool' }, variants: ['normal', 'reverse'] },
  { id: 'sv06-130', set: 'sv06', serie: 'sv', local: '130', name: { en: 'Dragapult ex', fr: 'Lanssorien-ex' }, variants: ['holo'] },
  { id: 'bw1-1', set: 'bw1', serie: 'bw', local: '1', name: { en: 'Snivy', fr: 'Vipélierre' }, variants: [] },
] as const

/**
 * The database of a price test: the real Postgres of DATABASE_URL (both back ends are tested), else a
 * throw-away PGlite. The test cards are added when missing (Postgres may hold the whole catalogue), and
 * their price data is wiped so that each run starts from "never fetched".
 */
export async function openPriceTestDatabase(): Promise<{ handle: DatabaseHandle, db: Kysely<Database> }> {
  const handle = await openDatabase({ url: process.env.DATABASE_URL, dataDir: 'memory://' })
  const db = handle.db
  await migrateToLatest(db)
  const series = [...new Set(TEST_CARDS.map(c => c.serie))]
  await db.insertInto('series').values(series.map(id => ({ id, name: JSON.stringify({ en: id }), name_en: id }))).onConflict(oc => oc.doNothing()).execute()
  const sets = [...new Set(TEST_CARDS.map(c => `${c.serie}/${c.set}`))].map(s => s.split('/') as [string, string])
  await db.insertInto('sets').values(sets.map(([serie, id]) => ({ id, series_id: serie, name: JSON.stringify({ en: `Set ${id}` }), name_en: `Set ${id}`, card_count: 1 }))).onConflict(oc => oc.doNothing()).execute()
  await db.insertInto('cards').values(TEST_CARDS.map(c => ({
    id: c.id, set_id: c.set, local_id: c.local, number: Number.parseInt(c.local, 10), name: JSON.stringify(c.name), name_en: c.name.en,
    search_text: Object.values(c.name).join(' | ').toLowerCase(), category: 'Pokemon', types: [], variants: [...c.variants],
  }))).onConflict(oc => oc.doNothing()).execute()
  const ids = TEST_CARDS.map(c => c.id)
  await db.deleteFrom('card_prices').where('card_id', 'in', ids).execute()
  await db.deleteFrom('card_price_history').where('card_id', 'in', ids).execute()
  await db.deleteFrom('card_price_checks').where('card_id', 'in', ids).execute()
  await db.updateTable('price_refresh_runs').set({ status: 'abandoned' }).where('status', '=', 'running').execute()
  return { handle, db }
}

let counter = 0
export async function createTestUser(db: Kysely<Database>, tag = 'prices'): Promise<string> {
  const row = await db.insertInto('users')
    .values({ email: `${tag}-${Date.now().toString(36)}-${process.pid}-${++counter}@example.test`, name: tag, password_hash: 'x' })
    .returning('id').executeTakeFirstOrThrow()
  return row.id
}
