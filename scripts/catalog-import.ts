// `npm run catalog:import [file]`: migrates, then upserts the TCGdex catalogue into the database the
// app would open (DATABASE_URL, else PGlite under ${DATA_DIR:-.data}/pglite). A second run changes nothing.
import { join, resolve } from 'node:path'
import { importCatalog } from '../server/catalog/import'
import { readCatalogFile } from '../server/catalog/source'
import { openDatabase } from '../server/database/connection'
import { migrateToLatest } from '../server/database/migrate'

const file = resolve(process.argv[2] || process.env.CATALOG_FILE || 'data/tcgdex-catalog.json.gz')
const url = process.env.DATABASE_URL || process.env.NUXT_DATABASE_URL || undefined
const dataDir = resolve(process.env.DATA_DIR || process.env.NUXT_DATA_DIR || '.data')

const started = performance.now()
const handle = await openDatabase({ url, dataDir: join(dataDir, 'pglite'), poolSize: 1 })
const opened = performance.now()
try {
  await migrateToLatest(handle.db)
  const readStart = performance.now()
  const catalog = await readCatalogFile(file)
  const readMs = Math.round(performance.now() - readStart)
  const result = await importCatalog(handle.db, catalog)
  console.log(`[catalog:import] ${handle.driver}${url ? '' : ` (${join(dataDir, 'pglite')})`}: `
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
