import { randomUUID } from 'node:crypto'
import { EventEmitter } from 'node:events'
import { type Kysely, sql } from 'kysely'
import type { Database } from '../database/schema'
import { type AnalysisQueue, type JobProcessor, type PhotoJob, QUEUE_NAME, type QueueWorker, settledWithin, whenAborted, type WorkerOptions } from './queue'

export interface DatabaseQueueOptions {
  /** How often an idle worker looks for due jobs (an enqueue in this process wakes it at once). */
  pollMs?: number
}

const HANDED_BACK = Symbol('handed back')

/**
 * The embedded queue: jobs are rows of `analysis_jobs`, so a restart resumes them. A worker
 * claims a due job with `for update skip locked` and holds a lease it renews while it runs; a job
 * whose lease ran out (its worker died) is claimed again. Finished jobs are deleted.
 */
export function createDatabaseQueue(db: Kysely<Database>, options: DatabaseQueueOptions = {}): AnalysisQueue {
  const pollMs = options.pollMs ?? 1000
  const wake = new EventEmitter()
  wake.setMaxListeners(0)

  async function claim(workerId: string, leaseSeconds: number) {
    const { rows } = await sql<{ id: string, data: PhotoJob, attempts: number }>`
      update analysis_jobs set status = 'active', attempts = attempts + 1, locked_by = ${workerId},
        lease_until = now() + make_interval(secs => ${leaseSeconds}), updated_at = now()
      where id = (
        select id from analysis_jobs
        where queue = ${QUEUE_NAME}
          and ((status = 'queued' and run_at <= now()) or (status = 'active' and lease_until < now()))
        order by run_at, created_at
        limit 1
        for update skip locked
      )
      returning id, data, attempts`.execute(db)
    return rows[0]
  }

  const mine = (id: string, workerId: string) =>
    db.updateTable('analysis_jobs').where('id', '=', id).where('locked_by', '=', workerId).where('status', '=', 'active')

  return {
    driver: 'database',
    async enqueue(jobs, trx) {
      if (!jobs.length) return
      await (trx ?? db).insertInto('analysis_jobs')
        .values(jobs.map(job => ({ id: job.imageId, queue: QUEUE_NAME, data: JSON.stringify(job), status: 'queued' as const })))
        .onConflict(c => c.column('id').doUpdateSet({ status: 'queued', run_at: sql`now()`, attempts: 0, updated_at: sql`now()` })
          .where('analysis_jobs.status', '=', 'failed'))
        .execute()
      wake.emit('job')
    },
    async holds(imageId) {
      try {
        const row = await db.selectFrom('analysis_jobs').select('status').where('id', '=', imageId).executeTakeFirst()
        return !!row && row.status !== 'failed'
      }
      catch {
        return null
      }
    },
    work(processor: JobProcessor, opts: WorkerOptions): QueueWorker {
      const workerId = randomUUID()
      const stopping = new AbortController()
      const running = new Map<string, { done: Promise<unknown>, handBack: AbortController }>()

      async function runOne(job: { id: string, data: PhotoJob, attempts: number }) {
        const handBack = new AbortController()
        const renew = setInterval(() => {
          mine(job.id, workerId).set({ lease_until: sql`now() + make_interval(secs => ${opts.leaseSeconds})`, updated_at: sql`now()` })
            .execute().catch(() => {})
        }, Math.max(250, (opts.leaseSeconds * 1000) / 3))
        const work = processor(job.data, { signal: handBack.signal })
        const done = (async () => {
          try {
            const outcome = await Promise.race([work, whenAborted(handBack.signal, HANDED_BACK)])
            if (outcome === HANDED_BACK) {
              // Back to the queue as it was before this run: the next worker starts afresh.
              await mine(job.id, workerId).set({ status: 'queued', attempts: sql`greatest(attempts - 1, 0)`, lease_until: null, locked_by: null, run_at: sql`now()` }).execute()
              return
            }
            await db.deleteFrom('analysis_jobs').where('id', '=', job.id).where('locked_by', '=', workerId).execute()
          }
          catch (error) {
            const failed = job.attempts >= opts.maxAttempts
            opts.log?.(`[analysis] job ${job.id} failed (run ${job.attempts} of ${opts.maxAttempts})`, error)
            await mine(job.id, workerId).set({
              status: failed ? 'failed' : 'queued',
              last_error: String((error as Error)?.message ?? error).slice(0, 1000),
              lease_until: null,
              locked_by: null,
              // 1 s, 4 s, 9 s…: a photo that failed on a passing fault gets another chance soon.
              run_at: sql`now() + make_interval(secs => ${job.attempts ** 2})`,
            }).execute().catch(() => {})
          }
          finally {
            clearInterval(renew)
          }
        })()
        running.set(job.id, { done, handBack })
        await done
        running.delete(job.id)
      }

      async function slot() {
        while (!stopping.signal.aborted) {
          let job: Awaited<ReturnType<typeof claim>>
          try {
            job = await claim(workerId, opts.leaseSeconds)
          }
          catch (error) {
            opts.log?.('[analysis] could not claim a job', error)
            job = undefined
          }
          if (job) {
            await runOne(job)
            continue
          }
          // Idle: sleep until a job is queued here, the poll interval passes, or the worker stops.
          await new Promise<void>((resolve) => {
            const timer = setTimeout(done, pollMs)
            const onAbort = () => done()
            function done() {
              clearTimeout(timer)
              wake.off('job', done)
              stopping.signal.removeEventListener('abort', onAbort)
              resolve()
            }
            wake.once('job', done)
            stopping.signal.addEventListener('abort', onAbort, { once: true })
          })
        }
      }

      const slots = Promise.all(Array.from({ length: Math.max(1, opts.concurrency) }, slot))
      return {
        running: () => running.size,
        async close(graceMs) {
          stopping.abort()
          if (!(await settledWithin(slots, graceMs))) {
            for (const { handBack } of running.values()) handBack.abort()
            await settledWithin(slots, 2000)
          }
        },
      }
    },
    async ping() {
      try {
        await sql`select 1`.execute(db)
        return true
      }
      catch {
        return false
      }
    },
    async close() {
      wake.removeAllListeners()
    },
  }
}
