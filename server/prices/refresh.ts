import { type Kysely, sql } from 'kysely'
import type { Database, LocalizedNames } from '../database/schema'
import { createPacer } from './pacer'
import { finishRun, heartbeat, type RunCounts, startRun } from './runs'
import { type CardOutcome, storeOutcomes } from './store'
import { type PriceClient, TcgdexError } from './tcgdex-client'
import { pricesFromTcgdex } from './tcgdex-pricing'
import { snapshotValues } from './value'

export interface RefreshDeps {
  db: Kysely<Database>
  client: PriceClient
  /** Requests started per second, and in flight at once. */
  requestsPerSecond: number
  concurrency: number
  /** A card's price is asked for again once it is this old. */
  maxAgeHours: number
  /** Cards fetched between two writes (and two heartbeats). */
  batchSize?: number
  /** After this many failures in a row (TCGdex down, timing out), the run stops; the rest waits for the next run. */
  maxFailuresInARow?: number
  now?: () => Date
  sleep?: (ms: number) => Promise<void>
  log?: (message: string) => void
}

export interface RefreshOptions {
  /** Only this user's cards (a "refresh my prices" request); default: every card users own. */
  userId?: string
  /** Ask again even for cards fetched within maxAgeHours. */
  force?: boolean
  /** Called once the run is visible to others (it holds the lease), or is over (nothing due, or busy). */
  onStarted?: () => void | Promise<void>
}

export interface RefreshResult {
  status: 'done' | 'failed' | 'busy'
  runId: string | null
  cards: number
  requests: number
  priced: number
  unpriced: number
  failed: number
  rateLimited: number
  ms: number
  message: string | null
}

/** A card whose price failed is asked for again after this long, even when maxAgeHours is longer. */
const RETRY_FAILED_AFTER_MS = 60 * 60_000
const MAX_RATE_LIMIT_WAIT_MS = 60_000
const RATE_LIMIT_RETRIES = 3

interface Target { id: string, name: LocalizedNames, variants: string[] }

/**
 * The cards whose price is due: owned or wanted by someone (or by `userId`), never checked, checked
 * about `maxAgeHours` ago or longer, or failed over an hour ago. Never-checked cards first, then the oldest.
 */
export async function dueCards(db: Kysely<Database>, now: Date, maxAgeHours: number, options: RefreshOptions = {}): Promise<Target[]> {
  // A little early rather than an hour late: an hourly schedule then asks for each card at the same hour every day.
  const stale = new Date(now.getTime() - maxAgeHours * 3_600_000 * 0.9)
  const retry = new Date(now.getTime() - Math.min(RETRY_FAILED_AFTER_MS, maxAgeHours * 3_600_000))
  let q = db.selectFrom('cards as c')
    .leftJoin('card_price_checks as k', 'k.card_id', 'c.id')
    .select(['c.id', 'c.name', 'c.variants'])
    .where(eb => eb.or([
      eb.exists(eb.selectFrom('user_cards as uc').select(sql`1`.as('one')).whereRef('uc.card_id', '=', 'c.id')
        .$if(!!options.userId, w => w.where('uc.user_id', '=', options.userId!))),
      eb.exists(eb.selectFrom('wants as w').select(sql`1`.as('one')).whereRef('w.card_id', '=', 'c.id')
        .$if(!!options.userId, w => w.where('w.user_id', '=', options.userId!))),
    ]))
  if (!options.force) {
    q = q.where(eb => eb.or([
      eb('k.card_id', 'is', null),
      eb.and([eb('k.status', '!=', 'failed'), eb('k.checked_at', '<', stale)]),
      eb.and([eb('k.status', '=', 'failed'), eb('k.checked_at', '<', retry)]),
    ]))
  }
  const rows = await q.orderBy(sql`k.checked_at asc nulls first`).orderBy('c.id').execute()
  return rows.map(r => ({ id: r.id, name: r.name as LocalizedNames, variants: r.variants }))
}

/** The language a card is asked for in: TCGdex prices are the same in every language; English when the card has it. */
const languageOf = (names: LocalizedNames) => (names.en ? 'en' : Object.keys(names).find(l => names[l]) ?? 'en')

/**
 * Fetches the prices of the cards users own from TCGdex, paced (`requestsPerSecond`, `concurrency`),
 * in batches written one transaction each, then writes today's collection values. Framework-free:
 * the scheduled task calls it now, a queue job can call it later. One run at a time across processes
 * (see runs.ts); a second caller gets `busy` at once.
 */
export async function refreshPrices(deps: RefreshDeps, options: RefreshOptions = {}): Promise<RefreshResult> {
  const now = deps.now ?? (() => new Date())
  const started = Date.now()
  const batchSize = deps.batchSize ?? 50
  const maxFailuresInARow = deps.maxFailuresInARow ?? 8
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>(resolve => setTimeout(resolve, ms)))
  const result: RefreshResult = { status: 'done', runId: null, cards: 0, requests: 0, priced: 0, unpriced: 0, failed: 0, rateLimited: 0, ms: 0, message: null }
  const requestsBefore = deps.client.requests
  const counts = (): RunCounts => ({ cards: result.cards, requests: deps.client.requests - requestsBefore, priced: result.priced, failed: result.failed })

  // Most hourly runs find nothing due: they only write today's values, without taking the lease.
  const due = await dueCards(deps.db, now(), deps.maxAgeHours, options)
  if (!due.length) {
    await snapshotValues(deps.db, now(), options.userId ? [options.userId] : undefined)
    await options.onStarted?.()
    return { ...result, ms: Date.now() - started }
  }
  const runId = await startRun(deps.db, options.userId ? `user:${options.userId}` : 'all', now())
  await options.onStarted?.()
  if (!runId) return { ...result, status: 'busy', message: 'Another price refresh is running' }
  result.runId = runId

  const pacer = createPacer({ requestsPerSecond: deps.requestsPerSecond, concurrency: deps.concurrency, sleep })
  let failuresInARow = 0
  let stopped: string | null = null

  async function fetchCard(card: Target): Promise<CardOutcome | null> {
    for (let attempt = 0; ; attempt++) {
      if (stopped) return null
      try {
        // A stop decided while this card waited for its turn sends nothing more.
        const answer = await pacer.run(async () => (stopped ? null : deps.client.cardPricing(languageOf(card.name), card.id)))
        if (!answer) return null
        failuresInARow = 0
        if (!answer.found) return { cardId: card.id, status: 'unpriced' }
        const rows = pricesFromTcgdex(answer.pricing, card.variants)
        return rows.length ? { cardId: card.id, status: 'priced', rows } : { cardId: card.id, status: 'unpriced' }
      }
      catch (error) {
        if (!(error instanceof TcgdexError)) throw error
        if (error.kind === 'rate-limited' && attempt < RATE_LIMIT_RETRIES) {
          // Told to slow down: wait as asked (or back off), and go on at half the pace.
          result.rateLimited++
          const wait = Math.min(MAX_RATE_LIMIT_WAIT_MS, error.retryAfterMs ?? 2000 * 2 ** attempt)
          pacer.slowDown()
          pacer.pauseUntil(Date.now() + wait)
          continue
        }
        if (++failuresInARow >= maxFailuresInARow && !stopped) {
          stopped = `Stopped after ${failuresInARow} failures in a row (${error.message}); the remaining cards wait for the next run`
        }
        return { cardId: card.id, status: 'failed', error: error.message }
      }
    }
  }

  try {
    // Asked again under the lease: another process may have fetched some of them meanwhile.
    const targets = await dueCards(deps.db, now(), deps.maxAgeHours, options)
    deps.log?.(`[prices] refreshing ${targets.length} cards at ${deps.requestsPerSecond} requests/s`)
    for (let i = 0; i < targets.length && !stopped; i += batchSize) {
      const batch = targets.slice(i, i + batchSize)
      const outcomes = (await Promise.all(batch.map(fetchCard))).filter((o): o is CardOutcome => !!o)
      await storeOutcomes(deps.db, outcomes, now())
      for (const o of outcomes) {
        result.cards++
        if (o.status === 'priced') result.priced++
        else if (o.status === 'unpriced') result.unpriced++
        else result.failed++
      }
      if (!(await heartbeat(deps.db, runId, counts(), now()))) {
        stopped = 'The run lost its lease to another process'
        break
      }
    }
    await snapshotValues(deps.db, now(), options.userId ? [options.userId] : undefined)
    result.status = stopped ? 'failed' : 'done'
    result.message = stopped
  }
  catch (error) {
    result.status = 'failed'
    result.message = `Refresh failed: ${(error as Error).message}`
    deps.log?.(`[prices] ${result.message}`)
  }
  finally {
    result.requests = deps.client.requests - requestsBefore
    result.ms = Date.now() - started
    await finishRun(deps.db, runId, result.status === 'done' ? 'done' : 'failed', counts(), result.message, now()).catch(() => {})
  }
  deps.log?.(`[prices] ${result.status}: ${result.cards} cards, ${result.priced} priced, ${result.unpriced} without price, ${result.failed} failed, ${result.requests} requests in ${result.ms} ms`)
  return result
}
