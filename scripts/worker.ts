/**
 * `npm run worker`: an analysis worker process, on this machine or any other. It needs only
 * DATABASE_URL and REDIS_URL (the same as the web process's); ANALYSIS_CONCURRENCY photos at once
 * (default: one per core). SIGTERM or SIGINT: running photos finish, or go back to the queue, and
 * the process exits within 10 s. Built into `.output/server/worker.mjs` for the container image.
 */
import { sql } from 'kysely'
import { openDatabase } from '../server/database/connection'
import { migrateToLatest } from '../server/database/migrate'
import { createBullQueue } from '../server/jobs/bullmq-queue'
import { concurrencyOf, startAnalysis } from '../server/jobs/runtime'
import { createImageStore } from '../server/storage/image-store'
import { serverConfigFrom } from '../server/settings'
import { createAnalyzer } from '../server/utils/recognition'

const FINISH_MS = 6000
const EXIT_DEADLINE_MS = 9500

const log = (message: string, error?: unknown) => (error ? console.error(message, error) : console.info(message))
const config = serverConfigFrom(process.env)

if (!config.databaseUrl || !config.redisUrl) {
  console.error('[worker] needs DATABASE_URL and REDIS_URL. Without them the web process is the only one that can analyse (it does so itself).')
  process.exit(2)
}

const db = await openDatabase({ url: config.databaseUrl, dataDir: '', poolSize: Math.max(4, concurrencyOf(config) + 2) })
await migrateToLatest(db.db)
// The web process fills the catalogue at its first start: candidates need it.
for (let waited = 0; ; waited += 2) {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from cards`.execute(db.db)
  if (rows[0]!.n > 0) break
  if (waited % 30 === 0) log('[worker] waiting for the card catalogue (start the web process once)')
  await new Promise(resolve => setTimeout(resolve, 2000))
}

let queue: Awaited<ReturnType<typeof createBullQueue>>
try {
  queue = await createBullQueue(config.redisUrl, { maxAttempts: config.analysisMaxAttempts + 2, log })
}
catch (error) {
  console.error(`[worker] ${error instanceof Error ? error.message : error}`)
  await db.close()
  process.exit(1)
}
const store = createImageStore({ redisUrl: config.redisUrl, defaultTtlSeconds: config.imageTtlSeconds })
const analyzer = createAnalyzer(async () => db.db, config)
const runtime = startAnalysis({ db: db.db, store, queue, settings: config, analyze: analyzer.analyze, log })
log(`[worker] ${process.pid} analysing up to ${concurrencyOf(config)} photos at once`)

let stopping = false
async function stop(signal: string) {
  if (stopping) return
  stopping = true
  log(`[worker] ${signal}: finishing or handing back ${runtime.worker?.running() ?? 0} running photo(s)`)
  setTimeout(() => {
    console.error('[worker] could not close in time; exiting')
    process.exit(1)
  }, EXIT_DEADLINE_MS).unref()
  await runtime.stop(FINISH_MS)
  await Promise.allSettled([queue.close(), store.close(), analyzer.close(), db.close()])
  log('[worker] stopped')
  process.exit(0)
}
process.on('SIGTERM', () => void stop('SIGTERM'))
process.on('SIGINT', () => void stop('SIGINT'))
