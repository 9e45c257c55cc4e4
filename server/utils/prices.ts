import { join } from 'node:path'
import { createCardImageService, type CardImageService } from '../card-images/service'
import { createDiskCache } from '../card-images/disk-cache'
import { refreshPrices, type RefreshOptions, type RefreshResult } from '../prices/refresh'
import { createTcgdexClient, type PriceClient } from '../prices/tcgdex-client'
import { snapshotValues } from '../prices/value'

export interface PricesConfig {
  /** `tcgdex` fetches prices in the background; `off` never asks anyone (the app shows no prices). */
  source: 'tcgdex' | 'off'
  apiUrl: string
  /** `tcgdex` fetches card pictures on first view; `off` serves only those already cached. */
  cardImages: 'tcgdex' | 'off'
  assetsUrl: string
  imageCacheBytes: number
  maxAgeHours: number
  requestsPerSecond: number
  concurrency: number
}

const num = (value: unknown, fallback: number) => {
  const n = Number(value)
  return value !== undefined && value !== '' && Number.isFinite(n) && n > 0 ? n : fallback
}

/** Price and card-picture settings: runtimeConfig (`NUXT_*`) with the plain names (`PRICES_SOURCE`, `TCGDEX_API_URL`, …) on top. */
export function usePricesConfig(): PricesConfig {
  const rc = useRuntimeConfig()
  const env = process.env
  return {
    source: (env.PRICES_SOURCE || rc.pricesSource) === 'off' ? 'off' : 'tcgdex',
    apiUrl: env.TCGDEX_API_URL || rc.tcgdexApiUrl,
    cardImages: (env.CARD_IMAGES || rc.cardImages) === 'off' ? 'off' : 'tcgdex',
    assetsUrl: env.TCGDEX_ASSETS_URL || rc.tcgdexAssetsUrl,
    imageCacheBytes: num(env.CARD_IMAGE_CACHE_MB, rc.cardImageCacheMb) * 1024 * 1024,
    maxAgeHours: num(env.PRICES_MAX_AGE_HOURS, rc.pricesMaxAgeHours),
    requestsPerSecond: num(env.PRICES_REQUESTS_PER_SECOND, rc.pricesRequestsPerSecond),
    concurrency: 4,
  }
}

let client: PriceClient | undefined
function usePriceClient(): PriceClient {
  client ??= createTcgdexClient({ baseUrl: usePricesConfig().apiUrl })
  return client
}

/**
 * One price refresh (of everyone's cards, or of one user's), then today's collection values. With
 * `PRICES_SOURCE=off` only the values are written. Never throws: the outcome is logged and returned.
 */
export async function runPriceRefresh(options: RefreshOptions = {}): Promise<RefreshResult | { status: 'off' }> {
  const config = usePricesConfig()
  const db = await useDb()
  if (config.source === 'off') {
    await snapshotValues(db, new Date(), options.userId ? [options.userId] : undefined).catch(error => console.error('[prices] snapshot failed:', error))
    return { status: 'off' }
  }
  return refreshPrices({
    db,
    client: usePriceClient(),
    requestsPerSecond: config.requestsPerSecond,
    concurrency: config.concurrency,
    maxAgeHours: config.maxAgeHours,
    log: message => console.info(message),
  }, options)
}

/**
 * Starts a refresh without waiting for TCGdex: resolves once the run holds its lease (so that a client
 * polling `refreshing` right after sees it), or once it is over.
 */
export function startPriceRefresh(options: RefreshOptions = {}): Promise<void> {
  return new Promise((resolve) => {
    runPriceRefresh({ ...options, onStarted: resolve })
      .catch(error => console.error('[prices] refresh failed:', error))
      .finally(resolve)
  })
}

let images: CardImageService | undefined

/** Card pictures: TCGdex's, fetched once and kept in `$DATA_DIR/card-images` (bounded, least recently used out first). */
export function useCardImages(): CardImageService {
  if (!images) {
    const config = usePricesConfig()
    const dir = join(useServerConfig().dataDir, 'card-images')
    images = createCardImageService({
      cache: createDiskCache({ dir, maxBytes: config.imageCacheBytes }),
      assetsUrl: config.cardImages === 'off' ? null : config.assetsUrl,
      log: message => console.warn(message),
    })
  }
  return images
}
