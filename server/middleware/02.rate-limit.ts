import type { H3Event } from 'h3'
import { canonicalPath } from '../security/paths'
import { createRateLimiter, type RateLimiter } from '../security/rate-limit'
import { requestClientAddress } from '../security/request'

interface Rule {
  method: string
  /** The canonical path (canonicalPath): every spelling the router sends to the same handler counts. */
  path: string
  limiter: RateLimiter
  key: (event: H3Event) => Promise<string>
}

const env = (name: string, fallback: number) => Number(process.env[name]) || fallback

/** Per signed-in user, or per address before authentication fails. */
const userOrAddress = async (event: H3Event) => {
  const user = await requireUser(event).catch(() => null)
  return user ? `user:${user.id}` : `ip:${requestClientAddress(event)}`
}

let rules: Rule[] | undefined

function useRules(): Rule[] {
  rules ??= [
    {
      // Password guessing: per address and account.
      method: 'POST',
      path: '/api/auth/login',
      limiter: createRateLimiter({ limit: env('RATE_LIMIT_LOGIN_PER_MINUTE', 10), windowMs: 60_000 }),
      key: async (event) => {
        const body = await readBody(event).catch(() => null) as { email?: unknown } | null
        return `${requestClientAddress(event)}:${typeof body?.email === 'string' ? body.email.trim().toLowerCase() : ''}`
      },
    },
    {
      method: 'POST',
      path: '/api/auth/register',
      limiter: createRateLimiter({ limit: env('RATE_LIMIT_REGISTER_PER_HOUR', 100), windowMs: 3_600_000 }),
      key: async event => requestClientAddress(event),
    },
    {
      // Guessing the current password with a stolen session.
      method: 'POST',
      path: '/api/auth/password',
      limiter: createRateLimiter({ limit: env('RATE_LIMIT_LOGIN_PER_MINUTE', 10), windowMs: 60_000 }),
      key: userOrAddress,
    },
    {
      // Analysis is the costly path.
      method: 'POST',
      path: '/api/imports/batches',
      limiter: createRateLimiter({ limit: env('RATE_LIMIT_UPLOADS_PER_MINUTE', 30), windowMs: 60_000 }),
      key: userOrAddress,
    },
  ]
  return rules
}

/** Answers 429 with `Retry-After` once a client exceeds the limits of sign-in, sign-up, password changes and uploads. */
export default defineEventHandler(async (event) => {
  const path = canonicalPath(event.path)
  const rule = useRules().find(r => r.method === event.method && r.path === path)
  if (!rule) return
  const result = rule.limiter.hit(await rule.key(event))
  if (!result.allowed) {
    setResponseHeader(event, 'Retry-After', result.retryAfterSeconds)
    throw createError({ statusCode: 429, message: `Too many attempts: try again in ${result.retryAfterSeconds} s` })
  }
})
