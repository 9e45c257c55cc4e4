import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it, vi } from 'vitest'
import { createImageStore, type ImageStore, ImageStoreUnavailableError } from '../../../server/storage/image-store'

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

/** Bytes written in pieces, as an upload streams them, read back whole. */
async function streamThrough(store: ImageStore, id: string, pieces: Buffer[]) {
  const writer = store.writer(id, 'image/jpeg', 60)
  for (const piece of pieces) await writer.write(piece)
  expect(await writer.end()).toBe(pieces.reduce((n, p) => n + p.length, 0))
  return store.get(id, 60)
}

describe('image store (file driver, the embedded mode)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pokeventory-images-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('round-trips bytes streamed in pieces, survives a new store on the same directory (a restart), and forgets on remove', async () => {
    const store = createImageStore({ dir, defaultTtlSeconds: 60 })
    const pieces = [image.bytes, Buffer.alloc(200_000, 7), Buffer.from([1, 2, 3])]
    const got = await streamThrough(store, 'a', pieces)
    expect(got?.contentType).toBe('image/jpeg')
    expect(got!.bytes.equals(Buffer.concat(pieces))).toBe(true)
    await store.close()

    const restarted = createImageStore({ dir, defaultTtlSeconds: 60 })
    expect((await restarted.get('a', 60))!.bytes.length).toBe(200_009)
    await restarted.remove('a')
    expect(await restarted.get('a', 60)).toBeNull()
    expect(readdirSync(dir)).toEqual([])
    expect(restarted.driver).toBe('file')
    await restarted.close()
  })

  it('expires items after their TTL, a read restarts the clock, and an aborted upload leaves no file', async () => {
    let now = 1_000_000
    const store = createImageStore({ dir, defaultTtlSeconds: 60, now: () => now })
    await store.put('b', image, 1)
    now += 700
    expect(await store.get('b', 1)).not.toBeNull()
    now += 700
    expect(await store.get('b', 1)).not.toBeNull()
    now += 1001
    expect(await store.get('b', 1)).toBeNull()
    expect(readdirSync(dir)).toEqual([])

    const writer = store.writer('c', 'image/jpeg', 60)
    await writer.write(image.bytes)
    await writer.abort()
    expect(await store.get('c', 60)).toBeNull()
    expect(readdirSync(dir)).toEqual([])
    await store.close()
  })
})

describe.runIf(process.env.REDIS_URL)('image store (redis driver)', () => {
  it('streams bytes in with APPEND, larger than one append, and reads them back whole', async () => {
    const store = createImageStore({ redisUrl: process.env.REDIS_URL, defaultTtlSeconds: 60 })
    try {
      await vi.waitFor(async () => expect(await store.ping()).toBe(true), { timeout: 5000 })
      const pieces = Array.from({ length: 40 }, (_, i) => Buffer.alloc(64 * 1024, i))
      const id = `unit-stream-${Date.now()}`
      const got = await streamThrough(store, id, pieces)
      expect(got!.bytes.equals(Buffer.concat(pieces))).toBe(true)
      await store.remove(id)
      expect(await store.get(id, 60)).toBeNull()
    }
    finally {
      await store.close()
    }
  })

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
