import type { H3Event } from 'h3'
import type { User } from '#auth-utils'
import { bearerToken, hashApiToken } from '../auth/tokens'

const LAST_USED_PRECISION_MS = 60_000

/**
 * The signed-in user, from a personal API token (`Authorization: Bearer`) or the session cookie;
 * 401 otherwise. Every private route starts with this.
 */
export async function requireUser(event: H3Event): Promise<User> {
  if (event.context.user) return event.context.user as User
  const token = bearerToken(getHeader(event, 'authorization'))
  if (token) {
    const db = await useDb()
    const row = await db.selectFrom('api_tokens')
      .innerJoin('users', 'users.id', 'api_tokens.user_id')
      .select(['api_tokens.id as tokenId', 'api_tokens.last_used_at', 'users.id', 'users.email', 'users.name'])
      .where('api_tokens.token_hash', '=', hashApiToken(token))
      .executeTakeFirst()
    if (!row) throw createError({ statusCode: 401, message: 'Invalid or revoked API token' })
    if (!row.last_used_at || Date.now() - new Date(row.last_used_at).getTime() > LAST_USED_PRECISION_MS) {
      await db.updateTable('api_tokens').set({ last_used_at: new Date() }).where('id', '=', row.tokenId).execute()
    }
    const user: User = { id: row.id, email: row.email, name: row.name }
    event.context.user = user
    return user
  }
  const { user } = await requireUserSession(event, { message: 'Sign in or send an API token' })
  event.context.user = user
  return user
}
