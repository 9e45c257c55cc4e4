import { describe, expect, it } from 'vitest'
import { sessionMaxAgeMs, sessionState } from '../../../server/auth/sessions'

const DAY = 86_400_000

describe('sessionMaxAgeMs', () => {
  it('reads SESSION_MAX_AGE_DAYS, 30 days by default', () => {
    expect(sessionMaxAgeMs(undefined)).toBe(30 * DAY)
    expect(sessionMaxAgeMs('7')).toBe(7 * DAY)
    expect(sessionMaxAgeMs('0.5')).toBe(DAY / 2)
    expect(sessionMaxAgeMs('nope')).toBe(30 * DAY)
    expect(sessionMaxAgeMs('-1')).toBe(30 * DAY)
  })
})

describe('sessionState', () => {
  const now = 1_800_000_000_000
  it('holds while used within its lifetime, and asks for a renewal at most every hour', () => {
    expect(sessionState({ version: 2, seenAt: now - 1000 }, 2, 30 * DAY, now)).toBe('valid')
    expect(sessionState({ version: 2, seenAt: now - 2 * 3_600_000 }, 2, 30 * DAY, now)).toBe('refresh')
    expect(sessionState({ version: 2, seenAt: now - 29 * DAY }, 2, 30 * DAY, now)).toBe('refresh')
  })

  it('expires once unused for longer than its lifetime (or never stamped)', () => {
    expect(sessionState({ version: 0, seenAt: now - 31 * DAY }, 0, 30 * DAY, now)).toBe('expired')
    expect(sessionState({}, 0, 30 * DAY, now)).toBe('expired')
  })

  it('is revoked once the user\'s session version moved on', () => {
    expect(sessionState({ version: 1, seenAt: now }, 2, 30 * DAY, now)).toBe('revoked')
    expect(sessionState({ seenAt: now }, 1, 30 * DAY, now)).toBe('revoked')
  })
})
