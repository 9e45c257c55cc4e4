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

/** Whether the database can answer a trivial query. */
export async function pingDatabase(db: Kysely<Database>): Promise<boolean> {
  try {
    await sql`select 1`.execute(db)
    return true
  }
  catch {
    return false
  }
}
