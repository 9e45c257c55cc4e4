import { mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { Kysely, PostgresDialect } from 'kysely'
import pg from 'pg'
import { type DataDirLock, DataDirLockedError, lockDataDir } from './lock'
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
 * `pg` Pool interface (PGlite's node-postgres adapter), so one Kysely dialect serves both. An embedded
 * data directory is locked for as long as it is open: a second opener (server, script, worker) gets a
 * DataDirLockedError naming the holder, instead of both losing writes.
 */
export async function openDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
  if (options.url) {
    const pool = new pg.Pool({ connectionString: options.url, max: options.poolSize ?? 10, connectionTimeoutMillis: 5000 })
    // An idle client that loses its server (restart) must not crash the process; the pool drops it.
    pool.on('error', () => {})
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
    return { db, driver: 'postgres', close: () => db.destroy() }
  }

  // Taken before anything else, so that a second opener stops at once.
  let lock: DataDirLock | undefined
  if (!options.dataDir.startsWith('memory://')) {
    mkdirSync(options.dataDir, { recursive: true })
    lock = lockDataDir(options.dataDir)
  }
  try {
    return await openPglite(options.dataDir, () => lock?.release())
  }
  catch (error) {
    lock?.release()
    throw error
  }
}

async function openPglite(dataDir: string, unlock: () => void): Promise<DatabaseHandle> {
  const { PGlite } = await import('@electric-sql/pglite')
  const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm')
  const { createPgConfig } = await import('@electric-sql/pglite/node-postgres')
  const pglite = await PGlite.create(dataDir, { extensions: { pg_trgm } })
  const pool = new pg.Pool(createPgConfig(pglite) as unknown as pg.PoolConfig)
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
  return {
    db,
    driver: 'pglite',
    close: async () => {
      try {
        await db.destroy()
        await pglite.close()
      }
      finally {
        unlock()
      }
    },
  }
}

/** Where a script finds the database the app would open: DATABASE_URL, else PGlite under ${DATA_DIR:-.data}/pglite. */
export function scriptDatabaseOptions(): DatabaseOptions {
  const dataDir = resolve(process.env.DATA_DIR || process.env.NUXT_DATA_DIR || '.data')
  return { url: process.env.DATABASE_URL || process.env.NUXT_DATABASE_URL || undefined, dataDir: join(dataDir, 'pglite'), poolSize: 1 }
}

/**
 * Opens the app's database for a command-line script (migrations, imports, benchmarks, workers);
 * when a running server holds the embedded database, says who and exits at once (status 1).
 */
export async function openScriptDatabase(script: string): Promise<DatabaseHandle> {
  try {
    return await openDatabase(scriptDatabaseOptions())
  }
  catch (error) {
    if (!(error instanceof DataDirLockedError)) throw error
    console.error(`[${script}] ${error.message}`)
    process.exit(1)
  }
}
