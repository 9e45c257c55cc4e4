type Named = { name?: string | null, names?: Record<string, string | null | undefined> | null }

/** Display helpers that follow the UI language: card and set names, numbers, and the copy attributes. */
export function useFormat() {
  const { t, locale } = useI18n()

  /** The name in the UI language when the catalogue has it, else the name the API chose. */
  const nameOf = (item: Named | null | undefined) => item?.names?.[locale.value] || item?.name || item?.names?.en || ''

  /** The card's other name (e.g. its English name in the French UI), shown small when it differs. */
  const otherNameOf = (item: Named | null | undefined) => {
    const main = nameOf(item)
    const other = item?.name && item.name !== main ? item.name : item?.names?.en
    return other && other !== main ? other : ''
  }

  const numberOf = (card: { localId?: string | null, number?: number | string | null, printedTotal?: number | null }) => {
    const id = card.localId ?? (card.number != null ? String(card.number) : '')
    return card.printedTotal && /^\d+$/.test(id) ? `${id}/${card.printedTotal}` : id
  }

  const condition = (c: string) => t(`copy.conditions.${c}`)
  const finish = (f: string) => t(`copy.finishes.${f}`)
  const language = (l: string) => t(`copy.languages.${l}`)

  const number = (n: number) => new Intl.NumberFormat(locale.value).format(n)

  return { nameOf, otherNameOf, numberOf, condition, finish, language, number }
}
