import { execFile, spawn } from 'node:child_process'
import { createServer } from 'node:net'
import { promisify } from 'node:util'
import Redis from 'ioredis'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { getBatch } from '../../../server/imports/batches'
import { receiveUpload } from '../../../server/imports/receive'
import { REASONS } from '../../../server/imports/reasons'
import { analysePhotoJob } from '../../../server/jobs/analyse-photo'
import { createBullQueue } from '../../../server/jobs/bullmq-queue'
import { createDatabaseQueue } from '../../../server/jobs/database-queue'
import type { AnalysisQueue } from '../../../server/jobs/queue'
import { dropUpload, reconcile } from '../../../server/jobs/reconcile'
import { EvictingRedisError } from '../../../server/jobs/redis-policy'
import { fakeAnalyze, jobDeps, multipart, photo, receiveDeps, recordingQueue, useImportsDb } from './support'

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms))
const REDIS_URL = process.env.REDIS_URL

const ctx = useImportsDb(['alice', 'bob'])

async function untilSettled(batchId: string, userId: string, timeoutMs = 20_000) {
  const started = Date.now()
  for (;;) {
    const batch = await getBatch(ctx.t.db, userId, batchId)
    if (batch.status !== 'analyzing') return batch
    if (Date.now() - started > timeoutMs) throw new Error(`batch still analysing after ${timeoutMs} ms: ${JSON.stringify(batch.images.map(i => i.status))}`)
    await sleep(50)
  }
}

async function draftsOf(imageId: string) {
  return ctx.t.db.selectFrom('card_drafts').select(['id', 'position']).where('image_id', '=', imageId).execute()
}

describe('one photo\'s job (either queue)', () => {
  it('writes a photo\'s drafts exactly once, however often its job runs, at once or one after the other', async () => {
    const queue = recordingQueue()
    const batchId = await receiveUpload(receiveDeps(ctx.t.db, ctx.store, queue), ctx.t.users.alice!, multipart([{ filename: 'three.jpg', bytes: photo(3) }, { filename: 'one.jpg', bytes: photo(1) }]))
    const [first, second] = queue.jobs
    // Two workers at once on one photo (a lease that ran out while the first still worked), then a late third run.
    const slow = jobDeps(ctx.t.db, ctx.store, { analyze: async (b) => { await sleep(30); return fakeAnalyze(b) } })
    const results = await Promise.all([analysePhotoJob(slow, { imageId: first! }), analysePhotoJob(slow, { imageId: first! })])
    expect(results.sort()).toEqual(['analyzed', 'skipped'])
    expect(await analysePhotoJob(slow, { imageId: first! })).toBe('skipped')
    expect(await draftsOf(first!)).toHaveLength(3)
    expect((await getBatch(ctx.t.db, ctx.t.users.alice!, batchId)).status).toBe('analyzing')
    await analysePhotoJob(slow, { imageId: second! })
    const batch = await getBatch(ctx.t.db, ctx.t.users.alice!, batchId)
    expect(batch.status).toBe('ready')
    expect(batch.drafts.map(d => d.position)).toEqual([0, 1, 2, 3])
  })

  it('fails a photo that crashes its worker every time after a bounded number of runs, with a reason', async () => {
    const queue = recordingQueue()
    const batchId = await receiveUpload(receiveDeps(ctx.t.db, ctx.store, queue), ctx.t.users.alice!, multipart([{ filename: 'poison.jpg', bytes: photo(1) }]))
    const imageId = queue.jobs[0]!
    // A worker that dies mid-photo never returns: only the run count moves.
    const dies = jobDeps(ctx.t.db, ctx.store, { analyze: () => new Promise(() => {}), maxAttempts: 3 })
    for (let run = 1; run <= 3; run++) void analysePhotoJob(dies, { imageId })
    await sleep(100)
    expect(await analysePhotoJob(jobDeps(ctx.t.db, ctx.store, { maxAttempts: 3 }), { imageId })).toBe('failed')
    const batch = await getBatch(ctx.t.db, ctx.t.users.alice!, batchId)
    expect(batch).toMatchObject({ status: 'failed', images: [{ status: 'failed', failureReason: REASONS.crashed }] })
  })

  it('fails a photo whose bytes were lost before it ran with "lost", not "expired"', async () => {
    const queue = recordingQueue()
    const batchId = await receiveUpload(receiveDeps(ctx.t.db, ctx.store, queue), ctx.t.users.bob!, multipart([{ filename: 'a.jpg', bytes: photo(1) }]))
    await ctx.store.remove(queue.jobs[0]!)
    await analysePhotoJob(jobDeps(ctx.t.db, ctx.store), { imageId: queue.jobs[0]! })
    expect((await getBatch(ctx.t.db, ctx.t.users.bob!, batchId)).images[0]!.failureReason).toBe(REASONS.lost)
  })

  it('throws (so that the queue retries) while the ctx.store is down, without settling the photo', async () => {
    const queue = recordingQueue()
    const batchId = await receiveUpload(receiveDeps(ctx.t.db, ctx.store, queue), ctx.t.users.bob!, multipart([{ filename: 'a.jpg', bytes: photo(1) }]))
    const down = { ...ctx.store, get: async () => { throw Object.assign(new Error('down'), { name: 'ImageStoreUnavailableError' }) } }
    await expect(analysePhotoJob(jobDeps(ctx.t.db, down), { imageId: queue.jobs[0]! })).rejects.toThrow('down')
    expect((await getBatch(ctx.t.db, ctx.t.users.bob!, batchId)).status).toBe('analyzing')
    await analysePhotoJob(jobDeps(ctx.t.db, ctx.store), { imageId: queue.jobs[0]! })
    expect((await getBatch(ctx.t.db, ctx.t.users.bob!, batchId)).status).toBe('ready')
  })
})

describe('reconcile', () => {
  it('queues again a photo whose job the queue lost, fails one that expired unqueued, and drops an upload cut short with its bytes', async () => {
    const queue = recordingQueue()
    const batchId = await receiveUpload(receiveDeps(ctx.t.db, ctx.store, queue), ctx.t.users.bob!, multipart([{ filename: 'a.jpg', bytes: photo(1) }, { filename: 'b.jpg', bytes: photo(1) }]))
    const [lostJob, expiredJob] = queue.jobs
    queue.jobs.length = 0 // Redis restarted: the queue holds nothing
    await ctx.t.db.updateTable('import_images').set({ expires_at: new Date(Date.now() - 60_000) }).where('id', '=', expiredJob!).execute()
    // An upload whose process died half-way: a 'receiving' batch with bytes.
    const dead = await ctx.t.db.insertInto('import_batches').values({ user_id: ctx.t.users.bob!, status: 'receiving', updated_at: sql`now() - interval '1 hour'` }).returning('id').executeTakeFirstOrThrow()
    const deadImage = await ctx.t.db.insertInto('import_images').values({ batch_id: dead.id, user_id: ctx.t.users.bob!, position: 0, byte_size: 4, status: 'receiving', expires_at: new Date(Date.now() + 60_000) }).returning('id').executeTakeFirstOrThrow()
    await ctx.store.put(deadImage.id, { bytes: photo(1), contentType: 'image/jpeg' }, 60)

    const later = () => new Date(Date.now() + 40_000)
    const result = await reconcile({ db: ctx.t.db, queue, store: ctx.store, graceSeconds: 30, maxAttempts: 3, staleUploadSeconds: 900, now: later })
    expect(result).toEqual({ requeued: 1, failed: 1, dropped: 1 })
    expect(queue.jobs).toEqual([lostJob])
    expect(await ctx.store.get(deadImage.id, 60)).toBeNull()
    expect(await ctx.t.db.selectFrom('import_batches').select('id').where('id', '=', dead.id).executeTakeFirst()).toBeUndefined()
    const batch = await getBatch(ctx.t.db, ctx.t.users.bob!, batchId)
    expect(batch.images.find(i => i.id === expiredJob)).toMatchObject({ status: 'failed', failureReason: REASONS.expiredBeforeAnalysis })
    // Held jobs are left alone; a second pass changes nothing.
    expect(await reconcile({ db: ctx.t.db, queue, store: ctx.store, graceSeconds: 30, maxAttempts: 3, staleUploadSeconds: 900, now: later })).toEqual({ requeued: 0, failed: 0, dropped: 0 })
    expect(await dropUpload({ db: ctx.t.db, store: ctx.store }, batchId)).toBe(false) // only uploads still receiving are dropped
  })
})

/** The same scenarios on each queue: a batch through a worker, a worker that dies, a shutdown mid-photo. */
function queueContract(name: string, make: () => Promise<AnalysisQueue>, killWorkerMidPhoto: (imageId: string) => Promise<void>) {
  describe(`the ${name} queue`, () => {
    let queue: AnalysisQueue
    beforeAll(async () => { queue = await make() }, 30_000)
    afterAll(async () => { await queue?.close() })

    const upload = (userId: string, files: Buffer[]) =>
      receiveUpload(receiveDeps(ctx.t.db, ctx.store, queue), userId, multipart(files.map((bytes, i) => ({ filename: `p${i}.jpg`, bytes }))))

    it('analyses every photo of a batch once, at most `concurrency` at a time, and queues a photo only once', async () => {
      let running = 0
      let peak = 0
      const analyze = async (b: Buffer) => {
        peak = Math.max(peak, ++running)
        await sleep(40)
        running--
        return fakeAnalyze(b)
      }
      const worker = queue.work(job => analysePhotoJob(jobDeps(ctx.t.db, ctx.store, { analyze }), job), { concurrency: 2, leaseSeconds: 5, maxAttempts: 3 })
      try {
        const batchId = await upload(ctx.t.users.alice!, [photo(1), photo(2), photo(0xEE), photo(1), photo(1)])
        const images = await ctx.t.db.selectFrom('import_images').select('id').where('batch_id', '=', batchId).execute()
        await queue.enqueue(images.map(i => ({ imageId: i.id }))) // again: nothing more runs
        const batch = await untilSettled(batchId, ctx.t.users.alice!)
        expect(batch.status).toBe('partial')
        expect(batch.drafts).toHaveLength(6)
        expect(peak).toBeLessThanOrEqual(2)
        expect(await queue.holds(images[0]!.id)).toBe(false)
      }
      finally {
        await worker.close(5000)
      }
    })

    /** A healthy worker takes over: the batch settles with each photo's drafts once. */
    async function finishedByAnotherWorker(batchId: string, userId: string, leaseSeconds: number, drafts: number) {
      const worker = queue.work(job => analysePhotoJob(jobDeps(ctx.t.db, ctx.store), job), { concurrency: 1, leaseSeconds, maxAttempts: 3 })
      try {
        const batch = await untilSettled(batchId, userId, 30_000)
        expect(batch.status).toBe('ready')
        expect(batch.drafts).toHaveLength(drafts)
      }
      finally {
        await worker.close(5000)
      }
    }

    it('gives a photo whose worker died mid-photo (SIGKILL) to another worker once its lease runs out; its drafts are written once', async () => {
      const batchId = await upload(ctx.t.users.bob!, [photo(2)])
      const image = await ctx.t.db.selectFrom('import_images').select('id').where('batch_id', '=', batchId).executeTakeFirstOrThrow()
      await killWorkerMidPhoto(image.id)
      await finishedByAnotherWorker(batchId, ctx.t.users.bob!, 1, 2)
    })

    it('on shutdown hands a photo still running after the grace period back to the queue, for the next worker', async () => {
      const gate: { open?: () => void } = {}
      const blocked = new Promise<void>((resolve) => { gate.open = resolve })
      const first = queue.work(job => analysePhotoJob(jobDeps(ctx.t.db, ctx.store, { analyze: async (b) => { await blocked; return fakeAnalyze(b) } }), job), { concurrency: 1, leaseSeconds: 30, maxAttempts: 3 })
      const batchId = await upload(ctx.t.users.alice!, [photo(1)])
      await sleep(300)
      const started = Date.now()
      await first.close(300)
      expect(Date.now() - started).toBeLessThan(5000)
      gate.open!()
      await finishedByAnotherWorker(batchId, ctx.t.users.alice!, 30, 1)
    })
  })
}

// A worker that took the job and was killed: the row is 'active', its lease soon over, nobody renews it.
queueContract('database', async () => createDatabaseQueue(ctx.t.db, { pollMs: 100 }), async (imageId) => {
  await ctx.t.db.updateTable('analysis_jobs').set({ status: 'active', attempts: 1, locked_by: 'killed', lease_until: new Date(Date.now() + 500) }).where('id', '=', imageId).execute()
  await ctx.t.db.updateTable('import_images').set({ status: 'analyzing', attempts: 1 }).where('id', '=', imageId).execute()
})

/** A BullMQ worker in a process of its own that takes the job, never finishes it, and is killed with SIGKILL. */
async function killBullWorkerMidPhoto(imageId: string) {
  const { hostname, port } = new URL(REDIS_URL!)
  const child = spawn(process.execPath, ['--input-type=module', '-e', `
    import { Worker } from 'bullmq'
    new Worker('analysis', async (job) => { console.log('took ' + job.id); await new Promise(() => {}) },
      { connection: { host: '${hostname}', port: ${port}, maxRetriesPerRequest: null }, prefix: 'pokeventory', lockDuration: 1000, stalledInterval: 1000 })
  `], { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'inherit'] })
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the child worker took no job')), 15_000)
    child.stdout!.on('data', (d: Buffer) => {
      if (d.toString().includes(`took ${imageId}`)) {
        clearTimeout(timer)
        resolve()
      }
    })
  })
  child.kill('SIGKILL')
}

describe.runIf(REDIS_URL)('BullMQ on REDIS_URL', () => {
  beforeAll(async () => {
    // A queue of its own for these tests: the jobs of another run must not be taken here.
    const redis = new Redis(REDIS_URL!)
    await redis.del(...(await redis.keys('pokeventory:analysis:*')), 'x')
    redis.disconnect()
  })
  queueContract('BullMQ', () => createBullQueue(REDIS_URL!, { maxAttempts: 5 }), killBullWorkerMidPhoto)
})

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

const hasRedisServer = await promisify(execFile)('redis-server', ['--version']).then(() => true, () => false)

describe.runIf(hasRedisServer)('a Redis that evicts keys', () => {
  it('is refused by the queue, with a message that says what to change', async () => {
    const port = await freePort()
    const server = spawn('redis-server', ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no', '--maxmemory', '64mb', '--maxmemory-policy', 'allkeys-lru'], { stdio: 'ignore' })
    try {
      const url = `redis://127.0.0.1:${port}/0`
      for (let i = 0; i < 50; i++) {
        const probe = new Redis(url, { lazyConnect: true, retryStrategy: () => null })
        probe.on('error', () => {})
        const ok = await probe.connect().then(() => true, () => false)
        probe.disconnect()
        if (ok) break
        await sleep(100)
      }
      const error = await createBullQueue(url, { maxAttempts: 3 }).then(() => null, e => e)
      expect(error).toBeInstanceOf(EvictingRedisError)
      expect(error.message).toMatch(/maxmemory-policy allkeys-lru.*noeviction/s)
    }
    finally {
      server.kill('SIGKILL')
    }
  })
})
