import { type Kysely, sql } from 'kysely'
import type { Database } from '../database/schema'

export interface PublicUser {
  id: string
  email: string
  name: string
}

export async function findUserByEmail(db: Kysely<Database>, email: string) {
  return db.selectFrom('users').selectAll().where(eb => eb(eb.fn('lower', ['email']), '=', email.toLowerCase())).executeTakeFirst()
}

/** Inserts a user; null when the e-mail address is taken (unique index on lower(email)). */
export async function createUser(db: Kysely<Database>, input: { email: string, name: string, passwordHash: string }): Promise<PublicUser | null> {
  const row = await db.insertInto('users')
    .values({ email: input.email.toLowerCase(), name: input.name, password_hash: input.passwordHash })
    .onConflict(oc => oc.expression(sql`lower(email)`).doNothing())
    .returning(['id', 'email', 'name'])
    .executeTakeFirst()
  return row ?? null
}

/**
 * Raises the user's session version, which ends every session issued before; with a new password
 * hash when given (a password change). Answers the new version, for the session that stays.
 */
export async function endSessions(db: Kysely<Database>, userId: string, passwordHash?: string): Promise<number> {
  const row = await db.updateTable('users')
    .set({ session_version: sql`session_version + 1`, ...(passwordHash ? { password_hash: passwordHash } : {}) })
    .where('id', '=', userId)
    .returning('session_version')
    .executeTakeFirstOrThrow()
  return row.session_version
}
