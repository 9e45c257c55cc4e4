import { readdirSync, readFileSync } from 'node:fs'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import sharp from 'sharp'

/**
 * A local stand-in for the TCGdex API and its assets host, for tests and `bench:prices`: nothing
 * here reaches the network. It replays the card responses in tests/fixtures/tcgdex (shaped after
 * TCGdex's documented card objects: with and without `pricing`) and can be told to misbehave per card.
 *
 *   GET {url}/{lang}/cards/{id}                         → the card's JSON, or 404
 *   GET {assetsUrl}/{lang}/{serie}/{set}/{local}/{q}.webp → a small webp picture
 */
export type Behaviour =
  | 'ok'
  | 'not-found'
  | 'server-error' // 500
  | 'timeout' // answers nothing for `hangMs`
  | 'malformed' // 200 with a body that is not JSON
  | 'rate-limited' // 429 with Retry-After the first `times` requests, then ok
  | { rateLimited: number, retryAfterSeconds?: number }

export interface StubRequest { path: string, at: number }

export interface TcgdexStub {
  /** The API base, like `https://api.tcgdex.net/v2`. */
  url: string
  /** The assets base, like `https://assets.tcgdex.net`. */
  assetsUrl: string
  requests: StubRequest[]
  /** Most requests in flight at once so far. */
  readonly peakConcurrency: number
  /** How one card (or every card, with `*`) answers from now on. */
  behave: (cardId: string, behaviour: Behaviour) => void
  /** Back to the recorded answers, with the request log emptied. */
  reset: () => void
  close: () => Promise<void>
}

export interface StubOptions {
  /** Answer cards without a recording with generated, real-shaped pricing (for the benchmark). */
  generate?: boolean
  hangMs?: number
  /** Delay before every answer, as a real server has. */
  latencyMs?: number
  port?: number
}

const fixturesDir = join(import.meta.dirname, '../fixtures/tcgdex')

export function loadRecordedCards(): Map<string, Record<string, any>> {
  const cards = new Map<string, Record<string, any>>()
  for (const file of readdirSync(fixturesDir).filter(f => f.endsWith('.json'))) {
    const card = JSON.parse(readFileSync(join(fixturesDir, file), 'utf8'))
    cards.set(card.id, card)
  }
  return cards
}

/** A recorded card's shape with the prices of another id (stable per id), for generated answers. */
function generatedCard(template: Record<string, any>, id: string): Record<string, any> {
  let h = 0
  for (const ch of id) h = (h * 31 + ch.charCodeAt(0)) >>> 0
  const f = 0.5 + (h % 1000) / 100
  const scale = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, typeof v === 'number' && !/id/i.test(k) ? Math.round(v * f * 100) / 100 : v]))
  const pricing = template.pricing
  return {
    ...template,
    id,
    localId: id.split('-').pop(),
    pricing: {
      cardmarket: scale(pricing.cardmarket),
      tcgplayer: Object.fromEntries(Object.entries(pricing.tcgplayer).map(([k, v]) => [k, v && typeof v === 'object' ? scale(v as Record<string, unknown>) : v])),
    },
  }
}

export async function startTcgdexStub(options: StubOptions = {}): Promise<TcgdexStub> {
  const recorded = loadRecordedCards()
  const template = recorded.get('sv02-012')!
  const behaviours = new Map<string, Behaviour>()
  const rateLimitedSeen = new Map<string, number>()
  const requests: StubRequest[] = []
  const hangMs = options.hangMs ?? 5000
  const open = new Set<ServerResponse>()
  let inFlight = 0
  let peak = 0
  const picture = await sharp({ create: { width: 245, height: 337, channels: 3, background: { r: 200, g: 60, b: 60 } } }).webp({ quality: 60 }).toBuffer()

  function answer(res: ServerResponse, status: number, body: string | Buffer, headers: Record<string, string> = {}) {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers })
    res.end(body)
  }

  function card(id: string, res: ServerResponse) {
    const behaviour = behaviours.get(id) ?? behaviours.get('*') ?? 'ok'
    if (behaviour === 'not-found') return answer(res, 404, JSON.stringify({ type: 'https://tcgdex.dev/errors/not-found', title: 'The resource you are trying to reach does not exists', status: 404 }))
    if (behaviour === 'server-error') return answer(res, 500, JSON.stringify({ status: 500, title: 'An internal error occured' }))
    if (behaviour === 'malformed') return answer(res, 200, '{"id":"' + id + '","pricing":{"cardmarket":{"avg":0.1,')
    if (behaviour === 'timeout') {
      setTimeout(() => res.destroy(), hangMs).unref()
      return
    }
    if (behaviour === 'rate-limited' || typeof behaviour === 'object') {
      const times = typeof behaviour === 'object' ? behaviour.rateLimited : 1
      const seen = rateLimitedSeen.get(id) ?? 0
      if (seen < times) {
        rateLimitedSeen.set(id, seen + 1)
        const retryAfter = String(typeof behaviour === 'object' ? behaviour.retryAfterSeconds ?? 1 : 1)
        return answer(res, 429, JSON.stringify({ status: 429, title: 'Too many requests' }), { 'retry-after': retryAfter })
      }
    }
    const found = recorded.get(id) ?? (options.generate ? generatedCard(template, id) : undefined)
    if (!found) return answer(res, 404, JSON.stringify({ status: 404, title: 'The resource you are trying to reach does not exists' }))
    return answer(res, 200, JSON.stringify(found))
  }

  function handle(req: IncomingMessage, res: ServerResponse) {
    const path = decodeURI((req.url ?? '/').split('?')[0]!)
    requests.push({ path, at: Date.now() })
    inFlight++
    peak = Math.max(peak, inFlight)
    open.add(res)
    res.on('close', () => {
      inFlight--
      open.delete(res)
    })
    const go = () => {
      let m = path.match(/^\/v2\/([a-z-]+)\/cards\/(.+)$/)
      if (m) return card(m[2]!, res)
      m = path.match(/^\/assets\/([a-z-]+)\/([^/]+)\/([^/]+)\/([^/]+)\/(low|high)\.webp$/)
      if (m) {
        const id = `${m[3]}-${m[4]}`
        const behaviour = behaviours.get(`image:${id}`) ?? behaviours.get('image:*') ?? 'ok'
        if (behaviour === 'not-found') return answer(res, 404, 'Not found', { 'content-type': 'text/plain' })
        if (behaviour === 'server-error') return answer(res, 500, 'Oops', { 'content-type': 'text/plain' })
        if (behaviour === 'malformed') return answer(res, 200, '<html>not a picture</html>', { 'content-type': 'text/html' })
        if (behaviour === 'timeout') {
          setTimeout(() => res.destroy(), hangMs).unref()
          return
        }
        return answer(res, 200, picture, { 'content-type': 'image/webp' })
      }
      answer(res, 404, JSON.stringify({ status: 404 }))
    }
    if (options.latencyMs) setTimeout(go, options.latencyMs)
    else go()
  }

  const server = createServer(handle)
  await new Promise<void>(resolve => server.listen(options.port ?? 0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  const base = `http://127.0.0.1:${port}`

  return {
    url: `${base}/v2`,
    assetsUrl: `${base}/assets`,
    requests,
    get peakConcurrency() {
      return peak
    },
    behave: (cardId, behaviour) => {
      behaviours.set(cardId, behaviour)
      rateLimitedSeen.delete(cardId)
    },
    reset: () => {
      behaviours.clear()
      rateLimitedSeen.clear()
      requests.length = 0
      peak = 0
    },
    close: () => new Promise<void>((resolve) => {
      for (const res of open) res.destroy()
      server.close(() => resolve())
      server.closeAllConnections()
    }),
  }
}
