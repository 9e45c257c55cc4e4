import { createImageStore, type ImageStore } from '../storage/image-store'

let store: ImageStore | undefined

/** The one image byte store: Redis when `REDIS_URL` is set, else in-process memory with the same TTLs. */
export function useImageStore(): ImageStore {
  if (!store) {
    const config = useServerConfig()
    store = createImageStore({ redisUrl: config.redisUrl, defaultTtlSeconds: config.imageTtlSeconds })
  }
  return store
}

export async function closeImageStore(): Promise<void> {
  await store?.close()
  store = undefined
}
