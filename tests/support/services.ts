import { execFile } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { promisify } from 'node:util'
import { useTestContext } from '@nuxt/test-utils/e2e'

/**
 * Stops and starts the real Redis and Postgres the way CI runs them (as root, on loopback), for the
 * fault tests. Everything here is asynchronous so that requests can run while a service is down.
 */

const run = promisify(execFile)
const sleep = (ms: number) => new Promise(r => setTimeout(r, ms))

/** Polls `check` until it holds, or throws after `timeoutMs`. Answers how long it took. */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string, everyMs = 100): Promise<number> {
  const started = Date.now()
  for (;;) {
    if (await Promise.resolve().then(check).catch(() => false)) return Date.now() - started
    if (Date.now() - started > timeoutMs) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`)
    await sleep(everyMs)
  }
}

function redisAddress() {
  const parsed = process.env.REDIS_URL ? new URL(process.env.REDIS_URL) : undefined
  return { host: parsed?.hostname || '127.0.0.1', port: parsed?.port || '6379' }
}

export async function redisAnswers(): Promise<boolean> {
  const { host, port } = redisAddress()
  try {
    const { stdout } = await run('redis-cli', ['-h', host, '-p', port, 'ping'], { timeout: 2000 })
    return stdout.trim() === 'PONG'
  }
  catch {
    return false
  }
}

/** Shuts Redis down without saving (its data is gone, as after a crash of a cache). */
export async function stopRedis(): Promise<void> {
  const { host, port } = redisAddress()
  // redis-cli exits non-zero when the server closes the connection under it: that is the point.
  await run('redis-cli', ['-h', host, '-p', port, 'shutdown', 'nosave'], { timeout: 5000 }).catch(() => {})
  await waitFor(async () => !(await redisAnswers()), 10_000, 'Redis to stop')
}

/** Starts Redis as CI does, unless it already answers, and waits for PING. */
export async function startRedis(): Promise<void> {
  if (await redisAnswers()) return
  const { host, port } = redisAddress()
  await run('redis-server', ['--bind', host, '--port', port, '--save', '', '--appendonly', 'no', '--daemonize', 'yes'], { timeout: 10_000 })
  await waitFor(redisAnswers, 15_000, 'Redis to answer PING')
}

/** The newest Postgres installed (`ls /usr/lib/postgresql | sort -V | tail -1`). */
export function postgresVersion(): string {
  const versions = readdirSync('/usr/lib/postgresql').filter(v => /^\d+(\.\d+)?$/.test(v))
  versions.sort((a, b) => Number(a) - Number(b))
  const latest = versions.at(-1)
  if (!latest) throw new Error('No Postgres under /usr/lib/postgresql')
  return latest
}

export async function postgresReady(): Promise<boolean> {
  try {
    await run('pg_isready', ['-h', '127.0.0.1', '-q'], { timeout: 3000 })
    return true
  }
  catch {
    return false
  }
}

/** `pg_ctlcluster <ver> main restart` (drops every connection), then waits for `pg_isready`. */
export async function restartPostgres(): Promise<void> {
  await run('pg_ctlcluster', [postgresVersion(), 'main', 'restart'], { timeout: 60_000 })
  await waitFor(postgresReady, 30_000, 'Postgres to accept connections')
}

/** Starts Postgres if it is down (the safety net of `afterAll`). */
export async function startPostgres(): Promise<void> {
  if (await postgresReady()) return
  await run('pg_ctlcluster', [postgresVersion(), 'main', 'start'], { timeout: 60_000 }).catch(() => {})
  await waitFor(postgresReady, 30_000, 'Postgres to accept connections')
}

/** Puts both services back, whatever state a failed test left them in. */
export async function restoreServices(): Promise<void> {
  const results = await Promise.allSettled([startRedis(), startPostgres()])
  const failed = results.filter(r => r.status === 'rejected')
  if (failed.length) throw new AggregateError(failed.map(f => (f as PromiseRejectedResult).reason), 'Could not restore the services')
}

/** The pid of this test file's app server (started by `setupApp`). */
export function serverPid(): number {
  const pid = useTestContext().serverProcess?.pid
  if (!pid) throw new Error('No app server process')
  return pid
}

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  }
  catch {
    return false
  }
}

/** Resident memory of a process, in bytes (Linux /proc). */
export function residentBytes(pid: number): number {
  const match = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+) kB/m)
  return match ? Number(match[1]) * 1024 : 0
}

/**
 * Samples a process's resident memory while `fn` runs: the most it reached above where it started
 * (sharp allocates outside the JS heap, so RSS is what would show a decoded pixel bomb).
 */
export async function peakGrowthDuring<T>(pid: number, fn: () => Promise<T>, everyMs = 20): Promise<{ result: T, growthBytes: number }> {
  const before = residentBytes(pid)
  let peak = before
  const timer = setInterval(() => { peak = Math.max(peak, residentBytes(pid)) }, everyMs)
  try {
    const result = await fn()
    peak = Math.max(peak, residentBytes(pid))
    return { result, growthBytes: peak - before }
  }
  finally {
    clearInterval(timer)
  }
}
