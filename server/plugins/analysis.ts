import type { Kysely } from 'kysely'
import type { Database } from '../database/schema'
import { dropUpload } from '../jobs/reconcile'
import { type AnalysisRuntime, startAnalysis } from '../jobs/runtime'
import type { ImageStore } from '../storage/image-store'

/** Embedded, this is the only process: an upload still 'receiving' died with the last one. */
async function dropDeadUploads(db: Kysely<Database>, store: ImageStore) {
  const dead = await db.selectFrom('import_batches').select('id').where('status', '=', 'receiving').execute()
  for (const batch of dead) await dropUpload({ db, store }, batch.id)
  if (dead.length) console.info(`[analysis] removed ${dead.length} upload(s) cut short by the last stop`)
}

// SIGTERM: running photos get this long to finish, then go back to the queue; all is closed well within 10 s.
const FINISH_MS = 6000
const RETRY_MS = 3000

const log = (message: string, error?: unknown) => (error ? console.error(message, error) : console.info(message))

/**
 * Starts the analysis in the web process: the reconciler always, and a worker unless
 * `ANALYSIS_WORKERS=0` with Redis (then `npm run worker` processes do it). Embedded, the web
 * process is the only one that can reach the database, so it always analyses.
 */
export default defineNitroPlugin((nitroApp) => {
  // Nitro's own bound on SIGTERM (30 s by default, read once it listens): ours closes in less.
  process.env.NITRO_SHUTDOWN_TIMEOUT ||= '9500'
  const config = useServerConfig()
  let runtime: AnalysisRuntime | undefined
  let closing = false
  if (!config.redisUrl && config.analysisWorkers === 0) {
    console.warn('[analysis] ANALYSIS_WORKERS=0 needs REDIS_URL (workers elsewhere); embedded, this process analyses anyway')
  }

  const start = async (): Promise<void> => {
    while (!closing) {
      try {
        const [db, queue] = await Promise.all([useDb(), useQueue()])
        if (closing) return
        if (!config.redisUrl) await dropDeadUploads(db, useImageStore())
        const inProcess = !config.redisUrl || config.analysisWorkers > 0
        runtime = startAnalysis({ db, store: useImageStore(), queue, settings: config, analyze: inProcess ? useAnalyzer() : undefined, log })
        console.info(`[analysis] ${queue.driver} queue; ${inProcess ? 'analysing in this process' : 'no worker in this process (ANALYSIS_WORKERS=0)'}`)
        return
      }
      catch (error) {
        console.error(`[analysis] queue not started (again in ${RETRY_MS / 1000} s):`, error instanceof Error ? error.message : error)
        await new Promise(resolve => setTimeout(resolve, RETRY_MS))
      }
    }
  }
  const started = start()

  nitroApp.hooks.hook('close', async () => {
    closing = true
    beginShutdown()
    await started
    await runtime?.stop(FINISH_MS)
    await closeQueue()
    await closeAnalyzer()
  })
})
