import { type Kysely, sql } from 'kysely'
import type { CollectionStats, StatsBucket } from '../../shared/schemas/stats'
import { localizedImagePath } from '../card-images/urls'
import { pickName } from '../catalog/query'
import type { Database, LocalizedNames } from '../database/schema'
import { addedOverTime } from './months'

type Db = Kysely<Database>

const DUPLICATES_SHOWN = 50

/** The user's rows with card, set and serie, for the breakdowns. */
function owned(db: Db, userId: string) {
  return db.selectFrom('user_cards as uc')
    .innerJoin('cards as c', 'c.id', 'uc.card_id')
    .innerJoin('sets as s', 's.id', 'c.set_id')
    .leftJoin('series as r', 'r.id', 's.series_id')
    .where('uc.user_id', '=', userId)
}

const copies = sql<number>`coalesce(sum(uc.quantity), 0)::int`
const cards = sql<number>`count(distinct uc.card_id)::int`
const byCopies = (a: StatsBucket, b: StatsBucket) => b.copies - a.copies || a.label.localeCompare(b.label)

/**
 * The collection in numbers: copies by set, serie, rarity, type, language and finish; copies added
 * month by month; duplicates; and the completion of every set the user has cards of.
 */
export async function getStats(db: Db, userId: string, options: { lang?: string, now?: Date } = {}): Promise<CollectionStats> {
  const lang = options.lang
  const [totals, sets, series, rarities, types, languages, finishes, months, dupes, completion] = await Promise.all([
    owned(db, userId).select([copies.as('copies'), cards.as('cards'), sql<number>`count(*)::int`.as('rows'), sql<number>`count(distinct s.id)::int`.as('sets')]).executeTakeFirstOrThrow(),
    owned(db, userId).select(['s.id as key', 's.name as names', copies.as('copies'), cards.as('cards')]).groupBy(['s.id', 's.name']).execute(),
    owned(db, userId).select([sql<string>`coalesce(r.id, '')`.as('key'), 'r.name as names', copies.as('copies'), cards.as('cards')]).groupBy(['r.id', 'r.name']).execute(),
    owned(db, userId).select([sql<string>`coalesce(c.rarity, '')`.as('key'), copies.as('copies'), cards.as('cards')]).groupBy('c.rarity').execute(),
    // A Pokémon counts once per energy type it has; a Trainer or an Energy card under its category.
    db.selectFrom(eb => owned(db, userId).select(['uc.card_id', 'uc.quantity', sql<string>`unnest(case when cardinality(c.types) > 0 then c.types else array[c.category] end)`.as('key')]).as('t'))
      .select(['t.key', sql<number>`sum(t.quantity)::int`.as('copies'), sql<number>`count(distinct t.card_id)::int`.as('cards')]).groupBy('t.key').execute(),
    owned(db, userId).select(['uc.language as key', copies.as('copies'), cards.as('cards')]).groupBy('uc.language').execute(),
    owned(db, userId).select(['uc.finish as key', copies.as('copies'), cards.as('cards')]).groupBy('uc.finish').execute(),
    owned(db, userId).select([sql<string>`to_char(uc.created_at at time zone 'UTC', 'YYYY-MM')`.as('month'), copies.as('copies')]).groupBy(sql`1`).execute(),
    owned(db, userId).select(['uc.card_id', 'c.name as names', 's.name as set_names', 'c.local_id', 's.printed_total', copies.as('copies')])
      .groupBy(['uc.card_id', 'c.name', 's.name', 'c.local_id', 's.printed_total'])
      .having(sql`sum(uc.quantity)`, '>', 1)
      .orderBy(sql`sum(uc.quantity)`, 'desc').orderBy('uc.card_id')
      .execute(),
    owned(db, userId)
      .select(['s.id', 's.name as names', cards.as('owned'), sql<number>`(select count(*) from cards k where k.set_id = s.id)::int`.as('total')])
      .groupBy(['s.id', 's.name']).execute(),
  ])

  const name = (names: unknown, fallback = '') => (names ? pickName(names as LocalizedNames, lang).name : fallback)
  const plain = (rows: { key: string, copies: number, cards: number }[]) => rows.map(r => ({ key: r.key, label: r.key, copies: r.copies, cards: r.cards })).sort(byCopies)
  const extra = dupes.reduce((n, d) => n + d.copies - 1, 0)
  return {
    totals,
    bySet: sets.map(r => ({ key: r.key, label: name(r.names, r.key), copies: r.copies, cards: r.cards })).sort(byCopies),
    bySeries: series.map(r => ({ key: r.key, label: name(r.names, r.key), copies: r.copies, cards: r.cards })).sort(byCopies),
    byRarity: plain(rarities),
    byType: plain(types),
    byLanguage: plain(languages),
    byFinish: plain(finishes),
    added: addedOverTime(months, options.now ?? new Date()),
    duplicates: {
      cards: dupes.length,
      extra,
      items: dupes.slice(0, DUPLICATES_SHOWN).map((d) => {
        const names = d.names as LocalizedNames
        return {
          cardId: d.card_id,
          name: name(names),
          names,
          setName: name(d.set_names),
          localId: d.local_id,
          printedTotal: d.printed_total,
          imageUrl: localizedImagePath(d.card_id, names, lang),
          copies: d.copies,
          extra: d.copies - 1,
        }
      }),
    },
    completion: completion
      .map(r => ({ setId: r.id, name: name(r.names, r.id), owned: r.owned, total: r.total, percent: r.total ? Math.round(r.owned / r.total * 1000) / 10 : 0 }))
      .sort((a, b) => b.percent - a.percent || b.owned - a.owned || a.name.localeCompare(b.name)),
  }
}
