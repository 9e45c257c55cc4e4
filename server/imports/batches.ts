import { type Kysely, sql } from 'kysely'
import type { BatchDto, BatchListDto, BatchListQuery, BatchStatus, DraftCounts, DraftRead, ImageCounts } from '../../shared/schemas/imports'
import type { Database } from '../database/schema'
import { DRAFT_COLUMNS, iso, toDraftDto, toImageDto } from './dto'
import { notFound } from './errors'

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

/** One batch of the user's with its photos and drafts; 404 for another user's or an unknown id. */
export async function getBatch(db: Kysely<Database>, userId: string, batchId: string): Promise<BatchDto> {
  const batch = await db.selectFrom('import_batches')
    .select(['id', 'status', 'created_at'])
    .where('id', '=', batchId).where('user_id', '=', userId)
    // An upload still arriving is not a batch yet.
    .where('status', '<>', 'receiving')
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
    status: batch.status as BatchStatus,
    createdAt: iso(batch.created_at),
    images: images.map(toImageDto),
    // Numbered across the batch (photo order, then card order), whichever photo finished first.
    drafts: drafts.map((d, i) => ({ ...toDraftDto(d), position: i })),
  }
}

const PENDING = ['queued', 'analyzing'] as const

/**
 * The batch once it is no longer analysing, or as it is when `timeoutMs` runs out (or `signal`
 * aborts: the server is shutting down). Polls the database, so it sees workers on any machine.
 */
export async function waitForBatch(db: Kysely<Database>, userId: string, batchId: string, timeoutMs: number, signal?: AbortSignal): Promise<BatchDto> {
  const deadline = Date.now() + timeoutMs
  let delay = 100
  for (;;) {
    const row = await db.selectFrom('import_batches').select('status')
      .where('id', '=', batchId).where('user_id', '=', userId).executeTakeFirst()
    if (!row || row.status !== 'analyzing' || Date.now() >= deadline || signal?.aborted) return getBatch(db, userId, batchId)
    await new Promise(resolve => setTimeout(resolve, Math.min(delay, deadline - Date.now())))
    delay = Math.min(delay * 2, 500)
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
        eb.selectFrom('import_images as i').whereRef('i.batch_id', '=', 'b.id')
          .select(sql<number>`count(*)::int`.as('n')).where('i.status', 'in', [...PENDING]).as('images_pending'),
        eb.selectFrom('import_images as i').whereRef('i.batch_id', '=', 'b.id')
          .select(sql<number>`count(*)::int`.as('n')).where('i.status', '=', 'failed').as('images_failed'),
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
      .where('b.user_id', '=', userId).where('b.status', '<>', 'receiving')
      .orderBy('b.created_at', 'desc').orderBy('b.id', 'desc')
      .limit(query.pageSize).offset((query.page - 1) * query.pageSize)
      .execute(),
    db.selectFrom('import_batches').select(sql<number>`count(*)::int`.as('n'))
      .where('user_id', '=', userId).where('status', '<>', 'receiving').executeTakeFirstOrThrow(),
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
      const imageCount = r.image_count ?? 0
      const pending = r.images_pending ?? 0
      const failed = r.images_failed ?? 0
      const images: ImageCounts = { pending, analyzed: imageCount - pending - failed, failed }
      return { id: r.id, status: r.status as BatchStatus, createdAt: iso(r.created_at), imageCount, images, drafts }
    }),
    page: query.page,
    pageSize: query.pageSize,
    total: total.n,
  }
}
