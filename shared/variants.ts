import { FINISHES, type Finish } from './schemas/collection'

/** The catalogue's variant names (TCGdex's) as our finishes. */
const FINISH_OF_VARIANT: Record<string, Finish> = {
  normal: 'normal',
  reverse: 'reverse',
  holo: 'holo',
  firstEdition: 'first-edition',
  lenticular: 'lenticular',
  metal: 'metal',
}

/** Which finish a copy gets when none is chosen: the plain printing first. */
const PREFERENCE: Finish[] = ['normal', 'holo', 'reverse', 'first-edition', 'lenticular', 'metal']

/**
 * The finishes a card was printed in, as the catalogue knows them (`cards.variants`). A card whose
 * variants the catalogue does not know (about a third of the old and promo cards) accepts every finish.
 */
export function finishesOf(variants: readonly string[] | null | undefined): Finish[] {
  const known = new Set((variants ?? []).map(v => FINISH_OF_VARIANT[v]).filter((f): f is Finish => !!f))
  if (!known.size) return [...FINISHES]
  return PREFERENCE.filter(f => known.has(f))
}

export function isFinishOf(finish: string, variants: readonly string[] | null | undefined): boolean {
  return (finishesOf(variants) as string[]).includes(finish)
}

/** The finish a copy of this card gets when none is given. */
export function defaultFinish(variants: readonly string[] | null | undefined): Finish {
  return finishesOf(variants)[0] ?? 'normal'
}

/**
 * Other apps' exports say "Foil" or "Non-foil" loosely: the finish itself when the card has it, else the
 * card's other shiny finish (a "Holofoil" line of a card printed plain and reverse is its reverse), and a
 * "Normal" line of a card with no plain printing is the card's own printing (a holo rare).
 */
export function closestFinish(finish: Finish, variants: readonly string[] | null | undefined): Finish {
  const finishes = finishesOf(variants)
  if (finishes.includes(finish)) return finish
  if (finish === 'holo' && finishes.includes('reverse')) return 'reverse'
  if (finish === 'reverse' && finishes.includes('holo')) return 'holo'
  if (finish === 'normal') return defaultFinish(variants)
  return finish
}
