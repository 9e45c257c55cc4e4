import { describe, expect, it } from 'vitest'
import { isCrossSiteRequest } from '../../../server/security/origin'

const base = { protocol: 'https', host: 'cards.example:3000', origin: undefined, referer: undefined, secFetchSite: undefined }

describe('isCrossSiteRequest', () => {
  it('accepts same-origin requests and clients that send no origin at all', () => {
    expect(isCrossSiteRequest({ ...base, origin: 'https://cards.example:3000' })).toBe(false)
    expect(isCrossSiteRequest({ ...base, referer: 'https://cards.example:3000/import' })).toBe(false)
    expect(isCrossSiteRequest({ ...base, protocol: 'http:', origin: 'http://CARDS.example:3000' })).toBe(false)
    expect(isCrossSiteRequest(base)).toBe(false)
  })

  it('refuses other origins, opaque origins and cross-site fetch metadata', () => {
    expect(isCrossSiteRequest({ ...base, origin: 'https://evil.example' })).toBe(true)
    expect(isCrossSiteRequest({ ...base, origin: 'null' })).toBe(true)
    expect(isCrossSiteRequest({ ...base, origin: 'not a url' })).toBe(true)
    expect(isCrossSiteRequest({ ...base, referer: 'https://evil.example/x' })).toBe(true)
    expect(isCrossSiteRequest({ ...base, secFetchSite: 'cross-site' })).toBe(true)
  })

  it('compares the scheme as well as the host', () => {
    expect(isCrossSiteRequest({ ...base, origin: 'http://cards.example:3000' })).toBe(true)
    expect(isCrossSiteRequest({ ...base, referer: 'http://cards.example:3000/import' })).toBe(true)
    expect(isCrossSiteRequest({ ...base, protocol: 'http', origin: 'https://cards.example:3000' })).toBe(true)
  })
})
