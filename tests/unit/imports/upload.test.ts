import { describe, expect, it } from 'vitest'
import { ImportError } from '../../../server/imports/errors'
import { receiveUpload } from '../../../server/imports/receive'
import { cleanFilename } from '../../../server/imports/reasons'
import { checkContentLength, maxUploadBodyBytes } from '../../../server/imports/upload'
import type { ImageStore } from '../../../server/storage/image-store'
import { LIMITS, multipart, openTestDb, photo, receiveDeps, recordingQueue, useImportsDb } from './support'

const ctx = useImportsDb(['alice', 'bob'])

async function refusal(promise: Promise<unknown>): Promise<ImportError> {
  const error = await promise.then(() => null, e => e)
  if (error instanceof ImportError) return error
  throw error ?? new Error('expected an ImportError')
}

/** Rows and bytes the user has: a refused upload must leave neither. */
async function leftovers(userId: string) {
  const batches = await ctx.t.db.selectFrom('import_batches').select('id').where('user_id', '=', userId).execute()
  const images = await ctx.t.db.selectFrom('import_images').select('id').where('user_id', '=', userId).execute()
  return { batches: batches.length, images: images.length }
}

describe('receiveUpload', () => {
  it('writes the batch and one queued photo per file, stores the bytes as they stream in, and queues one job per photo', async () => {
    const queue = recordingQueue()
    const bytes = [photo(1, 9000), photo(2, 300)]
    const batchId = await receiveUpload(receiveDeps(ctx.t.db, ctx.store, queue), ctx.t.users.alice!, multipart([
      { filename: 'one.jpg', bytes: bytes[0]! },
      { name: 'note', bytes: Buffer.from('ignored field') },
      { filename: 'two.jpg', bytes: bytes[1]! },
    ], { chunkBytes: 1000 }))
    const batch = await ctx.t.db.selectFrom('import_batches').selectAll().where('id', '=', batchId).executeTakeFirstOrThrow()
    expect(batch.status).toBe('analyzing')
    const images = await ctx.t.db.selectFrom('import_images').selectAll().where('batch_id', '=', batchId).orderBy('position').execute()
    expect(images.map(i => [i.position, i.filename, i.status, i.content_type, i.byte_size])).toEqual([
      [0, 'one.jpg', 'queued', 'image/jpeg', 9000],
      [1, 'two.jpg', 'queued', 'image/jpeg', 300],
    ])
    expect(queue.jobs).toEqual(images.map(i => i.id))
    for (const [i, image] of images.entries()) expect((await ctx.store.get(image.id, 60))!.bytes).toEqual(bytes[i])
  })

  it('queues the jobs in the same transaction as the photos with the database queue', async () => {
    let given: unknown
    const queue = { driver: 'database' as const, enqueue: async (_jobs: unknown, trx: unknown) => { given = trx } }
    await receiveUpload(receiveDeps(ctx.t.db, ctx.store, queue), ctx.t.users.alice!, multipart([{ filename: 'a.jpg', bytes: photo(1) }]))
    expect(given).toBeDefined()
    expect(given).not.toBe(ctx.t.db)
  })

  it('answers 400 when no file is sent (only fields, an empty file input, or not multipart)', async () => {
    const deps = receiveDeps(ctx.t.db, ctx.store, recordingQueue())
    expect((await refusal(receiveUpload(deps, ctx.t.users.bob!, multipart([{ name: 'note', bytes: Buffer.from('x') }])))).statusCode).toBe(400)
    expect((await refusal(receiveUpload(deps, ctx.t.users.bob!, multipart([{ filename: '', bytes: Buffer.alloc(0) }])))).message).toMatch(/field "files"/)
    const json = multipart([])
    json.headers['content-type'] = 'application/json'
    expect((await refusal(receiveUpload(deps, ctx.t.users.bob!, json))).statusCode).toBe(400)
    expect(await leftovers(ctx.t.users.bob!)).toEqual({ batches: 0, images: 0 })
  })

  it('answers 413 for too many files, counting them all, and keeps nothing', async () => {
    const error = await refusal(receiveUpload(receiveDeps(ctx.t.db, ctx.store, recordingQueue()), ctx.t.users.bob!,
      multipart(Array.from({ length: LIMITS.maxFiles + 2 }, (_, i) => ({ filename: `p${i}.jpg`, bytes: photo(1) })))))
    expect(error.statusCode).toBe(413)
    expect(error.message).toMatch(/7 sent, at most 5/)
    expect(await leftovers(ctx.t.users.bob!)).toEqual({ batches: 0, images: 0 })
  })

  it('answers 413 naming the photo over the per-file limit while it streams, and removes the photos already stored', async () => {
    const removed: string[] = []
    const watched: ImageStore = { ...ctx.store, remove: async (id) => { removed.push(id); await ctx.store.remove(id) } }
    const error = await refusal(receiveUpload(receiveDeps(ctx.t.db, watched, recordingQueue()), ctx.t.users.bob!, multipart([
      { filename: 'small.jpg', bytes: photo(1) },
      { filename: 'huge.jpg', bytes: photo(1, LIMITS.maxFileBytes + 1) },
    ])))
    expect(error.statusCode).toBe(413)
    expect(error.message).toMatch(/huge\.jpg is too large/)
    // small.jpg at least was stored (huge.jpg too when its first chunk was under the limit): all removed.
    expect(removed.length).toBeGreaterThanOrEqual(1)
    for (const id of removed) expect(await ctx.store.get(id, 60)).toBeNull()
    expect(await leftovers(ctx.t.users.bob!)).toEqual({ batches: 0, images: 0 })
  })

  it('answers 413 to a body that outgrows any valid upload, declared or not', async () => {
    expect(() => checkContentLength(String(maxUploadBodyBytes(LIMITS)), LIMITS)).not.toThrow()
    const declared = multipart([{ filename: 'a.jpg', bytes: photo(1) }])
    declared.headers['content-length'] = String(maxUploadBodyBytes(LIMITS) + 1)
    expect((await refusal(receiveUpload(receiveDeps(ctx.t.db, ctx.store, recordingQueue()), ctx.t.users.bob!, declared))).statusCode).toBe(413)
    // Chunked: many parts under the per-file limit, too many bytes in all (the extra parts are drained uncounted).
    const chunked = multipart(Array.from({ length: 40 }, (_, i) => ({ name: i < 5 ? 'files' : 'other', filename: `p${i}.jpg`, bytes: photo(1, 9000) })), { declareLength: false })
    expect((await refusal(receiveUpload(receiveDeps(ctx.t.db, ctx.store, recordingQueue()), ctx.t.users.bob!, chunked))).message).toMatch(/upload is too large/)
    expect(await leftovers(ctx.t.users.bob!)).toEqual({ batches: 0, images: 0 })
  })

  it('answers 415 for a file that is not an image by its bytes, whatever its name, and for an empty named file', async () => {
    const deps = receiveDeps(ctx.t.db, ctx.store, recordingQueue())
    const error = await refusal(receiveUpload(deps, ctx.t.users.bob!, multipart([
      { filename: 'a.jpg', bytes: photo(1) },
      { filename: 'fake.jpg', bytes: Buffer.from('hello, I am text, not pixels') },
    ])))
    expect(error.statusCode).toBe(415)
    expect(error.message).toMatch(/fake\.jpg is not an image/)
    expect((await refusal(receiveUpload(deps, ctx.t.users.bob!, multipart([{ filename: 'empty.jpg', bytes: Buffer.alloc(0) }])))).statusCode).toBe(415)
    expect(await leftovers(ctx.t.users.bob!)).toEqual({ batches: 0, images: 0 })
  })

  it('answers 503 and keeps nothing when the image store fails half-way', async () => {
    let writes = 0
    const flaky: ImageStore = {
      ...ctx.store,
      writer: (id, type, ttl) => {
        const inner = ctx.store.writer(id, type, ttl)
        return { ...inner, write: async (c) => { if (++writes > 1) throw Object.assign(new Error('down'), { name: 'ImageStoreUnavailableError' }); await inner.write(c) } }
      },
    }
    const error = await refusal(receiveUpload(receiveDeps(ctx.t.db, flaky, recordingQueue()), ctx.t.users.bob!, multipart([
      { filename: 'a.jpg', bytes: photo(1, 5000) },
      { filename: 'b.jpg', bytes: photo(1, 5000) },
    ], { chunkBytes: 1000 })))
    expect(error.statusCode).toBe(503)
    expect(await leftovers(ctx.t.users.bob!)).toEqual({ batches: 0, images: 0 })
  })
})

describe('store quotas', () => {
  it('refuses (507) an upload past the user\'s share or the store\'s size, declared or streamed, without touching others\' photos', async () => {
    const q = await openTestDb(['carol', 'dave'])
    try {
      const room = { userMaxBytes: 20_000, storeMaxBytes: 30_000 }
      const deps = receiveDeps(q.db, ctx.store, recordingQueue(), { room })
      // Dave's photo is there first; Carol then tries to take everything.
      const daveBatch = await receiveUpload(deps, q.users.dave!, multipart([{ filename: 'dave.jpg', bytes: photo(1, 9000) }]))
      const dave = await q.db.selectFrom('import_images').select('id').where('batch_id', '=', daveBatch).executeTakeFirstOrThrow()
      await receiveUpload(deps, q.users.carol!, multipart([{ filename: 'c1.jpg', bytes: photo(1, 9000) }]))
      const own = await refusal(receiveUpload(deps, q.users.carol!, multipart([{ filename: 'c2.jpg', bytes: photo(1, 9000) }, { filename: 'c3.jpg', bytes: photo(1, 9000) }], { declareLength: false })))
      expect(own.statusCode).toBe(507)
      expect(own.message).toMatch(/Your photo storage is full/)
      await receiveUpload(deps, q.users.carol!, multipart([{ filename: 'c2.jpg', bytes: photo(1, 9000) }]))
      // 27 kB kept: a fourth photo from anyone passes the store's 30 kB.
      const full = await refusal(receiveUpload(deps, q.users.dave!, multipart([{ filename: 'd2.jpg', bytes: photo(1, 9000) }])))
      expect(full.statusCode).toBe(507)
      expect(full.message).toMatch(/Photo storage is full right now/)
      expect(await ctx.store.get(dave.id, 60)).not.toBeNull()
    }
    finally {
      await q.handle.close()
    }
  })
})

describe('cleanFilename', () => {
  it('drops directories, control characters and bidirectional overrides', () => {
    expect(cleanFilename('C:\\photos\\binder page.jpg')).toBe('binder page.jpg')
    expect(cleanFilename('../../etc/passwd')).toBe('passwd')
    expect(cleanFilename('a\u0000b\nc.jpg')).toBe('abc.jpg')
    expect(cleanFilename('invoice\u202Egpj.exe')).toBe('invoicegpj.exe')
    expect(cleanFilename('\u2066x\u2069\u200F.jpg')).toBe('x.jpg')
    expect(cleanFilename('')).toBeNull()
    expect(cleanFilename(undefined)).toBeNull()
    expect(cleanFilename('x'.repeat(400))!.length).toBe(255)
  })
})
