import { describe, expect, it, vi } from 'vitest'
import { createImageStore, ImageStoreUnavailableError } from '../../../server/storage/image-store'

const image = { bytes: Buffer.from([0xFF, 0xD8, 0xFF, 1, 2, 3]), contentType: 'image/jpeg' }

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms))

describe('image store (memory driver)', () => {
  it('round-trips bytes and content type', async () => {
    const store = createImageStore({ defaultTtlSeconds: 60 })
    await store.put('a', image, 60)
    const got = await store.get('a', 60)
    expect(got?.contentType).toBe('image/jpeg')
    expect(Buffer.compare(got!.bytes, image.bytes)).toBe(0)
    expect(await store.get('missing', 60)).toBeNull()
    expect(store.driver).toBe('memory')
    expect(await store.ping()).toBe(true)
  })

  it('expires items after their TTL, and a read restarts the clock', async () => {
    // A clock of its own: real sleeps can overrun a 1 s TTL on a loaded machine. It starts past 0,
    // which lru-cache takes for "no start time".
    let now = 1_000_000
    const store = createImageStore({ defaultTtlSeconds: 60, now: () => now })
    await store.put('a', image, 1)
    now += 700
    expect(await store.get('a', 1)).not.toBeNull() // restarts the 1 s clock
    now += 700
    expect(await store.get('a', 1)).not.toBeNull()
    now += 1001
    expect(await store.get('a', 1)).toBeNull()
  })
})

describe.runIf(process.env.REDIS_URL)('image store (redis driver)', () => {
  it('stores with a TTL and refreshes it on read', async () => {
    const store = createImageStore({ redisUrl: process.env.REDIS_URL, defaultTtlSeconds: 60 })
    try {
      await vi.waitFor(async () => expect(await store.ping()).toBe(true), { timeout: 5000 })
      const id = `unit-${Date.now()}`
      await store.put(id, image, 1)
      expect((await store.get(id, 2))?.contentType).toBe('image/jpeg')
      await sleep(1200)
      expect(await store.get(id, 2)).not.toBeNull() // the first read extended it to 2 s
      await sleep(2200)
      expect(await store.get(id, 2)).toBeNull()
    }
    finally {
      await store.close()
    }
  })

  it('fails fast with ImageStoreUnavailableError when Redis cannot be reached', async () => {
    const store = createImageStore({ redisUrl: 'redis://127.0.0.1:1/0', defaultTtlSeconds: 60 })
    try {
      const started = Date.now()
      await expect(store.put('x', image, 60)).rejects.toBeInstanceOf(ImageStoreUnavailableError)
      expect(Date.now() - started).toBeLessThan(2000)
      expect(await store.ping()).toBe(false)
    }
    finally {
      await store.close()
    }
  })
})
