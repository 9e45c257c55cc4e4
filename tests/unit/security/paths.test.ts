import { describe, expect, it } from 'vitest'
import { canonicalPath } from '../../../server/security/paths'

describe('canonicalPath', () => {
  it('spells alike every variant the router sends to one handler (and those a proxy may normalise)', () => {
    for (const variant of ['/api/auth/login', '/api/auth/login/', '/API/Auth/Login', '/api//auth//login', '//api/auth/login', '/api/auth/%6Cogin', '/api/auth/login?next=/x', '/api/auth/login/?a=1', '/api/auth/login%2F', '/api\\auth\\login']) {
      expect(canonicalPath(variant), variant).toBe('/api/auth/login')
    }
  })

  it('keeps other paths apart and survives broken escapes', () => {
    expect(canonicalPath('/api/auth/logout')).toBe('/api/auth/logout')
    expect(canonicalPath('/')).toBe('/')
    expect(canonicalPath('/api/%E0%A4%A')).toBe('/api/%e0%a4%a')
  })
})
