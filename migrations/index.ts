import type { Migration, MigrationProvider } from 'kysely/migration'
import * as m0001 from './0001_initial'

/** Static list so that migrations are bundled into the server build. */
export const migrations: Record<string, Migration> = {
  '0001_initial': m0001,
}

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
}
