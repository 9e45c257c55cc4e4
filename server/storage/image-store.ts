import type Redis from 'ioredis'
import { createStorage, type Storage } from 'unstorage'
import redisDriver from 'unstorage/drivers/redis'
import { memoryTtlDriver } from './memory-ttl-driver'

export type ImageStoreDriver = 'redis' | 'memory'

export interface StoredImage {
  bytes: Buffer
  contentType: string
}

export interface ImageStore {
  driver: ImageStoreDriver
  /** Stores bytes for `ttlSeconds`; throws `ImageStoreUnavailableError` when the backend is down. */
  put: (id: string, image: StoredImage, ttlSeconds: number) => Promise<void>
  /** Reads bytes and restarts their time to live; null once expired. */
  get: (id: string, ttlSeconds: number) => Promise<StoredImage | null>
  remove: (id: string) => Promise<void>
  /** Whether the backend answers right now. */
  ping: () => Promise<boolean>
  close: () => Promise<void>
}

export class ImageStoreUnavailableError extends Error {
  constructor(cause?: unknown) {
    super('Image storage (Redis) is unavailable', { cause })
    this.name = 'ImageStoreUnavailableError'
  }
}

const PREFIX = 'images'

// Bytes and type travel as one raw value: a 1-byte type length, the type, then the bytes.
function encode(image: StoredImage): Buffer {
  const type = Buffer.from(image.contentType, 'utf8')
  return Buffer.concat([Buffer.from([type.length]), type, image.bytes])
}

function decode(raw: Uint8Array | null): StoredImage | null {
  if (!raw || raw.length < 1) return null
  const buf = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength)
  const typeLength = buf[0]!
  return { contentType: buf.subarray(1, 1 + typeLength).toString('utf8'), bytes: buf.subarray(1 + typeLength) }
}

export function createImageStore(options: { redisUrl?: string, defaultTtlSeconds: number, now?: () => number }): ImageStore {
  if (!options.redisUrl) {
    const storage = createStorage({ driver: memoryTtlDriver({ ttl: options.defaultTtlSeconds, now: options.now }) })
    return storeOver(storage, 'memory', {
      touch: async (key, ttl) => {
        const raw = await storage.getItemRaw(key)
        if (raw) await storage.setItemRaw(key, raw, { ttl })
      },
      ready: () => true,
    })
  }

  const driver = redisDriver({
    url: options.redisUrl,
    base: 'pokeventory',
    // Fail fast while Redis is away instead of queueing requests; reconnect in the background.
    maxRetriesPerRequest: 1,
    connectTimeout: 3000,
    commandTimeout: 5000,
    retryStrategy: (times: number) => Math.min(times * 200, 2000),
  })
  const storage = createStorage({ driver })
  const client = () => driver.getInstance!() as Redis
  client().on('error', () => {}) // reconnects on its own; errors surface per command
  return storeOver(storage, 'redis', {
    touch: async (key, ttl) => { await client().expire(`pokeventory:${key}`, ttl) },
    ready: () => client().status === 'ready',
    close: async () => { client().disconnect() },
  })
}

function storeOver(
  storage: Storage,
  driver: ImageStoreDriver,
  backend: { touch: (key: string, ttl: number) => Promise<void>, ready: () => boolean, close?: () => Promise<void> },
): ImageStore {
  const key = (id: string) => `${PREFIX}:${id}`
  const guarded = async <T>(fn: () => Promise<T>): Promise<T> => {
    if (!backend.ready()) throw new ImageStoreUnavailableError()
    try {
      return await fn()
    }
    catch (error) {
      throw new ImageStoreUnavailableError(error)
    }
  }
  return {
    driver,
    put: (id, image, ttl) => guarded(() => storage.setItemRaw(key(id), encode(image), { ttl })),
    get: (id, ttl) => guarded(async () => {
      const image = decode(await storage.getItemRaw<Uint8Array>(key(id)))
      if (image) await backend.touch(key(id), ttl)
      return image
    }),
    async remove(id) { await guarded(() => storage.removeItem(key(id))) },
    async ping() {
      if (!backend.ready()) return false
      try {
        await storage.hasItem(key('ping'))
        return true
      }
      catch {
        return false
      }
    },
    async close() {
      await storage.dispose()
      await backend.close?.()
    },
  }
}
