import { setTimeout as sleep } from 'node:timers/promises'

// Postgres errors after which the same transaction, run again, can succeed: a deadlock, a
// serialization failure, or a unique row that another transaction inserted meanwhile.
const RETRYABLE = new Set(['40P01', '40001', '23505'])

/**
 * Runs `work` (a whole transaction) again, up to `attempts` times, when Postgres says another one got
 * in its way. Each retry waits a little, at random, so that the transactions that collided do not
 * meet again in the same order.
 */
export async function retryConflicts<T>(work: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work()
    }
    catch (error) {
      if (attempt >= attempts || !RETRYABLE.has((error as { code?: string }).code ?? '')) throw error
      await sleep(Math.random() * 20 * attempt)
    }
  }
}
