import { type Kysely, sql } from 'kysely'
import { type BinderLayout, isSlotOf, LAYOUT_GRID, slotAt } from '../../shared/binders'
import type { BinderScan, ScanPage, ScanPlacement } from '../../shared/schemas/binders'
import type { PriceCurrency } from '../../shared/schemas/prices'
import { CollectionError } from '../collection/add'
import type { Database } from '../database/schema'
import { lockBinder } from './binders'
import { gridPositions, type Quad } from './grid'
import { placedCardsQuery, toSlotCard } from './slot-cards'

type Db = Kysely<Database>

/** The binder and first page an upload of binder pages goes to: 404 for a binder not theirs, 422 past its pages. */
export async function checkScanTarget(db: Db, userId: string, binderId: string, page: number): Promise<void> {
  const binder = await db.selectFrom('binders').select(['layout', 'pages']).where('id', '=', binderId).where('user_id', '=', userId).executeTakeFirst()
  if (!binder) throw new CollectionError(404, 'Binder not found')
  if (!isSlotOf(binder.layout, binder.pages, page, 1)) throw new CollectionError(422, `This binder has ${binder.pages} pages: there is no page ${page}`)
}

export async function startScan(db: Db, userId: string, batchId: string, binderId: string, firstPage: number): Promise<void> {
  await db.insertInto('binder_scans').values({ batch_id: batchId, user_id: userId, binder_id: binderId, first_page: firstPage }).execute()
}

/** Each photo of the scan with its page number and its drafts' pockets, computed from their outlines. */
async function scanLayout(db: Db, scan: { batch_id: string, first_page: number, layout: BinderLayout, pages: number }) {
  const [images, drafts] = await Promise.all([
    db.selectFrom('import_images').select('id').where('batch_id', '=', scan.batch_id).orderBy('position').execute(),
    db.selectFrom('card_drafts').select(['id', 'image_id', 'quad']).where('batch_id', '=', scan.batch_id).orderBy('position').execute(),
  ])
  const grid = LAYOUT_GRID[scan.layout]
  return images.map((image, i) => {
    const mine = drafts.filter(d => d.image_id === image.id)
    const cells = gridPositions(mine.map(d => d.quad as Quad | null), grid)
    const page = scan.first_page + i
    return {
      imageId: image.id,
      page: page <= scan.pages ? page : null,
      cells: mine.flatMap((d, k) => (cells[k] ? [{ draftId: d.id, ...cells[k]!, slot: slotAt(scan.layout, cells[k]!.row, cells[k]!.col) }] : [])),
      unplaced: mine.filter((_, k) => !cells[k]).map(d => d.id),
    }
  })
}

const scanOf = (db: Db) => db.selectFrom('binder_scans as s').innerJoin('binders as b', 'b.id', 's.binder_id')
  .select(['s.batch_id', 's.binder_id', 's.first_page', 'b.name', 'b.layout', 'b.pages'])

/** A batch's binder scan with each photo's page laid out as a grid; null when the batch is no scan (404 for another user's). */
export async function getScan(db: Db, userId: string, batchId: string, currency: PriceCurrency): Promise<BinderScan | null> {
  const scan = await scanOf(db).where('s.batch_id', '=', batchId).where('s.user_id', '=', userId).executeTakeFirst()
  if (!scan) return null
  const pages = await scanLayout(db, scan)
  const numbers = pages.map(p => p.page).filter((p): p is number => p !== null)
  const filled = numbers.length
    ? await placedCardsQuery(db, currency).where('cp.binder_id', '=', scan.binder_id).where('cp.page', 'in', numbers).execute()
    : []
  return {
    binderId: scan.binder_id,
    binderName: scan.name,
    layout: scan.layout,
    ...LAYOUT_GRID[scan.layout],
    firstPage: scan.first_page,
    pages: pages.map((p): ScanPage => ({
      ...p,
      filled: filled.filter(f => f.page === p.page).map(f => ({ slot: f.slot!, userCardId: f.user_card_id, card: toSlotCard(f, currency, { withIds: true }) })),
    })),
  }
}

/**
 * When a draft belongs to a binder scan, locks its binder before the card is added (binders are
 * locked before collection rows, as every move does), and answers the scan; else null.
 */
export async function lockScanOfDraft(trx: Db, userId: string, draftId: string) {
  const scan = await scanOf(trx).innerJoin('card_drafts as d', 'd.batch_id', 's.batch_id')
    .where('d.id', '=', draftId).where('s.user_id', '=', userId).executeTakeFirst()
  if (!scan) return null
  await lockBinder(trx, userId, scan.binder_id)
  return scan
}

/**
 * Puts a copy of the row just added for a scanned draft in the draft's pocket, when that pocket is
 * free; the card stays in the collection either way, and the answer says where it went or why not.
 * Runs in the select's transaction, the binder locked by lockScanOfDraft and the row by its upsert.
 */
export async function placeScannedCopy(trx: Db, userId: string, scan: NonNullable<Awaited<ReturnType<typeof lockScanOfDraft>>>, draftId: string, userCardId: string): Promise<ScanPlacement> {
  const page = (await scanLayout(trx, scan)).find(p => p.cells.some(c => c.draftId === draftId) || p.unplaced.includes(draftId))
  const cell = page?.cells.find(c => c.draftId === draftId)
  if (!page || !cell) return { placed: false, reason: 'no-pocket' }
  if (page.page === null) return { placed: false, reason: 'past-last-page' }
  const taken = await trx.selectFrom('copy_places').select('id')
    .where('binder_id', '=', scan.binder_id).where('page', '=', page.page).where('slot', '=', cell.slot).executeTakeFirst()
  if (taken) return { placed: false, reason: 'pocket-taken' }
  const row = await trx.selectFrom('user_cards').select(['quantity', sql<number>`coalesce((select sum(cp.quantity) from copy_places cp where cp.user_card_id = user_cards.id), 0)::int`.as('placed')])
    .where('id', '=', userCardId).where('user_id', '=', userId).forUpdate().executeTakeFirstOrThrow()
  if (row.quantity <= row.placed) return { placed: false, reason: 'no-free-copy' }
  await trx.insertInto('copy_places').values({ user_id: userId, user_card_id: userCardId, binder_id: scan.binder_id, page: page.page, slot: cell.slot }).execute()
  return { placed: true, binderId: scan.binder_id, page: page.page, slot: cell.slot }
}
