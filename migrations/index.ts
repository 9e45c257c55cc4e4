import type { Migration, MigrationProvider } from 'kysely/migration'
import * as m0001 from './0001_initial'
import * as m0002 from './0002_jobs'
import * as m0003 from './0003_security'
import * as m0004 from './0004_prices'
import * as m0005 from './0005_binders'

/** Static list so that migrations are bundled into the server build. */
export const migrations: Record<string, Migration> = {
  '0001_initial': m0001,
  '0002_jobs': m0002,
  '0003_security': m0003,
  '0004_prices': m0004,
  '0005_binders': m0005,
}

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
}
