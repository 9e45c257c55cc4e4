import { describe, expect, it } from 'vitest'
import { createRateLimiter } from '../../../server/security/rate-limit'

describe('createRateLimiter', () => {
  it('allows up to the limit per window and tells when to retry', () => {
    const limiter = createRateLimiter({ limit: 2, windowMs: 60_000 })
    expect(limiter.hit('a', 0).allowed).toBe(true)
    expect(limiter.hit('a', 1000)).toEqual({ allowed: true, remaining: 0, retryAfterSeconds: 0 })
    expect(limiter.hit('a', 2000)).toEqual({ allowed: false, remaining: 0, retryAfterSeconds: 58 })
    expect(limiter.hit('b', 2000).allowed).toBe(true)
    expect(limiter.hit('a', 60_000).allowed).toBe(true)
  })

  it('keeps its memory bounded', () => {
    const limiter = createRateLimiter({ limit: 1, windowMs: 60_000, maxKeys: 3 })
    for (let i = 0; i < 10; i++) limiter.hit(`k${i}`, 0)
    expect(limiter.hit('k9', 1).allowed).toBe(false)
  })
})
