import type { Kysely } from 'kysely'
import { ratio } from 'fuzzball'
import type { CatalogFile } from '../catalog/source'
import { foldText, numberOf } from '../catalog/source'
import type { Database } from '../database/schema'
import { numberKey } from './parse'

/** One printing of the catalogue, with what recognition compares against. */
export interface CatalogEntry {
  id: string
  setId: string
  localId: string
  number: number | null
  names: Record<string, string>
  hp: number | null
  category: string
  setName: Record<string, string>
  setCode: string | null
  printedTotal: number | null
  releaseDate: string | null
  illustrator: string | null
  /** `Common`, `Uncommon`, `Rare`, `Double rare`…: the mark printed after the number. */
  rarity: string | null
}

function cleanNames(names: Partial<Record<string, string>> | null | undefined): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [lang, name] of Object.entries(names ?? {})) if (name) out[lang] = name
  return out
}

export function catalogEntriesFromFile(file: CatalogFile): CatalogEntry[] {
  const sets = new Map(file.sets.map(s => [s.id, s]))
  return file.cards.map((card) => {
    const set = sets.get(card.setId)
    return {
      id: card.id,
      setId: card.setId,
      localId: card.localId,
      number: numberOf(card.localId),
      names: cleanNames(card.name),
      hp: card.hp ?? null,
      category: card.category,
      setName: cleanNames(set?.name),
      setCode: set?.abbreviation ?? null,
      printedTotal: set?.official ?? null,
      releaseDate: set?.releaseDate ?? null,
      illustrator: card.illustrator ?? null,
      rarity: card.rarity ?? null,
    }
  })
}

export async function catalogEntriesFromDb(db: Kysely<Database>): Promise<CatalogEntry[]> {
  const rows = await db.selectFrom('cards')
    .innerJoin('sets', 'sets.id', 'cards.set_id')
    .select([
      'cards.id', 'cards.set_id', 'cards.local_id', 'cards.number', 'cards.name', 'cards.hp', 'cards.category', 'cards.illustrator', 'cards.rarity',
      'sets.name as set_name', 'sets.code', 'sets.printed_total', 'sets.release_date',
    ])
    .execute()
  // JSON columns come back parsed from pg and PGlite alike; strings are tolerated for safety.
  const json = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v) as Record<string, string>
  return rows.map(r => ({
    id: r.id,
    setId: r.set_id,
    localId: r.local_id,
    number: r.number,
    names: cleanNames(json(r.name)),
    hp: r.hp,
    category: r.category,
    setName: cleanNames(json(r.set_name)),
    setCode: r.code,
    printedTotal: r.printed_total,
    releaseDate: r.release_date,
    illustrator: r.illustrator,
    rarity: r.rarity,
  }))
}

/** Folds a name for fuzzy comparison: lower case, no diacritics, letters and digits only. */
export function foldName(text: string): string {
  return foldText(text).replace(/[^a-z0-9]+/g, ' ').trim()
}

export interface CatalogIndex {
  entries: CatalogEntry[]
  byId: Map<string, CatalogEntry>
  /** `numberKey(localId)` → printings with that number. */
  byNumber: Map<string, CatalogEntry[]>
  /** Printed total → printings of sets with that total. */
  byTotal: Map<number, CatalogEntry[]>
  /** Every printed total of the catalogue (to repair damaged number readings). */
  totals: Set<number>
  /** Printed set codes (`PAL`, the `ASR` of `ASR:TG`). */
  setCodes: Set<string>
  /** Distinct folded names of every language. */
  names: string[]
  /** Folded name → printings bearing it in some language. */
  byName: Map<string, CatalogEntry[]>
  /** Trigram → indexes into `names`, to shortlist names before `fuzzball.ratio`. */
  trigrams: Map<string, number[]>
  /** Folded names of each entry (all languages), by entry id. */
  foldedNames: Map<string, string[]>
  /** Folded name without its mechanic suffix (`scizor` of `scizor ex`) → printings bearing the suffixed name. */
  bySuffixless: Map<string, CatalogEntry[]>
}

/** The printed set code of an entry's set (`ASR:TG` → `ASR`). */
export function printedSetCode(entry: CatalogEntry): string | null {
  return entry.setCode ? entry.setCode.split(':')[0]! : null
}

/** Where a printing has its number: bottom-left (2011 on) or bottom-right (before). */
export type NumberCorner = 'left' | 'right'

export interface PrintedNumber {
  /** As printed: `061/195`, `130/086`, `30/109`, `SWSH050`. */
  text: string
  /** Where the card prints it, the likelier corner first. */
  corners: NumberCorner[]
}

/**
 * Cards print their number bottom-right until Sun & Moon (2017) moved it bottom-left. Black & White
 * and XY (2011–2016) keep it right, beside the illustrator; both corners are given for them (a
 * wrong corner misses the number, one more costs a single match).
 */
const LEFT_CORNER_FROM = '2011'
const RIGHT_CORNER_UNTIL = '2017-02'

/** Sword & Shield's first set: numbers and totals printed with three digits from then on. */
const PADDED_FROM = '2020-02'

/** How a printing's number is printed: `061/195`, `004/198`, `130/086` (padded to three digits from 2020), `30/109`, `SWSH050`. */
export function printedNumber(entry: Pick<CatalogEntry, 'localId' | 'printedTotal' | 'releaseDate'>): PrintedNumber {
  const released = entry.releaseDate ?? RIGHT_CORNER_UNTIL
  const corners: NumberCorner[] = released < LEFT_CORNER_FROM ? ['right'] : released < RIGHT_CORNER_UNTIL ? ['right', 'left'] : ['left']
  if (!/^\d+$/.test(entry.localId) || entry.printedTotal === null) return { text: entry.localId, corners }
  // Sword & Shield (2020) on print three digits (`004/198`), whatever the catalogue's localId.
  const width = released >= PADDED_FROM ? 3 : entry.localId.length
  return { text: `${entry.localId.padStart(width, '0')}/${String(entry.printedTotal).padStart(width, '0')}`, corners }
}

function trigramsOf(name: string): string[] {
  const padded = `  ${name} `
  const out = new Set<string>()
  for (let i = 0; i + 3 <= padded.length; i++) out.add(padded.slice(i, i + 3))
  return [...out]
}

/**
 * Mechanic suffixes after a Pokémon's name (`Scizor-EX`, `Scizor GX`, `Scizor VMAX`, `Dialga LV.X`).
 * They are printed as logos, which OCR often misreads or drops.
 */
const NAME_SUFFIX = / (?:ex|gx|v|vmax|vstar|v union|break|lv x|prime|legend)$/

/** A folded name without its mechanic suffix, or null when it has none. */
export function suffixless(folded: string): string | null {
  const base = folded.replace(NAME_SUFFIX, '')
  return base !== folded && base.length >= 3 ? base : null
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V) {
  const list = map.get(key)
  if (list) list.push(value)
  else map.set(key, [value])
}

export function buildCatalogIndex(entries: CatalogEntry[]): CatalogIndex {
  const byId = new Map<string, CatalogEntry>()
  const byNumber = new Map<string, CatalogEntry[]>()
  const byTotal = new Map<number, CatalogEntry[]>()
  const byName = new Map<string, CatalogEntry[]>()
  const foldedNames = new Map<string, string[]>()
  const bySuffixless = new Map<string, CatalogEntry[]>()
  const setCodes = new Set<string>()
  for (const entry of entries) {
    byId.set(entry.id, entry)
    push(byNumber, numberKey(entry.localId), entry)
    if (entry.printedTotal) push(byTotal, entry.printedTotal, entry)
    const code = printedSetCode(entry)
    if (code && /^[A-Z]{3}$/.test(code)) setCodes.add(code)
    const folded = [...new Set(Object.values(entry.names).map(foldName).filter(Boolean))]
    foldedNames.set(entry.id, folded)
    for (const name of folded) push(byName, name, entry)
    for (const base of new Set(folded.map(suffixless))) {
      if (base) push(bySuffixless, base, entry)
    }
  }
  const names = [...byName.keys()]
  const trigrams = new Map<string, number[]>()
  names.forEach((name, i) => {
    for (const t of trigramsOf(name)) push(trigrams, t, i)
  })
  return { entries, byId, byNumber, byTotal, totals: new Set(byTotal.keys()), setCodes, names, byName, trigrams, foldedNames, bySuffixless }
}

export interface NameMatch {
  name: string
  /** fuzzball ratio / 100. */
  similarity: number
}

/** Similarity in [0, 1] of two folded names. */
export function nameSimilarity(a: string, b: string): number {
  if (!a || !b) return 0
  return ratio(a, b, { full_process: false }) / 100
}

/** What a name search needs of the index. */
export type NameIndex = Pick<CatalogIndex, 'names' | 'trigrams'>

/**
 * The catalogue names closest to a folded query: a trigram shortlist, then `fuzzball.ratio`.
 * Names of every language are in the choices (a French card reads `Dracaufeu`).
 */
export function searchNames(index: NameIndex, query: string, limit = 8, shortlist = 150): NameMatch[] {
  if (query.length < 3) return []
  const counts = new Map<number, number>()
  for (const t of trigramsOf(query)) {
    for (const i of index.trigrams.get(t) ?? []) counts.set(i, (counts.get(i) ?? 0) + 1)
  }
  const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, shortlist)
  return ranked
    .map(([i]) => ({ name: index.names[i]!, similarity: nameSimilarity(query, index.names[i]!) }))
    .sort((a, b) => b.similarity - a.similarity)
    .slice(0, limit)
}
