import { z } from 'zod'

export const CONDITIONS = ['NM', 'LP', 'MP', 'HP', 'DMG'] as const
export const FINISHES = ['normal', 'reverse', 'holo', 'first-edition', 'stamped', 'lenticular', 'metal', 'other'] as const
export const CARD_LANGUAGES = ['en', 'fr', 'de', 'es', 'it', 'pt', 'ja', 'ko', 'zh'] as const
export const MAX_QUANTITY = 9999

const optionalText = (max: number) => z.string().trim().max(max).nullish().transform(v => v || null)

/** What describes one kind of copy in a collection (shared by POST /api/collection and draft select). */
export const copyFieldsSchema = z.object({
  quantity: z.coerce.number().int().min(1).max(MAX_QUANTITY).default(1),
  condition: z.enum(CONDITIONS).default('NM'),
  language: z.enum(CARD_LANGUAGES).default('en'),
  finish: z.enum(FINISHES).default('normal'),
  grader: optionalText(40),
  grade: optionalText(20),
  certNumber: optionalText(60),
  location: optionalText(120),
  notes: optionalText(2000),
  pricePaid: z.coerce.number().min(0).max(10_000_000).nullish().transform(v => v ?? null),
  acquiredAt: z.iso.date().nullish().transform(v => v ?? null),
})

export const cardIdSchema = z.string().trim().min(1).max(64)

export const collectionAddSchema = copyFieldsSchema.extend({ cardId: cardIdSchema })

export type CollectionAddInput = z.infer<typeof collectionAddSchema>
export type Condition = (typeof CONDITIONS)[number]
export type Finish = (typeof FINISHES)[number]
