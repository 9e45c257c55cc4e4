import { type Kysely, sql } from 'kysely'

/**
 * Organising a collection (issue 21): binders (pages of 3 × 3, 3 × 4 or 2 × 2 slots) and boxes, the
 * place of each physical copy, binder pages scanned by photo, the want list, and public links.
 *
 * A user_cards row is one kind of copy with a quantity, so its copies can lie in several places:
 * `copy_places` holds one row per copy in a binder slot (a slot holds one copy) and one row per box
 * and kind with a quantity. Copies with no row are nowhere; the free-text `location` stays a note.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('binders')
    .addColumn('id', 'uuid', c => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('user_id', 'uuid', c => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('name', 'text', c => c.notNull())
    .addColumn('layout', 'text', c => c.notNull().check(sql`layout in ('3x3', '3x4', '2x2')`))
    .addColumn('pages', 'integer', c => c.notNull().check(sql`pages between 1 and 200`))
    // A set binder: the set's cards in number order from slot index `set_offset` (0-based over the whole binder).
    .addColumn('set_id', 'text', c => c.references('sets.id'))
    .addColumn('set_offset', 'integer', c => c.check(sql`set_offset >= 0`))
    .addColumn('created_at', 'timestamptz', c => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', c => c.notNull().defaultTo(sql`now()`))
    .execute()
  await db.schema.createIndex('binders_user_idx').on('binders').columns(['user_id', 'created_at']).execute()

  await db.schema.createTable('boxes')
    .addColumn('id', 'uuid', c => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('user_id', 'uuid', c => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('name', 'text', c => c.notNull())
    .addColumn('created_at', 'timestamptz', c => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', c => c.notNull().defaultTo(sql`now()`))
    .execute()
  await db.schema.createIndex('boxes_user_idx').on('boxes').columns(['user_id', 'created_at']).execute()

  await db.schema.createTable('copy_places')
    .addColumn('id', 'uuid', c => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('user_id', 'uuid', c => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('user_card_id', 'uuid', c => c.notNull().references('user_cards.id').onDelete('cascade'))
    .addColumn('binder_id', 'uuid', c => c.references('binders.id').onDelete('cascade'))
    .addColumn('page', 'integer')
    .addColumn('slot', 'integer')
    .addColumn('box_id', 'uuid', c => c.references('boxes.id').onDelete('cascade'))
    .addColumn('quantity', 'integer', c => c.notNull().defaultTo(1).check(sql`quantity > 0`))
    .addColumn('placed_at', 'timestamptz', c => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('copy_places_one_place', sql`(binder_id is not null and page >= 1 and slot >= 1 and box_id is null and quantity = 1)
      or (binder_id is null and page is null and slot is null and box_id is not null)`)
    .execute()
  // Checked at commit, so that a swap can update both slots in one transaction.
  await sql`alter table copy_places add constraint copy_places_slot_unique unique (binder_id, page, slot) deferrable initially deferred`.execute(db)
  await sql`alter table copy_places add constraint copy_places_box_unique unique (box_id, user_card_id)`.execute(db)
  await db.schema.createIndex('copy_places_user_card_idx').on('copy_places').column('user_card_id').execute()
  await db.schema.createIndex('copy_places_user_idx').on('copy_places').column('user_id').execute()

  await db.schema.createTable('wants')
    .addColumn('id', 'uuid', c => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('user_id', 'uuid', c => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('card_id', 'text', c => c.notNull().references('cards.id'))
    // Null: any finish will do.
    .addColumn('finish', 'text')
    .addColumn('quantity', 'integer', c => c.notNull().check(sql`quantity between 1 and 9999`))
    .addColumn('note', 'text')
    .addColumn('created_at', 'timestamptz', c => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', c => c.notNull().defaultTo(sql`now()`))
    .execute()
  await sql`create unique index wants_identity_unique on wants (user_id, card_id, coalesce(finish, ''))`.execute(db)

  // A photo import of binder pages (one photo a page, from `first_page` on): confirming a card puts it in its pocket.
  await db.schema.createTable('binder_scans')
    .addColumn('batch_id', 'uuid', c => c.primaryKey().references('import_batches.id').onDelete('cascade'))
    .addColumn('user_id', 'uuid', c => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('binder_id', 'uuid', c => c.notNull().references('binders.id').onDelete('cascade'))
    .addColumn('first_page', 'integer', c => c.notNull().check(sql`first_page >= 1`))
    .execute()

  await db.schema.createTable('shares')
    .addColumn('id', 'uuid', c => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('user_id', 'uuid', c => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('kind', 'text', c => c.notNull().check(sql`kind in ('collection', 'wants', 'binder')`))
    .addColumn('binder_id', 'uuid', c => c.references('binders.id').onDelete('cascade'))
    .addColumn('slug', 'text', c => c.notNull().unique())
    .addColumn('created_at', 'timestamptz', c => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('shares_binder_kind', sql`(kind = 'binder') = (binder_id is not null)`)
    .execute()
  // One live link per published thing: a new link replaces the old one.
  await sql`create unique index shares_one_per_thing on shares (user_id, kind, coalesce(binder_id::text, ''))`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['shares', 'binder_scans', 'wants', 'copy_places', 'boxes', 'binders']) {
    await db.schema.dropTable(table).ifExists().execute()
  }
}
