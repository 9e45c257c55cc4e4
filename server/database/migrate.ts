import { type Kysely, sql } from 'kysely'
import { Migrator } from 'kysely/migration'
import { migrationProvider } from '../../migrations'
import type { Database } from './schema'

/** Applies pending migrations; throws with the failing migration's error. */
export async function migrateToLatest(db: Kysely<Database>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: migrationProvider })
  const { error, results } = await migrator.migrateToLatest()
  if (error) throw error instanceof Error ? error : new Error(String(error))
  return (results ?? []).filter(r => r.status === 'Success').map(r => r.migrationName)
}

/**
 * Whether the database can be read: its migrations and a user table, not just `select 1` (a damaged
 * embedded directory can still answer that). Null when it can, else what failed, in plain words.
 */
export async function databaseReadError(db: Kysely<Database>): Promise<string | null> {
  try {
    await sql`select (select count(*) from kysely_migration), exists (select 1 from users), exists (select 1 from user_cards)`.execute(db)
    return null
  }
  catch (error) {
    console.error('[health] the database cannot be read:', error)
    return 'The database cannot be read'
  }
}
