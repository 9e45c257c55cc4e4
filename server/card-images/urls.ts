export const IMAGE_SIZES = ['low', 'high'] as const
export type ImageSize = (typeof IMAGE_SIZES)[number]

/** The app's own URL of a card's picture (served from its disk cache); the UI never links TCGdex directly. */
export function cardImagePath(cardId: string, lang: string, size: ImageSize = 'low'): string {
  return `/api/cards/${encodeURIComponent(cardId)}/image?lang=${encodeURIComponent(lang)}&size=${size}`
}

/** The picture in `lang` when the catalogue names the card in it (TCGdex then has its print), else the English one. */
export function localizedImagePath(cardId: string, names: Record<string, unknown>, lang: string | null | undefined): string {
  return cardImagePath(cardId, lang && names[lang] ? lang : 'en')
}

/** TCGdex's asset of a card: `{base}/{lang}/{serie}/{set}/{localId}/{quality}.webp` (see TCGdex's assets documentation). */
export function tcgdexAssetUrl(base: string, lang: string, serieId: string, setId: string, localId: string, size: ImageSize): string {
  const local = /%[0-9A-F]{2}/i.test(localId) ? localId : encodeURIComponent(localId)
  return `${base.replace(/\/+$/, '')}/${lang}/${serieId}/${setId}/${local}/${size}.webp`
}
