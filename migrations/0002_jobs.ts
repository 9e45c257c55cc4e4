import { type Kysely, sql } from 'kysely'

/**
 * Analysis as jobs (issue 19): a batch is written before its bytes ('receiving'), each photo is
 * queued and analysed on its own, and the embedded queue keeps its jobs in `analysis_jobs`.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table import_batches drop constraint if exists import_batches_status_check`.execute(db)
  await sql`alter table import_batches add constraint import_batches_status_check
    check (status in ('receiving', 'analyzing', 'ready', 'partial', 'failed'))`.execute(db)

  await sql`alter table import_images drop constraint if exists import_images_status_check`.execute(db)
  await sql`alter table import_images add constraint import_images_status_check
    check (status in ('receiving', 'queued', 'analyzing', 'analyzed', 'failed'))`.execute(db)
  await db.schema.alterTable('import_images')
    // Runs started (a photo that kills its worker every time is failed after a bounded number).
    .addColumn('attempts', 'integer', c => c.notNull().defaultTo(0))
    // Whether the bytes are still meant to be in the image store (quota accounting; why a read finds none).
    .addColumn('kept', 'boolean', c => c.notNull().defaultTo(true))
    .addColumn('updated_at', 'timestamptz', c => c.notNull().defaultTo(sql`now()`))
    .execute()
  await sql`create index import_images_kept_idx on import_images (user_id, expires_at) where kept`.execute(db)
  await sql`create index import_images_pending_idx on import_images (updated_at) where status in ('receiving', 'queued', 'analyzing')`.execute(db)

  // A photo's drafts are written once: position = photo position × 1000 + card index, unique per photo.
  await db.schema.createIndex('card_drafts_image_position_unique').on('card_drafts').columns(['image_id', 'position']).unique().execute()

  await db.schema.createTable('analysis_jobs')
    .addColumn('id', 'text', c => c.primaryKey())
    .addColumn('queue', 'text', c => c.notNull())
    .addColumn('data', 'jsonb', c => c.notNull())
    .addColumn('status', 'text', c => c.notNull().check(sql`status in ('queued', 'active', 'failed')`))
    .addColumn('attempts', 'integer', c => c.notNull().defaultTo(0))
    .addColumn('run_at', 'timestamptz', c => c.notNull().defaultTo(sql`now()`))
    .addColumn('lease_until', 'timestamptz')
    .addColumn('locked_by', 'text')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'timestamptz', c => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', c => c.notNull().defaultTo(sql`now()`))
    .execute()
  await db.schema.createIndex('analysis_jobs_due_idx').on('analysis_jobs').columns(['queue', 'status', 'run_at']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('analysis_jobs').ifExists().execute()
  await db.schema.dropIndex('card_drafts_image_position_unique').ifExists().execute()
  await db.schema.dropIndex('import_images_pending_idx').ifExists().execute()
  await db.schema.dropIndex('import_images_kept_idx').ifExists().execute()
  await db.schema.alterTable('import_images').dropColumn('attempts').dropColumn('kept').dropColumn('updated_at').execute()
  await sql`alter table import_images drop constraint if exists import_images_status_check`.execute(db)
  await sql`update import_images set status = 'failed' where status not in ('analyzed', 'failed')`.execute(db)
  await sql`alter table import_images add constraint import_images_status_check check (status in ('analyzed', 'failed'))`.execute(db)
  await sql`alter table import_batches drop constraint if exists import_batches_status_check`.execute(db)
  await sql`update import_batches set status = 'ready' where status = 'partial'`.execute(db)
  await sql`update import_batches set status = 'failed' where status not in ('analyzing', 'ready', 'failed')`.execute(db)
  await sql`alter table import_batches add constraint import_batches_status_check check (status in ('analyzing', 'ready', 'failed'))`.execute(db)
}
