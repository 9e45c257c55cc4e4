import { availableParallelism } from 'node:os'
import type { Kysely } from 'kysely'
import type { Database } from '../database/schema'
import type { AnalyzeFn } from '../imports/batches'
import type { ImageStore } from '../storage/image-store'
import { analysePhotoJob } from './analyse-photo'
import type { AnalysisQueue, QueueWorker } from './queue'
import { reconcile } from './reconcile'

export interface AnalysisSettings {
  imageTtlSeconds: number
  analysisConcurrency: number
  analysisMaxAttempts: number
  analysisLeaseSeconds: number
}

export interface AnalysisRuntimeDeps {
  db: Kysely<Database>
  store: Pick<ImageStore, 'get' | 'remove'>
  queue: AnalysisQueue
  settings: AnalysisSettings
  /** The analysis; only asked for when this process runs a worker. */
  analyze?: AnalyzeFn
  log?: (message: string, error?: unknown) => void
}

export interface AnalysisRuntime {
  worker: QueueWorker | undefined
  /** Stops the reconciler and the worker: running photos finish within `graceMs` or go back to the queue. */
  stop: (graceMs: number) => Promise<void>
}

// An upload that received nothing for this long belongs to a process that died.
const STALE_UPLOAD_SECONDS = 15 * 60

/** Photos analysed at once by one worker: ANALYSIS_CONCURRENCY, else one per core. */
export const concurrencyOf = (settings: AnalysisSettings) => settings.analysisConcurrency || availableParallelism()

/**
 * What every process of the app runs for the analysis (the web process, and `npm run worker`):
 * a worker when it has `analyze`, and the reconciler, so that no photo stays queued forever.
 */
export function startAnalysis(deps: AnalysisRuntimeDeps): AnalysisRuntime {
  const { settings, log } = deps
  const worker = deps.analyze
    ? deps.queue.work(
        (job, context) => analysePhotoJob({
          db: deps.db,
          store: deps.store,
          analyze: deps.analyze!,
          ttlSeconds: settings.imageTtlSeconds,
          maxAttempts: settings.analysisMaxAttempts,
          log,
        }, job, context),
        {
          concurrency: concurrencyOf(settings),
          leaseSeconds: settings.analysisLeaseSeconds,
          // The job decides a photo's fate by its own count; the queue's is a backstop.
          maxAttempts: settings.analysisMaxAttempts + 2,
          log,
        },
      )
    : undefined

  let reconciling: Promise<unknown> = Promise.resolve()
  const tick = () => {
    reconciling = reconcile({
      db: deps.db,
      queue: deps.queue,
      store: deps.store,
      graceSeconds: settings.analysisLeaseSeconds,
      maxAttempts: settings.analysisMaxAttempts,
      staleUploadSeconds: STALE_UPLOAD_SECONDS,
      log,
    }).catch(error => log?.('[analysis] reconcile failed', error))
  }
  // Every few seconds, jittered so that many processes do not all ask at once.
  const everyMs = Math.max(2000, settings.analysisLeaseSeconds * 500) * (0.75 + Math.random() * 0.5)
  const timer = setInterval(tick, everyMs)
  timer.unref()

  return {
    worker,
    async stop(graceMs) {
      clearInterval(timer)
      await Promise.all([worker?.close(graceMs), reconciling])
    },
  }
}
