import { join } from 'node:path'
import type { Kysely } from 'kysely'
import { type CatalogImportResult, catalogIsEmpty, importCatalog } from '../catalog/import'
import { parseCatalog, readCatalogFile } from '../catalog/source'
import { type DatabaseHandle, openDatabase } from '../database/connection'
import { migrateToLatest } from '../database/migrate'
import type { Database } from '../database/schema'

/** The catalogue shipped with the app (a Nitro server asset), or `CATALOG_FILE` when set. */
async function loadBundledCatalog() {
  if (process.env.CATALOG_FILE) return readCatalogFile(process.env.CATALOG_FILE)
  const raw = await useStorage('assets:catalog').getItemRaw<Uint8Array>('tcgdex-catalog.json.gz')
  if (!raw) throw new Error('Card catalogue asset missing: data/tcgdex-catalog.json.gz')
  return parseCatalog(raw)
}

let handle: Promise<DatabaseHandle> | undefined

async function init(): Promise<DatabaseHandle> {
  const config = useServerConfig()
  const opened = await openDatabase({ url: config.databaseUrl, dataDir: join(config.dataDir, 'pglite') })
  await migrateToLatest(opened.db)
  if (await catalogIsEmpty(opened.db)) {
    const result: CatalogImportResult = await importCatalog(opened.db, await loadBundledCatalog())
    console.info(`[catalog] imported ${result.cards} cards in ${result.ms} ms`)
  }
  return opened
}

/** The database handle, opened, migrated and filled with the catalogue on first use. */
export function useDatabase(): Promise<DatabaseHandle> {
  handle ??= init().catch((error) => {
    handle = undefined
    throw error
  })
  return handle
}

/** The Kysely instance every server module uses; 503 while the database cannot be opened. */
export async function useDb(): Promise<Kysely<Database>> {
  try {
    return (await useDatabase()).db
  }
  catch (error) {
    console.error('[database] cannot be opened:', error)
    throw createError({ statusCode: 503, message: 'The database is unavailable right now. Please try again later.' })
  }
}

export async function closeDatabase(): Promise<void> {
  const current = handle
  handle = undefined
  if (current) await (await current).close()
}
