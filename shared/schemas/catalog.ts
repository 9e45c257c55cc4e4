import { z } from 'zod'

/** Languages the TCGdex catalogue carries names for. */
export const CATALOG_LANGUAGES = ['en', 'fr', 'de', 'es', 'it', 'pt'] as const
export type CatalogLanguage = (typeof CATALOG_LANGUAGES)[number]

export const MAX_PAGE_SIZE = 100
export const DEFAULT_PAGE_SIZE = 24

const optionalParam = (max: number) => z.string().trim().max(max).optional().transform(v => v || undefined)

/** `GET /api/cards` */
export const cardSearchQuerySchema = z.object({
  q: z.string().trim().max(100).default(''),
  set: optionalParam(40),
  lang: z.enum(CATALOG_LANGUAGES).optional(),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
})
export type CardSearchQuery = z.infer<typeof cardSearchQuerySchema>

/** `GET /api/cards/:id` and `GET /api/sets/:id` */
export const catalogLangQuerySchema = z.object({
  lang: z.enum(CATALOG_LANGUAGES).optional(),
})

/** `GET /api/sets` */
export const setListQuerySchema = z.object({
  serie: optionalParam(40),
  q: optionalParam(100),
  lang: z.enum(CATALOG_LANGUAGES).optional(),
})
export type SetListQuery = z.infer<typeof setListQuerySchema>

export interface CatalogCard {
  id: string
  setId: string
  setName: string
  setCode: string | null
  localId: string
  number: number | null
  name: string
  names: Partial<Record<string, string>>
  hp: number | null
  category: string
  rarity: string | null
  illustrator: string | null
  regulationMark: string | null
  variants: string[]
  printedTotal: number | null
  imageUrl: string | null
}

export interface CatalogSet {
  id: string
  name: string
  names: Partial<Record<string, string>>
  serieId: string | null
  serieName: string | null
  code: string | null
  codeFr: string | null
  printedTotal: number | null
  cardCount: number
  releaseDate: string | null
  /** Distinct cards of this set the signed-in user owns; absent when anonymous. */
  owned?: number
}

export interface CardSearchResult {
  items: CatalogCard[]
  total: number
  page: number
  pageSize: number
}
