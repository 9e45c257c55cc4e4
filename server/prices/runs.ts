import { type Kysely, sql } from 'kysely'
import type { Database } from '../database/schema'

/** A run that has not said it is alive for this long is taken for dead (its process was killed). */
export const STALE_RUN_MS = 10 * 60_000

// Serialises the few statements that take the lease, across processes (a transaction-level lock: no connection held).
const LEASE_LOCK = 7152020

export interface RunCounts { cards: number, requests: number, priced: number, failed: number }

/**
 * Starts a refresh run unless one is running: the lease is a `running` row (a unique partial index
 * allows one), renewed by `heartbeat`. A running row whose heartbeat is older than STALE_RUN_MS is
 * marked `abandoned` and replaced. Answers the new run's id, or null when another run holds the lease.
 */
export async function startRun(db: Kysely<Database>, scope: string, now = new Date()): Promise<string | null> {
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${LEASE_LOCK})`.execute(trx)
    const running = await trx.selectFrom('price_refresh_runs').select(['id', 'heartbeat_at'])
      .where('status', '=', 'running').executeTakeFirst()
    if (running) {
      if (now.getTime() - new Date(running.heartbeat_at).getTime() < STALE_RUN_MS) return null
      await trx.updateTable('price_refresh_runs')
        .set({ status: 'abandoned', finished_at: now, message: 'No sign of life: the process running it stopped' })
        .where('id', '=', running.id).execute()
    }
    const row = await trx.insertInto('price_refresh_runs')
      .values({ status: 'running', scope, started_at: now, heartbeat_at: now })
      .returning('id').executeTakeFirstOrThrow()
    return row.id
  })
}

/** Renews the lease and records progress; false when the run lost its lease (another process took over). */
export async function heartbeat(db: Kysely<Database>, runId: string, counts: RunCounts, now = new Date()): Promise<boolean> {
  const res = await db.updateTable('price_refresh_runs')
    .set({ heartbeat_at: now, ...counts })
    .where('id', '=', runId).where('status', '=', 'running')
    .executeTakeFirst()
  return Number(res.numUpdatedRows) > 0
}

/** Runs are kept a month (what the last one did is all the UI shows). */
const KEEP_RUNS_MS = 30 * 86_400_000

export async function finishRun(db: Kysely<Database>, runId: string, status: 'done' | 'failed', counts: RunCounts, message: string | null, now = new Date()): Promise<void> {
  await db.updateTable('price_refresh_runs')
    .set({ status, finished_at: now, heartbeat_at: now, message, ...counts })
    .where('id', '=', runId).where('status', '=', 'running')
    .execute()
  await db.deleteFrom('price_refresh_runs').where('started_at', '<', new Date(now.getTime() - KEEP_RUNS_MS)).where('status', '!=', 'running').execute()
}

export interface RunSummary { status: string, startedAt: string, finishedAt: string | null, message: string | null }

/** The latest run and whether one is going on now. */
export async function refreshState(db: Kysely<Database>, now = new Date()): Promise<{ last: RunSummary | null, running: boolean }> {
  const rows = await db.selectFrom('price_refresh_runs')
    .select(['status', 'started_at', 'finished_at', 'heartbeat_at', 'message'])
    .orderBy('started_at', 'desc').limit(2).execute()
  const running = rows.some(r => r.status === 'running' && now.getTime() - new Date(r.heartbeat_at).getTime() < STALE_RUN_MS)
  const last = rows.find(r => r.status !== 'running') ?? rows[0]
  return {
    running,
    last: last
      ? { status: last.status, startedAt: new Date(last.started_at).toISOString(), finishedAt: last.finished_at ? new Date(last.finished_at).toISOString() : null, message: last.message }
      : null,
  }
}
