import { readFile } from 'node:fs/promises'
import { gunzipSync } from 'node:zlib'
import type { LocalizedNames } from '../database/schema'

/** Shape of `data/tcgdex-catalog.json.gz` (TCGdex cards database, MIT). */
export interface CatalogFile {
  source: string
  series: { id: string, name: LocalizedNames }[]
  sets: {
    id: string
    serieId: string | null
    name: LocalizedNames
    official: number | null
    abbreviation: string | null
    abbreviationFr: string | null
    tcgOnline: string | null
    releaseDate: string | null
    cards: number
  }[]
  cards: {
    id: string
    setId: string
    localId: string
    name: LocalizedNames
    category: string
    hp: number | null
    types: string[] | null
    stage: string | null
    rarity: string | null
    dexId: number[] | null
    illustrator: string | null
    regulationMark: string | null
    variants: string[] | null
  }[]
}

export function parseCatalog(gzipped: Uint8Array): CatalogFile {
  return JSON.parse(gunzipSync(gzipped).toString('utf8')) as CatalogFile
}

export async function readCatalogFile(path: string): Promise<CatalogFile> {
  return parseCatalog(await readFile(path))
}

/** The English name, else the first language the catalogue has. */
export function primaryName(names: LocalizedNames): string {
  return names.en ?? Object.values(names).find(Boolean) ?? ''
}

/** `012` → 12, `TG05` → 5, `SWSH050` → 50; null when the id has no digits. */
export function numberOf(localId: string): number | null {
  const digits = localId.match(/(\d+)(?!.*\d)/)
  return digits ? Number.parseInt(digits[1]!, 10) : null
}

/** Lower case without diacritics, so "Évoli" and "evoli" meet. */
export function foldText(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase()
}

/** Every distinct name of a card, folded, for trigram search. */
export function searchTextOf(names: LocalizedNames): string {
  return [...new Set(Object.values(names).filter((n): n is string => !!n).map(foldText))].join(' | ')
}

/**
 * Sets with a 1st Edition print run (Wizards of the Coast, Base Set to Neo Destiny). TCGdex's variants
 * never say `firstEdition` for them, so a 1st Edition copy could not be recorded without this.
 */
export const FIRST_EDITION_SETS = ['base1', 'base2', 'base3', 'base5', 'gym1', 'gym2', 'neo1', 'neo2', 'neo3', 'neo4'] as const

/** A card's variants as the app uses them: TCGdex's, with `firstEdition` for the sets that had one. */
export function variantsOf(card: { setId: string, variants: string[] | null }): string[] {
  const variants = card.variants ?? []
  if (!variants.length || variants.includes('firstEdition') || !(FIRST_EDITION_SETS as readonly string[]).includes(card.setId)) return variants
  return [...variants, 'firstEdition']
}
