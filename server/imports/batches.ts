import { randomUUID } from 'node:crypto'
import { type Kysely, sql } from 'kysely'
import type { BatchDto, BatchListDto, BatchListQuery, BatchStatus, DraftCounts, DraftRead } from '../../shared/schemas/imports'
import type { Database } from '../database/schema'
import type { ImageStore } from '../storage/image-store'
import { DRAFT_COLUMNS, iso, toDraftDto, toImageDto } from './dto'
import { ImportError, notFound, STORE_UNAVAILABLE_MESSAGE } from './errors'
import type { UploadedPhoto } from './upload'

/** The parts of recognition's `PhotoAnalysis` this service stores (kept structural, so tests can fake it). */
export interface AnalyzedDraft {
  quad: [number, number][] | null
  crop: { bytes: Buffer, contentType: string, width: number, height: number } | null
  read: DraftRead
  candidates: unknown[]
  confident: boolean
  status: 'pending' | 'failed'
  failureReason: string | null
}

export interface AnalyzedPhoto {
  width: number
  height: number
  drafts: AnalyzedDraft[]
}

/** Photo bytes in, drafts out: `analyzePhoto` bound to the catalogue index and OCR pool. */
export type AnalyzeFn = (bytes: Buffer) => Promise<AnalyzedPhoto>

export interface CreateBatchDeps {
  db: Kysely<Database>
  store: Pick<ImageStore, 'put' | 'remove'>
  analyze: AnalyzeFn
  ttlSeconds: number
  /** How many photos are analysed at once (the OCR pool's size: more only queues and costs memory). */
  concurrency: number
  now?: () => Date
  /** Where unexpected analysis errors are reported (the client only sees a plain reason). */
  log?: (message: string, error: unknown) => void
}

const EMPTY_READ: DraftRead = { name: null, hp: null, number: null, printedTotal: null, setCode: null, lang: null, raw: {} }

/** Runs `fn` over `items` with at most `limit` at a time, keeping the order of results. */
export async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length)
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const i = next++
      results[i] = await fn(items[i]!, i)
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker))
  return results
}

// recognition's InvalidImageError (corrupt, truncated, too many pixels) carries a message meant for users.
const isInvalidImageError = (error: unknown): error is Error =>
  error instanceof Error && (error.name === 'InvalidImageError' || error.constructor.name === 'InvalidImageError')

/** A reason a user can read for a photo that could not be analysed (internals stay in the server log). */
export function failureReasonOf(error: unknown): string {
  return isInvalidImageError(error) && error.message ? error.message : 'The photo could not be analysed'
}

type Outcome =
  | { ok: true, analysis: AnalyzedPhoto }
  | { ok: false, reason: string }

async function storePhotos(deps: CreateBatchDeps, ids: string[], photos: UploadedPhoto[]) {
  const stored: string[] = []
  try {
    for (const [i, photo] of photos.entries()) {
      await deps.store.put(ids[i]!, { bytes: photo.bytes, contentType: photo.contentType }, deps.ttlSeconds)
      stored.push(ids[i]!)
    }
  }
  catch (error) {
    await forget(deps, stored)
    if (error instanceof Error && error.name === 'ImageStoreUnavailableError') throw new ImportError(503, STORE_UNAVAILABLE_MESSAGE)
    throw error
  }
}

async function forget(deps: CreateBatchDeps, ids: string[]) {
  await Promise.all(ids.map(id => deps.store.remove(id).catch(() => {})))
}

/**
 * Imports photos already validated: keeps their bytes in the image store (all of them, or the
 * request fails with 503 and nothing is written), analyses each one (a photo that fails gets one
 * failed draft, the rest proceed), then writes batch, images and drafts in one transaction.
 */
export async function createBatch(deps: CreateBatchDeps, userId: string, photos: UploadedPhoto[]): Promise<BatchDto> {
  const batchId = randomUUID()
  const imageIds = photos.map(() => randomUUID())
  // The photos' time to live starts when they are stored, before the analysis.
  const now = deps.now?.() ?? new Date()
  await storePhotos(deps, imageIds, photos)

  const outcomes = await mapLimit(photos, deps.concurrency, async (photo): Promise<Outcome> => {
    try {
      return { ok: true, analysis: await deps.analyze(photo.bytes) }
    }
    catch (error) {
      if (!isInvalidImageError(error)) deps.log?.('[imports] analysis failed', error)
      return { ok: false, reason: failureReasonOf(error) }
    }
  })

  const expiresAt = new Date(now.getTime() + deps.ttlSeconds * 1000)
  const status: BatchStatus = outcomes.some(o => o.ok) ? 'ready' : 'failed'

  try {
    await deps.db.transaction().execute(async (trx) => {
      await trx.insertInto('import_batches').values({ id: batchId, user_id: userId, status }).execute()
      await trx.insertInto('import_images').values(photos.map((photo, i) => {
        const outcome = outcomes[i]!
        return {
          id: imageIds[i],
          batch_id: batchId,
          user_id: userId,
          position: i,
          filename: photo.filename,
          content_type: photo.contentType,
          byte_size: photo.bytes.length,
          width: outcome.ok ? outcome.analysis.width : null,
          height: outcome.ok ? outcome.analysis.height : null,
          status: outcome.ok ? 'analyzed' as const : 'failed' as const,
          failure_reason: outcome.ok ? null : outcome.reason,
          expires_at: expiresAt,
        }
      })).execute()

      const drafts = outcomes.flatMap((outcome, i) => draftsOf(outcome).map(d => ({ ...d, imageId: imageIds[i]! })))
      // One insert per draft: crops are ~100 kB each, a single statement for a 30-photo binder batch would be huge.
      for (const [position, d] of drafts.entries()) {
        await trx.insertInto('card_drafts').values({
          batch_id: batchId,
          image_id: d.imageId,
          user_id: userId,
          position,
          quad: d.quad ? JSON.stringify(d.quad) : null,
          crop: d.crop?.bytes ?? null,
          crop_type: d.crop?.contentType ?? null,
          read: JSON.stringify(d.read),
          candidates: JSON.stringify(d.candidates),
          confident: d.confident,
          status: d.status,
          failure_reason: d.failureReason,
        }).execute()
      }
    })
  }
  catch (error) {
    await forget(deps, imageIds)
    throw error
  }

  return getBatch(deps.db, userId, batchId)
}

function draftsOf(outcome: Outcome): AnalyzedDraft[] {
  if (!outcome.ok) {
    return [{ quad: null, crop: null, read: EMPTY_READ, candidates: [], confident: false, status: 'failed', failureReason: outcome.reason }]
  }
  if (outcome.analysis.drafts.length === 0) {
    // Still one draft, so the photo shows up for review and can be matched by hand.
    return [{ quad: null, crop: null, read: EMPTY_READ, candidates: [], confident: false, status: 'failed', failureReason: 'No card was found in this photo' }]
  }
  return outcome.analysis.drafts
}

/** One batch of the user's with its photos and drafts; 404 for another user's or an unknown id. */
export async function getBatch(db: Kysely<Database>, userId: string, batchId: string): Promise<BatchDto> {
  const batch = await db.selectFrom('import_batches')
    .select(['id', 'status', 'created_at'])
    .where('id', '=', batchId).where('user_id', '=', userId)
    .executeTakeFirst()
  if (!batch) throw notFound('Import batch')
  const [images, drafts] = await Promise.all([
    db.selectFrom('import_images').selectAll()
      .where('batch_id', '=', batchId).where('user_id', '=', userId)
      .orderBy('position').execute(),
    db.selectFrom('card_drafts').select(DRAFT_COLUMNS)
      .select(sql<boolean>`card_drafts.crop is not null`.as('has_crop'))
      .where('batch_id', '=', batchId).where('user_id', '=', userId)
      .orderBy('position').execute(),
  ])
  return {
    id: batch.id,
    status: batch.status,
    createdAt: iso(batch.created_at),
    images: images.map(toImageDto),
    drafts: drafts.map(toDraftDto),
  }
}

/** The user's batches, newest first, with how many drafts are in each state. */
export async function listBatches(db: Kysely<Database>, userId: string, query: BatchListQuery): Promise<BatchListDto> {
  const count = (status: string) => sql<number>`(count(*) filter (where d.status = ${status}))::int`
  const [rows, total] = await Promise.all([
    db.selectFrom('import_batches as b')
      .select(['b.id', 'b.status', 'b.created_at'])
      .select(eb => [
        eb.selectFrom('import_images as i').whereRef('i.batch_id', '=', 'b.id')
          .select(sql<number>`count(*)::int`.as('n')).as('image_count'),
      ])
      .leftJoinLateral(
        eb => eb.selectFrom('card_drafts as d').whereRef('d.batch_id', '=', 'b.id')
          .select([
            count('pending').as('pending'),
            count('selected').as('selected'),
            count('dismissed').as('dismissed'),
            count('failed').as('failed'),
            sql<number>`count(*)::int`.as('total'),
          ])
          .as('c'),
        join => join.onTrue(),
      )
      .select(['c.pending', 'c.selected', 'c.dismissed', 'c.failed', 'c.total'])
      .where('b.user_id', '=', userId)
      .orderBy('b.created_at', 'desc').orderBy('b.id', 'desc')
      .limit(query.pageSize).offset((query.page - 1) * query.pageSize)
      .execute(),
    db.selectFrom('import_batches').select(sql<number>`count(*)::int`.as('n'))
      .where('user_id', '=', userId).executeTakeFirstOrThrow(),
  ])
  return {
    batches: rows.map((r) => {
      const drafts: DraftCounts = {
        pending: r.pending ?? 0,
        selected: r.selected ?? 0,
        dismissed: r.dismissed ?? 0,
        failed: r.failed ?? 0,
        total: r.total ?? 0,
      }
      return { id: r.id, status: r.status, createdAt: iso(r.created_at), imageCount: r.image_count ?? 0, drafts }
    }),
    page: query.page,
    pageSize: query.pageSize,
    total: total.n,
  }
}
