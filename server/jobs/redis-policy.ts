import type Redis from 'ioredis'

export interface RedisMemory {
  /** `maxmemory-policy`: what Redis throws away when it is full. */
  policy: string
  /** `maxmemory` in bytes; 0 = no bound. */
  maxBytes: number
}

/** Reads the memory settings from `INFO memory` (which works where `CONFIG` is disabled, as on managed Redis). */
export async function redisMemory(client: Pick<Redis, 'info'>): Promise<RedisMemory> {
  const info = await client.info('memory')
  const field = (name: string) => info.match(new RegExp(`^${name}:(.*)$`, 'm'))?.[1]?.trim()
  return { policy: field('maxmemory_policy') ?? 'unknown', maxBytes: Number(field('maxmemory') ?? 0) || 0 }
}

export class EvictingRedisError extends Error {
  constructor(readonly policy: string) {
    super(`Redis evicts keys when full (maxmemory-policy ${policy}): it would silently lose analysis jobs, so the queue `
      + 'will not start on it. Set `maxmemory-policy noeviction` (see docs/IMAGE_PIPELINE.md, "Redis"), or give the queue a Redis of its own.')
    this.name = 'EvictingRedisError'
  }
}

/**
 * BullMQ's production notes: `noeviction` is the only policy under which queues work. Any other
 * policy would drop jobs (and their locks) once Redis is full, so the queue refuses to start.
 */
export async function assertNoEviction(client: Pick<Redis, 'info'>): Promise<RedisMemory> {
  const memory = await redisMemory(client)
  if (memory.policy !== 'noeviction') throw new EvictingRedisError(memory.policy)
  return memory
}
