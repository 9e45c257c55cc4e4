// `npm run catalog:import [file]`: migrates, then upserts the TCGdex catalogue into the database the
// app would open (DATABASE_URL, else PGlite under ${DATA_DIR:-.data}/pglite). A second run changes nothing.
import { resolve } from 'node:path'
import { importCatalog } from '../server/catalog/import'
import { readCatalogFile } from '../server/catalog/source'
import { openScriptDatabase, scriptDatabaseOptions } from '../server/database/connection'
import { migrateToLatest } from '../server/database/migrate'

const file = resolve(process.argv[2] || process.env.CATALOG_FILE || 'data/tcgdex-catalog.json.gz')
const { url, dataDir } = scriptDatabaseOptions()

const started = performance.now()
const handle = await openScriptDatabase('catalog:import')
const opened = performance.now()
try {
  await migrateToLatest(handle.db)
  const readStart = performance.now()
  const catalog = await readCatalogFile(file)
  const readMs = Math.round(performance.now() - readStart)
  const result = await importCatalog(handle.db, catalog)
  console.log(`[catalog:import] ${handle.driver}${url ? '' : ` (${dataDir})`}: `
    + `${result.series} series, ${result.sets} sets, ${result.cards} cards; changed=${result.changed}; `
    + `import ${result.ms} ms (read ${readMs} ms, open+migrate ${Math.round(readStart - opened + (opened - started))} ms)`)
}
catch (error) {
  console.error('[catalog:import] failed:', error instanceof Error ? error.message : error)
  process.exitCode = 1
}
finally {
  await handle.close()
}
