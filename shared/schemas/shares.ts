import { z } from 'zod'
import type { BinderView } from './binders'
import type { WantList } from './wants'

export const SHARE_KINDS = ['collection', 'wants', 'binder'] as const
export type ShareKind = (typeof SHARE_KINDS)[number]

/** POST /api/shares: publish (or give a new link to) the collection, the want list or one binder. */
export const shareCreateSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('collection') }),
  z.strictObject({ kind: z.literal('wants') }),
  z.strictObject({ kind: z.literal('binder'), binderId: z.uuid() }),
])

/** A public link's slug: 144 random bits in base64url. */
export const SLUG_PATTERN = /^[\w-]{24}$/

export const publicQuerySchema = z.object({
  q: z.string().trim().max(120).optional().transform(v => v || undefined),
  set: z.string().trim().min(1).max(64).optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  lang: z.enum(['en', 'fr', 'de', 'es', 'it', 'pt']).optional(),
})

export type ShareCreate = z.infer<typeof shareCreateSchema>

export interface Share {
  id: string
  kind: ShareKind
  binderId: string | null
  slug: string
  /** The page to give out: `/u/{slug}/{kind}`. */
  path: string
  createdAt: string
}

/** A copy as a public collection page shows it: the card and the kind of copy, nothing of the owner's own records. */
export interface PublicCopy {
  cardId: string
  quantity: number
  language: string
  finish: string
  condition: string
  grader: string | null
  grade: string | null
  card: { name: string, names: Partial<Record<string, string>>, setId: string, setName: string, setCode: string | null, localId: string, printedTotal: number | null, rarity: string | null, imageUrl: string | null }
}

export interface PublicCollection {
  items: PublicCopy[]
  total: number
  page: number
  pageSize: number
  totals: { cards: number, distinct: number }
  sets: { id: string, name: string }[]
}

/** What a public link shows: the owner's display name and the one thing published. */
export interface PublicPage {
  kind: ShareKind
  owner: { name: string }
  collection?: PublicCollection
  wants?: WantList
  binder?: BinderView
}
