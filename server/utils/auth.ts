import type { H3Event } from 'h3'
import type { User } from '#auth-utils'
import { type SessionStamp, sessionMaxAgeMs, sessionState } from '../auth/sessions'
import { bearerToken, hashApiToken } from '../auth/tokens'

const LAST_USED_PRECISION_MS = 60_000

/** The cookie lasts as long as the session may stay unused (`Max-Age`, renewed as the session slides). */
const cookieOptions = () => ({ cookie: { maxAge: Math.round(sessionMaxAgeMs() / 1000) } })

/** Signs the user in on this browser: a new session, stamped with their current session version. */
export async function startSession(event: H3Event, user: User, sessionVersion: number): Promise<void> {
  const now = Date.now()
  const secure: SessionStamp = { version: sessionVersion, seenAt: now }
  await replaceUserSession(event, { user, loggedInAt: now, secure }, cookieOptions())
}

async function userFromToken(authorization: string): Promise<User> {
  const token = bearerToken(authorization)
  // Never fall back to the cookie when a client meant to send a token (nor skip the CSRF check).
  if (!token) throw createError({ statusCode: 401, message: 'Malformed Authorization header: send "Bearer <token>"' })
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
  return { id: row.id, email: row.email, name: row.name }
}

/**
 * The user of the session cookie, while the session holds: not unused for longer than its lifetime
 * (SESSION_MAX_AGE_DAYS, sliding), and issued at the user's current session version. A session that
 * no longer holds is cleared and answers 401.
 */
export async function sessionUser(event: H3Event): Promise<User> {
  const session = await getUserSession(event)
  if (!session.user) throw createError({ statusCode: 401, message: 'Sign in or send an API token' })
  const stamp = (session.secure ?? {}) as SessionStamp
  const row = await (await useDb()).selectFrom('users').select('session_version')
    .where('id', '=', session.user.id).executeTakeFirst()
  const state = row ? sessionState(stamp, row.session_version, sessionMaxAgeMs()) : 'revoked'
  if (state === 'expired' || state === 'revoked') {
    await clearUserSession(event)
    throw createError({ statusCode: 401, message: state === 'expired' ? 'Your session has expired: sign in again' : 'This session was ended: sign in again' })
  }
  if (state === 'refresh') await setUserSession(event, { secure: { ...stamp, seenAt: Date.now() } }, cookieOptions())
  return session.user
}

/**
 * The signed-in user, from a personal API token (`Authorization: Bearer`) or the session cookie;
 * 401 otherwise. Every private route starts with this.
 */
export async function requireUser(event: H3Event): Promise<User> {
  if (event.context.user) return event.context.user as User
  const authorization = getHeader(event, 'authorization')
  const user = authorization ? await userFromToken(authorization) : await sessionUser(event)
  event.context.user = user
  event.context.authenticatedBy = authorization ? 'token' : 'session'
  return user
}

/**
 * The signed-in user of a browser session, for what a stolen API token must not do: manage tokens,
 * change the password, end sessions (403 with a valid token, 401 with a bad one).
 */
export async function requireSessionUser(event: H3Event): Promise<User> {
  const user = await requireUser(event)
  if (event.context.authenticatedBy !== 'session') {
    throw createError({ statusCode: 403, message: 'API tokens cannot do this: sign in to the web app instead' })
  }
  return user
}
