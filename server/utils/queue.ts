import { createBullQueue } from '../jobs/bullmq-queue'
import { createDatabaseQueue } from '../jobs/database-queue'
import type { AnalysisQueue } from '../jobs/queue'
import type { StoreLimits } from '../imports/quota'

let queue: Promise<AnalysisQueue & { memory?: { maxBytes: number } }> | undefined
const shutdown = new AbortController()

/**
 * The analysis queue: BullMQ on `REDIS_URL` (refused, with `EvictingRedisError`, on a Redis that
 * evicts keys), else jobs kept in the database. A failed connection is tried again on the next call.
 */
export function useQueue(): Promise<AnalysisQueue & { memory?: { maxBytes: number } }> {
  queue ??= (async () => {
    const config = useServerConfig()
    if (config.redisUrl) {
      return createBullQueue(config.redisUrl, { maxAttempts: config.analysisMaxAttempts + 2, log: (m, e) => console.error(m, e ?? '') })
    }
    return createDatabaseQueue(await useDb())
  })().catch((error) => {
    queue = undefined
    throw error
  })
  return queue
}

/** How much photo bytes may take: the configured bounds, kept below three quarters of Redis's maxmemory (the rest is the queue's). */
export async function useStoreLimits(): Promise<StoreLimits> {
  const config = useServerConfig()
  const maxmemory = config.redisUrl ? (await useQueue()).memory?.maxBytes ?? 0 : 0
  const storeMaxBytes = maxmemory > 0 ? Math.min(config.imageStoreMaxBytes, Math.floor(maxmemory * 0.75)) : config.imageStoreMaxBytes
  return { storeMaxBytes, userMaxBytes: Math.min(config.imageStoreUserMaxBytes, storeMaxBytes) }
}

/** Aborted when the server begins to shut down (long waits give up and answer). */
export const shutdownSignal = shutdown.signal
export const beginShutdown = () => shutdown.abort()

export async function closeQueue(): Promise<void> {
  const current = queue
  queue = undefined
  await current?.then(q => q.close()).catch(() => {})
}
