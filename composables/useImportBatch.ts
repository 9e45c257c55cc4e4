import type { CatalogCard } from '~~/shared/schemas/catalog'
import type { BatchDto, BatchListDto, DraftCandidate, DraftDto } from '~~/shared/schemas/imports'
import { CARD_LANGUAGES } from '~~/shared/schemas/collection'
import type { CopyFields } from './useCollection'

/** What the user has chosen on a review tile before confirming. */
export interface DraftChoice extends CopyFields {
  cardId: string | null
  /** A card picked from the catalogue search rather than from the candidates. */
  picked?: (Pick<DraftCandidate, 'cardId' | 'name' | 'setId' | 'setName' | 'number'> & { setCode?: string | null }) | null
}

/** Starting choice for a draft: a confident first candidate is preselected, otherwise nothing is. */
export function initialChoice(draft: DraftDto, fallbackLanguage: string): DraftChoice {
  const lang = draft.read.lang && (CARD_LANGUAGES as readonly string[]).includes(draft.read.lang) ? draft.read.lang : fallbackLanguage
  return {
    cardId: draft.confident ? draft.candidates[0]?.cardId ?? null : null,
    picked: null,
    quantity: 1,
    condition: 'NM',
    language: lang,
    // Empty: the chosen card's own printing (its variants decide; see CopyFields).
    finish: '',
  }
}

/** One import batch (`GET /api/imports/batches/:id`) and the review actions on its drafts (async: see useCollection). */
export async function useImportBatch(id: MaybeRefOrGetter<string>) {
  const fetch = await useFetch<{ batch: BatchDto }>(() => `/api/imports/batches/${toValue(id)}`, { key: `batch-${toValue(id)}` })

  function replaceDraft(draft: DraftDto) {
    const data = fetch.data.value
    if (!data) return
    fetch.data.value = { batch: { ...data.batch, drafts: data.batch.drafts.map(d => (d.id === draft.id ? draft : d)) } }
  }

  async function select(draft: DraftDto, choice: DraftChoice) {
    const { cardId, quantity, condition, language, finish } = choice
    const res = await $fetch<{ draft: DraftDto }>(`/api/imports/drafts/${draft.id}/select`, {
      method: 'POST',
      body: { cardId, quantity, condition, language, finish: finish || undefined },
    })
    replaceDraft(res.draft)
    return res.draft
  }

  async function dismiss(draft: DraftDto) {
    const res = await $fetch<{ draft: DraftDto }>(`/api/imports/drafts/${draft.id}/dismiss`, { method: 'POST' })
    replaceDraft(res.draft)
    return res.draft
  }

  return { ...fetch, select, dismiss, replaceDraft }
}

export function useImportBatches(pageSize: number, key = 'batches') {
  return useFetch<BatchListDto>('/api/imports/batches', { key, query: { pageSize } })
}

export type { CatalogCard }
