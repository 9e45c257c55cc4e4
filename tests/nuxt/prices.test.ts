import { afterAll, describe, expect, it } from 'vitest'
import { openDatabase } from '../../server/database/connection'
import { setupApp, signUp, type Client, anonymous } from '../support/app'
import { waitFor } from '../support/services'
import { startTcgdexStub } from '../support/tcgdex-stub'

// The app talks to a local TCGdex stub, never to the network.
const stub = await startTcgdexStub({ hangMs: 4000 })
const CARDS = ['swsh3-136', 'base1-4', 'sv02-012', 'sv03.5-199', 'base1-58', 'sv01-025', 'sv06-130', 'bw1-1', 'base1-1']

// On the real Postgres, price rows of earlier runs would make these cards "fresh": start from never fetched.
if (process.env.DATABASE_URL) {
  const { db, close } = await openDatabase({ url: process.env.DATABASE_URL, dataDir: '' })
  try {
    for (const table of ['card_prices', 'card_price_history', 'card_price_checks'] as const) {
      await db.deleteFrom(table).where('card_id', 'in', CARDS).execute().catch(() => {})
    }
    await db.updateTable('price_refresh_runs').set({ status: 'abandoned' }).where('status', '=', 'running').execute().catch(() => {})
  }
  finally {
    await close()
  }
}

setupApp({
  PRICES_SOURCE: 'tcgdex',
  TCGDEX_API_URL: stub.url,
  PRICES_REQUESTS_PER_SECOND: '50',
  CARD_IMAGES: 'tcgdex',
  TCGDEX_ASSETS_URL: stub.assetsUrl,
})

afterAll(() => stub.close())

async function refreshAndWait(client: Client) {
  const res = await client.request('/api/prices/refresh', { method: 'POST' })
  expect(res.status).toBe(202)
  await waitFor(async () => !(await client.api('/api/collection/value')).refreshing, 30_000, 'the price refresh to finish', 200)
  return client.api('/api/collection/value')
}

const add = (client: Client, body: Record<string, unknown>) => client.request('/api/collection', { method: 'POST', json: body })

describe('prices from TCGdex (stub)', () => {
  let alice: Client
  const ids: Record<string, string> = {}

  it('keeps a copy\'s finish to its card\'s variants, defaulting to the card\'s own printing', async () => {
    alice = await signUp('prices')
    const wrong = await add(alice, { cardId: 'swsh3-136', finish: 'holo' })
    expect(wrong.status).toBe(422)
    expect((await wrong.json()).message).toMatch(/not printed in finish "holo" \(its finishes: normal, reverse\)/)
    // A holo-only card added without a finish is holo.
    const charizard = await add(alice, { cardId: 'base1-4', pricePaid: 300, pricePaidCurrency: 'EUR' })
    expect(charizard.status).toBe(201)
    const item = (await charizard.json()).item
    expect(item).toMatchObject({ finish: 'holo', pricePaid: 300, pricePaidCurrency: 'EUR', card: { variants: ['holo', 'firstEdition'] } })
    ids.charizard = item.id
    const patch = await alice.request(`/api/collection/${item.id}`, { method: 'PATCH', json: { finish: 'reverse' } })
    expect(patch.status).toBe(422)

    for (const body of [
      { cardId: 'swsh3-136', quantity: 3, finish: 'normal' },
      { cardId: 'swsh3-136', finish: 'reverse' },
      { cardId: 'base1-4', grader: 'PSA', grade: '10', certNumber: '555', pricePaid: 900, pricePaidCurrency: 'EUR' },
      { cardId: 'sv03.5-199' },
      { cardId: 'base1-58' },
    ]) expect((await add(alice, body)).status).toBe(201)
  })

  it('works with no prices at all, then values the collection once the background refresh has run', async () => {
    const before = await alice.api('/api/collection/value')
    expect(before).toMatchObject({ currency: 'EUR', total: 0, pricedCopies: 0, copies: 8, gradedCopies: 1, source: 'tcgdex', pricesFetchedAt: null })

    const value = await refreshAndWait(alice)
    // 3 × 0.08 + 0.21 (Furret, plain and reverse) + 397.58 (raw Charizard) + 98.73 (Charizard ex); the slab is not valued.
    expect(value).toMatchObject({ total: 496.76, pricedCopies: 6, gradedCopies: 1, lastRefresh: { status: 'done' } })
    expect(value.cost).toEqual({ paid: 300, worth: 397.58, copies: 1 })
    expect(Date.parse(value.pricesFetchedAt)).toBeGreaterThan(Date.now() - 60_000)
    expect(value.top[0]).toMatchObject({ cardId: 'base1-4', unit: 397.58, imageUrl: '/api/cards/base1-4/image?lang=en&size=low' })
    expect(value.bySet.map((s: any) => s.setId)).toEqual(['base1', 'sv03.5', 'swsh3'])
    expect(stub.requests.filter(r => r.path.startsWith('/v2/')).length).toBe(4)

    const history = await alice.api('/api/collection/value-history?days=30')
    expect(history.points.at(-1)).toMatchObject({ value: 496.76, pricedCopies: 6, copies: 8 })
  })

  it('shows each copy\'s price in the list, sorts and filters by it, and switches currency', async () => {
    const page = await alice.api('/api/collection?sort=price')
    expect(page.items.map((i: any) => [i.cardId, i.finish, i.price?.unit ?? null])).toEqual([
      ['base1-4', 'holo', 397.58],
      ['sv03.5-199', 'holo', 98.73],
      ['swsh3-136', 'reverse', 0.21],
      ['swsh3-136', 'normal', 0.08],
      // Unpriced last: the slab (graded copies are not valued) and Pikachu (TCGdex has no price).
      ...page.items.slice(4).map((i: any) => [i.cardId, i.finish, null]),
    ])
    expect(page.items.slice(4).map((i: any) => i.cardId).sort()).toEqual(['base1-4', 'base1-58'])
    expect(page.value).toEqual({ total: 496.76, currency: 'EUR' })
    const filtered = await alice.api('/api/collection?minPrice=1&maxPrice=200')
    expect(filtered.items.map((i: any) => i.cardId)).toEqual(['sv03.5-199'])
    expect((await alice.request('/api/collection?sort=value&order=asc')).status).toBe(200)
    expect((await alice.request('/api/collection?minPrice=-1')).status).toBe(400)

    expect((await alice.request('/api/prices/currency', { method: 'PUT', json: { currency: 'GBP' } })).status).toBe(400)
    expect(await alice.api('/api/prices/currency', { method: 'PUT', json: { currency: 'USD' } })).toEqual({ currency: 'USD' })
    const usd = await alice.api('/api/collection/value')
    expect(usd).toMatchObject({ currency: 'USD', total: 680.29 })
    expect(usd.cost.copies).toBe(0) // paid in EUR: no profit or loss in USD
    await alice.api('/api/prices/currency', { method: 'PUT', json: { currency: 'EUR' } })
  })

  it('answers a card\'s prices per source and variant, publicly, with when they were fetched', async () => {
    const furret = await anonymous.api('/api/cards/swsh3-136/prices')
    expect(furret.status).toBe('priced')
    expect(furret.prices.map((p: any) => [p.source, p.variant, p.currency, p.market])).toEqual([
      ['cardmarket', 'normal', 'EUR', 0.08], ['cardmarket', 'reverse', 'EUR', 0.21], ['tcgplayer', 'normal', 'USD', 0.09], ['tcgplayer', 'reverse', 'USD', 0.23],
    ])
    expect(furret.prices[0].sourceUpdatedAt).toBe('2025-08-05T00:42:15.000Z')
    expect(furret.history).toHaveLength(4)
    expect(await anonymous.api('/api/cards/base1-58/prices')).toMatchObject({ status: 'unpriced', prices: [] })
    expect(await anonymous.api('/api/cards/sv02-012/prices')).toMatchObject({ status: null, checkedAt: null, prices: [] })
    expect((await anonymous.request('/api/cards/nope-1/prices')).status).toBe(404)
  })

  it('keeps answering through a refresh that meets 500, a timeout, malformed JSON and 429', async () => {
    const bob = await signUp('prices-errors')
    for (const cardId of ['sv01-025', 'sv06-130', 'bw1-1', 'base1-1', 'sv02-012']) expect((await add(bob, { cardId })).status).toBe(201)
    stub.behave('sv01-025', 'server-error')
    stub.behave('sv06-130', 'timeout')
    stub.behave('bw1-1', 'malformed')
    stub.behave('base1-1', { rateLimited: 2, retryAfterSeconds: 0.3 })
    expect((await bob.request('/api/prices/refresh', { method: 'POST' })).status).toBe(202)
    // While the refresh waits on the stub, the app answers at once.
    const started = Date.now()
    for (const path of ['/api/collection', '/api/collection/value', '/api/cards/sv02-012', '/api/health']) {
      expect((await bob.request(path)).status, path).toBe(200)
    }
    expect(Date.now() - started).toBeLessThan(3000)
    await waitFor(async () => !(await bob.api('/api/collection/value')).refreshing, 40_000, 'the refresh to finish', 200)
    const value = await bob.api('/api/collection/value')
    expect(value).toMatchObject({ total: 0.1, pricedCopies: 1, copies: 5, lastRefresh: { status: 'done' } })
    expect((await anonymous.api('/api/cards/sv01-025/prices')).status).toBe('failed')
    expect((await anonymous.api('/api/cards/base1-1/prices')).status).toBe('unpriced') // 404 once the 429s passed
    // A second request right away finds nothing due: no new request reaches TCGdex.
    const sent = stub.requests.length
    await refreshAndWait(bob)
    expect(stub.requests.length).toBe(sent)
  })

  it('serves card pictures from its own cache with long cache headers and an ETag', async () => {
    stub.reset()
    const first = await anonymous.request('/api/cards/swsh3-136/image?lang=fr&size=high')
    expect(first.status).toBe(200)
    expect(first.headers.get('content-type')).toBe('image/webp')
    expect(first.headers.get('cache-control')).toMatch(/max-age=2592000/)
    const etag = first.headers.get('etag')!
    expect(etag).toMatch(/^"[0-9a-f]{20}"$/)
    expect(Buffer.from(await first.arrayBuffer()).toString('ascii', 8, 12)).toBe('WEBP')
    const again = await anonymous.request('/api/cards/swsh3-136/image?lang=fr&size=high', { headers: { 'if-none-match': etag } })
    expect(again.status).toBe(304)
    expect(stub.requests.map(r => r.path)).toEqual(['/assets/fr/swsh/swsh3/136/high.webp'])

    stub.behave('image:base1-58', 'not-found')
    const missing = await anonymous.request('/api/cards/base1-58/image')
    expect(missing.status).toBe(404)
    expect(missing.headers.get('cache-control')).toMatch(/max-age=300/)
    expect((await anonymous.request('/api/cards/base1-58/image')).status).toBe(404)
    expect(stub.requests.filter(r => r.path.includes('/base1/58/'))).toHaveLength(1)
    expect((await anonymous.request('/api/cards/nope-1/image')).status).toBe(404)
    expect((await anonymous.request('/api/cards/swsh3-136/image?size=huge')).status).toBe(400)
  })

  it('exports purchase currency, grading and the market price in the CSV', async () => {
    const res = await alice.request('/api/collection/export.csv')
    const [header, ...lines] = (await res.text()).replace(/^\uFEFF/, '').trim().split('\r\n')
    expect(header).toContain('grader,grade,cert_number,location,notes,price_paid,price_paid_currency,acquired_at,market_price,market_currency')
    expect(lines.find(l => l.includes(',PSA,10,555,'))).toMatch(/,900\.00,EUR,,,$/)
    expect(lines.find(l => l.startsWith('base1-4,') && !l.includes('PSA'))).toMatch(/,300\.00,EUR,,397\.58,EUR$/)
  })
})
