import { describe, expect, it } from 'vitest'
import { clientAddress, forwardedValue, trustedProxyHops } from '../../../server/security/proxy'

describe('trustedProxyHops', () => {
  it('reads TRUST_PROXY: true is one proxy, a number that many, anything else none', () => {
    expect(trustedProxyHops('true')).toBe(1)
    expect(trustedProxyHops('2')).toBe(2)
    for (const v of [undefined, '', 'false', '0', '-1', 'yes']) expect(trustedProxyHops(v), String(v)).toBe(0)
  })
})

describe('clientAddress', () => {
  it('ignores X-Forwarded-For without a trusted proxy', () => {
    expect(clientAddress('10.0.0.5', '1.2.3.4', 0)).toBe('10.0.0.5')
  })

  it('takes the entry the trusted proxy added, not the ones the client wrote', () => {
    // The client sent "X-Forwarded-For: 6.6.6.6"; the proxy appended the address it saw.
    expect(clientAddress('10.0.0.1', '6.6.6.6, 203.0.113.7', 1)).toBe('203.0.113.7')
    expect(clientAddress('10.0.0.1', '203.0.113.7', 1)).toBe('203.0.113.7')
    // Two proxies: the CDN appended the client, the load balancer the CDN.
    expect(clientAddress('10.0.0.1', '6.6.6.6, 203.0.113.7, 198.51.100.2', 2)).toBe('203.0.113.7')
    expect(clientAddress('10.0.0.1', undefined, 1)).toBe('10.0.0.1')
  })

  it('changing the leftmost entries does not change the address (each guess keeps one rate-limit key)', () => {
    const keys = new Set(Array.from({ length: 15 }, (_, i) => clientAddress('10.0.0.1', `192.0.2.${i}, 203.0.113.7`, 1)))
    expect([...keys]).toEqual(['203.0.113.7'])
  })
})

describe('forwardedValue', () => {
  it('takes the last value of a list', () => {
    expect(forwardedValue('http, https')).toBe('https')
    expect(forwardedValue(' https ')).toBe('https')
    expect(forwardedValue(undefined)).toBeUndefined()
  })
})
