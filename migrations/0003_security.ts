import { type Kysely, sql } from 'kysely'

/**
 * Sessions that can be ended: a per-user session version, carried by each session cookie and raised
 * by "sign out everywhere else" and a password change. Optimistic concurrency on collection rows: a
 * version raised by every change, compared with If-Match.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users')
    .addColumn('session_version', 'integer', c => c.notNull().defaultTo(0))
    .execute()
  await db.schema.alterTable('user_cards')
    .addColumn('version', 'integer', c => c.notNull().defaultTo(1).check(sql`version > 0`))
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('user_cards').dropColumn('version').execute()
  await db.schema.alterTable('users').dropColumn('session_version').execute()
}
