import { type CreateTableBuilder, type Kysely, sql } from 'kysely'

/**
 * Market prices (issue 20): the latest price of each card per source and variant, one history row per
 * card, source, variant and day, when each card was last asked for, the refresh runs (one at a time
 * across processes), daily snapshots of each collection's value, the user's currency and the currency
 * of what a copy cost.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users')
    .addColumn('price_currency', 'text', c => c.notNull().defaultTo('EUR').check(sql`price_currency in ('EUR', 'USD')`))
    .execute()
  // A copy's finish is now one of its card's variants: the 1st Edition sets get that variant (as the
  // catalogue import now gives it, server/catalog/source.ts variantsOf), or no 1st Edition could be recorded.
  await sql`update cards set variants = array_append(variants, 'firstEdition')
    where set_id in ('base1', 'base2', 'base3', 'base5', 'gym1', 'gym2', 'neo1', 'neo2', 'neo3', 'neo4')
      and cardinality(variants) > 0 and not ('firstEdition' = any(variants))`.execute(db)
  await db.schema.alterTable('user_cards')
    .addColumn('price_paid_currency', 'text', c => c.check(sql`price_paid_currency is null or price_paid_currency ~ '^[A-Z]{3}$'`))
    .execute()

  const priceColumns = (table: CreateTableBuilder<string, any>) => table
    .addColumn('card_id', 'text', c => c.notNull().references('cards.id').onDelete('cascade'))
    .addColumn('source', 'text', c => c.notNull().check(sql`source in ('cardmarket', 'tcgplayer')`))
    .addColumn('variant', 'text', c => c.notNull())
    .addColumn('currency', 'text', c => c.notNull())
    // The figure a copy is valued at (Cardmarket's trend, TCGplayer's market price), then the others kept for display.
    .addColumn('market', 'numeric(12, 2)')
    .addColumn('low', 'numeric(12, 2)')
    .addColumn('mid', 'numeric(12, 2)')
    .addColumn('high', 'numeric(12, 2)')
    .addColumn('avg7', 'numeric(12, 2)')
    .addColumn('avg30', 'numeric(12, 2)')
    .addColumn('source_updated_at', 'timestamptz')
    .addColumn('fetched_at', 'timestamptz', c => c.notNull())

  await priceColumns(db.schema.createTable('card_prices'))
    .addPrimaryKeyConstraint('card_prices_pk', ['card_id', 'source', 'variant'])
    .execute()
  await priceColumns(db.schema.createTable('card_price_history'))
    .addColumn('day', 'date', c => c.notNull())
    .addPrimaryKeyConstraint('card_price_history_pk', ['card_id', 'source', 'variant', 'day'])
    .execute()

  await db.schema.createTable('card_price_checks')
    .addColumn('card_id', 'text', c => c.primaryKey().references('cards.id').onDelete('cascade'))
    .addColumn('checked_at', 'timestamptz', c => c.notNull())
    .addColumn('status', 'text', c => c.notNull().check(sql`status in ('priced', 'unpriced', 'failed')`))
    .addColumn('error', 'text')
    .execute()

  await db.schema.createTable('price_refresh_runs')
    .addColumn('id', 'uuid', c => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('status', 'text', c => c.notNull().check(sql`status in ('running', 'done', 'failed', 'abandoned')`))
    .addColumn('scope', 'text', c => c.notNull())
    .addColumn('started_at', 'timestamptz', c => c.notNull().defaultTo(sql`now()`))
    .addColumn('heartbeat_at', 'timestamptz', c => c.notNull().defaultTo(sql`now()`))
    .addColumn('finished_at', 'timestamptz')
    .addColumn('cards', 'integer', c => c.notNull().defaultTo(0))
    .addColumn('requests', 'integer', c => c.notNull().defaultTo(0))
    .addColumn('priced', 'integer', c => c.notNull().defaultTo(0))
    .addColumn('failed', 'integer', c => c.notNull().defaultTo(0))
    .addColumn('message', 'text')
    .execute()
  // At most one refresh runs at a time, whatever the number of app processes.
  await sql`create unique index price_refresh_runs_one_running on price_refresh_runs ((true)) where status = 'running'`.execute(db)
  await db.schema.createIndex('price_refresh_runs_started_idx').on('price_refresh_runs').column('started_at').execute()

  await db.schema.createTable('collection_value_snapshots')
    .addColumn('user_id', 'uuid', c => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('currency', 'text', c => c.notNull())
    .addColumn('day', 'date', c => c.notNull())
    .addColumn('value', 'numeric(14, 2)', c => c.notNull())
    .addColumn('priced_copies', 'integer', c => c.notNull())
    .addColumn('copies', 'integer', c => c.notNull())
    .addPrimaryKeyConstraint('collection_value_snapshots_pk', ['user_id', 'currency', 'day'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['collection_value_snapshots', 'price_refresh_runs', 'card_price_checks', 'card_price_history', 'card_prices']) {
    await db.schema.dropTable(table).ifExists().execute()
  }
  await db.schema.alterTable('user_cards').dropColumn('price_paid_currency').execute()
  await db.schema.alterTable('users').dropColumn('price_currency').execute()
}
