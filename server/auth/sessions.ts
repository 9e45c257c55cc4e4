/** What a session cookie carries besides the user (sealed by nuxt-auth-utils). */
export interface SessionStamp {
  /** The user's session version when the session was issued. */
  version?: number
  /** Last time the session was seen in use (ms): sessions slide, and end after `maxAgeMs` unused. */
  seenAt?: number
}

export const DEFAULT_SESSION_MAX_AGE_DAYS = 30

/** SESSION_MAX_AGE_DAYS (fractions allowed), default 30 days; in milliseconds. */
export function sessionMaxAgeMs(value = process.env.SESSION_MAX_AGE_DAYS): number {
  const days = Number(value)
  return (value && Number.isFinite(days) && days > 0 ? days : DEFAULT_SESSION_MAX_AGE_DAYS) * 86_400_000
}

/**
 * Whether a session still holds: `revoked` once the user's version moved on (sign out everywhere
 * else, password change), `expired` once unused for longer than its lifetime, `refresh` when it
 * holds and its cookie should be renewed (at most every hour, or tenth of the lifetime).
 */
export function sessionState(stamp: SessionStamp, userVersion: number, maxAgeMs: number, now = Date.now()): 'valid' | 'refresh' | 'expired' | 'revoked' {
  if ((stamp.version ?? 0) !== userVersion) return 'revoked'
  if (typeof stamp.seenAt !== 'number' || now - stamp.seenAt > maxAgeMs) return 'expired'
  return now - stamp.seenAt > Math.min(3_600_000, maxAgeMs / 10) ? 'refresh' : 'valid'
}
