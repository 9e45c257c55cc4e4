import type { Kysely } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDatabase, type DatabaseHandle } from '../../../server/database/connection'
import { migrateToLatest } from '../../../server/database/migrate'
import type { Database } from '../../../server/database/schema'
import { type AnalyzedPhoto, createBatch, type CreateBatchDeps, getBatch, listBatches } from '../../../server/imports/batches'
import { dismissDraft, getDraft, getDraftCrop, selectDraft } from '../../../server/imports/drafts'
import { ImportError } from '../../../server/imports/errors'
import { readPhoto } from '../../../server/imports/images'
import type { UploadedPhoto } from '../../../server/imports/upload'
import { createImageStore, ImageStoreUnavailableError, type ImageStore } from '../../../server/storage/image-store'
import { draftSelectSchema } from '../../../shared/schemas/imports'

let handle: DatabaseHandle
let db: Kysely<Database>
let store: ImageStore
const users: Record<string, string> = {}

const read = { name: 'Pikachu', hp: 60, number: '025/198', printedTotal: 198, setCode: 'SVI', lang: 'en', raw: {} }
const candidate = { cardId: 'tst-025', name: 'Pikachu', setId: 'tst', setName: 'Test Set', number: '025', score: 0.95, reasons: ['number'] }
const crop = { bytes: Buffer.from([0xFF, 0xD8, 0xFF, 1, 2, 3]), contentType: 'image/jpeg' as const, width: 630, height: 880 }

class InvalidImageError extends Error {
  statusCode = 422 as const
  constructor(message: string) {
    super(message)
    this.name = 'InvalidImageError'
  }
}

// A fake analysis: the photo's first byte says how many cards it holds; 0xEE means a corrupt photo.
async function analyze(bytes: Buffer): Promise<AnalyzedPhoto> {
  if (bytes[0] === 0xEE) throw new InvalidImageError('The image is truncated or corrupt')
  if (bytes[0] === 0xEF) throw new Error('tesseract exploded at /secret/path.js')
  return {
    width: 1000,
    height: 750,
    drafts: Array.from({ length: bytes[0]! }, (_, i) => ({
      quad: [[i, 0], [i + 10, 0], [i + 10, 14], [i, 14]] as [number, number][],
      crop,
      read,
      candidates: [candidate],
      confident: true,
      status: 'pending' as const,
      failureReason: null,
    })),
  }
}

const photo = (cards: number, filename = `p${cards}.jpg`): UploadedPhoto => ({ filename, bytes: Buffer.from([cards, 1, 2, 3]), contentType: 'image/jpeg' })
const deps = (over: Partial<CreateBatchDeps> = {}): CreateBatchDeps => ({ db, store, analyze, ttlSeconds: 60, concurrency: 2, ...over })
const selectInput = (over: Record<string, unknown> = {}) => draftSelectSchema.parse({ cardId: 'tst-025', ...over })

async function status(fn: () => Promise<unknown>): Promise<number> {
  try {
    await fn()
  }
  catch (error) {
    if (error instanceof ImportError) return error.statusCode
    if (error && typeof error === 'object' && 'statusCode' in error) return error.statusCode as number
    throw error
  }
  return 200
}

beforeAll(async () => {
  handle = await openDatabase({ dataDir: 'memory://' })
  db = handle.db
  await migrateToLatest(db)
  await db.insertInto('sets').values({ id: 'tst', name: JSON.stringify({ en: 'Test Set' }), name_en: 'Test Set', printed_total: 198, card_count: 2 }).execute()
  await db.insertInto('cards').values(['025', '026'].map(n => ({
    id: `tst-${n}`, set_id: 'tst', local_id: n, number: Number(n), name: JSON.stringify({ en: 'Pikachu' }), name_en: 'Pikachu',
    search_text: 'pikachu', category: 'Pokemon', hp: 60, types: ['Lightning'], variants: ['normal'],
  }))).execute()
  for (const name of ['alice', 'bob']) {
    const row = await db.insertInto('users').values({ email: `${name}@example.test`, name, password_hash: 'x' }).returning('id').executeTakeFirstOrThrow()
    users[name] = row.id
  }
  store = createImageStore({ defaultTtlSeconds: 60 })
}, 60_000)

afterAll(async () => {
  await store?.close()
  await handle?.close()
})

describe('createBatch', () => {
  it('stores photos, analyses each and writes one draft per card, a corrupt photo failing alone', async () => {
    const batch = await createBatch(deps(), users.alice!, [photo(2, 'binder.jpg'), { ...photo(0), bytes: Buffer.from([0xEE]) }, photo(1)])
    expect(batch.status).toBe('ready')
    expect(batch.images.map(i => [i.position, i.filename, i.status, i.width])).toEqual([[0, 'binder.jpg', 'analyzed', 1000], [1, 'p0.jpg', 'failed', null], [2, 'p1.jpg', 'analyzed', 1000]])
    expect(batch.images[1]!.failureReason).toBe('The image is truncated or corrupt')
    expect(batch.drafts.map(d => [d.position, d.imageId, d.status])).toEqual([
      [0, batch.images[0]!.id, 'pending'],
      [1, batch.images[0]!.id, 'pending'],
      [2, batch.images[1]!.id, 'failed'],
      [3, batch.images[2]!.id, 'pending'],
    ])
    expect(batch.drafts[2]!).toMatchObject({ cropUrl: null, candidates: [], confident: false, failureReason: 'The image is truncated or corrupt' })
    expect(batch.drafts[0]!).toMatchObject({ read, candidates: [candidate], confident: true, cropUrl: `/api/imports/drafts/${batch.drafts[0]!.id}/crop` })
    // Bytes are kept for every photo, the corrupt one included (it can still be shown).
    for (const image of batch.images) expect(await store.get(image.id, 60)).not.toBeNull()
    expect((await getDraftCrop(db, users.alice!, batch.drafts[0]!.id)).bytes).toEqual(crop.bytes)
  })

  it('hides unexpected analysis errors behind a plain reason and logs them', async () => {
    const logged: unknown[] = []
    const batch = await createBatch(deps({ log: (_m, e) => logged.push(e) }), users.alice!, [{ ...photo(0), bytes: Buffer.from([0xEF]) }])
    expect(batch.status).toBe('failed')
    expect(batch.drafts[0]!.failureReason).toBe('The photo could not be analysed')
    expect(JSON.stringify(batch)).not.toContain('secret')
    expect(logged).toHaveLength(1)
  })

  it('gives a photo with no card found one failed draft', async () => {
    const batch = await createBatch(deps(), users.alice!, [photo(0)])
    expect(batch.drafts).toHaveLength(1)
    expect(batch.drafts[0]).toMatchObject({ status: 'failed', failureReason: 'No card was found in this photo' })
  })

  it('answers 503 and writes nothing when the image store is down, forgetting photos already stored', async () => {
    const before = await db.selectFrom('import_batches').select(db.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
    const removed: string[] = []
    let puts = 0
    const flaky: CreateBatchDeps['store'] = {
      put: async () => { if (++puts > 1) throw new ImageStoreUnavailableError(new Error('ECONNREFUSED')) },
      remove: async (id) => { removed.push(id) },
    }
    let analysed = 0
    const error = await createBatch(deps({ store: flaky, analyze: async (b) => { analysed++; return analyze(b) } }), users.alice!, [photo(1), photo(1)]).catch(e => e)
    expect(error).toBeInstanceOf(ImportError)
    expect(error.statusCode).toBe(503)
    expect(error.message).toMatch(/unavailable/)
    expect(removed).toHaveLength(1)
    expect(analysed).toBe(0)
    const after = await db.selectFrom('import_batches').select(db.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
    expect(Number(after.n)).toBe(Number(before.n))
  })

  it('bounds how many photos are analysed at once', async () => {
    let running = 0
    let peak = 0
    const slow = async (b: Buffer) => {
      peak = Math.max(peak, ++running)
      await new Promise(r => setTimeout(r, 20))
      running--
      return analyze(b)
    }
    await createBatch(deps({ analyze: slow, concurrency: 2 }), users.bob!, [photo(1), photo(1), photo(1), photo(1), photo(1)])
    expect(peak).toBe(2)
  })
})

describe('batches are private', () => {
  it('lists the user\'s batches newest first with draft counts, and 404s another user\'s batch', async () => {
    const batch = await createBatch(deps(), users.bob!, [photo(3)])
    await dismissDraft(db, users.bob!, batch.drafts[0]!.id)
    await selectDraft(db, users.bob!, batch.drafts[1]!.id, selectInput())
    const list = await listBatches(db, users.bob!, { page: 1, pageSize: 1 })
    expect(list.total).toBe(2)
    expect(list.batches).toHaveLength(1)
    expect(list.batches[0]).toMatchObject({ id: batch.id, imageCount: 1, drafts: { pending: 1, selected: 1, dismissed: 1, failed: 0, total: 3 } })
    expect((await listBatches(db, users.bob!, { page: 2, pageSize: 1 })).batches[0]!.id).not.toBe(batch.id)
    expect(await status(() => getBatch(db, users.alice!, batch.id))).toBe(404)
    expect(await status(() => getDraft(db, users.alice!, batch.drafts[2]!.id))).toBe(404)
    expect(await status(() => getDraftCrop(db, users.alice!, batch.drafts[2]!.id))).toBe(404)
    expect(await status(() => selectDraft(db, users.alice!, batch.drafts[2]!.id, selectInput()))).toBe(404)
    expect(await status(() => dismissDraft(db, users.alice!, batch.drafts[2]!.id))).toBe(404)
    expect(await status(() => readPhoto({ db, store, ttlSeconds: 60 }, users.alice!, batch.images[0]!.id))).toBe(404)
  })
})

describe('selectDraft', () => {
  it('adds the card once: a repeated select answers the first result and adds nothing', async () => {
    const batch = await createBatch(deps(), users.alice!, [photo(1)])
    const draftId = batch.drafts[0]!.id
    const first = await selectDraft(db, users.alice!, draftId, selectInput({ cardId: 'tst-026', quantity: 2, condition: 'LP' }))
    expect(first.draft).toMatchObject({ status: 'selected', selectedCardId: 'tst-026', userCardId: first.userCard!.id })
    expect(first.draft.selection).toMatchObject({ cardId: 'tst-026', quantity: 2, condition: 'LP' })
    expect(first.userCard).toMatchObject({ cardId: 'tst-026', quantity: 2, condition: 'LP', sourceDraftId: draftId })

    const again = await selectDraft(db, users.alice!, draftId, selectInput({ cardId: 'tst-025', quantity: 5 }))
    expect(again).toEqual(first)
    const rows = await db.selectFrom('user_cards').selectAll().where('user_id', '=', users.alice!).where('card_id', 'in', ['tst-025', 'tst-026']).execute()
    expect(rows.map(r => [r.card_id, r.quantity])).toEqual([['tst-026', 2]])
    expect(await status(() => dismissDraft(db, users.alice!, draftId))).toBe(409)
  })

  it('lets two concurrent selects of one draft make exactly one collection change', async () => {
    const batch = await createBatch(deps(), users.bob!, [photo(1)])
    const draftId = batch.drafts[0]!.id
    const results = await Promise.all(Array.from({ length: 4 }, () => selectDraft(db, users.bob!, draftId, selectInput({ condition: 'MP' }))))
    expect(new Set(results.map(r => r.userCard!.id)).size).toBe(1)
    const row = await db.selectFrom('user_cards').selectAll().where('user_id', '=', users.bob!).where('condition', '=', 'MP').executeTakeFirstOrThrow()
    expect(row.quantity).toBe(1)
  })

  it('raises the quantity of the same copy kind across drafts, refuses unknown cards (422) and dismissed drafts (409)', async () => {
    const batch = await createBatch(deps(), users.alice!, [photo(3)])
    const [a, b, c] = batch.drafts.map(d => d.id)
    const one = await selectDraft(db, users.alice!, a!, selectInput({ condition: 'DMG' }))
    const two = await selectDraft(db, users.alice!, b!, selectInput({ condition: 'DMG' }))
    expect(two.userCard!.id).toBe(one.userCard!.id)
    expect(two.userCard!.quantity).toBe(2)
    expect(await status(() => selectDraft(db, users.alice!, c!, selectInput({ cardId: 'nope-1' })))).toBe(422)
    expect((await getDraft(db, users.alice!, c!)).status).toBe('pending')
    expect((await dismissDraft(db, users.alice!, c!)).status).toBe('dismissed')
    expect((await dismissDraft(db, users.alice!, c!)).status).toBe('dismissed')
    expect(await status(() => selectDraft(db, users.alice!, c!, selectInput()))).toBe(409)
  })
})

describe('readPhoto', () => {
  it('serves the bytes, restarts the time to live, and answers 410 once expired', async () => {
    const batch = await createBatch(deps({ ttlSeconds: 1 }), users.alice!, [photo(1)])
    const image = batch.images[0]!
    const later = new Date(Date.now() + 30_000)
    const got = await readPhoto({ db, store, ttlSeconds: 1, now: () => later }, users.alice!, image.id)
    expect(got).toMatchObject({ contentType: 'image/jpeg' })
    expect(got.bytes).toEqual(photo(1).bytes)
    const { expires_at } = await db.selectFrom('import_images').select('expires_at').where('id', '=', image.id).executeTakeFirstOrThrow()
    expect(new Date(expires_at).getTime()).toBe(later.getTime() + 1000)

    await new Promise(r => setTimeout(r, 1300))
    expect(await status(() => readPhoto({ db, store, ttlSeconds: 1 }, users.alice!, image.id))).toBe(410)
    // The draft and its crop outlive the photo.
    expect((await getDraftCrop(db, users.alice!, batch.drafts[0]!.id)).bytes.length).toBeGreaterThan(0)
  })

  it('answers 503 when the store is down', async () => {
    const batch = await createBatch(deps(), users.alice!, [photo(1)])
    const down = { get: async () => { throw new ImageStoreUnavailableError() } }
    expect(await status(() => readPhoto({ db, store: down, ttlSeconds: 60 }, users.alice!, batch.images[0]!.id))).toBe(503)
  })
})
