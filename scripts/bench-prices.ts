// `npm run bench:prices [-- --cards 2000 --rps 10 --concurrency 4 --latency 30]`: refreshes the prices
// of N owned cards against the local TCGdex stub (tests/support/tcgdex-stub.ts, which answers every card
// with real-shaped pricing after `--latency` ms), through the same refreshPrices() the scheduled task
// runs, at the app's default pace unless told otherwise. A throw-away PGlite database (or DATABASE_URL
// with --postgres). Prints one line: time, requests, request rate, peak concurrency.
import { parseArgs } from 'node:util'
import { resolve } from 'node:path'
import { importCatalog } from '../server/catalog/import'
import { readCatalogFile } from '../server/catalog/source'
import { openDatabase } from '../server/database/connection'
import { migrateToLatest } from '../server/database/migrate'
import { refreshPrices } from '../server/prices/refresh'
import { createTcgdexClient } from '../server/prices/tcgdex-client'
import { startTcgdexStub } from '../tests/support/tcgdex-stub'

const { values: args } = parseArgs({
  options: {
    cards: { type: 'string', default: '2000' },
    rps: { type: 'string', default: '10' }, // the app's default (PRICES_REQUESTS_PER_SECOND)
    concurrency: { type: 'string', default: '4' },
    latency: { type: 'string', default: '30' },
    postgres: { type: 'boolean', default: false },
  },
})
const cards = Number(args.cards)
const stub = await startTcgdexStub({ generate: true, latencyMs: Number(args.latency) })
const handle = await openDatabase({ url: args.postgres ? process.env.DATABASE_URL : undefined, dataDir: 'memory://' })
try {
  const { db } = handle
  await migrateToLatest(db)
  await importCatalog(db, await readCatalogFile(resolve('data/tcgdex-catalog.json.gz')))
  const user = await db.insertInto('users').values({ email: `bench-${Date.now()}@example.test`, name: 'bench', password_hash: 'x' }).returning('id').executeTakeFirstOrThrow()
  // Every 10th card of the catalogue in id order: old and new sets, all kinds of variants.
  const picked = await db.selectFrom('cards').select(['id', 'variants']).orderBy('id').execute()
  const owned = picked.filter((_, i) => i % 10 === 0).slice(0, cards)
  for (let i = 0; i < owned.length; i += 500) {
    await db.insertInto('user_cards').values(owned.slice(i, i + 500).map(c => ({
      user_id: user.id, card_id: c.id, quantity: 1, condition: 'NM' as const, language: 'en', finish: c.variants.includes('holo') && !c.variants.includes('normal') ? 'holo' as const : 'normal' as const,
    }))).execute()
  }
  if (args.postgres) await db.deleteFrom('card_price_checks').where('card_id', 'in', owned.map(c => c.id)).execute()

  const client = createTcgdexClient({ baseUrl: stub.url })
  const started = performance.now()
  const result = await refreshPrices({ db, client, requestsPerSecond: Number(args.rps), concurrency: Number(args.concurrency), maxAgeHours: 24 }, { userId: user.id })
  const seconds = (performance.now() - started) / 1000
  if (result.message) console.error(result.message)
  const again = await refreshPrices({ db, client, requestsPerSecond: Number(args.rps), concurrency: Number(args.concurrency), maxAgeHours: 24 }, { userId: user.id })
  const history = await db.selectFrom('card_price_history').select(eb => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
  console.log(`bench:prices ${handle.driver} cards=${owned.length} status=${result.status} time=${seconds.toFixed(1)}s requests=${result.requests} `
    + `rate=${(result.requests / seconds).toFixed(1)}/s (limit ${args.rps}/s) peak-concurrency=${stub.peakConcurrency} priced=${result.priced} `
    + `history-rows=${history.n} second-run-requests=${again.requests}`)
}
finally {
  await handle.close()
  await stub.close()
}
