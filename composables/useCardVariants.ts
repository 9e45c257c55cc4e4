// Card variants asked for by many tiles at once (an import review) go in one request per tick.
const known = reactive(new Map<string, string[]>())
const wanted = new Set<string>()
let timer: ReturnType<typeof setTimeout> | undefined

async function flush() {
  timer = undefined
  const ids = [...wanted].filter(id => !known.has(id)).slice(0, 100)
  wanted.clear()
  if (!ids.length) return
  try {
    const res = await $fetch<{ variants: Record<string, string[]> }>('/api/cards/variants', { query: { ids: ids.join(',') } })
    for (const id of ids) known.set(id, res.variants[id] ?? [])
  }
  catch {
    // Unknown stays unknown: the form offers every finish and the server has the last word.
  }
}

/** The catalogue variants (the finishes a copy can have) of a card; null until known. */
export function useCardVariants(cardId: MaybeRefOrGetter<string | null | undefined>) {
  watchEffect(() => {
    const id = toValue(cardId)
    if (!id || known.has(id) || import.meta.server) return
    wanted.add(id)
    timer ??= setTimeout(flush, 0)
  })
  return computed(() => {
    const id = toValue(cardId)
    return id ? known.get(id) ?? null : null
  })
}
