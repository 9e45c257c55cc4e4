import { z } from 'zod'

/** The markets TCGdex reports, and the currency each quotes in. */
export const PRICE_SOURCES = ['cardmarket', 'tcgplayer'] as const
export type PriceSource = (typeof PRICE_SOURCES)[number]

/** What a collection is valued in: EUR from Cardmarket or USD from TCGplayer (chosen in the account). */
export const PRICE_CURRENCIES = ['EUR', 'USD'] as const
export type PriceCurrency = (typeof PRICE_CURRENCIES)[number]

export const SOURCE_OF_CURRENCY: Record<PriceCurrency, PriceSource> = { EUR: 'cardmarket', USD: 'tcgplayer' }

/** Currencies a purchase price may be entered in. Profit and loss are shown only in the market's own currency (no exchange rates offline). */
export const PAID_CURRENCIES = ['EUR', 'USD', 'GBP', 'CHF', 'CAD', 'AUD', 'JPY'] as const

/** Grading companies offered by the copy forms; any other name is kept as typed. */
export const GRADERS = ['PSA', 'BGS', 'CGC', 'PCA', 'Collect Aura'] as const

export const currencySettingSchema = z.strictObject({ currency: z.enum(PRICE_CURRENCIES) })

export const valueHistoryQuerySchema = z.object({
  days: z.coerce.number().int().min(7).max(3660).default(90),
})

/** One market price of a card's variant, as the API answers it. */
export interface MarketPrice {
  source: PriceSource
  variant: string
  currency: string
  market: number | null
  low: number | null
  mid: number | null
  high: number | null
  avg7: number | null
  avg30: number | null
  /** When the market last updated the figure (TCGdex's `updated`), if it says. */
  sourceUpdatedAt: string | null
  /** When this app fetched it. */
  fetchedAt: string
}

/** The market price a copy is valued at, in the user's currency. */
export interface CopyPrice {
  currency: PriceCurrency
  /** One copy. */
  unit: number
  /** unit × quantity. */
  total: number
  fetchedAt: string
}

export interface CardPrices {
  prices: MarketPrice[]
  /** When the app last asked TCGdex for this card, and what came of it; null when never. */
  checkedAt: string | null
  status: 'priced' | 'unpriced' | 'failed' | null
  history: { day: string, source: PriceSource, variant: string, market: number | null }[]
}

export interface ValueCard {
  userCardId: string
  cardId: string
  name: string
  names: Partial<Record<string, string>>
  setName: string
  localId: string
  printedTotal: number | null
  finish: string
  quantity: number
  unit: number
  total: number
  imageUrl: string | null
}

export interface ValueMover extends ValueCard {
  /** The unit price it is compared with, and the day of that price. */
  previous: number
  since: string
  change: number
  changePercent: number | null
}

export interface CollectionValue {
  currency: PriceCurrency
  total: number
  copies: number
  pricedCopies: number
  /** Graded copies are not valued: TCGdex quotes raw cards only. */
  gradedCopies: number
  /** What was paid for copies that have both a purchase price in this currency and a market price, and what those are worth. */
  cost: { paid: number, worth: number, copies: number }
  /** Oldest fetch among the prices used; null when nothing is priced. */
  pricesFetchedAt: string | null
  lastRefresh: { status: string, startedAt: string, finishedAt: string | null } | null
  refreshing: boolean
  source: 'tcgdex' | 'off'
  bySet: { setId: string, setName: string, value: number, copies: number }[]
  top: ValueCard[]
  movers: { up: ValueMover[], down: ValueMover[] }
}

export interface ValueHistory {
  currency: PriceCurrency
  points: { day: string, value: number, pricedCopies: number, copies: number }[]
}
