import type { CopyPlace } from '../schemas/binders'
import type { CopyPrice } from '../schemas/prices'

/** One kind of copy in a user's collection, as every collection and import route answers it. */
export interface UserCard {
  id: string
  cardId: string
  quantity: number
  condition: string
  language: string
  finish: string
  grader: string | null
  grade: string | null
  certNumber: string | null
  location: string | null
  notes: string | null
  pricePaid: number | null
  pricePaidCurrency: string | null
  acquiredAt: string | null
  sourceDraftId: string | null
  /** Raised by every change: send it back (If-Match or `version`) to refuse overwriting someone else's change. */
  version: number
  createdAt: string
  updatedAt: string
}

/** A catalogue card as shown next to a collection row. */
export interface CollectionCard {
  id: string
  /** The name in the copy's language when the catalogue has it, else English. */
  name: string
  names: Partial<Record<string, string>>
  setId: string
  setName: string
  setCode: string | null
  localId: string
  printedTotal: number | null
  rarity: string | null
  imageUrl: string | null
  /** The catalogue's variants of the card: the finishes a copy can have (see shared/variants.ts). */
  variants: string[]
}

export interface CollectionItem extends UserCard {
  card: CollectionCard
  /** The copy's market value in the user's currency, when the list asked for it; null when unpriced or graded. */
  price?: CopyPrice | null
  /** Binder slots and boxes holding its copies (the list only); copies beyond them are placed nowhere. */
  places?: CopyPlace[]
}
