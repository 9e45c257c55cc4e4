import { join } from 'node:path'
import { createImageStore, type ImageStore } from '../storage/image-store'

let store: ImageStore | undefined

/**
 * The one image byte store: Redis when `REDIS_URL` is set (workers on other machines read it),
 * else files under `$DATA_DIR/images` with the same expiry rules (queued photos survive a restart).
 */
export function useImageStore(): ImageStore {
  if (!store) {
    const config = useServerConfig()
    store = createImageStore({ redisUrl: config.redisUrl, dir: join(config.dataDir, 'images'), defaultTtlSeconds: config.imageTtlSeconds })
  }
  return store
}

export async function closeImageStore(): Promise<void> {
  await store?.close()
  store = undefined
}
