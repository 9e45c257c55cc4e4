import { z } from 'zod'
import { cardIdSchema, FINISHES, MAX_QUANTITY } from './collection'
import type { CollectionCard } from '../types/collection'
import type { CopyPrice } from './prices'

const note = z.string().trim().max(500).nullish().transform(v => v || null)

/** POST /api/wants: more copies wanted of a card (the quantity adds to an entry of the same card and finish). */
export const wantAddSchema = z.strictObject({
  cardId: cardIdSchema,
  quantity: z.coerce.number().int().min(1).max(MAX_QUANTITY).default(1),
  /** Left out or null: any finish will do. */
  finish: z.enum(FINISHES).nullish().transform(v => v ?? null),
  note,
})

export const wantPatchSchema = z.strictObject({
  quantity: z.coerce.number().int().min(1).max(MAX_QUANTITY).optional(),
  note: note.optional(),
}).refine(p => p.quantity !== undefined || p.note !== undefined, { message: 'Nothing to change' })

/** Which of a set's missing cards "add all missing" takes. */
export const missingFilterSchema = z.strictObject({
  /** Only cards numbered within the printed total (no secret rares). */
  regularOnly: z.boolean().default(false),
  /** Only these rarities (as the catalogue names them); empty: all. */
  rarities: z.array(z.string().trim().min(1).max(60)).max(40).default([]),
  /** Only these categories (Pokemon, Trainer, Energy); empty: all. */
  categories: z.array(z.enum(['Pokemon', 'Trainer', 'Energy'])).max(3).default([]),
})

export const wantMissingSchema = missingFilterSchema.extend({ setId: z.string().trim().min(1).max(64) })

export const WANT_SORTS = ['added', 'name', 'set', 'price'] as const
export const wantListQuerySchema = z.object({
  sort: z.enum(WANT_SORTS).default('set'),
  lang: z.enum(['en', 'fr', 'de', 'es', 'it', 'pt']).optional(),
})

export type WantAdd = z.infer<typeof wantAddSchema>
export type WantPatch = z.infer<typeof wantPatchSchema>
export type MissingFilter = z.infer<typeof missingFilterSchema>

export interface MissingCandidate { number: number | null, printedTotal: number | null, rarity: string | null, category: string }

/** Whether a card the user lacks is one "add all missing" adds under this filter (the set page's preview counts the same way). */
export function matchesMissingFilter(card: MissingCandidate, filter: Partial<MissingFilter>): boolean {
  if (filter.regularOnly && !(card.number !== null && card.printedTotal !== null && card.number <= card.printedTotal)) return false
  if (filter.rarities?.length && !filter.rarities.includes(card.rarity ?? '')) return false
  if (filter.categories?.length && !(filter.categories as string[]).includes(card.category)) return false
  return true
}

export interface WantItem {
  id?: string
  cardId: string
  /** Null: any finish. */
  finish: string | null
  quantity: number
  note: string | null
  /** Copies of the card the user has already (any kind). */
  owned?: number
  card: Omit<CollectionCard, 'variants'> & { variants?: string[] }
  /** Market price of one copy (the finish wanted, else the card's plain printing) and × quantity. */
  price: CopyPrice | null
  createdAt?: string
}

export interface WantList {
  items: WantItem[]
  totals: { entries: number, copies: number, value: number, pricedEntries: number, currency: string }
}
