import { createHash } from 'node:crypto'
import { LRUCache } from 'lru-cache'
import type { LocalizedNames } from '../database/schema'
import { createPacer } from '../prices/pacer'
import type { DiskCache } from './disk-cache'
import { type ImageSize, tcgdexAssetUrl } from './urls'

export interface CardImage {
  bytes: Buffer
  contentType: string
  etag: string
}

/** What locates a card's picture on TCGdex's assets host. */
export interface CardImageRef {
  seriesId: string
  setId: string
  localId: string
  names: LocalizedNames
}

export interface CardImageServiceDeps {
  cache: DiskCache
  /** TCGdex's assets host (or a stub); null: serve only what the cache already holds. */
  assetsUrl: string | null
  fetch?: typeof fetch
  timeoutMs?: number
  now?: () => number
  log?: (message: string) => void
}

/** Largest picture accepted from upstream (TCGdex's high quality webp is 100–300 kB). */
const MAX_IMAGE_BYTES = 4 * 1024 * 1024
// How long a failure is remembered before the picture is asked for again.
const MISSING_FOR_MS = 6 * 60 * 60_000
const FAILED_FOR_MS = 5 * 60_000
// After this many failures in a row, upstream is left alone for a while (offline, or TCGdex down).
const BREAKER_FAILURES = 3
const BREAKER_OPEN_MS = 60_000

/** The type of picture bytes by their signature; null for anything else (an HTML error page, say). */
export function sniffImage(bytes: Buffer): string | null {
  if (bytes.length >= 12 && bytes.toString('ascii', 0, 4) === 'RIFF' && bytes.toString('ascii', 8, 12) === 'WEBP') return 'image/webp'
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))) return 'image/png'
  if (bytes.length >= 3 && bytes[0] === 0xFF && bytes[1] === 0xD8 && bytes[2] === 0xFF) return 'image/jpeg'
  return null
}

const etagOf = (bytes: Buffer) => `"${createHash('sha1').update(bytes).digest('hex').slice(0, 20)}"`

class UpstreamError extends Error {
  constructor(message: string, readonly missing: boolean, readonly skipped = false) {
    super(message)
  }
}

/**
 * Card pictures fetched from TCGdex once and then served from the disk cache. A card asked for in a
 * language it has no picture in falls back to English. Failures are remembered for a while and a run
 * of them stops upstream requests for a minute, so a grid of fifty cards offline costs no error storm.
 */
export function createCardImageService(deps: CardImageServiceDeps) {
  const now = deps.now ?? Date.now
  const doFetch = deps.fetch ?? fetch
  const timeoutMs = deps.timeoutMs ?? 8000
  const failures = new LRUCache<string, true>({ max: 20_000, ttlAutopurge: false, perf: { now } })
  const inFlight = new Map<string, Promise<Buffer>>()
  const upstream = createPacer({ requestsPerSecond: 20, concurrency: 4, now })
  let failuresInARow = 0
  let breakerOpenUntil = 0
  let upstreamRequests = 0

  async function download(url: string): Promise<Buffer> {
    upstreamRequests++
    let res: Response
    try {
      res = await doFetch(url, { signal: AbortSignal.timeout(timeoutMs), headers: { accept: 'image/webp,image/*' } })
    }
    catch (error) {
      throw new UpstreamError(`cannot reach ${new URL(url).host}: ${(error as Error).name}`, false)
    }
    if (!res.ok) {
      await res.body?.cancel()
      throw new UpstreamError(`${res.status} for ${url}`, res.status === 404 || res.status === 410)
    }
    const length = Number(res.headers.get('content-length') ?? 0)
    if (length > MAX_IMAGE_BYTES) {
      await res.body?.cancel()
      throw new UpstreamError(`picture too large (${length} bytes)`, true)
    }
    let bytes: Buffer
    try {
      bytes = Buffer.from(await res.arrayBuffer())
    }
    catch (error) {
      throw new UpstreamError(`picture cut short: ${(error as Error).name}`, false)
    }
    if (bytes.length > MAX_IMAGE_BYTES || !sniffImage(bytes)) throw new UpstreamError('not a picture', true)
    return bytes
  }

  /** The upstream picture of one key, once per process at a time; throws UpstreamError. */
  function fetchOnce(key: string, url: string): Promise<Buffer> {
    let pending = inFlight.get(key)
    if (!pending) {
      // Checked again when its turn comes: requests queued before the breaker opened are not sent.
      pending = upstream.run(() => (now() < breakerOpenUntil ? Promise.reject(new UpstreamError('upstream paused', false, true)) : download(url))).then(async (bytes) => {
        failuresInARow = 0
        await deps.cache.put(key, bytes)
        return bytes
      }, (error: unknown) => {
        const upstreamError = error instanceof UpstreamError ? error : new UpstreamError(String(error), false)
        if (upstreamError.skipped) throw upstreamError
        failures.set(key, true, { ttl: upstreamError.missing ? MISSING_FOR_MS : FAILED_FOR_MS })
        if (!upstreamError.missing && ++failuresInARow >= BREAKER_FAILURES) {
          breakerOpenUntil = now() + BREAKER_OPEN_MS
          deps.log?.(`[card-images] TCGdex assets unreachable (${upstreamError.message}); not asking again for ${BREAKER_OPEN_MS / 1000} s`)
        }
        throw upstreamError
      }).finally(() => inFlight.delete(key))
      inFlight.set(key, pending)
    }
    return pending
  }

  async function get(card: CardImageRef, lang: string, size: ImageSize): Promise<CardImage | null> {
    const names = card.names
    // The asked language when the card exists in it, then English (or the card's only language).
    const langs = [...new Set([names[lang] ? lang : null, names.en ? 'en' : Object.keys(names)[0] ?? null])].filter((l): l is string => !!l)
    const keyOf = (l: string) => `${l}/${card.seriesId}/${card.setId}/${card.localId}/${size}`

    for (const l of langs) {
      const key = keyOf(l)
      const cached = await deps.cache.get(key)
      if (cached) return { bytes: cached, contentType: sniffImage(cached) ?? 'application/octet-stream', etag: etagOf(cached) }
    }
    if (!deps.assetsUrl || now() < breakerOpenUntil) return null
    for (const l of langs) {
      const key = keyOf(l)
      if (failures.has(key)) continue
      try {
        const bytes = await fetchOnce(key, tcgdexAssetUrl(deps.assetsUrl, l, card.seriesId, card.setId, card.localId, size))
        return { bytes, contentType: sniffImage(bytes)!, etag: etagOf(bytes) }
      }
      catch (error) {
        if (!(error instanceof UpstreamError) || !error.missing) return null
      }
    }
    return null
  }

  return {
    get,
    /** Requests sent upstream so far (tests and diagnostics). */
    get upstreamRequests() {
      return upstreamRequests
    },
  }
}

export type CardImageService = ReturnType<typeof createCardImageService>
