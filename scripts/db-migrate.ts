// `npm run db:migrate`: applies pending migrations to the database the app would open
// (DATABASE_URL, else PGlite under ${DATA_DIR:-.data}/pglite).
import { join, resolve } from 'node:path'
import { openDatabase } from '../server/database/connection'
import { migrateToLatest } from '../server/database/migrate'

const url = process.env.DATABASE_URL || process.env.NUXT_DATABASE_URL || undefined
const dataDir = resolve(process.env.DATA_DIR || process.env.NUXT_DATA_DIR || '.data')
const handle = await openDatabase({ url, dataDir: join(dataDir, 'pglite'), poolSize: 1 })
try {
  const applied = await migrateToLatest(handle.db)
  console.log(`[db:migrate] ${handle.driver}: ${applied.length ? `applied ${applied.join(', ')}` : 'already up to date'}`)
}
catch (error) {
  console.error('[db:migrate] failed:', error instanceof Error ? error.message : error)
  process.exitCode = 1
}
finally {
  await handle.close()
}
