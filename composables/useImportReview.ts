import type { CatalogSet } from '~~/shared/schemas/catalog'

/** Set names and codes in the UI's language, by set id (candidates carry the set name of the language read). */
export interface SetLabels {
  name: (setId: string, fallback?: string) => string
  code: (setId: string) => string | null
}

export function setLabelsOf(sets: CatalogSet[] | undefined, nameOf: (set: CatalogSet) => string): SetLabels {
  const byId = new Map((sets ?? []).map(s => [s.id, s]))
  return {
    name: (setId, fallback = setId) => {
      const set = byId.get(setId)
      return set ? nameOf(set) : fallback
    },
    code: setId => byId.get(setId)?.code ?? null,
  }
}

/** Set names and codes for the review page (the catalogue's sets, named in the UI's language). */
export async function useSetLabels() {
  const { nameOf } = useFormat()
  const { data } = await useSets()
  return computed(() => setLabelsOf(data.value?.sets, nameOf))
}

/** A card's picture as the app serves it (from its cache; a placeholder stands in otherwise). */
export const cardImageUrl = (cardId: string, lang: string, size: 'low' | 'high' = 'low') =>
  `/api/cards/${encodeURIComponent(cardId)}/image?lang=${encodeURIComponent(lang)}&size=${size}`
