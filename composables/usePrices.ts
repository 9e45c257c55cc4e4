import type { CollectionValue, PriceCurrency, ValueHistory } from '~~/shared/schemas/prices'

/** Amounts in the UI language: `12,30 €` in French, `€12.30` in English. */
export function useMoney() {
  const { locale } = useI18n()
  const money = (amount: number | null | undefined, currency: string) => {
    if (amount === null || amount === undefined) return '–'
    try {
      return new Intl.NumberFormat(locale.value, { style: 'currency', currency }).format(amount)
    }
    catch {
      return `${amount.toFixed(2)} ${currency}`
    }
  }
  /** A change with its sign: `+€4.30`, `−€0.06`. */
  const signedMoney = (amount: number, currency: string) => new Intl.NumberFormat(locale.value, { style: 'currency', currency, signDisplay: 'exceptZero' }).format(amount)
  const percent = (value: number) => new Intl.NumberFormat(locale.value, { style: 'percent', maximumFractionDigits: 1, signDisplay: 'exceptZero' }).format(value / 100)
  return { money, signedMoney, percent }
}

/** The collection's value (`GET /api/collection/value`) and a way to ask for fresh prices. */
export async function useCollectionValue(key = 'collection-value') {
  const { locale } = useI18n()
  const fetch = await useFetch<CollectionValue>('/api/collection/value', { key, query: computed(() => ({ lang: locale.value })) })
  const requesting = ref(false)

  /** Starts a refresh of the user's prices on the server, then polls until it is over. */
  async function refreshPrices() {
    requesting.value = true
    try {
      await $fetch('/api/prices/refresh', { method: 'POST' })
      for (let i = 0; i < 60; i++) {
        await new Promise(r => setTimeout(r, i < 5 ? 1000 : 3000))
        await fetch.refresh()
        if (!fetch.data.value?.refreshing) break
      }
    }
    finally {
      requesting.value = false
    }
  }

  return { ...fetch, requesting, refreshPrices }
}

export function useValueHistory(days: MaybeRefOrGetter<number>, key = 'value-history') {
  return useFetch<ValueHistory>('/api/collection/value-history', { key, query: computed(() => ({ days: toValue(days) })) })
}

export type { CollectionValue, PriceCurrency }
