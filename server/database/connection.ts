import { mkdirSync } from 'node:fs'
import { Kysely, PostgresDialect } from 'kysely'
import pg from 'pg'
import type { Database } from './schema'

export type DatabaseDriver = 'postgres' | 'pglite'

export interface DatabaseHandle {
  db: Kysely<Database>
  driver: DatabaseDriver
  close: () => Promise<void>
}

export interface DatabaseOptions {
  /** `postgres://…`; when empty, an embedded PGlite database is used. */
  url?: string
  /** PGlite data directory (`memory://` for a throw-away database). */
  dataDir: string
  poolSize?: number
}

// Postgres `numeric` and `date` stay strings (no float or time-zone surprises); bigint counts become numbers.
pg.types.setTypeParser(pg.types.builtins.INT8, v => Number.parseInt(v, 10))
pg.types.setTypeParser(pg.types.builtins.DATE, v => v)

/**
 * Opens the database: real Postgres through `pg` when a URL is given, else PGlite behind the same
 * `pg` Pool interface (PGlite's node-postgres adapter), so one Kysely dialect serves both.
 */
export async function openDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
  if (options.url) {
    const pool = new pg.Pool({ connectionString: options.url, max: options.poolSize ?? 10, connectionTimeoutMillis: 5000 })
    // An idle client that loses its server (restart) must not crash the process; the pool drops it.
    pool.on('error', () => {})
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
    return { db, driver: 'postgres', close: () => db.destroy() }
  }

  const { PGlite } = await import('@electric-sql/pglite')
  const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm')
  const { createPgConfig } = await import('@electric-sql/pglite/node-postgres')
  if (!options.dataDir.startsWith('memory://')) mkdirSync(options.dataDir, { recursive: true })
  const pglite = await PGlite.create(options.dataDir, { extensions: { pg_trgm } })
  const pool = new pg.Pool(createPgConfig(pglite) as unknown as pg.PoolConfig)
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
  return {
    db,
    driver: 'pglite',
    close: async () => {
      await db.destroy()
      await pglite.close()
    },
  }
}
