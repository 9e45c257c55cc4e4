import { Readable } from 'node:stream'
import type { Kysely } from 'kysely'
import { afterAll, beforeAll } from 'vitest'
import { type DatabaseHandle, openDatabase } from '../../../server/database/connection'
import { migrateToLatest } from '../../../server/database/migrate'
import type { Database } from '../../../server/database/schema'
import { analysePhotoJob, type PhotoJobDeps } from '../../../server/jobs/analyse-photo'
import type { AnalyzedPhoto } from '../../../server/imports/batches'
import { receiveUpload, type ReceiveDeps, type UploadRequest } from '../../../server/imports/receive'
import type { AnalysisQueue } from '../../../server/jobs/queue'
import { createImageStore, type ImageStore } from '../../../server/storage/image-store'

export const READ = { name: 'Pikachu', hp: 60, number: '025/198', printedTotal: 198, setCode: 'SVI', lang: 'en', raw: {} }
export const CANDIDATE = { cardId: 'tst-025', name: 'Pikachu', setId: 'tst', setName: 'Test Set', number: '025', score: 0.95, reasons: ['number'] }
export const CROP = { bytes: Buffer.from([0xFF, 0xD8, 0xFF, 1, 2, 3]), contentType: 'image/jpeg' as const, width: 630, height: 880 }
export const JPEG_MAGIC = Buffer.from([0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, 0x4A, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1])

export class InvalidImageError extends Error {
  constructor(message: string, readonly statusCode: 415 | 413 | 422 = 422) {
    super(message)
    this.name = 'InvalidImageError'
  }
}

/**
 * A photo the fake analysis understands: a JPEG header, then one byte that says how many cards it
 * holds (0xEE: corrupt, 0xEF: crashes every time), then padding.
 */
export const photo = (cards: number, size = 64) => Buffer.concat([JPEG_MAGIC, Buffer.from([cards]), Buffer.alloc(Math.max(0, size - 17), 7)])

export async function fakeAnalyze(bytes: Buffer): Promise<AnalyzedPhoto> {
  const cards = bytes[JPEG_MAGIC.length]!
  if (cards === 0xEE) throw new InvalidImageError('Corrupt or truncated image/jpeg image: VipsJpeg: premature end of JPEG image')
  if (cards === 0xEF) throw new Error('tesseract exploded at /secret/path.js')
  return {
    width: 1000,
    height: 750,
    drafts: Array.from({ length: cards }, (_, i) => ({
      quad: [[i, 0], [i + 10, 0], [i + 10, 14], [i, 14]] as [number, number][],
      crop: CROP,
      read: READ,
      candidates: [CANDIDATE],
      confident: true,
      status: 'pending' as const,
      failureReason: null,
    })),
  }
}

export const sniff = (b: Buffer) => (b[0] === 0xFF && b[1] === 0xD8 && b[2] === 0xFF ? 'image/jpeg' : null)

export interface Part { name?: string, filename?: string, bytes: Buffer }

/** A multipart/form-data request body, sent in small chunks as a network would. */
export function multipart(parts: Part[], options: { chunkBytes?: number, declareLength?: boolean } = {}): UploadRequest {
  const boundary = `----pkv-test-${Math.random().toString(36).slice(2)}`
  const chunks: Buffer[] = []
  for (const p of parts) {
    const disposition = `form-data; name="${p.name ?? 'files'}"${p.filename !== undefined ? `; filename="${p.filename}"` : ''}`
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\nContent-Type: image/jpeg\r\n\r\n`), p.bytes, Buffer.from('\r\n'))
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`))
  const body = Buffer.concat(chunks)
  const size = options.chunkBytes ?? 4096
  const pieces = Array.from({ length: Math.ceil(body.length / size) }, (_, i) => body.subarray(i * size, (i + 1) * size))
  // One chunk at a time, as they would come off a socket.
  const req = Readable.from(pieces) as UploadRequest
  req.headers = { 'content-type': `multipart/form-data; boundary=${boundary}`, ...(options.declareLength === false ? {} : { 'content-length': String(body.length) }) }
  return req
}

export interface TestDb {
  handle: DatabaseHandle
  db: Kysely<Database>
  users: Record<string, string>
}

/** A migrated database (PGlite in memory) with a two-card test set and users. */
export async function openTestDb(names: string[]): Promise<TestDb> {
  const handle = await openDatabase({ dataDir: 'memory://' })
  const db = handle.db
  await migrateToLatest(db)
  await db.insertInto('sets').values({ id: 'tst', name: JSON.stringify({ en: 'Test Set' }), name_en: 'Test Set', printed_total: 198, card_count: 2 })
    .onConflict(c => c.column('id').doNothing()).execute()
  await db.insertInto('cards').values(['025', '026'].map(n => ({
    id: `tst-${n}`, set_id: 'tst', local_id: n, number: Number(n), name: JSON.stringify({ en: 'Pikachu' }), name_en: 'Pikachu',
    search_text: 'pikachu', category: 'Pokemon', hp: 60, types: ['Lightning'], variants: ['normal'],
  }))).onConflict(c => c.column('id').doNothing()).execute()
  const users: Record<string, string> = {}
  for (const name of names) {
    const row = await db.insertInto('users').values({ email: `${name}-${Date.now()}-${Math.random()}@example.test`, name, password_hash: 'x' }).returning('id').executeTakeFirstOrThrow()
    users[name] = row.id
  }
  return { handle, db, users }
}

/** A test database and an in-memory image store for the file's tests, opened before them and closed after. */
export function useImportsDb(names: string[]): { t: TestDb, store: ImageStore } {
  const ctx = {} as { t: TestDb, store: ImageStore }
  beforeAll(async () => {
    ctx.t = await openTestDb(names)
    ctx.store = createImageStore({ defaultTtlSeconds: 60 })
  }, 60_000)
  afterAll(async () => {
    await ctx.store?.close()
    await ctx.t?.handle.close()
  })
  return ctx
}

export const LIMITS = { maxFiles: 5, maxFileBytes: 10_000 }
export const ROOM = { storeMaxBytes: 1_000_000, userMaxBytes: 500_000 }

export function receiveDeps(db: Kysely<Database>, store: ImageStore, queue: Pick<AnalysisQueue, 'enqueue' | 'driver'>, over: Partial<ReceiveDeps> = {}): ReceiveDeps {
  return { db, store, queue, ttlSeconds: 60, limits: LIMITS, room: ROOM, sniff, ...over }
}

export function jobDeps(db: Kysely<Database>, store: ImageStore, over: Partial<PhotoJobDeps> = {}): PhotoJobDeps {
  return { db, store, analyze: fakeAnalyze, ttlSeconds: 60, maxAttempts: 3, ...over }
}

/** A queue that only records what it was given (the job logic is then driven by hand). */
export function recordingQueue(): AnalysisQueue & { jobs: string[] } {
  const jobs: string[] = []
  return {
    driver: 'bullmq',
    jobs,
    enqueue: async (list) => { jobs.push(...list.map(j => j.imageId)) },
    holds: async id => jobs.includes(id),
    work: () => { throw new Error('not a worker') },
    ping: async () => true,
    close: async () => {},
  }
}

/** Uploads `photos` and runs each one's job at once: the batch as a finished import. */
export async function importNow(db: Kysely<Database>, store: ImageStore, userId: string, photos: Part[], over: Partial<PhotoJobDeps> = {}) {
  const queue = recordingQueue()
  const batchId = await receiveUpload(receiveDeps(db, store, queue), userId, multipart(photos))
  for (const imageId of queue.jobs) await analysePhotoJob(jobDeps(db, store, over), { imageId }).catch(() => {})
  return batchId
}
