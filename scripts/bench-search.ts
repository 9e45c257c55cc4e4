// `npm run bench:search`: 200 mixed catalogue queries through the same module as GET /api/cards,
// straight on the database (DATABASE_URL, else PGlite under ${DATA_DIR:-.data}/pglite), no server.
// Prints latency percentiles and checks the expected first result of known queries.
import { resolve } from 'node:path'
import { catalogIsEmpty, importCatalog } from '../server/catalog/import'
import { searchCards } from '../server/catalog/search'
import { readCatalogFile } from '../server/catalog/source'
import { openScriptDatabase } from '../server/database/connection'
import { migrateToLatest } from '../server/database/migrate'

/** Queries whose first result is known; `first` is a card id or a predicate on the first item. */
const CHECKS: { q: string, first: string | ((item: { id: string, names: Record<string, string | undefined> }) => boolean) }[] = [
  { q: 'Dracaufeu', first: i => /charizard/i.test(i.names.en ?? '') },
  { q: 'charizrd', first: i => /charizard/i.test(i.names.en ?? '') },
  { q: 'Glurak', first: i => /charizard/i.test(i.names.en ?? '') },
  { q: 'pikachu', first: i => i.names.en === 'Pikachu' },
  { q: 'pikahcu', first: i => /pikachu/i.test(i.names.en ?? '') },
  { q: 'evoli', first: i => i.names.en === 'Eevee' },
  { q: 'Évoli', first: i => i.names.en === 'Eevee' },
  { q: 'Poussacha', first: i => i.names.en === 'Sprigatito' },
  { q: 'PAL 12', first: 'sv02-012' },
  { q: 'PAL 012/193', first: 'sv02-012' },
  { q: 'pal fr 012/193', first: 'sv02-012' },
  { q: 'EAP 012/193', first: 'sv02-012' },
  { q: '12/193', first: 'sv02-012' },
  { q: 'sv02-012', first: 'sv02-012' },
  { q: 'SWSH050', first: 'swshp-SWSH050' },
  { q: 'LOR:TG TG05', first: 'swsh11tg-TG05' },
  { q: 'Pikachu TG05', first: i => i.id.endsWith('-TG05') && i.names.en === 'Pikachu' },
]

function randomPick<T>(items: T[], seed: { n: number }): T {
  // Small deterministic LCG so two runs use the same queries.
  seed.n = (seed.n * 1103515245 + 12345) % 2 ** 31
  return items[seed.n % items.length]!
}

/** Drops one letter in the middle: a typical typo. */
function typo(word: string): string {
  if (word.length < 5) return word
  const at = Math.floor(word.length / 2)
  return word.slice(0, at) + word.slice(at + 1)
}

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.ceil(p / 100 * sorted.length) - 1)]!
}

const count = Number(process.env.BENCH_QUERIES || 200)
const handle = await openScriptDatabase('bench:search')
try {
  const { db } = handle
  await migrateToLatest(db)
  if (await catalogIsEmpty(db)) await importCatalog(db, await readCatalogFile(resolve('data/tcgdex-catalog.json.gz')))

  // Build the mixed workload from the catalogue itself.
  const sample = await db.selectFrom('cards').innerJoin('sets', 'sets.id', 'cards.set_id')
    .select(['cards.id', 'cards.local_id', 'cards.name', 'sets.code', 'sets.printed_total'])
    .where('sets.code', 'is not', null).where('cards.local_id', '~', '^[0-9]+$')
    .orderBy('cards.id').execute()
  const seed = { n: 42 }
  const kinds = ['en', 'en-typo', 'fr', 'fr-typo', 'number', 'code-number', 'code-number-total', 'id'] as const
  const workload: string[] = CHECKS.map(c => c.q)
  while (workload.length < count) {
    const card = randomPick(sample, seed)
    const kind = kinds[workload.length % kinds.length]!
    const en = card.name.en ?? Object.values(card.name)[0]!
    const fr = card.name.fr ?? en
    const q = {
      'en': en,
      'en-typo': typo(en.toLowerCase()),
      'fr': fr,
      'fr-typo': typo(fr.toLowerCase()),
      'number': `${card.local_id}/${card.printed_total}`,
      'code-number': `${card.code} ${Number(card.local_id)}`,
      'code-number-total': `${card.code} ${card.local_id}/${card.printed_total}`,
      'id': card.id,
    }[kind]
    workload.push(q)
  }

  // Warm-up: first queries pay for plan caching and page loads.
  for (const q of workload.slice(0, 5)) await searchCards(db, { q })

  const times: number[] = []
  const timed: { q: string, ms: number }[] = []
  const empty: string[] = []
  for (const q of workload) {
    const t = performance.now()
    const res = await searchCards(db, { q, pageSize: 24 })
    const ms = performance.now() - t
    times.push(ms)
    timed.push({ q, ms })
    if (!res.total) empty.push(q)
  }
  times.sort((a, b) => a - b)
  const fmt = (n: number) => `${n.toFixed(1)} ms`
  console.log(`[bench:search] ${handle.driver}: ${workload.length} queries, p50 ${fmt(percentile(times, 50))}, `
    + `p95 ${fmt(percentile(times, 95))}, max ${fmt(times.at(-1)!)}, no result for ${empty.length}`)
  if (process.env.BENCH_VERBOSE) {
    console.log('  slowest:', timed.sort((a, b) => b.ms - a.ms).slice(0, 10).map(t => `${t.q} (${fmt(t.ms)})`).join('; '))
    console.log('  no result:', empty.join('; '))
  }

  let hits = 0
  for (const check of CHECKS) {
    const first = (await searchCards(db, { q: check.q, pageSize: 1 })).items[0]
    const ok = !!first && (typeof check.first === 'string' ? first.id === check.first : check.first(first as never))
    if (ok) hits++
    else console.log(`  miss: "${check.q}" → ${first ? `${first.id} ${first.name}` : 'nothing'}`)
  }
  console.log(`[bench:search] expected first result: ${hits}/${CHECKS.length}`)
  if (hits < CHECKS.length) process.exitCode = 1
}
finally {
  await handle.close()
}
