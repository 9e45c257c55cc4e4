import { type Kysely, sql } from 'kysely'
import { PRICE_CURRENCIES, type PriceCurrency, SOURCE_OF_CURRENCY } from '../../shared/schemas/prices'
import type { CollectionValue, ValueCard, ValueHistory, ValueMover } from '../../shared/schemas/prices'
import { pickName } from '../catalog/query'
import type { Database, LocalizedNames } from '../database/schema'
import { localizedImagePath } from '../card-images/urls'
import { pricedCopies } from '../collection/list'
import { dayOf } from './store'

const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v))
const round2 = (n: number) => Math.round(n * 100) / 100

interface CardRowBase {
  user_card_id: string
  card_id: string
  names: LocalizedNames
  language: string
  set_name: LocalizedNames
  set_id: string
  local_id: string
  printed_total: number | null
  finish: string
  quantity: number
  unit: string
}

function toValueCard(r: CardRowBase, lang?: string): ValueCard {
  const { name, lang: picked } = pickName(r.names, lang, r.language)
  const unit = Number(r.unit)
  return {
    userCardId: r.user_card_id,
    cardId: r.card_id,
    name,
    names: r.names,
    setName: pickName(r.set_name, picked).name,
    localId: r.local_id,
    printedTotal: r.printed_total,
    finish: r.finish,
    quantity: r.quantity,
    unit,
    total: round2(unit * r.quantity),
    imageUrl: localizedImagePath(r.card_id, r.names, r.language),
  }
}

const cardColumns = [
  'uc.id as user_card_id', 'uc.card_id', 'c.name as names', 'uc.language', 's.name as set_name', 's.id as set_id',
  'c.local_id', 's.printed_total', 'uc.finish', 'uc.quantity', sql<string>`p.market::text`.as('unit'),
] as const

/** What the user's collection is worth in `currency`: totals, per set, the most valuable copies and the biggest movers. */
export async function getCollectionValue(db: Kysely<Database>, userId: string, currency: PriceCurrency, options: { lang?: string, now?: Date, top?: number } = {}): Promise<Omit<CollectionValue, 'lastRefresh' | 'refreshing' | 'source'>> {
  const now = options.now ?? new Date()
  const top = options.top ?? 10
  const copies = () => pricedCopies(db, userId, {}, currency)
  const paidHere = sql`uc.price_paid_currency = ${currency}`

  const t = await copies().select([
    sql<string>`coalesce(sum(uc.quantity * p.market), 0)::text`.as('value'),
    sql<number>`coalesce(sum(uc.quantity), 0)::int`.as('copies'),
    sql<number>`coalesce(sum(uc.quantity) filter (where p.market is not null), 0)::int`.as('priced'),
    sql<number>`coalesce(sum(uc.quantity) filter (where uc.grader is not null or uc.grade is not null), 0)::int`.as('graded'),
    sql<Date | null>`min(p.fetched_at)`.as('oldest'),
    sql<string | null>`sum(uc.price_paid * uc.quantity) filter (where p.market is not null and ${paidHere})::text`.as('paid'),
    sql<string | null>`sum(uc.quantity * p.market) filter (where uc.price_paid is not null and ${paidHere})::text`.as('worth'),
    sql<number>`coalesce(sum(uc.quantity) filter (where p.market is not null and uc.price_paid is not null and ${paidHere}), 0)::int`.as('cost_copies'),
  ]).executeTakeFirstOrThrow()

  const bySet = await copies().where('p.market', 'is not', null)
    .select(['s.id as set_id', 's.name as set_name', sql<string>`sum(uc.quantity * p.market)::text`.as('value'), sql<number>`sum(uc.quantity)::int`.as('copies')])
    .groupBy(['s.id', 's.name'])
    .orderBy(sql`sum(uc.quantity * p.market) desc`).orderBy('s.id')
    .execute()

  const topRows = await copies().where('p.market', 'is not', null).select(cardColumns)
    .orderBy('p.market', 'desc').orderBy('uc.quantity', 'desc').orderBy('uc.id')
    .limit(top).execute()

  // Movers: today's price against the latest one at least a week old, or the oldest one when the history is younger.
  const weekAgo = dayOf(new Date(now.getTime() - 7 * 86_400_000))
  const moverRows = await copies().where('p.market', 'is not', null)
    .innerJoinLateral(eb => eb.selectFrom('card_price_history as h').select(['h.market', 'h.day'])
      .whereRef('h.card_id', '=', 'uc.card_id').whereRef('h.source', '=', 'p.source').whereRef('h.variant', '=', 'p.variant')
      .where('h.market', 'is not', null)
      .where(sql<boolean>`h.day < (p.fetched_at at time zone 'UTC')::date`)
      .orderBy(sql`(h.day <= ${weekAgo}::date) desc`).orderBy(sql`case when h.day <= ${weekAgo}::date then h.day end desc nulls last`).orderBy('h.day', 'asc')
      .limit(1).as('prev'), join => join.onTrue())
    .where(sql<boolean>`prev.market <> p.market`)
    .select([...cardColumns, sql<string>`prev.market::text`.as('previous'), sql<string>`prev.day::text`.as('since')])
    .execute()
  const movers: ValueMover[] = moverRows.map((r) => {
    const previous = Number(r.previous)
    const card = toValueCard(r as CardRowBase, options.lang)
    const change = round2(card.unit - previous)
    return { ...card, previous, since: r.since, change, changePercent: previous > 0 ? Math.round(change / previous * 1000) / 10 : null }
  })

  return {
    currency,
    total: round2(num(t.value)),
    copies: t.copies,
    pricedCopies: t.priced,
    gradedCopies: t.graded,
    cost: { paid: round2(num(t.paid)), worth: round2(num(t.worth)), copies: t.cost_copies },
    pricesFetchedAt: t.oldest ? new Date(t.oldest).toISOString() : null,
    bySet: bySet.map(r => ({ setId: r.set_id, setName: pickName(r.set_name as LocalizedNames, options.lang).name, value: round2(Number(r.value)), copies: r.copies })),
    top: topRows.map(r => toValueCard(r as CardRowBase, options.lang)),
    movers: {
      up: movers.filter(m => m.change > 0).sort((a, b) => b.change - a.change).slice(0, 5),
      down: movers.filter(m => m.change < 0).sort((a, b) => a.change - b.change).slice(0, 5),
    },
  }
}

/**
 * Writes today's value of each collection (of `userIds`, or of every user with cards) in both
 * currencies, valued as collection/list.ts's pricedCopies does but for everyone in one statement: one
 * row per user, currency and day, replaced when written again the same day.
 */
export async function snapshotValues(db: Kysely<Database>, now = new Date(), userIds?: string[]): Promise<number> {
  if (userIds && !userIds.length) return 0
  const day = dayOf(now)
  const currencies = sql.join(PRICE_CURRENCIES.map(c => sql`(${c}, ${SOURCE_OF_CURRENCY[c]})`))
  const res = await sql`
    insert into collection_value_snapshots (user_id, currency, day, value, priced_copies, copies)
    select uc.user_id, cur.currency, ${day}::date,
      coalesce(sum(uc.quantity * p.market), 0),
      coalesce(sum(uc.quantity) filter (where p.market is not null), 0),
      sum(uc.quantity)
    from user_cards uc
    cross join (values ${currencies}) as cur(currency, source)
    left join card_prices p on p.card_id = uc.card_id and p.source = cur.source and p.variant = uc.finish
      and p.market is not null and uc.grader is null and uc.grade is null
    ${userIds ? sql`where uc.user_id in (${sql.join(userIds)})` : sql``}
    group by uc.user_id, cur.currency
    on conflict (user_id, currency, day) do update set value = excluded.value, priced_copies = excluded.priced_copies, copies = excluded.copies`.execute(db)
  return Number(res.numAffectedRows ?? 0)
}

/** The daily snapshots of the last `days` days, ending with today's value as it stands now. */
export async function getValueHistory(db: Kysely<Database>, userId: string, currency: PriceCurrency, days: number, now = new Date()): Promise<ValueHistory> {
  const since = dayOf(new Date(now.getTime() - days * 86_400_000))
  const today = dayOf(now)
  const rows = await db.selectFrom('collection_value_snapshots')
    .select(['day', 'value', 'priced_copies', 'copies'])
    .where('user_id', '=', userId).where('currency', '=', currency)
    .where('day', '>=', since).where('day', '<', today)
    .orderBy('day').execute()
  const l = await pricedCopies(db, userId, {}, currency).select([
    sql<string>`coalesce(sum(uc.quantity * p.market), 0)::text`.as('value'),
    sql<number>`coalesce(sum(uc.quantity) filter (where p.market is not null), 0)::int`.as('priced'),
    sql<number>`coalesce(sum(uc.quantity), 0)::int`.as('copies'),
  ]).executeTakeFirstOrThrow()
  const points = rows.map(r => ({ day: String(r.day), value: Number(r.value), pricedCopies: r.priced_copies, copies: r.copies }))
  if (l.copies > 0 || points.length) points.push({ day: today, value: round2(Number(l.value)), pricedCopies: l.priced, copies: l.copies })
  return { currency, points }
}
