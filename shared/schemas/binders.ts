import { z } from 'zod'
import { BINDER_LAYOUTS, type BinderLayout, MAX_BINDER_PAGES } from '../binders'
import type { CopyPrice } from './prices'

const uuid = z.uuid()
const name = z.string().trim().min(1).max(80)
const page = z.coerce.number().int().min(1).max(MAX_BINDER_PAGES)
const slot = z.coerce.number().int().min(1).max(12)

export const binderCreateSchema = z.strictObject({
  name,
  layout: z.enum(BINDER_LAYOUTS).default('3x3'),
  pages: page.default(20),
})

/** Only what is sent changes; a smaller binder or another layout is refused (409) while cards would be left out. */
export const binderPatchSchema = z.strictObject({
  name: name.optional(),
  layout: z.enum(BINDER_LAYOUTS).optional(),
  pages: page.optional(),
}).refine(p => Object.values(p).some(v => v !== undefined), { message: 'Nothing to change' })

export const boxCreateSchema = z.strictObject({ name })
export const boxPatchSchema = z.strictObject({ name })

/** A binder slot or a box; null is nowhere (the copy lies loose in the collection). */
export const placeSchema = z.union([
  z.strictObject({ binderId: uuid, page, slot }),
  z.strictObject({ boxId: uuid }),
]).nullable()

/**
 * POST /api/places/move: copies of one collection row go from one place to another. A binder slot
 * holds one copy; moving onto a taken slot from another slot swaps the two, from anywhere else is a 409.
 */
export const moveSchema = z.strictObject({
  userCardId: uuid,
  from: placeSchema.default(null),
  to: placeSchema,
  /** Copies moved between boxes and nowhere; one when a slot is either end. */
  quantity: z.coerce.number().int().min(1).max(9999).default(1),
})

/** POST /api/binders/{id}/fill: the set's cards in number order, the user's free copies put in their slots. */
export const binderFillSchema = z.strictObject({
  setId: z.string().trim().min(1).max(64),
  startPage: page.default(1),
  startSlot: slot.default(1),
  /** Keep the slot of each card not owned empty (a set binder); false packs the owned ones together. */
  gaps: z.boolean().default(true),
})

export const unplacedQuerySchema = z.object({
  q: z.string().trim().max(120).optional().transform(v => v || undefined),
  set: z.string().trim().min(1).max(64).optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(24),
})

/**
 * `POST /api/imports/batches?binderId=…&binderPage=N`: the photos are binder pages, the first one page
 * N (the next ones N + 1…); confirming a card of them puts it in its pocket.
 */
export const scanTargetQuerySchema = z.object({
  binderId: uuid.optional(),
  binderPage: page.optional(),
}).refine(q => (q.binderId === undefined) === (q.binderPage === undefined), { message: 'Send binderId and binderPage together' })

export type BinderCreate = z.infer<typeof binderCreateSchema>
export type BinderPatch = z.infer<typeof binderPatchSchema>
export type PlaceInput = z.infer<typeof placeSchema>
export type MoveInput = z.infer<typeof moveSchema>
export type BinderFillInput = z.infer<typeof binderFillSchema>

/** Where copies of a collection row are. */
export type CopyPlace =
  | { kind: 'slot', binderId: string, binderName: string, page: number, slot: number, row: number, col: number }
  | { kind: 'box', boxId: string, boxName: string, quantity: number }

export interface BinderSummary {
  id: string
  name: string
  layout: BinderLayout
  pages: number
  /** Slots in the binder, and slots holding a card. */
  capacity: number
  filled: number
  setId: string | null
  setName: string | null
  /** Market value of the cards in it, in the user's currency (ungraded copies with a price). */
  value: { total: number, currency: string, pricedCopies: number }
  shared: boolean
}

export interface BoxSummary {
  id: string
  name: string
  copies: number
  value: { total: number, currency: string, pricedCopies: number }
}

/** The card in a slot as every binder view shows it (the public one without `userCardId`). */
export interface SlotCard {
  userCardId?: string
  cardId: string
  name: string
  names: Partial<Record<string, string>>
  setId: string
  setName: string
  localId: string
  printedTotal: number | null
  imageUrl: string | null
  language: string
  finish: string
  condition: string
  grader: string | null
  grade: string | null
  price?: CopyPrice | null
}

export interface BinderSlot { page: number, slot: number, card: SlotCard }

/** A set binder's card for a slot (shown in the empty slot of a card still missing). */
export interface ExpectedCard { index: number, cardId: string, name: string, names: Partial<Record<string, string>>, localId: string, printedTotal: number | null }

export interface BinderView {
  /** `id`, `value` and `shared` only for the owner. */
  binder: Omit<BinderSummary, 'id' | 'shared' | 'value'> & { id?: string, value?: BinderSummary['value'], shared?: boolean, cols: number, rows: number, setOffset: number | null }
  slots: BinderSlot[]
  expected: ExpectedCard[]
}

export interface BoxView {
  box: BoxSummary
  items: { userCardId: string, quantity: number, card: SlotCard }[]
}

export interface FillResult {
  placed: number
  /** Cards of the set not owned, or owned with every copy already placed elsewhere. */
  missing: number
  /** Slots already taken by other cards (left as they were). */
  occupied: number
  /** Owned cards past the binder's last slot. */
  didNotFit: number
}

/** A draft's pocket on its binder page, from where its card lies on the photo. */
export interface ScanCell { draftId: string, row: number, col: number, slot: number }

export interface ScanPage {
  imageId: string
  /** The binder page this photo is; null past the binder's last page. */
  page: number | null
  cells: ScanCell[]
  /** Drafts whose pocket could not be told (no outline, outside the grid). */
  unplaced: string[]
  /** What the binder page holds now (copies this scan put there included). */
  filled: { slot: number, userCardId: string, card: SlotCard }[]
}

/** A photo import of binder pages (`GET /api/imports/batches/{id}/binder`). */
export interface BinderScan {
  binderId: string
  binderName: string
  layout: BinderLayout
  cols: number
  rows: number
  firstPage: number
  pages: ScanPage[]
}

/** Where confirming a scanned draft put its copy, or why it did not. */
export type ScanPlacement =
  | { placed: true, binderId: string, page: number, slot: number }
  | { placed: false, reason: 'no-pocket' | 'past-last-page' | 'pocket-taken' | 'no-free-copy' }
