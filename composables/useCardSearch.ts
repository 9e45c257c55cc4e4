import type { CardSearchResult, CatalogCard, CatalogSet } from '~~/shared/schemas/catalog'

/** Catalogue search as the API does it (`GET /api/cards`), names in the UI language. */
export function useCardSearch(params: MaybeRefOrGetter<{ q?: string, set?: string, page?: number, pageSize?: number }>, key = 'cards') {
  const { locale } = useI18n()
  const query = computed(() => {
    const p = toValue(params)
    return { q: p.q || undefined, set: p.set || undefined, page: p.page ?? 1, pageSize: p.pageSize ?? 24, lang: locale.value }
  })
  return useFetch<CardSearchResult>('/api/cards', { key, query })
}

/**
 * The as-you-type catalogue search used where a wrong candidate is replaced: debounced, only the
 * last answer counts, no SSR (it only runs after the user types); `more()` appends the next page.
 */
export function useCardPicker(pageSize = 8) {
  const { locale } = useI18n()
  const q = ref('')
  const debounced = useDebounced(q, 300)
  const results = ref<CatalogCard[]>([])
  const total = ref(0)
  const page = ref(1)
  const loading = ref(false)
  const error = ref<unknown>(null)
  let seq = 0

  async function load(value: string, nextPage: number) {
    const mine = ++seq
    loading.value = true
    try {
      const res = await $fetch<CardSearchResult>('/api/cards', { query: { q: value.trim(), page: nextPage, pageSize, lang: locale.value } })
      if (mine !== seq) return
      results.value = nextPage === 1 ? res.items : [...results.value, ...res.items]
      total.value = res.total
      page.value = nextPage
      error.value = null
    }
    catch (err) {
      if (mine === seq) error.value = err
    }
    finally {
      if (mine === seq) loading.value = false
    }
  }

  watch(debounced, (value) => {
    if (value.trim().length < 2) {
      ++seq
      results.value = []
      total.value = 0
      loading.value = false
      return
    }
    return load(value, 1)
  })
  watch(q, (value) => { if (value.trim().length >= 2) loading.value = true })

  const hasMore = computed(() => results.value.length < total.value)
  const more = () => (hasMore.value && !loading.value ? load(debounced.value, page.value + 1) : undefined)

  return { q, results, total, loading, error, hasMore, more }
}

export function useSets() {
  const { locale } = useI18n()
  return useFetch<{ sets: CatalogSet[] }>('/api/sets', { key: 'sets', query: computed(() => ({ lang: locale.value })) })
}
