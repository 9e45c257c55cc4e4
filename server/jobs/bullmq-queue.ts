import { DelayedError, type Job, Queue, Worker } from 'bullmq'
import Redis from 'ioredis'
import { type AnalysisQueue, type PhotoJob, QUEUE_NAME, settledWithin, whenAborted } from './queue'
import { assertNoEviction, type RedisMemory } from './redis-policy'

const PREFIX = 'pokeventory'
const HANDED_BACK = Symbol('handed back')

export interface BullQueueOptions {
  /** Runs of a job that throws before BullMQ fails it (the processor decides the photo's fate first). */
  maxAttempts: number
  log?: (message: string, error?: unknown) => void
}

/**
 * The analysis queue on BullMQ. Connects, then refuses to go on unless Redis is `noeviction`
 * (rejects with `EvictingRedisError`); while Redis is away, `enqueue` fails at once (the upload
 * answers 503) and workers reconnect on their own.
 */
export async function createBullQueue(url: string, options: BullQueueOptions): Promise<AnalysisQueue & { memory: RedisMemory }> {
  // The producer fails fast while Redis is down; workers (below) wait for it forever, as BullMQ requires.
  const producer = new Redis(url, {
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    connectTimeout: 3000,
    retryStrategy: (times: number) => Math.min(times * 200, 2000),
  })
  producer.on('error', () => {})
  await new Promise<void>((resolve, reject) => {
    if (producer.status === 'ready') return resolve()
    const timer = setTimeout(() => reject(new Error(`Redis at ${redact(url)} did not answer`)), 10_000)
    producer.once('ready', () => {
      clearTimeout(timer)
      resolve()
    })
  }).catch((error) => {
    producer.disconnect()
    throw error
  })
  let memory: RedisMemory
  try {
    memory = await assertNoEviction(producer)
  }
  catch (error) {
    producer.disconnect()
    throw error
  }
  // A Redis restarted with another configuration is checked again before the queue is used.
  let evicting: Error | undefined
  producer.on('ready', () => {
    assertNoEviction(producer).then(() => { evicting = undefined }, (error) => {
      evicting = error
      options.log?.('[analysis] queue stopped', error)
    })
  })

  const queue = new Queue<PhotoJob>(QUEUE_NAME, { connection: producer, prefix: PREFIX })
  queue.on('error', () => {})

  return {
    driver: 'bullmq',
    memory,
    async enqueue(jobs) {
      if (evicting) throw evicting
      if (!jobs.length) return
      await queue.addBulk(jobs.map(job => ({
        name: 'photo',
        data: job,
        opts: {
          // The photo's id: adding a job that is already queued or running adds nothing.
          jobId: job.imageId,
          attempts: options.maxAttempts,
          backoff: { type: 'exponential', delay: 1000 },
          removeOnComplete: true,
          removeOnFail: { age: 24 * 3600 },
        },
      })))
    },
    async holds(imageId) {
      try {
        const state = await queue.getJobState(imageId)
        return !['unknown', 'completed', 'failed'].includes(state)
      }
      catch {
        return null
      }
    },
    work(processor, opts) {
      const connection = new Redis(url, { maxRetriesPerRequest: null, retryStrategy: (times: number) => Math.min(times * 200, 2000) })
      connection.on('error', () => {})
      const running = new Map<string, AbortController>()
      const worker = new Worker<PhotoJob>(QUEUE_NAME, async (job: Job<PhotoJob>, token?: string) => {
        const handBack = new AbortController()
        running.set(job.id!, handBack)
        try {
          const outcome = await Promise.race([processor(job.data, { signal: handBack.signal }), whenAborted(handBack.signal, HANDED_BACK)])
          if (outcome === HANDED_BACK) {
            // Shutting down mid-photo: back to the queue, due now, without counting as an attempt.
            await job.moveToDelayed(Date.now(), token)
            throw new DelayedError()
          }
          return outcome
        }
        finally {
          running.delete(job.id!)
        }
      }, {
        connection,
        prefix: PREFIX,
        concurrency: Math.max(1, opts.concurrency),
        lockDuration: opts.leaseSeconds * 1000,
        stalledInterval: opts.leaseSeconds * 1000,
        // A worker killed mid-photo leaves a stalled job: taken up again, as often as the photo may be tried.
        maxStalledCount: opts.maxAttempts,
        autorun: !evicting,
      })
      worker.on('error', error => opts.log?.('[analysis] worker', error))
      worker.on('failed', (job, error) => {
        if (!(error instanceof DelayedError)) opts.log?.(`[analysis] job ${job?.id} failed`, error)
      })
      return {
        running: () => running.size,
        async close(graceMs) {
          const closing = worker.close()
          if (!(await settledWithin(closing, graceMs))) {
            for (const handBack of running.values()) handBack.abort()
            await settledWithin(closing, 2000)
          }
          connection.disconnect()
        },
      }
    },
    async ping() {
      try {
        return (await producer.ping()) === 'PONG'
      }
      catch {
        return false
      }
    },
    async close() {
      await settledWithin(queue.close(), 2000)
      producer.disconnect()
    },
  }
}

const redact = (url: string) => url.replace(/\/\/[^@/]*@/, '//…@')
