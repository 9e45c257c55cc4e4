import { z } from 'zod'
import { PAID_CURRENCIES } from './prices'

export const CONDITIONS = ['NM', 'LP', 'MP', 'HP', 'DMG'] as const
export const FINISHES = ['normal', 'reverse', 'holo', 'first-edition', 'stamped', 'lenticular', 'metal', 'other'] as const
export const CARD_LANGUAGES = ['en', 'fr', 'de', 'es', 'it', 'pt', 'ja', 'ko', 'zh'] as const
export const MAX_QUANTITY = 9999

const optionalText = (max: number) => z.string().trim().max(max).nullish().transform(v => v || null)

// Field rules shared by the add (with defaults) and patch (without) schemas.
const quantityField = z.coerce.number().int().min(1).max(MAX_QUANTITY)
const pricePaidField = z.coerce.number().min(0).max(10_000_000).nullish().transform(v => v ?? null)
// A calendar date from 1900 on (Postgres has no year 0, and nobody bought a card before then).
const acquiredAtField = z.iso.date().refine(d => d >= '1900-01-01' && d <= '2999-12-31', 'Date must be between 1900-01-01 and 2999-12-31')
  .nullish().transform(v => v ?? null)
const pricePaidCurrencyField = z.enum(PAID_CURRENCIES).nullish().transform(v => v ?? null)
const textFields = {
  grader: optionalText(40),
  grade: optionalText(20),
  certNumber: optionalText(60),
  location: optionalText(120),
  notes: optionalText(2000),
}

/** What describes one kind of copy in a collection (shared by POST /api/collection and draft select). */
export const copyFieldsSchema = z.object({
  quantity: quantityField.default(1),
  condition: z.enum(CONDITIONS).default('NM'),
  language: z.enum(CARD_LANGUAGES).default('en'),
  /** One of the card's variants (422 otherwise); left out, the card's plain printing (or its only one). */
  finish: z.enum(FINISHES).optional(),
  ...textFields,
  pricePaid: pricePaidField,
  pricePaidCurrency: pricePaidCurrencyField,
  acquiredAt: acquiredAtField,
})

export const cardIdSchema = z.string().trim().min(1).max(64)

export const collectionAddSchema = copyFieldsSchema.extend({ cardId: cardIdSchema })

/**
 * PATCH /api/collection/:id: only the fields sent change (`null` clears an optional one). Strict, so a
 * misspelt field is a 400 rather than a silent no-op; the card itself cannot be changed (delete + add).
 * `quantityDelta` adds to the quantity atomically (a stepper's +1 / -1); `version` (or If-Match)
 * refuses the change with 409 when the row changed since it was read.
 */
export const collectionPatchSchema = z.strictObject({
  quantity: quantityField.optional(),
  quantityDelta: z.coerce.number().int().min(-MAX_QUANTITY).max(MAX_QUANTITY).optional(),
  version: z.coerce.number().int().min(1).max(2 ** 31 - 1).optional(),
  condition: z.enum(CONDITIONS).optional(),
  language: z.enum(CARD_LANGUAGES).optional(),
  finish: z.enum(FINISHES).optional(),
  grader: textFields.grader.optional(),
  grade: textFields.grade.optional(),
  certNumber: textFields.certNumber.optional(),
  location: textFields.location.optional(),
  notes: textFields.notes.optional(),
  pricePaid: pricePaidField.optional(),
  pricePaidCurrency: pricePaidCurrencyField.optional(),
  acquiredAt: acquiredAtField.optional(),
})
  .refine(({ version: _, ...patch }) => Object.values(patch).some(v => v !== undefined), { message: 'Nothing to change' })
  .refine(patch => patch.quantity === undefined || patch.quantityDelta === undefined, { message: 'Send quantity or quantityDelta, not both' })

export const COLLECTION_SORTS = ['updated', 'added', 'name', 'number', 'set', 'quantity', 'price', 'value'] as const
export const COLLECTION_PAGE_SIZE_MAX = 200

/** Filters shared by GET /api/collection and the CSV export. */
export const collectionFilterSchema = z.object({
  set: z.string().trim().min(1).max(64).optional(),
  q: z.string().trim().max(120).optional().transform(v => v || undefined),
  language: z.enum(CARD_LANGUAGES).optional(),
  condition: z.enum(CONDITIONS).optional(),
  finish: z.enum(FINISHES).optional(),
  location: z.string().trim().min(1).max(120).optional(),
  /** Market price of one copy, in the user's currency (copies without a price are left out). */
  minPrice: z.coerce.number().min(0).max(10_000_000).optional(),
  maxPrice: z.coerce.number().min(0).max(10_000_000).optional(),
})

export const collectionListQuerySchema = collectionFilterSchema.extend({
  sort: z.enum(COLLECTION_SORTS).default('updated'),
  /** Default: newest/largest first for updated, added and quantity; A→Z / first→last otherwise. */
  order: z.enum(['asc', 'desc']).optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(COLLECTION_PAGE_SIZE_MAX).default(50),
})

export const IMPORT_MODES = ['add', 'replace'] as const
const flag = z.enum(['true', 'false', '1', '0']).transform(v => v === 'true' || v === '1')
export const collectionImportQuerySchema = z.object({
  mode: z.enum(IMPORT_MODES).default('add'),
  /** Answer what the import would do (added, merged, rejected lines) and write nothing. */
  dryRun: flag.default(false),
  /** Import the lines that can be, and report the others, instead of refusing the whole file. */
  skipInvalid: flag.default(false),
})

export type CollectionAddInput = z.infer<typeof collectionAddSchema>
export type CollectionPatch = z.infer<typeof collectionPatchSchema>
export type CollectionFilter = z.infer<typeof collectionFilterSchema>
export type CollectionListQuery = z.infer<typeof collectionListQuerySchema>
export type ImportMode = (typeof IMPORT_MODES)[number]
export type Condition = (typeof CONDITIONS)[number]
export type Finish = (typeof FINISHES)[number]
export type CardLanguage = (typeof CARD_LANGUAGES)[number]
