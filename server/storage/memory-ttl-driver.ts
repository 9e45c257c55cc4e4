import { LRUCache } from 'lru-cache'
import { defineDriver } from 'unstorage'

export interface MemoryTtlOptions {
  /** Default time to live in seconds. */
  ttl: number
  /** Upper bound of bytes held; least recently used entries go first. */
  maxBytes?: number
  /** Clock in milliseconds; tests pass their own so that expiry does not hang on timers. */
  now?: () => number
}

function sizeOf(value: unknown): number {
  if (value instanceof Uint8Array) return value.byteLength
  return typeof value === 'string' ? value.length : 64
}

/**
 * In-process unstorage driver with Redis-like expiry: each item lives `ttl` seconds (per item
 * override through `setItem(key, value, { ttl })`), and reads do not extend it unless `touch` is called.
 */
export const memoryTtlDriver = defineDriver((opts: MemoryTtlOptions) => {
  const cache = new LRUCache<string, any>({
    max: 10_000,
    maxSize: opts.maxBytes ?? 512 * 1024 * 1024,
    sizeCalculation: value => Math.max(1, sizeOf(value)),
    ttl: opts.ttl * 1000,
    ttlAutopurge: true,
    allowStale: false,
    ...(opts.now ? { perf: { now: opts.now }, ttlResolution: 0 } : {}),
  })
  const set = (key: string, value: unknown, tOpts?: { ttl?: number }) => {
    cache.set(key, value, { ttl: (tOpts?.ttl ?? opts.ttl) * 1000 })
  }
  return {
    name: 'memory-ttl',
    options: opts,
    getInstance: () => cache,
    hasItem: key => cache.has(key),
    getItem: key => cache.get(key) ?? null,
    getItemRaw: key => cache.get(key) ?? null,
    setItem: (key, value, tOpts) => set(key, value, tOpts),
    setItemRaw: (key, value, tOpts) => set(key, value, tOpts),
    removeItem: (key) => { cache.delete(key) },
    getKeys: () => [...cache.keys()],
    clear: () => cache.clear(),
    dispose: () => cache.clear(),
  }
})
