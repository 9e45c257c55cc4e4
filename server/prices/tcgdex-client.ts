/** Why a request to TCGdex gave nothing usable. */
export type TcgdexFailure = 'timeout' | 'network' | 'http' | 'malformed' | 'rate-limited'

export class TcgdexError extends Error {
  constructor(readonly kind: TcgdexFailure, message: string, readonly status?: number, readonly retryAfterMs?: number) {
    super(message)
    this.name = 'TcgdexError'
  }
}

/** What TCGdex said about one card: not found (a 404), or its `pricing` (null when it has none). */
export type CardPricingResult = { found: false } | { found: true, pricing: unknown }

export interface PriceClient {
  cardPricing: (lang: string, cardId: string) => Promise<CardPricingResult>
  /** Requests sent so far (for the run's record and the benchmark). */
  readonly requests: number
}

export interface TcgdexClientOptions {
  /** `https://api.tcgdex.net/v2` or a stub's address. */
  baseUrl: string
  timeoutMs?: number
  fetch?: typeof fetch
}

/** `Retry-After` in seconds or as an HTTP date, in ms; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined
  const seconds = Number(header)
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000
  const at = Date.parse(header)
  return Number.isNaN(at) ? undefined : Math.max(0, at - now)
}

/** A card id in a URL path; a few TCGdex ids already hold an escape (`exu-%3F`). */
const pathId = (id: string) => (/%[0-9A-F]{2}/i.test(id) ? id : encodeURIComponent(id))

/** The TCGdex REST API's card endpoint (`GET {base}/{lang}/cards/{id}`), one request per card, with a timeout. */
export function createTcgdexClient(options: TcgdexClientOptions): PriceClient {
  const base = options.baseUrl.replace(/\/+$/, '')
  const timeoutMs = options.timeoutMs ?? 10_000
  const doFetch = options.fetch ?? fetch
  let requests = 0

  async function cardPricing(lang: string, cardId: string): Promise<CardPricingResult> {
    requests++
    let res: Response
    try {
      res = await doFetch(`${base}/${encodeURIComponent(lang)}/cards/${pathId(cardId)}`, {
        headers: { accept: 'application/json' },
        signal: AbortSignal.timeout(timeoutMs),
      })
    }
    catch (error) {
      const name = (error as Error)?.name
      if (name === 'TimeoutError' || name === 'AbortError') throw new TcgdexError('timeout', `TCGdex did not answer within ${timeoutMs} ms`)
      throw new TcgdexError('network', `TCGdex cannot be reached: ${(error as Error)?.message ?? error}`)
    }
    if (res.status === 404) {
      await res.body?.cancel()
      return { found: false }
    }
    if (res.status === 429) {
      await res.body?.cancel()
      throw new TcgdexError('rate-limited', 'TCGdex asks us to slow down (429)', 429, retryAfterMs(res.headers.get('retry-after')))
    }
    if (!res.ok) {
      await res.body?.cancel()
      throw new TcgdexError('http', `TCGdex answered ${res.status}`, res.status)
    }
    let body: unknown
    try {
      body = await res.json()
    }
    catch (error) {
      const name = (error as Error)?.name
      if (name === 'TimeoutError' || name === 'AbortError') throw new TcgdexError('timeout', `TCGdex did not finish answering within ${timeoutMs} ms`)
      throw new TcgdexError('malformed', 'TCGdex answered something that is not JSON')
    }
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw new TcgdexError('malformed', 'TCGdex answered JSON that is not a card')
    return { found: true, pricing: (body as { pricing?: unknown }).pricing ?? null }
  }

  return {
    cardPricing,
    get requests() {
      return requests
    },
  }
}
