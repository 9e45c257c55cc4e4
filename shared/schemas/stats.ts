import { z } from 'zod'

export const statsQuerySchema = z.object({
  lang: z.enum(['en', 'fr', 'de', 'es', 'it', 'pt']).optional(),
})

/** One bar of a breakdown: copies (sum of quantities) and distinct cards. `key` is the raw value (set id, type, language…). */
export interface StatsBucket { key: string, label: string, copies: number, cards: number }

export interface CollectionStats {
  totals: { copies: number, cards: number, rows: number, sets: number }
  bySet: StatsBucket[]
  bySeries: StatsBucket[]
  byRarity: StatsBucket[]
  /** Pokémon by energy type (a dual-type card counts in both), then Trainer and Energy cards. */
  byType: StatsBucket[]
  byLanguage: StatsBucket[]
  byFinish: StatsBucket[]
  /** Copies added per month (the month each row was first added), and the running total. */
  added: { month: string, copies: number, total: number }[]
  /** Copies beyond the first of each card (any kind): what can be traded away. */
  duplicates: {
    cards: number
    extra: number
    items: { cardId: string, name: string, names: Partial<Record<string, string>>, setName: string, localId: string, printedTotal: number | null, imageUrl: string | null, copies: number, extra: number }[]
  }
  /** Sets the user owns cards of, most complete first. */
  completion: { setId: string, name: string, owned: number, total: number, percent: number }[]
}
