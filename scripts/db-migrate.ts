// `npm run db:migrate`: applies pending migrations to the database the app would open
// (DATABASE_URL, else PGlite under ${DATA_DIR:-.data}/pglite).
// Refused while a server holds the embedded database (the lock names it).
import { openScriptDatabase } from '../server/database/connection'
import { migrateToLatest } from '../server/database/migrate'

const handle = await openScriptDatabase('db:migrate')
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
