/** The catalogue's rarity and category words (TCGdex's English), in the UI's language when it has them. */
export function useCatalogTerms() {
  const { t, te } = useI18n()
  const key = (word: string) => word.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '')
  const term = (kind: 'rarity' | 'category', word: string | null | undefined) => {
    if (!word) return ''
    const k = `flow.terms.${kind}.${key(word)}`
    return te(k) ? t(k) : word
  }
  return { rarity: (word: string | null | undefined) => term('rarity', word), category: (word: string | null | undefined) => term('category', word) }
}
