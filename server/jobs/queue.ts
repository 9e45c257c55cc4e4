import type { Kysely } from 'kysely'
import type { Database } from '../database/schema'

/** One photo to analyse; its id is the job's id, so a photo is queued at most once at a time. */
export interface PhotoJob {
  imageId: string
}

export interface JobContext {
  /** Aborted when the worker hands the job back (shutdown): the result is then not wanted. */
  signal: AbortSignal
}

export type JobProcessor = (job: PhotoJob, context: JobContext) => Promise<unknown>

export interface WorkerOptions {
  /** Jobs run at once by this worker. */
  concurrency: number
  /** How long a job is held without a sign of life before another worker may take it over. */
  leaseSeconds: number
  /** Runs of a job that throws before the queue gives up on it (the processor decides first). */
  maxAttempts: number
  log?: (message: string, error?: unknown) => void
}

export interface QueueWorker {
  /**
   * Stops taking jobs, lets the running ones finish for up to `graceMs`, then hands the rest back
   * to the queue (another worker runs them) and resolves.
   */
  close: (graceMs: number) => Promise<void>
  /** Jobs running right now. */
  running: () => number
}

/**
 * The analysis queue: BullMQ on Redis, or jobs kept as rows in the database (embedded mode).
 * Both deliver each job to one worker at a time, take a job back from a worker that stopped
 * answering (a lease), retry a failing job a bounded number of times, and survive a restart.
 */
export interface AnalysisQueue {
  driver: 'bullmq' | 'database'
  /** Queues jobs; a job already queued or running is not queued twice. `db` is the open transaction, for the database queue. */
  enqueue: (jobs: PhotoJob[], db?: Kysely<Database>) => Promise<void>
  /** Whether the queue still holds this job (waiting or running); null when the queue cannot be asked. */
  holds: (imageId: string) => Promise<boolean | null>
  work: (processor: JobProcessor, options: WorkerOptions) => QueueWorker
  ping: () => Promise<boolean>
  close: () => Promise<void>
}

export const QUEUE_NAME = 'analysis'

/** Waits for `promise` at most `ms`; answers whether it settled in time. */
export async function settledWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<false>((resolve) => { timer = setTimeout(resolve, ms, false) })
  try {
    return await Promise.race([promise.then(() => true, () => true), timeout])
  }
  finally {
    clearTimeout(timer)
  }
}

/** A promise that resolves with `value` once `signal` aborts. */
export const whenAborted = <T>(signal: AbortSignal, value: T) =>
  new Promise<T>(resolve => signal.aborted ? resolve(value) : signal.addEventListener('abort', () => resolve(value), { once: true }))
