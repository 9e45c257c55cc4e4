import type { CollectionItem } from '~~/shared/types/collection'

/** The copy attributes chosen before adding a card (review tiles, card pages). */
export interface CopyFields { quantity: number, condition: string, language: string, finish: string }


export interface CollectionPage {
  items: CollectionItem[]
  total: number
  page: number
  pageSize: number
  totals: { cards: number, distinct: number, rows: number }
  /** Market value over the filter, in the user's currency. */
  value?: { total: number, currency: string }
}

export interface CollectionQuery {
  q?: string
  set?: string
  language?: string
  condition?: string
  finish?: string
  minPrice?: string
  maxPrice?: string
  sort?: string
  order?: string
  page?: number
  pageSize?: number
}

/**
 * The user's collection (`GET /api/collection`) and the edits made on its rows. Async: the fetch is
 * awaited here, because spreading the AsyncData promise would copy its `then` and lose the actions.
 */
export async function useCollection(query: MaybeRefOrGetter<CollectionQuery>, key = 'collection') {
  const clean = computed(() => Object.fromEntries(Object.entries(toValue(query)).filter(([, v]) => v !== undefined && v !== '')))
  const fetch = await useFetch<CollectionPage>('/api/collection', { key, query: clean })

  /**
   * Changes a row: `quantityDelta` adds to the stored quantity; `version` (the row as last read) makes
   * the server refuse (409) a change made over someone else's.
   */
  async function update(id: string, patch: Partial<Pick<CollectionItem, 'quantity' | 'condition' | 'language' | 'finish' | 'version'>> & { quantityDelta?: number }) {
    const res = await $fetch<{ item: CollectionItem, mergedFrom: string | null }>(`/api/collection/${id}`, { method: 'PATCH', body: patch })
    // The totals over the filter move with the quantity (the page refreshes itself after absolute quantities).
    if (patch.quantityDelta) await fetch.refresh()
    return res
  }

  async function remove(id: string) {
    return $fetch<{ ok: true, item: CollectionItem }>(`/api/collection/${id}`, { method: 'DELETE' })
  }

  /** Puts a deleted row back (the undo of remove). */
  async function restore(item: CollectionItem) {
    const { cardId, quantity, condition, language, finish, grader, grade, certNumber, location, notes, pricePaid, acquiredAt } = item
    return $fetch<{ item: CollectionItem }>('/api/collection', {
      method: 'POST',
      body: { cardId, quantity, condition, language, finish, grader, grade, certNumber, location, notes, pricePaid, acquiredAt },
    })
  }

  return { ...fetch, update, remove, restore }
}
