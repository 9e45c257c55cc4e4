import type { Kysely } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Database } from '../../../server/database/schema'
import { getBatch, listBatches } from '../../../server/imports/batches'
import { dismissDraft, getDraft, getDraftCrop, selectDraft } from '../../../server/imports/drafts'
import { ImportError } from '../../../server/imports/errors'
import { PHOTO_EXPIRED_MESSAGE, PHOTO_LOST_MESSAGE, readPhoto } from '../../../server/imports/images'
import { REASONS } from '../../../server/imports/reasons'
import { createImageStore, ImageStoreUnavailableError, type ImageStore } from '../../../server/storage/image-store'
import { draftSelectSchema } from '../../../shared/schemas/imports'
import { CANDIDATE, CROP, importNow, openTestDb, photo, READ, type TestDb } from './support'

let t: TestDb
let db: Kysely<Database>
let store: ImageStore
let users: Record<string, string>

const selectInput = (over: Record<string, unknown> = {}) => draftSelectSchema.parse({ cardId: 'tst-025', ...over })
const file = (cards: number, filename = `p${cards}.jpg`) => ({ filename, bytes: photo(cards) })
const corrupt = (filename: string) => ({ filename, bytes: photo(0xEE) })

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

async function imported(userId: string, files: { filename: string, bytes: Buffer }[], over = {}) {
  return getBatch(db, userId, await importNow(db, store, userId, files, over))
}

beforeAll(async () => {
  t = await openTestDb(['alice', 'bob'])
  db = t.db
  users = t.users
  store = createImageStore({ defaultTtlSeconds: 60 })
}, 60_000)

afterAll(async () => {
  await store?.close()
  await t?.handle.close()
})

describe('an analysed batch', () => {
  it('has one draft per card, numbered across the batch, and a corrupt photo failing alone with a reason a user can read', async () => {
    const batch = await imported(users.alice!, [file(2, 'binder.jpg'), corrupt('cut.jpg'), file(1)])
    expect(batch.status).toBe('partial')
    expect(batch.images.map(i => [i.position, i.filename, i.status, i.width])).toEqual([[0, 'binder.jpg', 'analyzed', 1000], [1, 'cut.jpg', 'failed', null], [2, 'p1.jpg', 'analyzed', 1000]])
    expect(batch.images[1]!.failureReason).toBe(REASONS.damaged)
    expect(JSON.stringify(batch)).not.toMatch(/Vips|premature/)
    expect(batch.drafts.map(d => [d.position, d.imageId, d.status])).toEqual([
      [0, batch.images[0]!.id, 'pending'],
      [1, batch.images[0]!.id, 'pending'],
      [2, batch.images[1]!.id, 'failed'],
      [3, batch.images[2]!.id, 'pending'],
    ])
    expect(batch.drafts[2]!).toMatchObject({ cropUrl: null, candidates: [], confident: false, failureReason: REASONS.damaged })
    expect(batch.drafts[0]!).toMatchObject({ read: READ, candidates: [CANDIDATE], confident: true, cropUrl: `/api/imports/drafts/${batch.drafts[0]!.id}/crop` })
    expect((await getDraft(db, users.alice!, batch.drafts[3]!.id)).position).toBe(3)
    // The bytes of the photo that could not be decoded are not kept; the others are.
    expect(await store.get(batch.images[1]!.id, 60)).toBeNull()
    expect(await store.get(batch.images[0]!.id, 60)).not.toBeNull()
    expect(await status(() => readPhoto({ db, store, ttlSeconds: 60 }, users.alice!, batch.images[1]!.id))).toBe(410)
    expect((await getDraftCrop(db, users.alice!, batch.drafts[0]!.id)).bytes).toEqual(CROP.bytes)
  })

  it('hides unexpected analysis errors behind a plain reason and logs them, once its runs are spent', async () => {
    const logged: unknown[] = []
    const batch = await imported(users.alice!, [file(0xEF)], { maxAttempts: 1, log: (_m: string, e: unknown) => logged.push(e) })
    expect(batch.status).toBe('failed')
    expect(batch.drafts[0]!.failureReason).toBe(REASONS.notAnalysed)
    expect(JSON.stringify(batch)).not.toContain('secret')
    expect(logged).toHaveLength(1)
  })

  it('gives a photo with no card found one failed draft', async () => {
    const batch = await imported(users.alice!, [file(0)])
    expect(batch.status).toBe('ready')
    expect(batch.drafts).toHaveLength(1)
    expect(batch.drafts[0]).toMatchObject({ status: 'failed', failureReason: REASONS.noCard })
  })
})

describe('batches are private', () => {
  it('lists the user\'s batches newest first with draft counts, and 404s another user\'s batch', async () => {
    const batch = await imported(users.bob!, [file(3)])
    await dismissDraft(db, users.bob!, batch.drafts[0]!.id)
    await selectDraft(db, users.bob!, batch.drafts[1]!.id, selectInput())
    await imported(users.bob!, [file(1)])
    const list = await listBatches(db, users.bob!, { page: 1, pageSize: 1 })
    expect(list.total).toBe(2)
    expect(list.batches).toHaveLength(1)
    expect((await listBatches(db, users.bob!, { page: 2, pageSize: 1 })).batches[0]).toMatchObject({ id: batch.id, imageCount: 1, images: { pending: 0, analyzed: 1, failed: 0 }, drafts: { pending: 1, selected: 1, dismissed: 1, failed: 0, total: 3 } })
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
    const batch = await imported(users.alice!, [file(1)])
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
    const batch = await imported(users.bob!, [file(1)])
    const draftId = batch.drafts[0]!.id
    const results = await Promise.all(Array.from({ length: 4 }, () => selectDraft(db, users.bob!, draftId, selectInput({ condition: 'MP' }))))
    expect(new Set(results.map(r => r.userCard!.id)).size).toBe(1)
    const row = await db.selectFrom('user_cards').selectAll().where('user_id', '=', users.bob!).where('condition', '=', 'MP').executeTakeFirstOrThrow()
    expect(row.quantity).toBe(1)
  })

  it('raises the quantity of the same copy kind across drafts, refuses unknown cards (422) and dismissed drafts (409)', async () => {
    const batch = await imported(users.alice!, [file(3)])
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
    const batch = await imported(users.alice!, [file(1)])
    const image = batch.images[0]!
    const later = new Date(Date.now() + 30_000)
    const got = await readPhoto({ db, store, ttlSeconds: 1, now: () => later }, users.alice!, image.id)
    expect(got).toMatchObject({ contentType: 'image/jpeg' })
    expect(got.bytes).toEqual(photo(1))
    const { expires_at } = await db.selectFrom('import_images').select('expires_at').where('id', '=', image.id).executeTakeFirstOrThrow()
    expect(new Date(expires_at).getTime()).toBe(later.getTime() + 1000)

    await new Promise(r => setTimeout(r, 1300))
    const gone = await readPhoto({ db, store, ttlSeconds: 1, now: () => new Date(later.getTime() + 2000) }, users.alice!, image.id).catch(e => e)
    expect(gone).toMatchObject({ statusCode: 410, message: PHOTO_EXPIRED_MESSAGE })
    // The draft and its crop outlive the photo.
    expect((await getDraftCrop(db, users.alice!, batch.drafts[0]!.id)).bytes.length).toBeGreaterThan(0)
  })

  it('says a photo was lost, not expired, when the store lost it before its expiry (a Redis restart)', async () => {
    const batch = await imported(users.alice!, [file(1)])
    await store.remove(batch.images[0]!.id)
    const lost = await readPhoto({ db, store, ttlSeconds: 60 }, users.alice!, batch.images[0]!.id).catch(e => e)
    expect(lost).toMatchObject({ statusCode: 410, message: PHOTO_LOST_MESSAGE })
    expect(new Date(batch.images[0]!.expiresAt).getTime()).toBeGreaterThan(Date.now())
  })

  it('answers 503 when the store is down', async () => {
    const batch = await imported(users.alice!, [file(1)])
    const down = { get: async () => { throw new ImageStoreUnavailableError() } }
    expect(await status(() => readPhoto({ db, store: down, ttlSeconds: 60 }, users.alice!, batch.images[0]!.id))).toBe(503)
  })
})
