import type { H3Event } from 'h3'
import { createRateLimiter, type RateLimiter } from '../security/rate-limit'

interface Rule {
  method: string
  path: string
  limiter: RateLimiter
  key: (event: H3Event) => Promise<string>
}

const env = (name: string, fallback: number) => Number(process.env[name]) || fallback
const ip = (event: H3Event) => getRequestIP(event, { xForwardedFor: process.env.TRUST_PROXY === 'true' }) ?? 'unknown'

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
        return `${ip(event)}:${typeof body?.email === 'string' ? body.email.trim().toLowerCase() : ''}`
      },
    },
    {
      method: 'POST',
      path: '/api/auth/register',
      limiter: createRateLimiter({ limit: env('RATE_LIMIT_REGISTER_PER_HOUR', 100), windowMs: 3_600_000 }),
      key: async event => ip(event),
    },
    {
      // Analysis is the costly path: per signed-in user (or address before auth fails).
      method: 'POST',
      path: '/api/imports/batches',
      limiter: createRateLimiter({ limit: env('RATE_LIMIT_UPLOADS_PER_MINUTE', 30), windowMs: 60_000 }),
      key: async (event) => {
        const user = await requireUser(event).catch(() => null)
        return user ? `user:${user.id}` : `ip:${ip(event)}`
      },
    },
  ]
  return rules
}

/** Answers 429 with `Retry-After` once a client exceeds the limits of sign-in, sign-up and uploads. */
export default defineEventHandler(async (event) => {
  if (event.method !== 'POST') return
  const rule = useRules().find(r => r.path === event.path.split('?')[0])
  if (!rule) return
  const result = rule.limiter.hit(await rule.key(event))
  if (!result.allowed) {
    setResponseHeader(event, 'Retry-After', result.retryAfterSeconds)
    throw createError({ statusCode: 429, message: `Too many requests; try again in ${result.retryAfterSeconds} s` })
  }
})
