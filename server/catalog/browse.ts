import type { Kysely } from 'kysely'
import type { CatalogCard, CatalogLanguage, CatalogSet, SetListQuery } from '../../shared/schemas/catalog'
import type { Database, LocalizedNames } from '../database/schema'
import { pickName } from './query'
import { type CardRowWithSet, toCatalogCard } from './search'
import { foldText } from './source'

interface SetRowWithSerie {
  id: string
  name: LocalizedNames
  series_id: string | null
  serie_name: LocalizedNames | null
  code: string | null
  code_fr: string | null
  printed_total: number | null
  card_count: number
  release_date: string | null
}

function toCatalogSet(row: SetRowWithSerie, lang?: string): CatalogSet {
  const { name, lang: picked } = pickName(row.name, lang)
  return {
    id: row.id,
    name,
    names: row.name,
    serieId: row.series_id,
    serieName: row.serie_name ? pickName(row.serie_name, picked).name || null : null,
    code: row.code,
    codeFr: row.code_fr,
    printedTotal: row.printed_total,
    cardCount: row.card_count,
    releaseDate: row.release_date,
  }
}

function setsQuery(db: Kysely<Database>) {
  return db.selectFrom('sets').leftJoin('series', 'series.id', 'sets.series_id').select([
    'sets.id', 'sets.name', 'sets.series_id', 'series.name as serie_name', 'sets.code', 'sets.code_fr',
    'sets.printed_total', 'sets.card_count', 'sets.release_date',
  ])
}

function cardsQuery(db: Kysely<Database>) {
  return db.selectFrom('cards').innerJoin('sets', 'sets.id', 'cards.set_id').select([
    'cards.id', 'cards.set_id', 'cards.local_id', 'cards.number', 'cards.name', 'cards.hp', 'cards.category',
    'cards.rarity', 'cards.illustrator', 'cards.regulation_mark', 'cards.variants',
    'sets.name as set_name', 'sets.code as set_code', 'sets.printed_total', 'sets.series_id',
  ])
}

/** How many copies of each card the user owns (all conditions, languages and finishes together). */
async function ownedQuantities(db: Kysely<Database>, userId: string, cardIds: string[]): Promise<Map<string, number>> {
  if (!cardIds.length) return new Map()
  const rows = await db.selectFrom('user_cards')
    .select(['card_id', eb => eb.fn.sum<number>('quantity').as('quantity')])
    .where('user_id', '=', userId).where('card_id', 'in', cardIds)
    .groupBy('card_id')
    .execute()
  return new Map(rows.map(r => [r.card_id, Number(r.quantity)]))
}

export interface CardDetail extends CatalogCard {
  types: string[]
  stage: string | null
  set: CatalogSet
  /** Copies the signed-in user owns; null when anonymous. */
  owned: number | null
}

/** One card with its set; null when the id is unknown. */
export async function getCardDetail(db: Kysely<Database>, id: string, userId: string | null, lang?: CatalogLanguage): Promise<CardDetail | null> {
  const row = await cardsQuery(db).select(['cards.types', 'cards.stage']).where('cards.id', '=', id).executeTakeFirst()
  if (!row) return null
  const set = await setsQuery(db).where('sets.id', '=', row.set_id).executeTakeFirstOrThrow()
  const card = toCatalogCard(row as CardRowWithSet, lang)
  const owned = userId ? (await ownedQuantities(db, userId, [id])).get(id) ?? 0 : null
  return { ...card, types: row.types, stage: row.stage, set: toCatalogSet(set as SetRowWithSerie, lang), owned }
}

/** A set's code, French code or id typed exactly, or a part of its name in any language. */
export function setMatches(set: Pick<CatalogSet, 'id' | 'code' | 'codeFr' | 'names'>, q: string): boolean {
  const upper = q.trim().toUpperCase()
  if (!upper) return true
  if (set.code?.toUpperCase() === upper || set.codeFr?.toUpperCase() === upper || set.id.toUpperCase() === upper) return true
  const needle = foldText(q.trim())
  return Object.values(set.names).some(n => !!n && foldText(n).includes(needle))
}

/** Every set (newest first), optionally of one serie or matching a name or code; with owned counts for a user. */
export async function listSets(db: Kysely<Database>, query: SetListQuery, userId: string | null): Promise<CatalogSet[]> {
  let q = setsQuery(db)
  if (query.serie) q = q.where('sets.series_id', '=', query.serie)
  const rows = await q.orderBy('sets.release_date', ob => ob.desc().nullsLast()).orderBy('sets.id').execute()
  let sets = rows.map(r => toCatalogSet(r as SetRowWithSerie, query.lang))
  // ~200 sets: match names in every language, folded like the card search ("evolutions" finds "Évolutions à Paldea").
  if (query.q) {
    const code = query.q.trim().toUpperCase()
    const isCode = (set: CatalogSet) => set.code?.toUpperCase() === code || set.codeFr?.toUpperCase() === code || set.id.toUpperCase() === code
    // A typed code or id first ("PAL" is Paldea Evolved before Paldean Fates), then name matches, newest first.
    sets = sets.filter(set => setMatches(set, query.q!)).sort((a, b) => Number(isCode(b)) - Number(isCode(a)))
  }
  if (userId) {
    const owned = await ownedBySet(db, userId)
    for (const set of sets) set.owned = owned.get(set.id) ?? 0
  }
  return sets
}

/** Distinct cards the user owns, per set. */
async function ownedBySet(db: Kysely<Database>, userId: string, setId?: string): Promise<Map<string, number>> {
  let q = db.selectFrom('user_cards').innerJoin('cards', 'cards.id', 'user_cards.card_id')
    .select(['cards.set_id', eb => eb.fn.count<number>('user_cards.card_id').distinct().as('owned')])
    .where('user_cards.user_id', '=', userId)
  if (setId) q = q.where('cards.set_id', '=', setId)
  const rows = await q.groupBy('cards.set_id').execute()
  return new Map(rows.map(r => [r.set_id, Number(r.owned)]))
}

export interface SetDetail {
  set: CatalogSet
  cards: (CatalogCard & { owned?: number })[]
  completion: { owned: number, total: number, percent: number } | null
}

/** A set with all its cards in collector-number order and, for a signed-in user, their completion. */
export async function getSetDetail(db: Kysely<Database>, id: string, userId: string | null, lang?: CatalogLanguage): Promise<SetDetail | null> {
  const setRow = await setsQuery(db).where('sets.id', '=', id).executeTakeFirst()
  if (!setRow) return null
  const set = toCatalogSet(setRow as SetRowWithSerie, lang)
  const rows = await cardsQuery(db).where('cards.set_id', '=', id)
    .orderBy('cards.number', ob => ob.asc().nullsLast()).orderBy('cards.local_id').execute()
  const cards: SetDetail['cards'] = rows.map(r => toCatalogCard(r as CardRowWithSet, lang))
  if (!userId) return { set, cards, completion: null }

  const owned = await ownedQuantities(db, userId, cards.map(c => c.id))
  for (const card of cards) card.owned = owned.get(card.id) ?? 0
  const ownedCount = cards.filter(c => c.owned! > 0).length
  const total = cards.length
  set.owned = ownedCount
  return {
    set,
    cards,
    completion: { owned: ownedCount, total, percent: total ? Math.round(ownedCount / total * 1000) / 10 : 0 },
  }
}


/** A malformed escape (`%E0%A4%A`) names no card: keep the text as is rather than failing. */
function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text)
  }
  catch {
    return text
  }
}

/**
 * The ids a card path parameter may stand for: as received, decoded, and escaped again, because a few
 * TCGdex ids hold an escape themselves (`exu-%3F` is the Unown "?").
 */
export function cardIdCandidates(raw: string): string[] {
  const decoded = safeDecode(raw)
  return [...new Set([raw, decoded, encodeURIComponent(decoded)])].filter(id => id && id.length <= 64 && !id.includes('\0'))
}

/** The first candidate id that names a card, with what locates its picture; null when none does. */
export async function findCardByParam(db: Kysely<Database>, raw: string) {
  for (const id of cardIdCandidates(raw)) {
    const row = await db.selectFrom('cards').innerJoin('sets', 'sets.id', 'cards.set_id')
      .select(['cards.id', 'cards.set_id', 'cards.local_id', 'cards.name', 'cards.variants', 'sets.series_id'])
      .where('cards.id', '=', id).executeTakeFirst()
    if (row) return { id: row.id, setId: row.set_id, localId: row.local_id, names: row.name as LocalizedNames, variants: row.variants, seriesId: row.series_id }
  }
  return null
}
