import { type Kysely, sql } from 'kysely'
import type { Database } from '../database/schema'
import { type CatalogFile, numberOf, primaryName, searchTextOf, variantsOf } from './source'

export interface CatalogImportResult {
  series: number
  sets: number
  cards: number
  /** Rows inserted or changed by this run; 0 when the database already held this catalogue. */
  changed: number
  ms: number
}

const BATCH = 1000

function chunks<T>(items: T[], size = BATCH): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}

/**
 * Upserts the whole catalogue in one transaction. Rows that already hold the same values are not
 * touched (`is distinct from`), so a second run changes nothing.
 */
export async function importCatalog(db: Kysely<Database>, catalog: CatalogFile): Promise<CatalogImportResult> {
  const started = performance.now()
  let changed = 0
  await db.transaction().execute(async (trx) => {
    // Several app instances may start at once against one Postgres: let one import at a time.
    await sql`select pg_advisory_xact_lock(7152001)`.execute(trx)

    for (const part of chunks(catalog.series)) {
      const res = await trx.insertInto('series')
        .values(part.map(s => ({ id: s.id, name: JSON.stringify(s.name), name_en: primaryName(s.name) })))
        .onConflict(oc => oc.column('id').doUpdateSet(eb => ({
          name: eb.ref('excluded.name'),
          name_en: eb.ref('excluded.name_en'),
        })).where(sql<boolean>`(series.name, series.name_en) is distinct from (excluded.name, excluded.name_en)`))
        .executeTakeFirst()
      changed += Number(res.numInsertedOrUpdatedRows ?? 0)
    }

    for (const part of chunks(catalog.sets)) {
      const res = await trx.insertInto('sets')
        .values(part.map(s => ({
          id: s.id,
          series_id: s.serieId,
          name: JSON.stringify(s.name),
          name_en: primaryName(s.name),
          printed_total: s.official,
          card_count: s.cards,
          code: s.abbreviation,
          code_fr: s.abbreviationFr,
          tcg_online: s.tcgOnline,
          release_date: s.releaseDate,
        })))
        .onConflict(oc => oc.column('id').doUpdateSet(eb => ({
          series_id: eb.ref('excluded.series_id'),
          name: eb.ref('excluded.name'),
          name_en: eb.ref('excluded.name_en'),
          printed_total: eb.ref('excluded.printed_total'),
          card_count: eb.ref('excluded.card_count'),
          code: eb.ref('excluded.code'),
          code_fr: eb.ref('excluded.code_fr'),
          tcg_online: eb.ref('excluded.tcg_online'),
          release_date: eb.ref('excluded.release_date'),
        })).where(sql<boolean>`(sets.series_id, sets.name, sets.name_en, sets.printed_total, sets.card_count, sets.code, sets.code_fr, sets.tcg_online, sets.release_date)
          is distinct from (excluded.series_id, excluded.name, excluded.name_en, excluded.printed_total, excluded.card_count, excluded.code, excluded.code_fr, excluded.tcg_online, excluded.release_date)`))
        .executeTakeFirst()
      changed += Number(res.numInsertedOrUpdatedRows ?? 0)
    }

    for (const part of chunks(catalog.cards)) {
      const res = await trx.insertInto('cards')
        .values(part.map(c => ({
          id: c.id,
          set_id: c.setId,
          local_id: c.localId,
          number: numberOf(c.localId),
          name: JSON.stringify(c.name),
          name_en: primaryName(c.name),
          search_text: searchTextOf(c.name),
          category: c.category,
          hp: typeof c.hp === 'number' ? c.hp : null,
          types: c.types ?? [],
          stage: c.stage,
          rarity: c.rarity,
          illustrator: c.illustrator,
          regulation_mark: c.regulationMark,
          variants: variantsOf(c),
        })))
        .onConflict(oc => oc.column('id').doUpdateSet(eb => ({
          set_id: eb.ref('excluded.set_id'),
          local_id: eb.ref('excluded.local_id'),
          number: eb.ref('excluded.number'),
          name: eb.ref('excluded.name'),
          name_en: eb.ref('excluded.name_en'),
          search_text: eb.ref('excluded.search_text'),
          category: eb.ref('excluded.category'),
          hp: eb.ref('excluded.hp'),
          types: eb.ref('excluded.types'),
          stage: eb.ref('excluded.stage'),
          rarity: eb.ref('excluded.rarity'),
          illustrator: eb.ref('excluded.illustrator'),
          regulation_mark: eb.ref('excluded.regulation_mark'),
          variants: eb.ref('excluded.variants'),
        })).where(sql<boolean>`(cards.set_id, cards.local_id, cards.number, cards.name, cards.name_en, cards.search_text, cards.category, cards.hp, cards.types, cards.stage, cards.rarity, cards.illustrator, cards.regulation_mark, cards.variants)
          is distinct from (excluded.set_id, excluded.local_id, excluded.number, excluded.name, excluded.name_en, excluded.search_text, excluded.category, excluded.hp, excluded.types, excluded.stage, excluded.rarity, excluded.illustrator, excluded.regulation_mark, excluded.variants)`))
        .executeTakeFirst()
      changed += Number(res.numInsertedOrUpdatedRows ?? 0)
    }
  })
  return {
    series: catalog.series.length,
    sets: catalog.sets.length,
    cards: catalog.cards.length,
    changed,
    ms: Math.round(performance.now() - started),
  }
}

/** True when the cards table has no rows yet (first start). */
export async function catalogIsEmpty(db: Kysely<Database>): Promise<boolean> {
  const row = await db.selectFrom('cards').select('id').limit(1).executeTakeFirst()
  return !row
}
