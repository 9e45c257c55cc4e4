import type { Kysely } from 'kysely'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { DatabaseHandle } from '../../../server/database/connection'
import type { Database } from '../../../server/database/schema'
import { dueCards, refreshPrices, type RefreshDeps } from '../../../server/prices/refresh'
import { refreshState, STALE_RUN_MS, startRun } from '../../../server/prices/runs'
import { createTcgdexClient } from '../../../server/prices/tcgdex-client'
import { getCollectionValue, getValueHistory } from '../../../server/prices/value'
import { createTestUser, openPriceTestDatabase, TEST_CARDS } from '../../support/prices-db'
import { startTcgdexStub, type TcgdexStub } from '../../support/tcgdex-stub'

// Runs on PGlite, or on the real Postgres of DATABASE_URL (the CI's second pass).
let handle: DatabaseHandle
let db: Kysely<Database>
let stub: TcgdexStub
let userId: string
const DAY = 86_400_000
const T0 = new Date('2026-03-10T06:00:00Z')

const deps = (over: Partial<RefreshDeps> = {}): RefreshDeps => ({
  db,
  client: createTcgdexClient({ baseUrl: stub.url, timeoutMs: 400 }),
  requestsPerSecond: 40,
  concurrency: 3,
  maxAgeHours: 24,
  now: () => T0,
  ...over,
})

async function own(cardId: string, finish: string, over: Record<string, unknown> = {}) {
  await db.insertInto('user_cards').values({ user_id: userId, card_id: cardId, quantity: 1, condition: 'NM', language: 'en', finish: finish as any, ...over }).execute()
}

beforeAll(async () => {
  stub = await startTcgdexStub({ hangMs: 3000 })
  ;({ handle, db } = await openPriceTestDatabase())
  userId = await createTestUser(db)
  await own('swsh3-136', 'normal', { quantity: 3 })
  await own('swsh3-136', 'reverse', { price_paid: 0.1, price_paid_currency: 'EUR' })
  await own('base1-4', 'holo', { price_paid: 300, price_paid_currency: 'EUR' })
  await own('base1-4', 'holo', { grader: 'PSA', grade: '9', cert_number: '123' })
  await own('sv03.5-199', 'holo')
  await own('sv02-012', 'normal', { quantity: 2 })
  for (const id of ['base1-1', 'base1-58', 'sv01-025', 'sv06-130', 'bw1-1']) await own(id, 'normal')
}, 60_000)

afterAll(async () => {
  if (userId) await db.deleteFrom('users').where('id', '=', userId).execute()
  await handle?.close()
  await stub?.close()
})

beforeEach(() => stub.reset())

describe('refreshPrices against the TCGdex stub', () => {
  it('stores each priced card, marks the rest, and keeps going through 500, timeout, malformed JSON and 429', async () => {
    stub.behave('sv01-025', 'server-error')
    stub.behave('sv06-130', 'timeout')
    stub.behave('bw1-1', 'malformed')
    stub.behave('base1-1', { rateLimited: 1, retryAfterSeconds: 0.2 })

    const result = await refreshPrices(deps(), { userId })
    expect(result).toMatchObject({ status: 'done', cards: 9, priced: 4, unpriced: 2, failed: 3, rateLimited: 1 })
    // One request per card, plus the retry after the 429.
    expect(result.requests).toBe(10)
    expect(stub.requests.every(r => r.path.startsWith('/v2/en/cards/'))).toBe(true)

    const prices = await db.selectFrom('card_prices').select(['card_id', 'source', 'variant', 'market', 'currency'])
      .where('card_id', 'in', ['swsh3-136', 'base1-4']).orderBy('card_id').orderBy('source').orderBy('variant').execute()
    expect(prices.map(p => [p.card_id, p.source, p.variant, Number(p.market), p.currency])).toEqual([
      ['base1-4', 'cardmarket', 'holo', 397.58, 'EUR'],
      ['base1-4', 'tcgplayer', 'holo', 561.37, 'USD'],
      ['swsh3-136', 'cardmarket', 'normal', 0.08, 'EUR'],
      ['swsh3-136', 'cardmarket', 'reverse', 0.21, 'EUR'],
      ['swsh3-136', 'tcgplayer', 'normal', 0.09, 'USD'],
      ['swsh3-136', 'tcgplayer', 'reverse', 0.23, 'USD'],
    ])
    const history = await db.selectFrom('card_price_history').select(['day']).where('card_id', '=', 'swsh3-136').execute()
    expect(history.map(h => String(h.day))).toEqual(Array(4).fill('2026-03-10'))
    const checks = await db.selectFrom('card_price_checks').select(['card_id', 'status', 'error'])
      .where('card_id', 'in', TEST_CARDS.map(c => c.id)).orderBy('card_id').execute()
    expect(Object.fromEntries(checks.map(c => [c.card_id, c.status]))).toEqual({
      'base1-1': 'unpriced', // 404 once the 429 passed
      'base1-4': 'priced',
      'base1-58': 'unpriced', // a card with no pricing
      'bw1-1': 'failed',
      'sv01-025': 'failed',
      'sv02-012': 'priced',
      'sv03.5-199': 'priced',
      'sv06-130': 'failed',
      'swsh3-136': 'priced',
    })
    expect(checks.find(c => c.card_id === 'sv06-130')!.error).toMatch(/did not answer within 400 ms/)
    expect(checks.find(c => c.card_id === 'bw1-1')!.error).toMatch(/not JSON/)
    expect(checks.find(c => c.card_id === 'sv01-025')!.error).toMatch(/500/)

    const state = await refreshState(db, T0)
    expect(state).toMatchObject({ running: false, last: { status: 'done' } })
  })

  it('values the collection in each currency by finish, leaving graded copies out', async () => {
    const eur = await getCollectionValue(db, userId, 'EUR', { now: T0 })
    // 3 × 0.08 (normal) + 0.21 (reverse) + 397.58 (raw Charizard) + 98.73 (Charizard ex) + 2 × 0.10 (Sprigatito)
    expect(eur.total).toBe(496.96)
    expect(eur).toMatchObject({ copies: 14, pricedCopies: 8, gradedCopies: 1 })
    expect(eur.cost).toEqual({ paid: 300.1, worth: 397.79, copies: 2 })
    expect(eur.top.map(c => [c.cardId, c.unit])).toEqual([['base1-4', 397.58], ['sv03.5-199', 98.73], ['swsh3-136', 0.21], ['sv02-012', 0.1], ['swsh3-136', 0.08]])
    expect(eur.bySet[0]).toMatchObject({ setId: 'base1', value: 397.58, copies: 1 })
    expect(eur.movers).toEqual({ up: [], down: [] })
    expect(eur.top[0]!.imageUrl).toBe('/api/cards/base1-4/image?lang=en&size=low')

    const usd = await getCollectionValue(db, userId, 'USD', { now: T0 })
    // 3 × 0.09 + 0.23 + 561.37 + 118.42 + 2 × 0.12
    expect(usd.total).toBe(680.53)
    expect(usd.cost.copies).toBe(0) // bought in EUR: no profit or loss in USD without an exchange rate

    const snapshots = await db.selectFrom('collection_value_snapshots').select(['currency', 'day', 'value'])
      .where('user_id', '=', userId).orderBy('currency').execute()
    expect(snapshots.map(s => [s.currency, String(s.day), Number(s.value)])).toEqual([['EUR', '2026-03-10', 496.96], ['USD', '2026-03-10', 680.53]])
  })

  it('asks again only for what is due: nothing the same day but failures after an hour, everything the next day', async () => {
    expect(await refreshPrices(deps(), { userId })).toMatchObject({ status: 'done', runId: null, cards: 0, requests: 0 })
    const later = new Date(T0.getTime() + 61 * 60_000)
    expect((await dueCards(db, later, 24, { userId })).map(c => c.id).sort()).toEqual(['bw1-1', 'sv01-025', 'sv06-130'])

    // The next day Charizard is up, Furret's reverse down: history gets a second day, movers appear.
    const next = new Date(T0.getTime() + DAY)
    const client = createTcgdexClient({ baseUrl: stub.url, timeoutMs: 400 })
    const moved = await refreshPrices({ ...deps(), client: { get requests() { return client.requests }, cardPricing: async (lang, id) => {
      const answer = await client.cardPricing(lang, id)
      if (!answer.found || !answer.pricing) return answer
      const p = structuredClone(answer.pricing) as any
      if (id === 'base1-4') p.cardmarket.trend = 420
      if (id === 'swsh3-136') p.cardmarket['trend-holo'] = 0.15
      return { found: true, pricing: p }
    } }, now: () => next }, { userId })
    expect(moved).toMatchObject({ status: 'done', cards: 9 })
    const value = await getCollectionValue(db, userId, 'EUR', { now: next })
    expect(value.movers.up.map(m => [m.cardId, m.previous, m.unit, m.change, m.since])).toEqual([['base1-4', 397.58, 420, 22.42, '2026-03-10']])
    expect(value.movers.down.map(m => [m.cardId, m.finish, m.change, m.changePercent])).toEqual([['swsh3-136', 'reverse', -0.06, -28.6]])
    const history = await getValueHistory(db, userId, 'EUR', 30, next)
    expect(history.points.map(p => [p.day, p.value])).toEqual([['2026-03-10', 496.96], ['2026-03-11', 519.32]])
  })

  it('runs one refresh at a time: a second caller is told busy, a dead run\'s lease is taken over', async () => {
    const other = await startRun(db, 'all', T0)
    expect(other).toBeTruthy()
    const busy = await refreshPrices(deps({ now: () => new Date(T0.getTime() + 60_000) }), { userId, force: true })
    expect(busy).toMatchObject({ status: 'busy', requests: 0 })
    expect(stub.requests).toHaveLength(0)

    const afterStale = new Date(T0.getTime() + STALE_RUN_MS + 1000)
    const taken = await refreshPrices(deps({ now: () => afterStale }), { userId, force: true })
    expect(taken.status).toBe('done')
    const abandoned = await db.selectFrom('price_refresh_runs').select('status').where('id', '=', other!).executeTakeFirstOrThrow()
    expect(abandoned.status).toBe('abandoned')
  })

  it('stops after a run of failures instead of hammering an API that is down', async () => {
    stub.behave('*', 'server-error')
    const result = await refreshPrices(deps({ concurrency: 1, maxFailuresInARow: 3, now: () => new Date(T0.getTime() + 3 * DAY) }), { userId })
    expect(result.status).toBe('failed')
    expect(result.message).toMatch(/Stopped after 3 failures in a row/)
    expect(result.requests).toBe(3)
    // What was not asked for stays due for the next run.
    expect((await dueCards(db, new Date(T0.getTime() + 3 * DAY), 24, { userId })).length).toBe(6)
  })

  it('paces its requests', async () => {
    const result = await refreshPrices(deps({ requestsPerSecond: 20, concurrency: 2, now: () => new Date(T0.getTime() + 4 * DAY) }), { userId })
    expect(result.requests).toBeGreaterThanOrEqual(9)
    const starts = stub.requests.map(r => r.at)
    expect(starts.at(-1)! - starts[0]!).toBeGreaterThanOrEqual((starts.length - 1) * 50 - 30)
    expect(stub.peakConcurrency).toBeLessThanOrEqual(2)
  })

  it('says it has started once its run is visible, before fetching anything', async () => {
    const later = new Date(T0.getTime() + 30 * DAY)
    let seen: { running: boolean, requests: number } | undefined
    await refreshPrices(deps({ now: () => later }), {
      userId,
      force: true,
      onStarted: async () => {
        const run = await db.selectFrom('price_refresh_runs').select('status').where('scope', '=', `user:${userId}`).where('started_at', '=', later).executeTakeFirst()
        seen = { running: run?.status === 'running', requests: stub.requests.length }
      },
    })
    expect(seen).toEqual({ running: true, requests: 0 })
  })
})
