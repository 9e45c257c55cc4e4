import { createHash } from 'node:crypto'
import { mkdtempSync, readdirSync, rmSync, statSync, utimesSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createDiskCache } from '../../../server/card-images/disk-cache'
import { createCardImageService, sniffImage } from '../../../server/card-images/service'
import { startTcgdexStub, type TcgdexStub } from '../../support/tcgdex-stub'

let stub: TcgdexStub
let dir: string
const furret = { seriesId: 'swsh', setId: 'swsh3', localId: '136', names: { en: 'Furret', fr: 'Fouinar' } }
const pikachu = { seriesId: 'base', setId: 'base1', localId: '58', names: { en: 'Pikachu', fr: 'Pikachu' } }

const files = (root: string) => readdirSync(root).flatMap(d => readdirSync(join(root, d)).map(f => join(root, d, f)))

beforeAll(async () => {
  stub = await startTcgdexStub({ hangMs: 2000 })
})
afterAll(async () => {
  await stub?.close()
})
beforeEach(() => {
  stub.reset()
  dir = mkdtempSync(join(tmpdir(), 'card-images-'))
  return () => rmSync(dir, { recursive: true, force: true })
})

describe('card image service', () => {
  it('fetches a picture once, then serves it from disk, even to a new process and offline', async () => {
    const service = createCardImageService({ cache: createDiskCache({ dir, maxBytes: 10_000_000 }), assetsUrl: stub.assetsUrl })
    const [a, b] = await Promise.all([service.get(furret, 'fr', 'low'), service.get(furret, 'fr', 'low')])
    expect(a!.contentType).toBe('image/webp')
    expect(b!.etag).toBe(a!.etag)
    expect(stub.requests.map(r => r.path)).toEqual(['/assets/fr/swsh/swsh3/136/low.webp'])

    const offline = createCardImageService({ cache: createDiskCache({ dir, maxBytes: 10_000_000 }), assetsUrl: null })
    expect((await offline.get(furret, 'fr', 'low'))!.bytes.equals(a!.bytes)).toBe(true)
    expect(await offline.get(furret, 'fr', 'high')).toBeNull()
    expect(stub.requests).toHaveLength(1)
  })

  it('falls back to the English picture, and remembers what is missing', async () => {
    stub.behave('image:base1-58', 'ok')
    const service = createCardImageService({ cache: createDiskCache({ dir, maxBytes: 10_000_000 }), assetsUrl: stub.assetsUrl })
    // A language the card has no name in is not asked for at all.
    expect(await service.get(pikachu, 'de', 'low')).not.toBeNull()
    expect(stub.requests.map(r => r.path)).toEqual(['/assets/en/base/base1/58/low.webp'])

    stub.reset()
    stub.behave('image:swsh3-136', 'not-found')
    expect(await service.get(furret, 'fr', 'high')).toBeNull()
    expect(stub.requests.map(r => r.path)).toEqual(['/assets/fr/swsh/swsh3/136/high.webp', '/assets/en/swsh/swsh3/136/high.webp'])
    expect(await service.get(furret, 'fr', 'high')).toBeNull()
    expect(stub.requests).toHaveLength(2) // remembered: no second round trip
  })

  it('keeps no error page, and stops asking a host that fails (no error storm)', async () => {
    stub.behave('image:*', 'malformed')
    const service = createCardImageService({ cache: createDiskCache({ dir, maxBytes: 10_000_000 }), assetsUrl: stub.assetsUrl, timeoutMs: 300 })
    expect(await service.get(furret, 'en', 'low')).toBeNull()
    expect(readdirSync(dir)).toEqual([])

    stub.reset()
    stub.behave('image:*', 'timeout')
    const cards = Array.from({ length: 12 }, (_, i) => ({ ...furret, localId: String(100 + i) }))
    const started = Date.now()
    const answers = await Promise.all(cards.map(c => service.get(c, 'en', 'low')))
    expect(answers.every(a => a === null)).toBe(true)
    // After three failures in a row the breaker opens: the rest are answered without asking.
    expect(stub.requests.length).toBeLessThanOrEqual(6)
    expect(Date.now() - started).toBeLessThan(3000)
    const before = stub.requests.length
    expect(await service.get({ ...furret, localId: '999' }, 'en', 'low')).toBeNull()
    expect(stub.requests.length).toBe(before)
  })

  it('trims the cache back under its bound, least recently used first', async () => {
    const cache = createDiskCache({ dir, maxBytes: 10_000 })
    const bytes = Buffer.alloc(3000, 1)
    await cache.put('a', bytes)
    await cache.put('b', bytes)
    await cache.put('c', bytes)
    // Make "a" the oldest, then read "a" so that "b" becomes the least recently used.
    const [fa, fb, fc] = ['a', 'b', 'c'].map(k => files(dir).find(f => statSync(f).size === 3000 && f.includes(createHash('sha256').update(k).digest('hex').slice(0, 40)))!)
    utimesSync(fa!, new Date(Date.now() - 3 * 3600_000), new Date(Date.now() - 3 * 3600_000))
    utimesSync(fb!, new Date(Date.now() - 2 * 3600_000), new Date(Date.now() - 2 * 3600_000))
    utimesSync(fc!, new Date(Date.now() - 1 * 3600_000), new Date(Date.now() - 1 * 3600_000))
    expect(await cache.get('a')).not.toBeNull() // touched: now the most recent
    await cache.put('d', bytes) // 12 000 > 10 000: trimmed to ≤ 8 000
    expect(await cache.size()).toBeLessThanOrEqual(8000)
    expect(await cache.get('b')).toBeNull()
    expect(await cache.get('c')).toBeNull()
    expect(await cache.get('a')).not.toBeNull()
    expect(await cache.get('d')).not.toBeNull()
    expect(files(dir).some(f => f.endsWith('.tmp'))).toBe(false)
  })

  it('recognises picture bytes', () => {
    expect(sniffImage(Buffer.from('RIFF\0\0\0\0WEBPVP8 '))).toBe('image/webp')
    expect(sniffImage(Buffer.from([0xFF, 0xD8, 0xFF, 0xE0]))).toBe('image/jpeg')
    expect(sniffImage(Buffer.from('<html>'))).toBeNull()
  })
})
