import { type Expression, type Kysely, type SqlBool, type SelectQueryBuilder, sql } from 'kysely'
import type { CardSearchResult, CatalogCard, CatalogLanguage } from '../../shared/schemas/catalog'
import type { Database, LocalizedNames } from '../database/schema'
import { cardImagePath } from '../card-images/urls'
import { escapeLike, type ParsedSearchQuery, parseSearchQuery, pickName } from './query'
import { foldText } from './source'

export interface CardSearchOptions {
  q?: string
  /** Only cards of this set id. */
  set?: string
  /** Only cards that have a name in this language, shown in it. */
  lang?: CatalogLanguage
  page?: number
  pageSize?: number
}

const trigramSupport = new WeakMap<Kysely<Database>, Promise<boolean>>()

/** Whether pg_trgm is installed (it is on PGlite and on any Postgres with contrib); cached per database. */
export function hasTrigram(db: Kysely<Database>): Promise<boolean> {
  let known = trigramSupport.get(db)
  if (!known) {
    known = sql<{ ok: boolean }>`select exists(select 1 from pg_extension where extname = 'pg_trgm') as ok`
      .execute(db).then(r => !!r.rows[0]?.ok)
    trigramSupport.set(db, known)
  }
  return known
}

type CardQuery = SelectQueryBuilder<Database, 'cards' | 'sets', object>

/** The columns every card answer carries. */
function selectCardColumns(query: CardQuery) {
  return query.select([
    'cards.id', 'cards.set_id', 'cards.local_id', 'cards.number', 'cards.name', 'cards.hp', 'cards.category',
    'cards.rarity', 'cards.illustrator', 'cards.regulation_mark', 'cards.variants',
    'sets.name as set_name', 'sets.code as set_code', 'sets.printed_total', 'sets.series_id',
  ])
}

export type CardRowWithSet = {
  id: string
  set_id: string
  local_id: string
  number: number | null
  name: LocalizedNames
  hp: number | null
  category: string
  rarity: string | null
  illustrator: string | null
  regulation_mark: string | null
  variants: string[]
  set_name: LocalizedNames
  set_code: string | null
  printed_total: number | null
  series_id: string | null
}

/** A card row as the API shows it, named in `lang` (or the best language the card has). */
export function toCatalogCard(row: CardRowWithSet, ...preferredLang: (string | undefined)[]): CatalogCard {
  const { name, lang } = pickName(row.name, ...preferredLang)
  return {
    id: row.id,
    setId: row.set_id,
    setName: pickName(row.set_name, lang).name,
    setCode: row.set_code,
    localId: row.local_id,
    number: row.number,
    name,
    names: row.name,
    hp: row.hp,
    category: row.category,
    rarity: row.rarity,
    illustrator: row.illustrator,
    regulationMark: row.regulation_mark,
    variants: row.variants,
    printedTotal: row.printed_total,
    imageUrl: cardImagePath(row.id, lang),
  }
}

/** Set ids a typed code stands for: the printed code (`PAL`), the French code (`EAP`), the TCG Online code, or the id itself. */
export async function resolveSetCode(db: Kysely<Database>, code: string): Promise<string[]> {
  const upper = code.toUpperCase()
  const rows = await db.selectFrom('sets').select('id')
    .where(eb => eb.or([
      eb(sql`upper(code)`, '=', upper),
      eb(sql`upper(code_fr)`, '=', upper),
      eb(sql`upper(tcg_online)`, '=', upper),
      eb(sql`upper(id)`, '=', upper),
    ]))
    .execute()
  return rows.map(r => r.id)
}

/** How a name is matched: every word as a substring (exact spelling), or by trigram word similarity (typos). */
type NameMode = 'words' | 'trigram'

/** What one attempt at answering a query filters on; built from the parsed query. */
interface SearchPlan {
  cardId?: string
  setIds?: string[]
  number?: number
  localPrefix?: string
  localId?: string
  printedTotal?: number
  name?: string
  nameMode?: NameMode
}

/**
 * Trigram matching keeps names whose word similarity reaches GOOD_SIMILARITY, or, when none does,
 * the best-scoring names down to MIN_SIMILARITY ("pikahcu" → Pikachu scores only 0.5).
 */
export const GOOD_SIMILARITY = 0.6
export const MIN_SIMILARITY = 0.4

/**
 * Attempts in order, first with results wins: the query as parsed (set code + number + name…),
 * then the whole text as a name, so "Mew 25" still finds Mew cards when set MEW has no such Mew.
 * A name is first matched word by word (cheap, exact spelling), then by trigram similarity (typos).
 */
async function plansFor(db: Kysely<Database>, parsed: ParsedSearchQuery, trigram: boolean): Promise<SearchPlan[]> {
  const structural: SearchPlan[] = []
  if (parsed.cardId) {
    structural.push({ cardId: parsed.cardId }, { name: parsed.text })
  }
  else if (parsed.number === undefined) {
    structural.push(parsed.name ? { name: parsed.name } : {})
  }
  else {
    const strict: SearchPlan = {
      number: parsed.number,
      localPrefix: parsed.localPrefix,
      // `012` and `12` are the same collector number; `12a` is not.
      localId: parsed.localId?.replace(/^0+(?=.)/, ''),
      printedTotal: parsed.printedTotal,
      name: parsed.name,
    }
    if (parsed.setCode) {
      const setIds = await resolveSetCode(db, parsed.setCode)
      if (setIds.length) strict.setIds = setIds
      else strict.name = foldText([parsed.setCode, parsed.name].filter(Boolean).join(' '))
    }
    structural.push(strict)
    // A name with a number that does not match (mistyped, or another printing): still show the name.
    if (strict.name) structural.push({ name: strict.name, setIds: strict.setIds })
    structural.push({ name: parsed.text })
  }

  const plans: SearchPlan[] = []
  structural.forEach((plan) => {
    if (!plan.name) return plans.push(plan)
    plans.push({ ...plan, nameMode: 'words' })
    // pg_trgm only sees letters and digits: "%" or "???" has no trigram to look up.
    if (trigram && /[\p{L}\p{N}]/u.test(plan.name)) plans.push({ ...plan, nameMode: 'trigram' })
  })
  return plans
}

function nameCondition(name: string, mode: NameMode): Expression<SqlBool> {
  // `%>` (word similarity over pg_trgm.word_similarity_threshold) can use the GIN trigram index.
  if (mode === 'trigram') return sql<SqlBool>`cards.search_text %> ${name}`
  const words = name.split(' ').filter(Boolean)
  return sql<SqlBool>`(${sql.join(words.map(w => sql`cards.search_text like ${`%${escapeLike(w)}%`}`), sql` and `)})`
}

function applyPlan(query: CardQuery, plan: SearchPlan, options: CardSearchOptions): CardQuery {
  let q = query
  if (options.set) q = q.where('cards.set_id', '=', options.set)
  if (options.lang) q = q.where(sql<SqlBool>`cards.name ->> ${options.lang} is not null`)
  if (plan.cardId) q = q.where(sql<SqlBool>`lower(cards.id) = lower(${plan.cardId})`)
  if (plan.setIds) q = q.where('cards.set_id', 'in', plan.setIds)
  if (plan.number !== undefined) {
    q = q.where('cards.number', '=', plan.number)
      .where(sql<SqlBool>`upper(substring(cards.local_id from '^[A-Za-z]*')) = ${plan.localPrefix ?? ''}`)
  }
  if (plan.printedTotal !== undefined) q = q.where('sets.printed_total', '=', plan.printedTotal)
  if (plan.name) q = q.where(nameCondition(plan.name, plan.nameMode ?? 'words'))
  return q
}

/**
 * Ranks: exact name (any language) first, then trigram word similarity, then the exact collector
 * number as typed (`012` before `12a`), then newer sets, then number.
 */
function orderPlan(query: CardQuery, plan: SearchPlan, trigram: boolean): CardQuery {
  let q = query
  if (plan.name) {
    q = q.orderBy(sql`${plan.name} = any(string_to_array(cards.search_text, ' | '))`, 'desc')
    q = trigram
      ? q.orderBy(sql`word_similarity(${plan.name}, cards.search_text)`, 'desc')
      : q.orderBy(sql`strpos(cards.search_text, ${plan.name}) = 1`, 'desc')
  }
  if (plan.localId) q = q.orderBy(sql`ltrim(upper(cards.local_id), '0') = ${plan.localId}`, 'desc')
  return q
    .orderBy('sets.release_date', ob => ob.desc().nullsLast())
    .orderBy('cards.set_id')
    .orderBy('cards.number', ob => ob.asc().nullsLast())
    .orderBy('cards.local_id')
}

async function runPlan(db: Kysely<Database>, plan: SearchPlan, options: CardSearchOptions, trigram: boolean, page: number, pageSize: number) {
  const filtered = applyPlan(db.selectFrom('cards').innerJoin('sets', 'sets.id', 'cards.set_id'), plan, options)
  const rows = await selectCardColumns(orderPlan(filtered, plan, trigram))
    .select(sql<number>`count(*) over ()`.as('total'))
    .limit(pageSize).offset((page - 1) * pageSize)
    .execute()
  let total = rows[0] ? Number(rows[0].total) : 0
  // Past the last page the window count is lost with the rows: count apart.
  if (!rows.length && page > 1) {
    const counted = await filtered.select(eb => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
    total = Number(counted.n)
  }
  return { rows: rows as unknown as CardRowWithSet[], total }
}

/**
 * One trigram pass at the low threshold (index scan), keeping either the good matches or, for a
 * badly typed name, only the best-scoring tier: "charizrd" keeps every Charizard (0.7) and no
 * Charmander (0.44); "pikahcu" keeps the Pikachu (0.5).
 */
async function runTrigramPlan(db: Kysely<Database>, plan: SearchPlan, options: CardSearchOptions, page: number, pageSize: number) {
  const name = plan.name!
  return db.transaction().execute(async (trx) => {
    // The threshold is a setting: lower it for this one transaction only.
    await sql`select set_config('pg_trgm.word_similarity_threshold', ${String(MIN_SIMILARITY)}, true)`.execute(trx)
    // The planner prices the GIN trigram scan above a sequential scan that computes word_similarity
    // on all 21k rows; measured on PGlite the index is about 3 times faster.
    await sql`select set_config('enable_seqscan', 'off', true)`.execute(trx)
    const matches = selectCardColumns(applyPlan(trx.selectFrom('cards').innerJoin('sets', 'sets.id', 'cards.set_id'), plan, options))
      .select([
        'sets.release_date',
        sql<boolean>`${name} = any(string_to_array(cards.search_text, ' | '))`.as('exact'),
        sql<number>`word_similarity(${name}, cards.search_text)`.as('score'),
      ])
    const scored = trx.selectFrom(matches.as('s')).selectAll('s').select(sql<number>`max(s.score) over ()`.as('best'))
    const kept = trx.selectFrom(scored.as('m'))
      .where(sql<SqlBool>`m.score >= least(${GOOD_SIMILARITY}::real, m.best)`)
    const rows = await kept.selectAll('m')
      .select(sql<number>`count(*) over ()`.as('total'))
      .orderBy('m.exact', 'desc')
      .orderBy('m.score', 'desc')
      .orderBy(sql`ltrim(upper(m.local_id), '0') = ${plan.localId ?? ''}`, 'desc')
      .orderBy('m.release_date', ob => ob.desc().nullsLast())
      .orderBy('m.set_id')
      .orderBy('m.number', ob => ob.asc().nullsLast())
      .orderBy('m.local_id')
      .limit(pageSize).offset((page - 1) * pageSize)
      .execute()
    let total = rows[0] ? Number(rows[0].total) : 0
    if (!rows.length && page > 1) {
      const counted = await kept.select(eb => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
      total = Number(counted.n)
    }
    return { rows: rows as unknown as CardRowWithSet[], total }
  })
}

/** The search behind `GET /api/cards` and the bench: one query string, typed filters, a page. */
export async function searchCards(
  db: Kysely<Database>,
  options: CardSearchOptions = {},
  /** Tests force the no-pg_trgm path with `{ trigram: false }`. */
  engine: { trigram?: boolean } = {},
): Promise<CardSearchResult> {
  const page = options.page ?? 1
  const pageSize = options.pageSize ?? 24
  const parsed = parseSearchQuery(options.q ?? '')
  const trigram = engine.trigram ?? await hasTrigram(db)

  for (const plan of await plansFor(db, parsed, trigram)) {
    const { rows, total } = plan.nameMode === 'trigram'
      ? await runTrigramPlan(db, plan, options, page, pageSize)
      : await runPlan(db, plan, options, trigram, page, pageSize)
    if (total > 0) {
      return { items: rows.map(r => toCatalogCard(r, options.lang, parsed.language)), total, page, pageSize }
    }
  }
  return { items: [], total: 0, page, pageSize }
}
