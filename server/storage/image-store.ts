import Redis from 'ioredis'
import { createStorage } from 'unstorage'
import { createFileImageStore } from './file-store'
import { memoryTtlDriver } from './memory-ttl-driver'

export type ImageStoreDriver = 'redis' | 'file' | 'memory'

export interface StoredImage {
  bytes: Buffer
  contentType: string
}

/** Bytes of one photo written as they arrive (an upload part), then closed or thrown away. */
export interface ImageWriter {
  write: (chunk: Buffer) => Promise<void>
  /** Makes the photo readable; answers how many bytes it holds. */
  end: () => Promise<number>
  /** Forgets whatever was written. */
  abort: () => Promise<void>
}

export interface ImageStore {
  driver: ImageStoreDriver
  /** Stores bytes for `ttlSeconds`; throws `ImageStoreUnavailableError` when the backend is down. */
  put: (id: string, image: StoredImage, ttlSeconds: number) => Promise<void>
  /** Streams bytes in, chunk by chunk, under the same expiry rules as `put`. */
  writer: (id: string, contentType: string, ttlSeconds: number) => ImageWriter
  /** Reads bytes and restarts their time to live; null once expired (or lost). */
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

// Bytes and type travel as one raw value: a 1-byte type length, the type, then the bytes.
export function encodeHeader(contentType: string): Buffer {
  const type = Buffer.from(contentType, 'utf8').subarray(0, 255)
  return Buffer.concat([Buffer.from([type.length]), type])
}

export function decode(raw: Uint8Array | null): StoredImage | null {
  if (!raw || raw.length < 1) return null
  const buf = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength)
  const typeLength = buf[0]!
  return { contentType: buf.subarray(1, 1 + typeLength).toString('utf8'), bytes: buf.subarray(1 + typeLength) }
}

export interface ImageStoreOptions {
  /** Redis for photo bytes (reachable by workers on other machines). */
  redisUrl?: string
  /** Else a directory (embedded mode: the photos outlive a restart, so queued analyses resume). */
  dir?: string
  /** Else process memory (tests). */
  defaultTtlSeconds: number
  now?: () => number
}

export function createImageStore(options: ImageStoreOptions): ImageStore {
  if (options.redisUrl) return createRedisImageStore(options.redisUrl)
  if (options.dir) return createFileImageStore(options.dir, options.now)
  return createMemoryImageStore(options)
}

/** Runs `fn`, turning any backend failure into `ImageStoreUnavailableError`. */
export async function guarded<T>(ready: () => boolean, fn: () => Promise<T>): Promise<T> {
  if (!ready()) throw new ImageStoreUnavailableError()
  try {
    return await fn()
  }
  catch (error) {
    throw error instanceof ImageStoreUnavailableError ? error : new ImageStoreUnavailableError(error)
  }
}

// Appends are gathered to about this size: fewer round trips than one per 64 kB network chunk.
const APPEND_BYTES = 1024 * 1024

function createRedisImageStore(url: string): ImageStore {
  // Raw binary values through ioredis itself: streaming needs APPEND, and unstorage's raw values
  // become base64 text in Redis (a third larger).
  const client = new Redis(url, {
    // Fail fast while Redis is away instead of queueing requests; reconnect in the background.
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    connectTimeout: 3000,
    commandTimeout: 5000,
    retryStrategy: (times: number) => Math.min(times * 200, 2000),
  })
  client.on('error', () => {}) // reconnects on its own; errors surface per command
  const key = (id: string) => `pokeventory:images:${id}`
  const ready = () => client.status === 'ready'
  const run = <T>(fn: () => Promise<T>) => guarded(ready, fn)

  return {
    driver: 'redis',
    put: (id, image, ttl) => run(async () => {
      await client.set(key(id), Buffer.concat([encodeHeader(image.contentType), image.bytes]), 'EX', ttl)
    }),
    writer(id, contentType, ttl) {
      let pending: Buffer[] = [encodeHeader(contentType)]
      let pendingBytes = pending[0]!.length
      let started = false
      let total = 0
      const flush = () => run(async () => {
        const data = Buffer.concat(pending)
        pending = []
        pendingBytes = 0
        // The first piece sets the expiry: a photo whose upload dies half-way still goes away.
        if (!started) await client.set(key(id), data, 'EX', ttl)
        else await client.append(key(id), data)
        started = true
      })
      return {
        async write(chunk) {
          pending.push(chunk)
          pendingBytes += chunk.length
          total += chunk.length
          if (pendingBytes >= APPEND_BYTES) await flush()
        },
        async end() {
          if (pending.length || !started) await flush()
          return total
        },
        async abort() {
          pending = []
          if (started) await run(async () => { await client.unlink(key(id)) }).catch(() => {})
        },
      }
    },
    get: (id, ttl) => run(async () => {
      const [[, raw], [, alive]] = (await client.multi().getBuffer(key(id)).expire(key(id), ttl).exec()) as [[unknown, Buffer | null], [unknown, number]]
      return alive ? decode(raw) : null
    }),
    remove: id => run(async () => { await client.unlink(key(id)) }),
    async ping() {
      if (!ready()) return false
      try {
        return (await client.ping()) === 'PONG'
      }
      catch {
        return false
      }
    },
    async close() { client.disconnect() },
  }
}

function createMemoryImageStore(options: ImageStoreOptions): ImageStore {
  // Bounded by the app's quotas (server/imports/quota.ts): the LRU bound is only a safety net.
  const storage = createStorage({ driver: memoryTtlDriver({ ttl: options.defaultTtlSeconds, now: options.now, maxBytes: 4 * 1024 ** 3 }) })
  const k = (id: string) => `images:${id}`
  const set = (id: string, raw: Buffer, ttl: number) => storage.setItemRaw(k(id), raw, { ttl })
  return {
    driver: 'memory',
    put: (id, image, ttl) => set(id, Buffer.concat([encodeHeader(image.contentType), image.bytes]), ttl),
    writer(id, contentType, ttl) {
      const chunks = [encodeHeader(contentType)]
      let total = 0
      return {
        async write(chunk) {
          chunks.push(chunk)
          total += chunk.length
        },
        async end() {
          await set(id, Buffer.concat(chunks), ttl)
          return total
        },
        async abort() { chunks.length = 0 },
      }
    },
    async get(id, ttl) {
      const raw = await storage.getItemRaw<Uint8Array>(k(id))
      if (!raw) return null
      await storage.setItemRaw(k(id), raw, { ttl })
      return decode(raw)
    },
    async remove(id) { await storage.removeItem(k(id)) },
    async ping() { return true },
    async close() { await storage.dispose() },
  }
}
